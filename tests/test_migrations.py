"""Frozen migrations: a database built step by step from the written-out DDL
has exactly the schema the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from pingyi.db import migrations
from pingyi.db import models as m
from pingyi.db.connection import close_database, database, is_sqlite, open_database

from tests.conftest import _PG_SKIP, _drop_schema, _pg_schema_url

ALL_MODELS = [*m.CORE_MODELS, *m.DESK_MODELS]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def two_urls(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[tuple[str, str]]:
    """Two empty databases of one backend: one for the migrations, one for the models."""
    if request.param == "sqlite":
        yield str(tmp_path / "migrated.db"), str(tmp_path / "modelled.db")
        return
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    (a, sa), (b, sb) = _pg_schema_url(), _pg_schema_url()
    try:
        yield a, b
    finally:
        close_database()
        _drop_schema(sa)
        _drop_schema(sb)


def _type(data_type: str) -> str:
    t = data_type.upper()
    return {"CHARACTER VARYING": "VARCHAR", "SERIAL": "INTEGER"}.get(t, t)


def _schema() -> dict[str, Any]:
    """Tables with their columns (type, nullability, primary key), indexes and foreign keys."""
    out: dict[str, Any] = {}
    for table in sorted(t for t in database.get_tables() if not t.startswith("sqlite_")):
        cols = {c.name: (_type(c.data_type), c.null, c.primary_key) for c in database.get_columns(table)}
        idx = sorted((i.name, tuple(i.columns), i.unique) for i in database.get_indexes(table)
                     if not i.name.startswith(("sqlite_autoindex", f"{table}_pkey")))
        fks = sorted((f.column, f.dest_table, f.dest_column) for f in database.get_foreign_keys(table))
        extra = ""
        if is_sqlite():
            sql = database.execute_sql("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            extra = "WITHOUT ROWID" if "WITHOUT ROWID" in sql.upper() else ""
        out[table] = {"columns": cols, "pk": database.get_primary_keys(table), "indexes": idx, "fks": fks,
                      "extra": extra}
    return out


def test_migrations_build_the_schema_of_the_models(two_urls: tuple[str, str]) -> None:
    migrated_url, modelled_url = two_urls
    open_database(migrated_url)
    assert migrations.current_version() == migrations.LATEST
    migrated = _schema()
    close_database()

    open_database(modelled_url, migrate=False)
    saved = m.Entry._meta.without_rowid
    m.Entry._meta.without_rowid = is_sqlite()  # a SQLite-only clause
    try:
        database.create_tables(ALL_MODELS)
    finally:
        m.Entry._meta.without_rowid = saved
    modelled = _schema()
    close_database()

    assert set(migrated) == set(modelled), "tables"
    for table in modelled:
        assert migrated[table] == modelled[table], f"table {table}: migrations and models differ"


def test_no_migration_is_built_from_live_models() -> None:
    """Migrations write their DDL out; the models move on and must not change old steps."""
    source = inspect.getsource(migrations)
    code = source.split('"""', 2)[2]  # past the module docstring, which states the rule
    assert "create_tables" not in code and "_schema" not in code and "create_table(" not in code
