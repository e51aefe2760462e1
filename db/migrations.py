"""Numbered schema migrations, recorded in the ``meta`` table.

Each migration runs once, in order, in one transaction. A database whose
version is newer than the code knows is refused rather than touched.
Rule for new work: a migration creates the tables it introduces and alters
existing ones with ``playhouse.migrate``; earlier migrations never change.
"""
from __future__ import annotations

from pingyi.db import models as m
from pingyi.db.connection import SchemaTooNew, database, is_sqlite, transaction


def _m1_core():
    m.Entry._meta.without_rowid = is_sqlite()  # a SQLite-only clause
    database.create_tables(m.CORE_MODELS)
    m.Meta.insert(key="audit_head", value="0" * 64).on_conflict_ignore().execute()


def _m2_desk():
    """Warnings desk: policy versions, ledger, warnings and their numbering, integrity, talks."""
    database.create_tables(m.DESK_MODELS)


MIGRATIONS = [
    (1, _m1_core),
    (2, _m2_desk),
]

LATEST = MIGRATIONS[-1][0]


def current_version() -> int:
    if not database.table_exists("meta"):
        return 0
    row = m.Meta.get_or_none(m.Meta.key == "schema_version")
    return int(row.value) if row else 0


def upgrade(target: int | None = None) -> int:
    """Apply the missing migrations; return the resulting version."""
    target = LATEST if target is None else target
    version = current_version()  # a plain read: an up-to-date database takes no write lock
    if LATEST >= version >= target:
        return version
    with transaction():
        version = current_version()
        if version > LATEST:
            raise SchemaTooNew(
                f"数据库结构版本为 {version}，高于本程序支持的 {LATEST}：请升级 pingyi 后再打开。"
            )
        for number, step in MIGRATIONS:
            if version < number <= target:
                step()
                m.Meta.insert(key="schema_version", value=str(number)).on_conflict(
                    conflict_target=[m.Meta.key], update={m.Meta.value: str(number)}
                ).execute()
                version = number
    return version
