"""Persistence: peewee models behind a deferred database, opened from a URL.

Nothing here imports Textual or the domain; services in ``pingyi`` call in.
Names load on first use (PEP 562) so that ``pingyi.db.errors`` can be imported
without peewee.
"""
from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "DatabaseError",
    "SchemaTooNew",
    "close_database",
    "database",
    "default_url",
    "is_sqlite",
    "open_database",
    "read",
    "session",
    "transaction",
    "write",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("pingyi.db.connection"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
