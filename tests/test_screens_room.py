"""Room screens: create from the form, open, live turnout, codes, close with counts;
paper double entry (agree, disagree, void); results (ranking, marks, history, export)."""
from __future__ import annotations

import pytest

from tests.conftest import DATA, PASSWORD
from tests.ui_support import demo_db, make, ui_admin, ui_contract  # noqa: F401


def _organizer():
    from pingyi.people.accounts import Actor

    return Actor("huiwu", "organizer")


@pytest.fixture
def drafted(ui_admin):
    from pingyi.people import roster
    from pingyi.voting import schemes

    roster.import_roster(ui_admin, DATA / "roster.csv")
    schemes.import_scheme(ui_admin, DATA / "scheme.toml")
    return ui_admin


async def test_create_open_codes_turnout_close(sqlite_db, drafted, tmp_path, monkeypatch):
    from pingyi.screens.dialogs import Ask, Confirm
    from pingyi.screens.results import ResultsScreen
    from pingyi.screens.room import RoomScreen
    from pingyi.screens.rooms import CreateRoomScreen, RoomsScreen
    from pingyi.screens.work import settle, until

    from pingyi.voting import ballots, rooms

    monkeypatch.chdir(tmp_path)
    app = make(sqlite_db, actor=drafted, start="m")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RoomsScreen)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateRoomScreen)
        form.query_one("#f-title").value = "界面测试会场"
        form.query_one("#f-id").value = "UI1"
        form.query_one("#f-persons").value = "unit:财政局"
        await settle(pilot)
        form.query_one("#q-masses").value = "3"
        form.query_one("#q-npc").value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RoomScreen)
        room = rooms.get_room("UI1")
        assert (room.status, room.persons, room.quotas) == ("draft", 2, {"masses": 3, "npc": 2})

        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.click("#ok")
        await settle(pilot)
        assert rooms.get_room("UI1").status == "open"

        # codes: PDF path prompt, slips written off the UI thread
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, Ask)
        pdf = tmp_path / "slips.pdf"
        app.screen.query_one("#ask-input").value = str(pdf)
        await pilot.click("#ok")
        await settle(pilot)
        assert isinstance(app.screen, Ask)          # then the serve URL for the QR (may stay empty)
        app.screen.query_one("#ask-input").value = "http://127.0.0.1:8000"
        await pilot.click("#ok")
        await settle(pilot)
        assert pdf.stat().st_size > 0
        assert rooms.code_counts("UI1")["masses"]["unused"] == 3

        # live turnout: a ballot from "another terminal" moves the bar without a key press
        screen = app.screen
        issued = rooms.issue_codes(drafted, "UI1")          # fresh codes we can see
        code = next(c for g, c in issued if g == "masses")
        ballots.submit("UI1", code, {"A01": ["45", "46"], "A02": None})
        await until(pilot, lambda: str(screen.query_one("#count-masses").render()) == "码1/3")
        assert screen.query_one("#bar-masses").progress == 1
        assert not screen.query_one("#provisional").display     # scores stay hidden

        await pilot.press("x")
        await settle(pilot)
        body = str(app.screen.query_one("#confirm-body").render())
        assert "收回选票共 1 张" in body and "群众代表：票码 发出 3 收回 1" in body and "未用票码 4 张将作废" in body
        await pilot.click("#ok")
        await settle(pilot)
        assert rooms.get_room("UI1").status == "closed"
        assert isinstance(app.screen, ResultsScreen)


async def test_provisional_scores_only_after_confirmation(demo_db):
    from pingyi.screens.dialogs import Confirm
    from pingyi.screens.room import RoomScreen
    from pingyi.screens.work import settle

    url, result = demo_db
    app = make(url, actor=_organizer())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(RoomScreen(result.open_room, actor=app.actor))
        await settle(pilot)
        screen = app.screen
        assert not screen.query_one("#provisional").display
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.query_one("#provisional").display
        await pilot.press("v")
        await settle(pilot)
        await pilot.click("#ok")
        await settle(pilot)
        assert screen.query_one("#provisional").display
        assert screen.query_one("#provisional-table").row_count == 120
        from pingyi.records import audit

        assert audit.events(1)[0].action == "tally.provisional"  # revealing is on record


async def test_results_of_an_open_room_show_turnout_only(demo_db):
    from pingyi.screens.results import ResultsScreen
    from pingyi.screens.work import settle

    url, result = demo_db
    app = make(url, actor=_organizer())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ResultsScreen(result.open_room))
        await settle(pilot)
        screen = app.screen
        chart = str(screen.query_one("#chart").render())
        assert "只显示投票进度" in chart and "票码收回" in chart
        assert screen.query_one("#ranking").row_count == 0
        await pilot.press("g")                      # the public sheet of an open room is refused
        await settle(pilot)
        assert app.screen is screen
        assert any("尚未结束" in n.message for n in app._notifications)


async def _type_ballot(pilot, screen, serial, group, values):
    from pingyi.screens.work import settle

    screen.query_one("#serial").value = serial
    screen.query_one("#group").value = group
    screen.query_one("#value").focus()
    for v in values:
        await pilot.press(*v, "enter") if v else await pilot.press("enter")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_paper_double_entry_agree_disagree_void(sqlite_db, drafted):
    from pingyi.screens.dialogs import Ask
    from pingyi.screens.paper import PaperScreen
    from pingyi.screens.work import settle

    from pingyi.people import accounts
    from pingyi.voting import ballots, rooms

    clerk_b = accounts.add_user(drafted, "clerkb", "organizer", PASSWORD)
    rooms.create_room(drafted, "示例双定双评", "纸质", "PP1", persons="codes:A01,A02")
    rooms.open_room(drafted, "PP1")
    app = make(sqlite_db, actor=drafted)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        app.push_screen(PaperScreen("PP1", actor=app.actor))
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#grid").row_count == 2

        await _type_ballot(pilot, screen, "S1", "masses", ["45", "46", "-"])
        assert "等待另一位录入员" in str(screen.query_one("#paper-message").render())
        assert rooms.turnout("PP1").cast == 0

        app.actor = screen.actor = clerk_b  # the screen was handed the account it acts for
        await _type_ballot(pilot, screen, "S1", "masses", ["45", "46", "-"])
        assert "两次录入一致" in str(screen.query_one("#paper-message").render())
        assert rooms.turnout("PP1").groups["masses"] == (1, 0)

        # disagreement: B types 40 where A typed 45
        app.actor = screen.actor = drafted  # the screen was handed the account it acts for
        await _type_ballot(pilot, screen, "S2", "npc", ["45", "46", "30", "30"])
        app.actor = screen.actor = clerk_b  # the screen was handed the account it acts for
        await _type_ballot(pilot, screen, "S2", "npc", ["40", "46", "30", "30"])
        assert "不一致" in str(screen.query_one("#paper-message").render())
        conflicts = screen.query_one("#conflicts")
        assert conflicts.row_count == 1 and conflicts.get_row_at(0)[0] == "S2"
        detail = str(screen.query_one("#conflict-detail").render())
        assert "45 / 46" in detail and "40 / 46" in detail and "王伟" in detail
        assert rooms.turnout("PP1").cast == 1

        # void with a reason, audited
        app.actor = screen.actor = drafted  # the screen was handed the account it acts for
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, Ask)
        app.screen.query_one("#ask-input").value = "纸质选票字迹无法辨认"
        await pilot.click("#ok")
        await settle(pilot)
        assert ballots.paper_conflicts("PP1") == ([], [])
        assert conflicts.row_count == 0


async def test_results_ranking_marks_history_export(demo_db, tmp_path, monkeypatch):
    from pingyi.screens.dialogs import Ask
    from pingyi.screens.results import ResultsScreen
    from pingyi.screens.work import settle

    monkeypatch.chdir(tmp_path)
    url, result = demo_db
    app = make(url, actor=_organizer())
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.push_screen(ResultsScreen("R2602"))
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#ranking")
        assert table.row_count == 120
        last = table.get_row_at(119)
        assert last[1] == "刘某" and last[2] == "文化稽查大队" and last[4] == "连续2次倒数第一"
        assert str(last[0]) == "120"
        assert "倒数第一：刘某（文化稽查大队" in str(screen.query_one("#chart").render())

        table.move_cursor(row=119)
        await pilot.press("h")
        await settle(pilot)
        history = str(screen.query_one("#history").render())
        assert "第1轮" in history and "第2轮" in history and "120/120" in history
        assert "截至本轮连续倒数第一 2 次" in history

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, Ask)
        await pilot.click("#ok")
        await settle(pilot)
        csv_text = (tmp_path / "测评结果-R2602.csv").read_text(encoding="utf-8-sig")
        assert csv_text.splitlines()[0].startswith("名次,编号,姓名")
        assert "WHJC05,刘某,文化稽查大队" in csv_text

        await pilot.press("e")
        await settle(pilot)
        await pilot.click("#ok")
        await settle(pilot)
        pdf = tmp_path / "测评结果-R2602-内部.pdf"       # the public sheet defaults to …-公示版.pdf
        from pypdf import PdfReader

        assert "刘某" in "".join(page.extract_text() for page in PdfReader(pdf).pages)


async def test_draft_room_quotas_and_hand_picked_persons(sqlite_db, drafted):
    from pingyi.screens.dialogs import EditQuotas, PickPersons
    from pingyi.screens.room import RoomScreen
    from pingyi.screens.work import settle

    from pingyi.voting import rooms

    rooms.create_room(drafted, "示例双定双评", "草稿", "D1", persons="all")
    app = make(sqlite_db, actor=drafted)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        app.push_screen(RoomScreen("D1", actor=app.actor))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditQuotas)
        app.screen.query_one("#eq-masses").value = "-3"
        await pilot.click("#ok")
        await settle(pilot)
        assert isinstance(app.screen, EditQuotas)        # refused, still open
        assert "群众代表的票码名额应为不小于 0 的整数" in str(app.screen.query_one("#dialog-error").render())
        app.screen.query_one("#eq-masses").value = "30"
        app.screen.query_one("#ok").press()              # the refusal toast covers the button
        await settle(pilot)
        assert rooms.get_room("D1").quotas == {"masses": 30, "npc": 0}

        await pilot.press("u")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickPersons) and len(picker.chosen) == 5
        await pilot.press(*"财政局")
        await settle(pilot)
        box = picker.query_one("#pp-list")
        assert box.option_count == 2
        box.focus()
        await pilot.press("space")                 # untick the first 财政局 person (A01)
        await settle(pilot)
        assert "A01" not in picker.chosen and "已选 4 人" in str(picker.query_one("#pp-status").render())
        await pilot.click("#ok")
        await settle(pilot)
        assert [p.code for p in rooms.room_persons("D1")] == ["A02", "A03", "A04", "A05"]
        assert "被测评人员：4 人" in str(app.screen.query_one("#room-info").render())


async def test_room_footer_fits_80_columns_in_every_state(demo_db):
    """Draft, open and closed: every key the footer shows is whole at 80×24, left of the
    palette key (^q 退出 was cut on the open room); the F1 help says each in full."""
    from pingyi.screens.help import HelpScreen
    from pingyi.screens.room import RoomScreen
    from pingyi.screens.work import settle
    from textual.widgets._footer import FooterKey

    from pingyi.voting import rooms

    url, result = demo_db
    draft = rooms.create_room(_organizer(), "2026年双定双评", "草稿会场", "DRAFT1",
                              quotas={"masses": 10})
    app = make(url, actor=_organizer())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for room_id, shown in [(draft, {"esc", "o", "e", "u", "c", "^q"}),
                               (result.open_room, {"esc", "c", "p", "i", "v", "x", "^q"}),
                               ("R2602", {"esc", "t", "^q"})]:
            app.push_screen(RoomScreen(room_id, actor=app.actor))
            await settle(pilot)
            await pilot.pause()
            keys = list(app.screen.query(FooterKey))
            palette = [k for k in keys if k.has_class("-command-palette")]
            bindings = [k for k in keys if not k.has_class("-command-palette")]
            assert {k.key_display for k in bindings} == shown, room_id
            limit = palette[0].region.x if palette else 80
            for k in bindings:
                whole = k.get_content_width(app.screen.size, app.screen.size)
                assert k.region.width == whole and k.region.right <= limit, (room_id, k.key_display, k.description)
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            if room_id == result.open_room:
                help_text = "\n".join(str(s.render()) for s in app.screen.query("Static"))
                assert "导入纸质选票 CSV" in help_text and "纸质选票录入" in help_text
            await pilot.press("escape")
            app.pop_screen()
            await settle(pilot)


async def test_results_chart_bins_exact_scores(demo_db, monkeypatch):
    """The 分布 tab bins each score exactly, as integer hundredths: no score ever becomes a float
    (a score here refuses to), 74.99 falls in 70–75 and 75.00 in 75–80, the highest score's bin
    is the top one; counts and bars computed by hand."""
    from dataclasses import replace
    from decimal import Decimal

    from pingyi.screens.results import ResultsScreen
    from pingyi.screens.work import settle

    from pingyi.voting import tally

    class Exact(Decimal):
        def __float__(self) -> float:
            raise AssertionError(f"the score {self} became a float")

    scores = ["74.99", "75.00", "79.99", "85.00", "80.00"]
    real = tally.get_tally

    def get_tally(room_id):
        report = real(room_id)
        rows = [replace(r, score=Exact(s), bottom=s == "74.99") for r, s in zip(report.results, scores, strict=False)]
        return replace(report, results=rows)

    monkeypatch.setattr(tally, "get_tally", get_tally)
    url, _ = demo_db
    app = make(url, actor=_organizer())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ResultsScreen("R2602"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen) and screen.data is not None
        first = screen.data.report.results[0]
        chart = str(screen.query_one("#chart").render())
        full, half = "█" * 30, "█" * 15 + " " * 15
        assert chart.split("\n") == [
            "得分分布（5 人，每档 5 分）", "",
            f" 85–90  {half} 1",
            f" 80–85  {half} 1",
            f" 75–80  {full} 2",
            f" 70–75  {half} 1",
            "", f"倒数第一：{first.name}（{first.unit}，74.99）"]
