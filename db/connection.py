"""The deferred database and how it is opened from a URL.

A path or ``sqlite:///path`` gives SQLite (WAL, foreign keys, busy timeout);
``postgresql://…`` gives PostgreSQL through psycopg2. One connection per
thread (peewee's default); callers scope it with :func:`session` and write
with :func:`write`, which starts SQLite transactions ``IMMEDIATE`` so that
concurrent writers queue on the busy timeout instead of failing.
"""
from __future__ import annotations

import contextlib
import functools
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import parse_qs, unquote, urlparse

import peewee
from pingyi.db.errors import DatabaseError, SchemaTooNew, default_url

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

database = peewee.DatabaseProxy()

P = ParamSpec("P")
R = TypeVar("R")

BUSY_TIMEOUT_MS = 30_000
WAL_LIMIT_BYTES = 0


def _sqlite(path: str) -> peewee.SqliteDatabase:
    if path != ":memory:":
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return peewee.SqliteDatabase(
        str(Path(path).expanduser()) if path != ":memory:" else path,
        pragmas={
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": BUSY_TIMEOUT_MS,
            "synchronous": "normal",
            "cache_size": -32_000,
            # Deleted and overwritten content is zeroed, not left in free space (DESIGN §6).
            "secure_delete": 1,
            # A reset WAL shrinks back to this size, so old frames do not linger in it.
            "journal_size_limit": WAL_LIMIT_BYTES,
        },
        timeout=BUSY_TIMEOUT_MS / 1000,
    )


def _postgres(url: str) -> peewee.PostgresqlDatabase:
    u = urlparse(url)
    opts = {k: v[-1] for k, v in parse_qs(u.query).items()}
    kwargs: dict[str, Any] = dict(
        host=u.hostname or None,
        port=u.port or None,
        user=unquote(u.username) if u.username else None,
        password=unquote(u.password) if u.password else None,
    )
    if "schema" in opts:  # a private schema, used by the tests
        kwargs["options"] = f"-c search_path={opts.pop('schema')}"
    kwargs.update(opts)
    return peewee.PostgresqlDatabase(
        (u.path or "/").lstrip("/") or "postgres",
        **{k: v for k, v in kwargs.items() if v is not None},
    )


def make_database(url: str) -> peewee.Database:
    if url.startswith(("postgresql://", "postgres://")):
        return _postgres(url)
    if url.startswith("sqlite:///"):
        return _sqlite(url[len("sqlite:///"):])
    if "://" in url:
        raise DatabaseError(f"不支持的数据库地址：{url}（可用文件路径、sqlite:///路径 或 postgresql://…）")
    return _sqlite(url)


def open_database(url: str, *, migrate: bool = True) -> peewee.Database:
    """Point the proxy at ``url`` and bring its schema up to date."""
    close_database()
    db = make_database(url)
    database.initialize(db)
    if migrate:
        from pingyi.db.migrations import upgrade

        try:
            with session():
                upgrade()
        except peewee.DatabaseError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            if "not a database" in first:
                first = "这个文件不是 SQLite 数据库"
            raise DatabaseError(f"无法打开数据库 {url}：{first}") from exc
    return db


def close_database() -> None:
    close_kept()
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()


# ---- one kept connection per process, for the hot write path (ballot submit) ----

# SQLite's own busy handler is off on the kept connection: its first sleep is a whole 1 ms (then 2, 5,
# 10 … ms), so a writer finding the lock taken waited about 1 ms even when the holder let go 0.1 ms
# later, and on a quiet machine that sleep was the median ballot's largest cost (docs/performance.md).
# kept_write polls instead, with a short random pause that doubles from KEPT_FIRST_PAUSE_S. The cap
# bounds the tail: at 25 ms a writer could keep losing the lock to quicker pollers (8 writers: p99 up to
# 1.8× the plain-sqlite3 floor, max 250 ms); at 5 ms the polling itself raised the median (2.6×).
KEPT_BUSY_MS = 0
KEPT_FIRST_PAUSE_S = 0.0002
KEPT_MAX_PAUSE_S = 0.012

_kept: tuple[peewee.Database, int, Any, threading.Lock] | None = None


def kept_connection() -> tuple[Any, threading.Lock]:
    """A plain DB-API connection to the open database, kept for the life of the process.

    Kiosk and web processes submit ballots from short-lived worker threads;
    peewee's per-thread connection would be opened and closed (and on SQLite
    checkpointed) every time. This one is shared by the process's threads
    under the returned lock and reopened only when the database changes or
    the process forks. On SQLite it has the same pragmas as peewee's
    connections but no busy wait of SQLite's own: callers retry in Python
    (:func:`kept_write`).
    """
    global _kept
    db = database.obj
    if db is None:
        raise DatabaseError("数据库尚未打开。")
    pid = os.getpid()
    if _kept is not None and _kept[0] is db and _kept[1] == pid:
        return _kept[2], _kept[3]
    close_kept()
    if isinstance(db, peewee.SqliteDatabase):
        import sqlite3

        conn: Any = sqlite3.connect(db.database, isolation_level=None, check_same_thread=False,
                                    timeout=BUSY_TIMEOUT_MS / 1000)  # the pragmas may wait
        for key, value in db._pragmas:  # type: ignore[attr-defined]  # the pragmas it was opened with
            if key != "busy_timeout":
                conn.execute(f"PRAGMA {key} = {value}")
        conn.execute(f"PRAGMA busy_timeout = {KEPT_BUSY_MS}")
    else:
        import psycopg2

        conn = psycopg2.connect(database=db.database, **db.connect_params)
    _kept = (db, pid, conn, threading.Lock())
    return conn, _kept[3]


def close_kept() -> None:
    """Close the kept connection (if this process opened one)."""
    global _kept
    if _kept is not None:
        db, pid, conn, lock = _kept
        _kept = None
        if pid == os.getpid():
            with lock, contextlib.suppress(Exception):
                conn.close()


def kept_checkpoint() -> None:
    """SQLite: a passive WAL checkpoint on the kept connection (see :func:`checkpoint`)."""
    conn, lock = kept_connection()
    if not hasattr(conn, "autocommit"):
        with lock:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def kept_write(work: Callable[[Any], R], *, deadline_s: float = 30.0) -> R:
    """Run ``work(cursor)`` in one write transaction on the kept connection; returns its result.

    SQLite: ``BEGIN IMMEDIATE`` takes the write lock before anything is read.
    A lock held by another process fails at once (``KEPT_BUSY_MS`` = 0);
    the transaction is retried after a short random pause, up to
    ``KEPT_FIRST_PAUSE_S`` at first and doubling with each attempt (capped at
    ``KEPT_MAX_PAUSE_S``), instead of SQLite's own busy handler, which sleeps
    1, 2, 5 … up to 100 ms a step. PostgreSQL: a plain transaction; a
    serialization failure or deadlock is retried the same way. Any other
    error rolls back and propagates.
    """
    conn, lock = kept_connection()
    sqlite = not hasattr(conn, "autocommit")
    end = time.monotonic() + deadline_s
    pause = KEPT_FIRST_PAUSE_S
    while True:
        with lock:
            cur = conn.cursor()
            try:
                if sqlite:
                    cur.execute("BEGIN IMMEDIATE")
                result = work(cur)
                if sqlite:
                    cur.execute("COMMIT")
                else:
                    conn.commit()
                return result
            except Exception as exc:
                if sqlite:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                else:
                    conn.rollback()
                if not _locked(exc) or time.monotonic() > end:
                    raise
            finally:
                cur.close()
        time.sleep(random.uniform(0, pause))
        pause = min(pause * 2, KEPT_MAX_PAUSE_S)


def is_sqlite() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


def checkpoint() -> None:
    """SQLite: copy the WAL into the database file without waiting on anyone.

    Called after a ballot lands so the next write restarts the WAL (and
    ``journal_size_limit`` cuts it back): the WAL then holds the newest
    commits only, not the whole order of casting. No-op on PostgreSQL.
    """
    if is_sqlite() and not database.in_transaction():
        database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")


def compact(tables: list[str]) -> None:
    """Rewrite storage so that deleted rows, old row versions and physical order are gone.

    SQLite: a truncating checkpoint, ``VACUUM`` (with ``secure_delete`` on)
    and a second truncating checkpoint, leaving an empty ``-wal``.
    PostgreSQL: ``VACUUM FULL`` of ``tables`` (outside a transaction; peewee
    runs psycopg2 in autocommit). Must not be called inside a transaction.
    """
    with session():
        if database.in_transaction():
            raise RuntimeError("compact() inside a transaction")
        if is_sqlite():
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            database.execute_sql("VACUUM")
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            _await_pg_horizon()
            database.execute_sql("VACUUM FULL " + ", ".join(tables))


PG_HORIZON_WAIT_S = 30.0


def _await_pg_horizon() -> None:
    """Wait (bounded) until no other session of this database can still see what was just deleted.

    ``VACUUM FULL`` copies a deleted row into the new table file if any open
    snapshot may still see it; such snapshots belong to transactions that
    began before ours committed. Kiosk transactions last milliseconds, so
    this returns at once unless someone holds a long transaction open.
    """
    mark = database.execute_sql("SELECT txid_current()").fetchone()[0] % 2**32
    older = ("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
             "AND pid <> pg_backend_pid() AND ("
             "(backend_xmin IS NOT NULL AND age(backend_xmin) > age(%s::text::xid)) OR "
             "(backend_xid IS NOT NULL AND age(backend_xid) > age(%s::text::xid)))")
    end = time.monotonic() + PG_HORIZON_WAIT_S
    while database.execute_sql(older, (str(mark), str(mark))).fetchone()[0] and time.monotonic() < end:
        time.sleep(0.05)


@contextlib.contextmanager
def session() -> Iterator[None]:
    """This thread's connection for the block; opened and closed only if needed."""
    opened = database.is_closed()
    if opened:
        database.connect()
    try:
        yield
    finally:
        if opened and not database.is_closed() and not database.in_transaction():
            database.close()


def _locked(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text or "could not serialize" in text or "deadlock" in text


RETRIES = 8


def write(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` in one write transaction, retrying a lock conflict.

    Used as a decorator (``@write``) on service functions. SQLite starts the
    transaction IMMEDIATE so reads inside it cannot be invalidated by another
    writer; a rare lock error past the busy timeout is retried with back-off.
    """
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if database.in_transaction():
            return fn(*args, **kwargs)
        with session():
            for attempt in range(RETRIES):
                try:
                    with transaction():
                        return fn(*args, **kwargs)
                except peewee.OperationalError as exc:
                    if not _locked(exc) or attempt == RETRIES - 1:
                        raise
                    time.sleep(0.02 * (2 ** attempt) * random.random())
        raise AssertionError("unreachable")  # the loop returns or raises

    return wrapper


def transaction() -> peewee._atomic:
    if is_sqlite():
        return database.atomic(lock_type="IMMEDIATE")
    return database.atomic()


def read(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator: run ``fn`` with this thread's connection open."""
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with session():
            return fn(*args, **kwargs)
    return wrapper
