"""Two terminals racing on one ballot code (DESIGN §6, §11): exactly one
ballot is stored and the loser is told 「已经投过票」 — never that the code was
void or unknown — on SQLite and on PostgreSQL, where the code's state is
read again after the conditional update touched no row."""
from __future__ import annotations

import multiprocessing

from tests.conftest import make_admin
from tests.helpers import open_room, setup_scheme

RACES = 12


def racer(db_url: str, room_id: str, codes: list[str], barrier) -> list[tuple[str, str]]:
    """One kiosk process: for each code, wait for the other, then submit at once."""
    from pingyi.db.connection import open_database

    from pingyi.voting import ballots

    open_database(db_url, migrate=False)
    ballots.submit  # noqa: B018 - imported before the race, not during it
    out = []
    for code in codes:
        barrier.wait(timeout=60)
        try:
            ballots.submit(room_id, code, {"A01": ["40", "40"]})
            out.append(("ok", ""))
        except ballots.CodeRefused as exc:
            out.append((exc.reason, exc.message))
    return out


def test_the_loser_of_a_code_race_hears_already_voted(db):
    from pingyi.db import models as m
    from pingyi.db.connection import close_database, open_database

    from pingyi.voting import rooms

    admin = make_admin()
    import tempfile
    from pathlib import Path

    setup_scheme(admin, Path(tempfile.mkdtemp()))
    open_room(admin, "测试方案", "RACE", quotas={"masses": RACES, "npc": 1})
    codes = [c for g, c in rooms.issue_codes(admin, "RACE") if g == "masses"]
    close_database()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(2)
        with ctx.Pool(2) as pool:
            pending = [pool.apply_async(racer, (db, "RACE", codes, barrier)) for _ in range(2)]
            a, b = (p.get(timeout=240) for p in pending)
    open_database(db)
    for n, (x, y) in enumerate(zip(a, b, strict=True)):
        outcome = sorted([x, y])
        assert outcome[0][0] == "ok" and outcome[1][0] == "used", (n, outcome)
        assert "已经投过票" in outcome[1][1]
    assert m.Ballot.select().where(m.Ballot.room == "RACE").count() == RACES
