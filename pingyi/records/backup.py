"""Online backup of the SQLite database (consistent while kiosks write)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from pingyi.common.errors import PingyiError
from pingyi.db.connection import database, is_sqlite, session


def backup(path: Path) -> None:
    if not is_sqlite():
        raise PingyiError("PostgreSQL 数据库请用 pg_dump 备份。")
    with session():
        target = sqlite3.connect(str(path))
        try:
            database.connection().backup(target)
        finally:
            target.close()
