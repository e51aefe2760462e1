"""One evaluator, one ballot (DESIGN §6): places per group and channel on every
channel, and open rooms that show turnout only (DESIGN §5), on SQLite and PostgreSQL."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pingyi.db import models as m
from pingyi.db.connection import session

from pingyi.cli import cli
from pingyi.common.errors import InputError, PingyiError
from pingyi.voting import ballots, rooms, tally
from tests.conftest import DATA, PASSWORD
from tests.helpers import ballots_csv, open_room, setup_scheme
from tests.reports_util import pdf_text

E = {"A01": ["40", "40"], "A02": ["", ""]}


def _stored(rid: str) -> tuple[int, int]:
    """(ballots, paper typings) stored for the room."""
    with session():
        return (m.Ballot.select().where(m.Ballot.room == rid).count(),
                m.PaperEntry.select().where(m.PaperEntry.room == rid).count())


def test_every_channel_is_held_to_its_groups_places(admin: Any, tmp_path: Path) -> None:
    from pingyi.people import accounts

    clerk = accounts.add_user(admin, "clerk", "organizer", "clerk-pass-1")
    scheme = setup_scheme(admin, tmp_path)
    rooms.create_room(admin, scheme, "名额", "PL", quotas={"masses": 3}, paper={"masses": 1})
    issued = [c for _, c in rooms.issue_codes(admin, "PL")]
    rooms.set_quotas(admin, "PL", {"masses": 2}, {"masses": 1})  # three codes exist, two places
    rooms.open_room(admin, "PL")

    # kiosk and browser both go through the ballot service: two places, the third code is refused
    assert ballots.submit("PL", issued[0], E) == "valid"
    assert ballots.submit("PL", issued[1], E) == "valid"
    with pytest.raises(ballots.PlacesFull, match="票码名额（2 张）已满"):
        ballots.submit("PL", issued[2], E)
    assert _stored("PL") == (2, 0)
    assert ballots.check_code("PL", issued[2]) == "masses"  # the refused code stays unused

    # paper double entry: one form for masses, none for npc
    assert ballots.paper_enter(admin, "PL", "P1", "A", "masses", E) == "waiting"
    assert ballots.paper_enter(clerk, "PL", "P1", "B", "masses", E) == "counted"
    with pytest.raises(ballots.PlacesFull, match="纸质选票名额 1 张"):
        ballots.paper_enter(admin, "PL", "P2", "A", "masses", E)
    with pytest.raises(ballots.PlacesFull, match="没有纸质选票名额"):
        ballots.paper_enter(admin, "PL", "P3", "A", "npc", E)
    assert _stored("PL") == (3, 0)

    # CSV import: all or nothing, every refusal listed
    with pytest.raises(InputError) as exc:
        ballots.import_csv(admin, "PL", ballots_csv(tmp_path, ["S1,masses,A01,40,40", "S2,npc,A01,40,40"]))
    assert any("群众代表" in e and "超出名额" in e for e in exc.value.errors)
    assert any("人大代表" in e and "没有纸质选票名额" in e for e in exc.value.errors)
    assert _stored("PL") == (3, 0)

    t = rooms.turnout("PL")
    assert t.limited and t.cast == 3
    c = t.channels["masses"]
    assert (c.codes_issued, c.codes_returned, c.paper_issued, c.paper_returned) == (2, 2, 1, 1)
    assert t.channels["npc"].issued == 0


def test_csv_import_fills_the_paper_places_exactly(admin: Any, tmp_path: Path) -> None:
    scheme = setup_scheme(admin, tmp_path)
    rid = open_room(admin, scheme, "CSV", paper={"masses": 2, "npc": 1})
    rows = ["1,masses,A01,40,40", "2,masses,A01,30,30", "3,npc,A01,45,45"]
    assert ballots.import_csv(admin, rid, ballots_csv(tmp_path, rows)).cast == 3
    with pytest.raises(InputError, match="纸质选票名额"):
        ballots.import_csv(admin, rid, ballots_csv(tmp_path, ["4,npc,A02,40,40"], "more.csv"))
    assert rooms.turnout(rid).cast == 3


def test_a_room_without_places_takes_paper_without_limit(admin: Any, tmp_path: Path) -> None:
    from pingyi.reports import sheet

    scheme = setup_scheme(admin, tmp_path)
    rid = open_room(admin, scheme, "OLD")
    rows = [f"{i},masses,A01,40,40" for i in range(30)]
    assert ballots.import_csv(admin, rid, ballots_csv(tmp_path, rows)).cast == 30
    t = rooms.turnout(rid)
    assert not t.limited and t.cast == 30
    rooms.close_room(admin, rid)
    path = tmp_path / "sheet.pdf"
    sheet.write_sheet(path, tally.get_tally(rid), turnout=rooms.turnout(rid))
    assert "未设名额" in pdf_text(path)


# ---- open rooms: turnout only, on every surface ---------------------------------------


@pytest.fixture
def cli_run(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PINGYI_DB", db_url)
    monkeypatch.setenv("PINGYI_USER", "admin")
    monkeypatch.setenv("PINGYI_PASSWORD", PASSWORD)

    def invoke(*args: Any, ok: bool = True) -> Any:
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        assert "Traceback" not in result.output
        return result

    invoke("init", "--admin", "admin")
    invoke("roster", "import", DATA / "roster.csv")
    invoke("scheme", "import", DATA / "scheme.toml")
    invoke("room", "create", "--scheme", "示例双定双评", "--title", "开放", "--id", "OP1",
           "--codes", "masses=4", "--paper", "masses=5", "--paper", "npc=2")
    invoke("room", "open", "OP1")
    invoke("ballots", "import", "OP1", DATA / "ballots.csv")
    return invoke


def test_cli_open_room_prints_turnout_unless_provisional(cli_run: Any, tmp_path: Path) -> None:
    from pingyi.records import audit

    out = cli_run("tally", "OP1").output
    assert "只显示投票进度" in out and "纸质收回" in out and "王伟" not in out and "85" not in out
    data = json.loads(cli_run("tally", "OP1", "--format", "json").output)
    assert "results" not in data and data["turnout"]["masses"] == {
        "codes_issued": 4, "codes_returned": 0, "paper_issued": 5, "paper_returned": 5}
    assert "score" not in cli_run("tally", "OP1", "--format", "csv").output
    show = cli_run("room", "show", "OP1").output
    assert "票码发出" in show and "纸质收回" in show
    assert "尚未结束" in cli_run("tally", "OP1", "--pdf", tmp_path / "x.pdf", ok=False).output
    assert "公布版" in cli_run("tally", "OP1", "--pdf", tmp_path / "p.pdf", "--public", "--provisional",
                               ok=False).output
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "p.pdf").exists()

    assert audit.events(1)[0].action != "tally.provisional"
    full = json.loads(cli_run("tally", "OP1", "--format", "json", "--provisional").output)
    assert full["provisional"] is True and full["results"]
    assert audit.events(1)[0].action == "tally.provisional"  # the organizer who looked is on record

    pdf = tmp_path / "prov.pdf"
    cli_run("tally", "OP1", "--pdf", pdf, "--provisional")
    text = pdf_text(pdf)
    assert text.count("临时结果") >= 3  # subtitle, running header and the watermark of the page
    assert "计票人" not in text and "监票人" not in text  # no signature lines


def test_provisional_sheet_is_watermarked_and_unsigned(admin: Any, tmp_path: Path) -> None:
    from pingyi.reports import sheet

    scheme = setup_scheme(admin, tmp_path)
    rid = open_room(admin, scheme, "WM", paper={"masses": 3})
    ballots.import_csv(admin, rid, ballots_csv(tmp_path, ["1,masses,A01,40,40"]))
    with pytest.raises(PingyiError, match="正在进行"):
        tally.get_tally(rid)
    report = tally.provisional(admin, rid)
    with pytest.raises(PingyiError, match="公布版"):
        sheet.write_sheet(tmp_path / "pub.pdf", report, public=True, organ="某纪委")
    sheet.write_sheet(tmp_path / "p.pdf", report, turnout=rooms.turnout(rid))
    text = pdf_text(tmp_path / "p.pdf")
    assert "计票人" not in text and text.count("临时结果") >= 3 and "纸质 发出 3 收回 1" in text
    rooms.close_room(admin, rid)
    sheet.write_sheet(tmp_path / "final.pdf", tally.get_tally(rid))
    final = pdf_text(tmp_path / "final.pdf")
    assert "计票人" in final and "临时结果" not in final
