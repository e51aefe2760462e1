"""Persistence: peewee models behind a deferred database, opened from a URL.

Nothing here imports Textual or the domain; services in ``pingyi`` call in.
"""
from pingyi.db.connection import (
    DatabaseError,
    SchemaTooNew,
    close_database,
    database,
    default_url,
    is_sqlite,
    open_database,
    read,
    session,
    transaction,
    write,
)

__all__ = [
    "database", "open_database", "close_database", "session", "write", "read", "transaction",
    "is_sqlite", "default_url", "DatabaseError", "SchemaTooNew",
]
