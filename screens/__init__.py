"""The Textual UI. Calls pingyi services only; never imports db or peewee."""
