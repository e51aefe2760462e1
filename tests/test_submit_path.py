"""The kiosk submit path (issue 14): one kept connection per process, the
room's frozen data prepared once and dropped when the room's state changes,
lock waits retried in Python."""
from __future__ import annotations

import threading

import pytest
from pingyi.db import connection

from pingyi.common.errors import PingyiError
from pingyi.voting import ballots, rooms
from tests.test_kiosk import make_room

ENTRIES = {"A01": ["40", "好"], "A02": None, "A03": ["35.5", "30"], "A04": ["50", "50"]}


@pytest.fixture
def room(admin, tmp_path):
    return make_room(admin, tmp_path, "S1", quotas={"masses": 4, "npc": 2})


def _used(room_id: str) -> int:
    return sum(c["used"] for c in rooms.code_counts(room_id).values())


def test_one_kept_connection_serves_every_submit_from_any_thread(db, room, monkeypatch):
    room_id, codes = room
    ballots.submit(room_id, codes["masses"][0], ENTRIES)
    kept = connection.kept_connection()[0]
    opened: list[object] = []
    real = type(connection.database.obj)._connect
    monkeypatch.setattr(type(connection.database.obj), "_connect", lambda self: opened.append(self) or real(self))
    results: list[str] = []
    threads = [threading.Thread(target=lambda c=c: results.append(ballots.submit(room_id, c, ENTRIES)))
               for c in codes["masses"][1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["valid"] * 3
    assert opened == []  # no per-thread connection was opened for a submit
    assert connection.kept_connection()[0] is kept
    assert rooms.turnout(room_id).cast == 4 and _used(room_id) == 4


def test_reopening_the_database_replaces_the_kept_connection(db, room):
    room_id, codes = room
    ballots.submit(room_id, codes["masses"][0], ENTRIES)
    kept = connection.kept_connection()[0]
    connection.open_database(db, migrate=False)
    ballots.submit(room_id, codes["masses"][1], ENTRIES)
    assert connection.kept_connection()[0] is not kept
    assert rooms.turnout(room_id).cast == 2


def test_prepared_room_is_dropped_when_the_room_closes(db, admin, room):
    room_id, codes = room
    ballots.submit(room_id, codes["masses"][0], ENTRIES)
    assert room_id in ballots._rooms
    rooms.close_room(admin, room_id)
    with pytest.raises(PingyiError, match="已结束"):
        ballots.submit(room_id, codes["masses"][1], ENTRIES)
    assert room_id not in ballots._rooms
    assert rooms.turnout(room_id).cast == 1


def test_room_closed_by_another_process_refuses_and_stores_nothing(db, room):
    """The prepared data is stale; the transaction finds the room no longer open."""
    room_id, codes = room
    ballots.submit(room_id, codes["masses"][0], ENTRIES)
    with connection.session():
        connection.database.execute_sql(
            f"UPDATE room SET status = 'closed' WHERE id = {connection.database.param}", (room_id,))
    with pytest.raises(PingyiError, match="已结束"):
        ballots.submit(room_id, codes["masses"][1], ENTRIES)
    assert rooms.turnout(room_id).cast == 1 and _used(room_id) == 1


def test_refusals_leave_the_code_unused_and_store_nothing(db, room):
    room_id, codes = room
    with pytest.raises(PingyiError):
        ballots.submit(room_id, codes["npc"][0], {**ENTRIES, "A01": ["51", "40"]})
    with pytest.raises(ballots.CodeRefused) as exc:
        ballots.submit(room_id, "23456-78923", ENTRIES)
    assert exc.value.reason == "unknown"
    assert ballots.submit(room_id, codes["npc"][0], ENTRIES) == "valid"
    with pytest.raises(ballots.CodeRefused) as exc:
        ballots.submit(room_id, codes["npc"][0], ENTRIES)
    assert exc.value.reason == "used"
    assert rooms.turnout(room_id).cast == 1 and _used(room_id) == 1


def test_a_held_write_lock_is_waited_out_in_python(sqlite_db, tmp_path, monkeypatch):
    """Another writer holds the lock: submit backs off (jittered pauses) and lands once it is free."""
    import sqlite3

    from tests.conftest import make_admin

    room_id, codes = make_room(make_admin(), tmp_path, "S2")
    ballots.submit(room_id, codes["masses"][0], ENTRIES)  # prepared, connection kept
    other = sqlite3.connect(sqlite_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    pauses: list[float] = []

    def pause(seconds: float) -> None:  # instead of sleeping: note it, and free the lock on the third
        pauses.append(seconds)
        if len(pauses) == 3:
            other.execute("COMMIT")

    monkeypatch.setattr(connection.time, "sleep", pause)
    assert ballots.submit(room_id, codes["masses"][1], ENTRIES) == "valid"
    assert len(pauses) == 3 and all(0 <= p <= 0.025 for p in pauses)
    assert rooms.turnout(room_id).cast == 2
    other.close()


def test_repeated_cells_are_judged_the_same_every_time(db, room):
    """The prepared room keeps each cell tuple's verdict; a kept verdict must read as the first did."""
    room_id, codes = room
    bad = {**ENTRIES, "A01": ["51", "40"], "A03": ["35.5"], "A04": [["40"], {"x": 1}]}
    refusals = []
    for _ in range(2):
        with pytest.raises(PingyiError) as exc:
            ballots.submit(room_id, codes["npc"][0], bad)
        refusals.append(exc.value.errors)
    assert refusals[0] == refusals[1]
    assert refusals[0][0] == "人员 A01：指标「评绩」的分值 51 超出 0–50"
    assert refusals[0][1] == "人员 A03：应有 2 项指标"
    assert refusals[0][2].startswith("人员 A04：指标「评绩」的值「['40']」")
    assert len(refusals[0]) == 4   # A04's second cell is refused too
    assert ballots.submit(room_id, codes["npc"][0], ENTRIES) == "valid"
    assert ballots.submit(room_id, codes["npc"][1], ENTRIES) == "valid"
    assert rooms.turnout(room_id).cast == 2 and _used(room_id) == 2


def test_a_non_text_cell_never_borrows_another_cells_verdict(db, room):
    """True == 1 and hash(True) == hash(1): a kept verdict for (1, 40) must not pass (True, 40)."""
    room_id, codes = room
    assert ballots.submit(room_id, codes["npc"][0], {**ENTRIES, "A01": [1, 40]}) == "valid"
    with pytest.raises(PingyiError) as exc:
        ballots.submit(room_id, codes["npc"][1], {**ENTRIES, "A01": [True, 40]})
    assert exc.value.errors[0].startswith("人员 A01：指标「评绩」的值「True」")
