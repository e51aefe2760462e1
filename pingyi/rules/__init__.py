"""Pure rules: small functions over dataclasses, no I/O, no database."""
