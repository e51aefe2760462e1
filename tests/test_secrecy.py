"""Ballot secrecy at the storage layer (DESIGN §6, issue 9): after close nothing on
disk links a ballot to its code or its place in the order of casting.

Ballots are cast in a known order; A01's 评绩 value on ballot i is i, so the
stored rows tell their casting index. Ids and shuffles use a seeded generator,
so every statistic below is a fixed number, not a chance."""
from __future__ import annotations

import random
import sqlite3
import struct
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from pingyi.db import models as m
from pingyi.db.connection import database, is_sqlite, session

from pingyi.voting import ballots, rooms
from tests.helpers import open_room, setup_scheme

N = 48
SEED = 20261126


def spearman(order: list[int]) -> Fraction:
    """Rank correlation of stored position against casting index (a permutation of 0..n-1)."""
    n = len(order)
    d2 = sum((pos - idx) ** 2 for pos, idx in enumerate(order))
    return 1 - Fraction(6 * d2, n * (n * n - 1))


@pytest.fixture
def cast(admin: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    """An open room with N kiosk ballots cast in order; yields (room, the code hashes)."""
    monkeypatch.setattr(ballots, "_random", random.Random(SEED))
    scheme = setup_scheme(admin, tmp_path)
    rid = open_room(admin, scheme, "SEC", quotas={"masses": N})
    issued = rooms.issue_codes(admin, rid)
    with session():
        hashes = [c.hash for c in m.BallotCode.select().where(m.BallotCode.room == rid)]
    for i, (_, code) in enumerate(issued):
        ballots.submit(rid, code, {"A01": [str(i), "0"], "A02": ["", ""]})
    yield rid, hashes


def _stored_order(rid: str, table: str) -> list[int]:
    """Casting indexes of the room's ballots in physical order (rowid on SQLite, ctid on PostgreSQL)."""
    p = database.param
    keys = {("ballot", True): "b.rowid", ("ballot", False): "b.ctid",
            ("entry", True): "e.ballot_id",  # WITHOUT ROWID: stored in key order
            ("entry", False): "e.ctid"}
    key = keys[(table, is_sqlite())]
    with session():
        rows = database.execute_sql(
            f"SELECT e.total FROM ballot b JOIN entry e ON e.ballot_id = b.id "
            f"WHERE b.room_id = {p} AND e.person = (SELECT id FROM person WHERE code = 'A01') ORDER BY {key}",
            (rid,)).fetchall()
    return [t // 10 for (t,) in rows]


def test_closed_room_storage_order_is_not_the_casting_order(cast: tuple[str, list[str]], admin: Any) -> None:
    rid, _ = cast
    if not is_sqlite():  # what the close has to undo: heap order is the casting order
        assert spearman(_stored_order(rid, "ballot")) == 1
    rooms.close_room(admin, rid)
    for table in ("ballot", "entry"):
        order = _stored_order(rid, table)
        assert sorted(order) == list(range(N))
        assert abs(spearman(order)) < Fraction(3, 10), table


def test_closed_room_shares_no_transaction_id_with_codes(cast: tuple[str, list[str]], admin: Any) -> None:
    rid, _ = cast
    join = ("SELECT COUNT(*) FROM ballot b JOIN ballot_code c ON b.xmin = c.xmin "
            f"WHERE b.room_id = {database.param}")
    if not is_sqlite():
        with session():
            assert database.execute_sql(join, (rid,)).fetchone()[0] == N  # every ballot pairs with its code
    rooms.close_room(admin, rid)
    with session():
        assert not m.BallotCode.select().where(m.BallotCode.room == rid).exists()  # hashes gone
        assert rooms.code_counts(rid) == {"masses": {"unused": 0, "used": N, "void": 0}}  # counts kept
        if not is_sqlite():
            assert database.execute_sql(join, (rid,)).fetchone()[0] == 0
            xmins = {x for (x,) in database.execute_sql(
                f"SELECT DISTINCT xmin::text FROM ballot WHERE room_id = {database.param}", (rid,)).fetchall()}
            assert len(xmins) == 1  # one transaction wrote them all: the one that closed the room


def test_restore_keeps_every_ballot_and_the_tally(cast: tuple[str, list[str]], admin: Any) -> None:
    from pingyi.voting import tally

    rid, _ = cast
    before = tally.provisional(admin, rid).to_json()
    with session():
        old_ids = {b.id for b in m.Ballot.select().where(m.Ballot.room == rid)}
    rooms.close_room(admin, rid)
    after = tally.get_tally(rid).to_json()
    assert after["ballots"] == before["ballots"] and after["results"] == before["results"]
    with session():
        new_ids = {b.id for b in m.Ballot.select().where(m.Ballot.room == rid)}
        assert len(new_ids) == N and not new_ids & old_ids  # fresh ids: an old copy's ids lead nowhere
        assert m.Entry.select().join(m.Ballot).where(m.Ballot.room == rid).count() == 2 * N


# ---- SQLite: the files themselves -------------------------------------------------


def wal_commits(path: Path) -> int:
    """Replay the -wal file: how many commits does it still hold (frames with the live salts)?"""
    if not path.exists() or path.stat().st_size < 32:
        return 0
    data = path.read_bytes()
    page_size = struct.unpack(">I", data[8:12])[0]
    salts = data[16:24]
    commits, off = 0, 32
    while off + 24 + page_size <= len(data):
        header = data[off:off + 24]
        if header[8:16] != salts:
            break
        if struct.unpack(">I", header[4:8])[0]:
            commits += 1
        off += 24 + page_size
    return commits


@pytest.fixture
def reader(sqlite_url: str) -> Iterator[sqlite3.Connection]:
    """Another terminal's connection, open throughout: the database is never the last one closed."""
    con = sqlite3.connect(sqlite_url)
    yield con
    con.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_files_hold_no_code_hash_and_no_wal_after_close(
        db_url: str, reader: sqlite3.Connection, cast: tuple[str, list[str]], admin: Any) -> None:
    rid, hashes = cast
    db, wal = Path(db_url), Path(db_url + "-wal")
    reader.execute("SELECT COUNT(*) FROM room").fetchall()
    assert all(h.encode() in db.read_bytes() + (wal.read_bytes() if wal.exists() else b"") for h in hashes)
    rooms.close_room(admin, rid)
    blob = db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert not [h for h in hashes if h.encode() in blob or bytes.fromhex(h) in blob]
    assert not [h for h in hashes if h[:16].encode() in blob]  # not even a fragment in a free page
    assert wal_commits(wal) == 0 and (not wal.exists() or wal.stat().st_size == 0)
    with session():
        assert database.execute_sql("PRAGMA freelist_count").fetchone()[0] == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_wal_of_an_open_room_holds_only_the_newest_commits(
        db_url: str, admin: Any, tmp_path: Path, reader: sqlite3.Connection) -> None:
    scheme = setup_scheme(admin, tmp_path)
    rid = open_room(admin, scheme, "OPEN", quotas={"masses": 30})
    reader.execute("SELECT COUNT(*) FROM room").fetchall()  # keeps the WAL from being removed on close
    for i, (_, code) in enumerate(rooms.issue_codes(admin, rid)):
        ballots.submit(rid, code, {"A01": [str(i), "0"]})
    # Replaying the WAL commit by commit would pair codes with ballots: only the last ballot is in it.
    assert wal_commits(Path(db_url + "-wal")) <= 2


# ---- PostgreSQL: the heap and index pages ------------------------------------------


def _pg_pages(relation: str) -> bytes:
    """Every raw page of ``relation`` (pageinspect): dead tuples and free space included."""
    with session():
        n = database.execute_sql(f"SELECT pg_relation_size('{relation}') / 8192").fetchone()[0]
        return b"".join(bytes(database.execute_sql(
            f"SELECT public.get_raw_page('{relation}', {i})").fetchone()[0]) for i in range(n))


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.pg)], indirect=True)
def test_postgres_pages_hold_no_code_hash_after_close(db_url: str, cast: tuple[str, list[str]], admin: Any) -> None:
    rid, hashes = cast
    try:
        with session():
            database.execute_sql("CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public")
    except Exception as exc:  # pragma: no cover - depends on the server's rights and packages
        pytest.skip(f"pageinspect unavailable: {exc}")
    relations = ["ballot_code", "ballot_code_pkey"]
    before = b"".join(_pg_pages(r) for r in relations)
    assert all(h.encode() in before for h in hashes)
    rooms.close_room(admin, rid)
    after = b"".join(_pg_pages(r) for r in relations)
    assert not [h for h in hashes if h[:16].encode() in after]  # not even as a dead tuple
