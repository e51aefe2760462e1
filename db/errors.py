"""Errors and the default location of the database, without peewee.

The CLI and the TUI need these before anything touches the database; keeping
them here lets a process paint its first screen before peewee is imported.
"""
from __future__ import annotations

import os
from pathlib import Path


class DatabaseError(Exception):
    """A database could not be opened or used; the message is for users."""


class SchemaTooNew(DatabaseError):
    pass


def default_url() -> str:
    """``PINGYI_DB``, else ``pingyi.db`` in the user data directory."""
    env = os.environ.get("PINGYI_DB")
    if env:
        return env
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("pingyi", appauthor=False)) / "pingyi.db")
