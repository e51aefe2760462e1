"""Several kiosk processes writing one SQLite file at once (DESIGN §11): every
ballot lands exactly once and "database is locked" never reaches a user."""
from __future__ import annotations

import multiprocessing
import random

import pytest

from tests.test_kiosk import make_room
from tests.ui_support import ui_admin  # noqa: F401

WORKERS = 4
PER_WORKER = 250


def submit_many(db_url: str, room_id: str, codes: list[str], seed: int) -> tuple[int, list[str]]:
    """A kiosk-equivalent process: the same service call the kiosk makes, once per code."""
    from pingyi.db.connection import open_database

    from pingyi.voting import ballots

    open_database(db_url, migrate=False)
    rnd = random.Random(seed)
    done, errors = 0, []
    for code in codes:
        entries = {p: (None if rnd.random() < 0.1 else [str(rnd.randint(20, 50)), rnd.choice(["好", "差", "40.5"])])
                   for p in ("A01", "A02", "A03", "A04")}
        try:
            ballots.submit(room_id, code, entries)
            done += 1
        except Exception as exc:  # noqa: BLE001 - the test counts every failure
            errors.append(f"{exc.__class__.__name__}: {exc}")
    return done, errors


def test_four_processes_submit_1000_ballots(ui_admin, sqlite_db, tmp_path):
    from pingyi.db import models as m
    from pingyi.db.connection import close_database

    from pingyi.voting import rooms

    room_id, codes = make_room(ui_admin, tmp_path, "MP", quotas={"masses": 600, "npc": 400})
    all_codes = codes["masses"] + codes["npc"]
    assert len(all_codes) == WORKERS * PER_WORKER
    random.Random(7).shuffle(all_codes)
    chunks = [all_codes[i::WORKERS] for i in range(WORKERS)]
    close_database()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WORKERS) as pool:
        pending = pool.starmap_async(submit_many, [(sqlite_db, room_id, chunk, n) for n, chunk in enumerate(chunks)])
        results = pending.get(timeout=180)  # a dead worker must fail the test, not hang it
    errors = [e for _, errs in results for e in errs]
    assert errors == []
    assert [done for done, _ in results] == [PER_WORKER] * WORKERS

    from pingyi.db.connection import open_database

    open_database(sqlite_db)
    assert m.Ballot.select().where(m.Ballot.room == room_id).count() == 1000
    assert m.Entry.select().join(m.Ballot).where(m.Ballot.room == room_id).count() == 4000
    assert rooms.code_counts(room_id) == {"masses": {"unused": 0, "used": 600, "void": 0},
                                          "npc": {"unused": 0, "used": 400, "void": 0}}
    turnout = rooms.turnout(room_id)
    assert turnout.groups == {"masses": (600, 600), "npc": (400, 400)}
    # A code cannot be used twice, even after the rush.
    from pingyi.voting.ballots import CodeRefused, submit

    with pytest.raises(CodeRefused):
        submit(room_id, all_codes[0], {"A01": None})
