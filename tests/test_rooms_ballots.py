"""Rooms, ballot import, codes and secrecy, on SQLite and PostgreSQL."""
import pytest

from pingyi.common.errors import InputError, PingyiError
from pingyi.voting import ballots, rooms, tally
from tests.helpers import ballots_csv, open_room, setup_scheme


@pytest.fixture
def room(admin, tmp_path):
    scheme = setup_scheme(admin, tmp_path)
    return open_room(admin, scheme, "R1", quotas={"masses": 3, "npc": 2}, paper={"masses": 3, "npc": 2})


def test_import_and_provisional_tally(admin, room, tmp_path):
    r = ballots.import_csv(admin, room, ballots_csv(tmp_path, [
        "1,masses,A01,40,40", "1,masses,A02,好,差",
        "2,群众代表,A01,45,45", "2,群众代表,A02,,",
        "3,npc,A01,,", "3,npc,A02,,",
    ]))
    assert (r.cast, r.valid, r.invalid, r.blank) == (3, 2, 0, 1)
    t = tally.provisional(admin, room)
    assert t.provisional and t.status == "open"
    by = {x.person: x for x in t.results}
    assert str(by["A01"].score) == "85.00" and by["A01"].rank == 1
    assert str(by["A02"].score) == "75.00" and by["A02"].bottom
    assert by["A03"].score is None and by["A03"].rank is None


@pytest.mark.parametrize("rows, needle", [
    (["1,masses,A01,40,"], "部分填写"),
    (["1,masses,A01,51,40"], "指标「评绩」（列 perf）的分值 51 超出"),
    (["1,masses,A01,40.25,40"], "不合规"),
    (["1,masses,A01,很好,40"], "既不是分数也不是等次"),
    (["1,masses,Z99,40,40"], "不在本会场"),
    (["1,nobody,A01,40,40"], "未知代表类别"),
    (["1,masses,A01,40,40", "1,npc,A02,40,40"], "代表类别不一致（第 3 行为 群众代表）"),    # a name, not masses
    (["1,masses,A01,40,40", "1,masses,A01,30,30"], "重复评价同一人"),
    (["1,masses,A01,40,40,9"], "列"),
])
def test_bad_rows_store_nothing(admin, room, tmp_path, rows, needle):
    good = ["9,masses,A03,40,40"]
    with pytest.raises(InputError) as exc:
        ballots.import_csv(admin, room, ballots_csv(tmp_path, good + rows))
    assert any(needle in e for e in exc.value.errors), exc.value.errors
    assert all(e.startswith("第 ") for e in exc.value.errors)  # every error names its line
    assert rooms.turnout(room).cast == 0


def test_a_voters_refusal_names_the_indicator_not_its_key(admin, room):
    code = rooms.issue_codes(admin, room)[0][1]
    with pytest.raises(InputError) as exc:
        ballots.submit(room, code, {"A01": ["40", "很好"]})
    [error] = exc.value.errors
    assert error.startswith("人员 A01：指标「评廉」的值「很好」既不是分数也不是等次") and "clean" not in error


def test_duplicate_serial_across_imports(admin, room, tmp_path):
    ballots.import_csv(admin, room, ballots_csv(tmp_path, ["S1,masses,A01,40,40"]))
    with pytest.raises(InputError) as exc:
        ballots.import_csv(admin, room, ballots_csv(tmp_path, ["S1,masses,A02,40,40"], "b2.csv"))
    assert "已在本会场录入过" in exc.value.errors[0]


def test_closed_room_is_final(admin, room, tmp_path):
    rooms.close_room(admin, room)
    with pytest.raises(PingyiError, match="已结束"):
        ballots.import_csv(admin, room, ballots_csv(tmp_path, ["1,masses,A01,40,40"]))
    with pytest.raises(PingyiError):
        rooms.close_room(admin, room)
    with pytest.raises(PingyiError):
        rooms.set_quotas(admin, room, {"masses": 9})


def test_codes_single_use_and_void_on_reprint(admin, room):
    issued = rooms.issue_codes(admin, room)
    assert len(issued) == 5 and len({c for _, c in issued}) == 5
    group, code = issued[0]
    assert ballots.check_code(room, code.lower()) == group     # typed in lower case still works
    assert ballots.submit(room, code, {"A01": ["40", "40"]}) == "valid"
    with pytest.raises(ballots.CodeRefused) as exc:
        ballots.submit(room, code, {"A01": ["40", "40"]})
    assert exc.value.reason == "used"
    with pytest.raises(ballots.CodeRefused) as exc:
        ballots.submit(room, "ABCDE-FGHJK", {})
    assert exc.value.reason == "unknown"
    reissued = rooms.issue_codes(admin, room)   # reprint: old unused void, one code per remaining place
    assert len(reissued) == 4
    with pytest.raises(ballots.CodeRefused) as exc:
        ballots.submit(room, issued[1][1], {})
    assert exc.value.reason == "void"
    assert rooms.code_counts(room)[group]["used"] == 1


def test_failed_submit_leaves_code_unused(admin, room):
    group, code = rooms.issue_codes(admin, room)[0]
    with pytest.raises(InputError):
        ballots.submit(room, code, {"A01": ["40", ""]})
    assert ballots.check_code(room, code) == group


def test_ballots_hold_nothing_that_links_them(admin, room):
    from pingyi.db import models as m

    issued = rooms.issue_codes(admin, room)
    events_before = m.AuditEvent.select().count()
    for _, code in issued[:3]:
        ballots.submit(room, code, {"A01": ["40", "40"]})
    cols = set(m.Ballot._meta.columns) | set(m.Entry._meta.columns)
    assert cols == {"id", "room_id", "group", "status", "serial", "ballot_id", "person", "total", "vals"}
    ids = [b.id for b in m.Ballot.select()]
    assert len(set(ids)) == 3 and min(ids) > 1000  # random, not a counter
    assert m.AuditEvent.select().count() == events_before  # a vote leaves no trace in the log
    text = "".join(e.detail for e in m.AuditEvent.select())
    assert not any(code in text for _, code in issued)
    assert not any(code in (c.hash for c in m.BallotCode.select()) for _, code in issued)


def test_paper_double_entry(admin, room):
    from pingyi.people import accounts

    clerk = accounts.add_user(admin, "clerk", "organizer", "clerk-pass-1")
    e = {"A01": ["40", "40"], "A02": ["", ""]}
    assert ballots.paper_enter(admin, room, "P1", "A", "masses", e) == "waiting"
    with pytest.raises(PingyiError, match="不同的人"):
        ballots.paper_enter(admin, room, "P1", "B", "masses", e)
    assert ballots.paper_enter(clerk, room, "P1", "B", "masses", {"A01": ["40", "41"], "A02": ["", ""]}) == "mismatch"
    conflicts, waiting = ballots.paper_conflicts(room)
    assert [c.serial for c in conflicts] == ["P1"] and conflicts[0].differences == ["王伟：40/40 ≠ 40/41"]
    ballots.paper_enter(admin, room, "P2", "A", "masses", e)
    ballots.paper_enter(clerk, room, "P2", "B", "npc", e)
    assert ballots.paper_conflicts(room)[0][1].differences == ["代表类别：群众代表 ≠ 人大代表"]  # names, not keys
    ballots.paper_enter(clerk, room, "P2", "B", "masses", e)
    with pytest.raises(PingyiError, match="纸质选票"):
        rooms.close_room(admin, room)
    assert ballots.paper_enter(clerk, room, "P1", "B", "masses", e) == "counted"
    assert ballots.paper_conflicts(room) == ([], [])
    assert rooms.turnout(room).cast == 2   # P1 and P2, each once both typings agree
    rooms.close_room(admin, room)


def test_paper_account_rule_decides_the_pass(admin, room):
    """With no clerk given, the first account types A, another B; an account re-types its own
    pass; a third account is refused once both passes disagree; a counted ballot is refused."""
    from pingyi.people import accounts

    b = accounts.add_user(admin, "clerkb", "organizer", "clerk-pass-1")
    c = accounts.add_user(admin, "clerkc", "organizer", "clerk-pass-1")
    e = {"A01": ["40", "40"], "A02": ["", ""]}
    first = ballots.paper_pass(room, "P7", "admin")
    assert (first.clerk, first.other, first.again, first.refusal) == ("A", "", False, "")
    assert first.label == "第一遍（录入员 A）"
    assert ballots.paper_enter(admin, room, "P7", None, "masses", e) == "waiting"
    again = ballots.paper_pass(room, "P7", "admin")
    assert (again.clerk, again.other, again.again) == ("A", "", True)
    assert ballots.paper_enter(admin, room, "P7", None, "masses", e) == "waiting"   # replaces its own
    second = ballots.paper_pass(room, "P7", "clerkb")
    assert (second.clerk, second.other, second.label) == ("B", "admin", "第二遍（录入员 B）")
    assert ballots.paper_enter(b, room, "P7", None, "masses", {"A01": ["40", "41"], "A02": ["", ""]}) == "mismatch"
    third = ballots.paper_pass(room, "P7", "clerkc")
    assert third.clerk == "" and "admin" in third.refusal and "clerkb" in third.refusal
    with pytest.raises(PingyiError, match="各录入一次且不一致"):
        ballots.paper_enter(c, room, "P7", None, "masses", e)
    assert ballots.paper_pass(room, "P7", "clerkb").again
    assert ballots.paper_enter(b, room, "P7", None, "masses", e) == "counted"
    assert "已计入" in ballots.paper_pass(room, "P7", "clerkc").refusal


def test_series_streak_proposal_once(admin, tmp_path):
    from pingyi import proposals
    from pingyi.voting import series

    scheme = setup_scheme(admin, tmp_path)
    rows = ["1,masses,A01,45,45", "1,masses,A02,40,40", "1,masses,A03,35,35", "1,masses,A04,20,20"]
    for rnd in (1, 2, 3):
        rid = open_room(admin, scheme, f"S{rnd}", series="2026双评", round=rnd)
        ballots.import_csv(admin, rid, ballots_csv(tmp_path, rows, f"b{rnd}.csv"))
        rooms.close_room(admin, rid)
    view = series.show("2026双评").to_json()
    assert view["rounds"] == [{"round": r, "room": f"S{r}"} for r in (1, 2, 3)]
    a04 = next(p for p in view["persons"] if p["person"] == "A04")
    assert a04 == {"person": "A04", "bottoms": [1, 2, 3], "streak": 3}
    props = [p.to_json() for p in proposals.list_proposals()]
    assert [(p["target"], p["level"], p["round"]) for p in props] == [("A04", "blue", 2), ("A04", "yellow", 3)]
    assert props[0]["recipient"] == "分管副局长孙某" and props[0]["source"] == "streak"
    assert series.streak_marks("2026双评", 2) == {"A04": 2}
