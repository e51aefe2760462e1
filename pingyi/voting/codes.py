"""One-time ballot codes: ≥ 40 bits from ``secrets`` in an alphabet without
look-alikes, shown once and stored only as a salted hash.

New codes leave out 0/O, 1/I/L and also 2/Z, 5/S and 8/B, which people
misread on a printed slip or a phone screen. Codes printed before that
change used the wider alphabet and are still accepted.
"""
from __future__ import annotations

import hashlib
import secrets

ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"  # 25 symbols: 10 of them carry 46.4 bits
ACCEPTED = frozenset("23456789ABCDEFGHJKMNPQRSTUVWXYZ")  # the first alphabet, a superset of ALPHABET
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """'ABCDEFGHJK' → 'ABCDE-FGHJK' for slips and screens."""
    return f"{code[:5]}-{code[5:]}"


def normalise(typed: str) -> str | None:
    """What a person typed → the canonical code, or None if it cannot be one."""
    code = "".join(ch for ch in typed.upper() if ch not in " -_\t")
    if len(code) != LENGTH or any(ch not in ACCEPTED for ch in code):
        return None
    return code


def digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)
