"""Online backup of the SQLite database (consistent while kiosks write)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from pingyi.common.errors import PingyiError
from pingyi.db.connection import database, is_sqlite, session
from pingyi.people.accounts import Actor


def backup(path: Path) -> None:
    if not is_sqlite():
        raise PingyiError("PostgreSQL 数据库请用 pg_dump 备份。")
    with session():
        target = sqlite3.connect(str(path))
        try:
            database.connection().backup(target)
        finally:
            target.close()


def backup_to(actor: Actor, path: str | Path) -> Path:
    """An admin's backup to a new file: never overwrites (the CLI and the TUI alike)."""
    from pingyi.common.errors import InputError
    from pingyi.people.accounts import require

    require(actor, "admin")
    p = Path(path).expanduser()
    if not p.parent.is_dir():
        raise InputError(f"目录不存在：{p.parent}")
    if p.exists():
        raise InputError(f"文件已存在：{p}（为免覆盖，请换一个文件名）")
    backup(p)
    return p
