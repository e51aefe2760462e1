"""Shared fixtures: a fresh database per test (SQLite file, and PostgreSQL on a
private schema where a server answers), accounts, and the contract example."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
PG_URL = os.environ.get("PINGYI_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "test-pass-123"


def _pg_available() -> str | None:
    try:
        import psycopg2

        conn = psycopg2.connect(PG_URL, connect_timeout=2)
        conn.close()
        return None
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"no PostgreSQL server at {PG_URL}: {exc.__class__.__name__}"


_PG_SKIP = _pg_available()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test reads the developer's own database, account or fonts config."""
    for var in ("PINGYI_DB", "PINGYI_USER", "PINGYI_PASSWORD", "PINGYI_NEW_PASSWORD", "PINGYI_TODAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def _pg_schema_url() -> tuple[str, str]:
    import psycopg2

    schema = "t_" + secrets.token_hex(6)
    conn = psycopg2.connect(PG_URL)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE SCHEMA {schema}")
    conn.close()
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}schema={schema}", schema


def _drop_schema(schema: str) -> None:
    import psycopg2

    conn = psycopg2.connect(PG_URL)
    conn.autocommit = True
    conn.cursor().execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    conn.close()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return str(tmp_path / "pingyi.db")


@pytest.fixture
def pg_url():
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    url, schema = _pg_schema_url()
    yield url
    from pingyi.db.connection import close_database

    close_database()
    _drop_schema(schema)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request, tmp_path):
    """Each test using this runs on SQLite and, where a server answers, on PostgreSQL."""
    if request.param == "sqlite":
        yield str(tmp_path / "pingyi.db")
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture
def db(db_url):
    """An open, migrated database; closed after the test."""
    from pingyi.db.connection import close_database, open_database

    open_database(db_url)
    yield db_url
    close_database()


@pytest.fixture
def sqlite_db(sqlite_url):
    from pingyi.db.connection import close_database, open_database

    open_database(sqlite_url)
    yield sqlite_url
    close_database()


def make_admin():
    from pingyi.people import accounts

    return accounts.init_admin("admin", PASSWORD)


def load_contract_room(actor) -> str:
    """The worked example of DESIGN §5, imported and closed as room DEMO1."""
    from pingyi.people import roster
    from pingyi.voting import ballots, rooms, schemes

    roster.import_roster(actor, DATA / "roster.csv")
    schemes.import_scheme(actor, DATA / "scheme.toml")
    rooms.create_room(actor, "示例双定双评", "示例会场", "DEMO1", persons="all")
    rooms.open_room(actor, "DEMO1")
    ballots.import_csv(actor, "DEMO1", DATA / "ballots.csv")
    rooms.close_room(actor, "DEMO1")
    return "DEMO1"


@pytest.fixture
def admin(db):
    return make_admin()


@pytest.fixture
def contract_room(admin):
    return load_contract_room(admin)
