"""Streaming ballot import (issue 14): chunks are inserted inside the one
transaction, yet any error anywhere stores nothing and every error is listed."""
from __future__ import annotations

import random

import pytest

from pingyi.common.errors import InputError
from pingyi.voting import ballots, rooms, tally
from tests.helpers import ROSTER, SCHEME, ballots_csv, open_room, write

PERSONS = ["A01", "A02", "A03", "A04"]


@pytest.fixture
def scheme(admin, tmp_path):
    from pingyi.people import roster
    from pingyi.voting import schemes

    roster.import_roster(admin, write(tmp_path, "roster.csv", ROSTER))
    text = SCHEME.format(name="流式方案", trim=1) + "max_excellent_ratio = 0.5\nexcellent_at = 90\n"
    return schemes.import_scheme(admin, write(tmp_path, "s.toml", text))


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(ballots, "IMPORT_CHUNK", 7)


def _rows(n: int, seed: int = 1) -> list[str]:
    """n ballots over the four persons: valid, invalid (too many excellent) and blank ones."""
    rnd = random.Random(seed)
    out = []
    for b in range(n):
        group = "masses" if b % 3 else "npc"
        kind = b % 5
        for p in PERSONS:
            if kind == 4:
                cells = ","  # blank ballot: every person abstains
            elif kind == 3:
                cells = "48,47"  # all excellent: invalid
            else:
                cells = f"{rnd.randint(20, 44)},{rnd.choice(['40', '35.5', '好', '差'])}"
            out.append(f"S{b:04d},{group},{p},{cells}")
    return out


def _stored(room_id: str) -> int:
    return rooms.turnout(room_id).cast


def test_error_on_the_last_line_of_a_long_file_stores_nothing(db, admin, scheme, tmp_path, small_chunks):
    room = open_room(admin, scheme, "L1")
    rows = _rows(150) + ["S9999,masses,Z99,40,40"]
    version = rooms.version(room)
    with pytest.raises(InputError) as exc:
        ballots.import_csv(admin, room, ballots_csv(tmp_path, rows))
    last = len(rows) + 1  # the header is line 1
    assert exc.value.errors == [f"第 {last} 行（选票 S9999，人员 Z99）：人员 Z99 不在本会场的测评名单中"]
    assert _stored(room) == 0 and rooms.version(room) == version
    # the same file without its last line goes in whole
    r = ballots.import_csv(admin, room, ballots_csv(tmp_path, rows[:-1], "good.csv"))
    assert (r.cast, r.valid, r.invalid, r.blank) == (150, 90, 30, 30)
    assert _stored(room) == 150


def test_every_error_is_listed_even_after_chunks_were_written(db, admin, scheme, tmp_path, small_chunks):
    room = open_room(admin, scheme, "L2")
    rows = _rows(40)
    rows[5] = "S0001,masses,A02,99,40"      # out of range, early
    rows[90] = "S0022,masses,A03,40"        # a column short, after several chunks
    rows.append("S0000,npc,A01,40,40")      # S0000 is rated again, and in another group
    with pytest.raises(InputError) as exc:
        ballots.import_csv(admin, room, ballots_csv(tmp_path, rows))
    lines = [e.split(" ")[1] for e in exc.value.errors]
    assert lines == ["7", "92", str(len(rows) + 1)], exc.value.errors
    assert _stored(room) == 0


def test_rows_of_one_ballot_may_be_scattered(db, admin, scheme, tmp_path, small_chunks):
    """The same ballots in file order and shuffled give the same counts and tally."""
    rows = _rows(60, seed=4)
    shuffled = rows[:]
    random.Random(9).shuffle(shuffled)
    a, b = open_room(admin, scheme, "O1"), open_room(admin, scheme, "O2")
    ra = ballots.import_csv(admin, a, ballots_csv(tmp_path, rows, "a.csv"))
    rb = ballots.import_csv(admin, b, ballots_csv(tmp_path, shuffled, "b.csv"))
    assert (ra.cast, ra.valid, ra.invalid, ra.blank) == (rb.cast, rb.valid, rb.invalid, rb.blank) == (60, 36, 12, 12)
    ta, tb = tally.provisional(admin, a), tally.provisional(admin, b)
    assert [(x.person, x.score, x.rank) for x in ta.results] == [(x.person, x.score, x.rank) for x in tb.results]


def test_gbk_found_late_is_read_again_from_the_start(db, admin, scheme, tmp_path, small_chunks):
    """UTF-8 decoding fails only after chunks were inserted: the savepoint drops them."""
    rows = _rows(30)
    late = [r.replace(",masses,", ",群众代表,") for r in rows[60:]]
    path = write(tmp_path, "gbk.csv", "ballot,group,person,perf,clean\n" + "\n".join(rows[:60] + late) + "\n",
                 encoding="gbk")
    room = open_room(admin, scheme, "G1")
    r = ballots.import_csv(admin, room, path)
    assert (r.cast, r.valid, r.invalid, r.blank) == (30, 18, 6, 6)
    assert _stored(room) == 30
