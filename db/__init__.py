"""Persistence: peewee models behind a deferred database, opened from a URL.

Nothing here imports Textual or the domain; services in ``pingyi`` call in.
"""
from db.connection import (
    database, open_database, close_database, session, write, read, transaction, is_sqlite,
    default_url, DatabaseError, SchemaTooNew,
)

__all__ = [
    "database", "open_database", "close_database", "session", "write", "read", "transaction",
    "is_sqlite", "default_url", "DatabaseError", "SchemaTooNew",
]
