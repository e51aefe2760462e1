"""Imports in the TUI at 80×24: a ballot CSV from the room screen (the same service as
``pingyi ballots import``); a refused file lists every problem with its line number in
a panel that stays until closed."""
from __future__ import annotations

from tests.conftest import DATA
from tests.ui_support import demo_db, make, ui_admin  # noqa: F401

SIZE = (80, 24)


def _open_room(actor) -> str:
    from pingyi.people import roster
    from pingyi.voting import rooms, schemes

    roster.import_roster(actor, DATA / "roster.csv")
    schemes.import_scheme(actor, DATA / "scheme.toml")
    rooms.create_room(actor, "示例双定双评", "示例会场", "DEMO1", persons="all")
    rooms.open_room(actor, "DEMO1")
    return "DEMO1"


async def _pick(pilot, path) -> None:
    from pingyi.screens.dialogs import PickFile
    from pingyi.screens.work import settle

    await settle(pilot)
    assert isinstance(pilot.app.screen, PickFile)
    pilot.app.screen.query_one("#pick-path").value = str(path)
    await pilot.click("#ok")
    await settle(pilot)


async def test_ballot_csv_import_from_the_room(sqlite_db, ui_admin, tmp_path):
    from pingyi.screens.dialogs import Problems
    from pingyi.screens.room import RoomScreen
    from pingyi.screens.work import settle

    from pingyi.voting import rooms

    room = _open_room(ui_admin)
    bad = tmp_path / "坏选票.csv"
    bad.write_text("ballot,group,person,perf,clean\nM1,masses,A01,45,46\nM1,masses,NOPE,40,40\n"
                   "M2,nobody,A01,1,1\n", encoding="utf-8")
    app = make(sqlite_db, actor=ui_admin)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(RoomScreen(room, actor=ui_admin))
        await settle(pilot)
        before = rooms.version(room)
        await pilot.press("i")
        await _pick(pilot, bad)
        assert isinstance(app.screen, Problems)
        lines = str(app.screen.query_one("#problems-lines").render())
        assert "第 3 行" in lines and "第 4 行" in lines
        assert app.screen.query_one("#problems").region.bottom <= SIZE[1]
        assert rooms.version(room) == before                     # all or nothing
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RoomScreen)
        await pilot.press("i")
        await _pick(pilot, DATA / "ballots.csv")
        assert isinstance(app.screen, RoomScreen)
        assert any("已导入选票" in n.message for n in app._notifications)


async def test_roster_import_errors_in_a_panel(sqlite_db, ui_admin, tmp_path):
    from pingyi.screens.dialogs import Problems
    from pingyi.screens.work import settle

    bad = tmp_path / "名单.csv"
    bad.write_text("编号,姓名,单位,职务\nA01,王伟,财政局,股长\nA01,李娜,财政局,股长\n,张强,民政局,股长\n",
                   encoding="utf-8")
    app = make(sqlite_db, actor=ui_admin, start="r")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await _pick(pilot, bad)
        assert isinstance(app.screen, Problems)
        text = str(app.screen.query_one("#problems-lines").render())
        assert "第 3 行" in text or "第 4 行" in text


async def test_series_policy_and_backup_screens(demo_db, tmp_path):
    from pingyi.screens.dialogs import Ask
    from pingyi.screens.policy import PolicyScreen
    from pingyi.screens.series import SeriesScreen
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    url, result = demo_db
    app = make(url, actor=Actor("admin", "admin"), start="l")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SeriesScreen)
        table = app.screen.query_one("#series-persons")
        assert table.row_count >= 1 and table.get_row_at(0)[0] == "刘某"        # a name, not a code
        app.go("p")
        await settle(pilot)
        assert isinstance(app.screen, PolicyScreen)
        assert "预警线" in str(app.screen.query_one("#policy-summary").render())
        assert "[levels]" in app.screen.query_one("#policy-text").text
        target = tmp_path / "备份.db"
        app.action_backup()
        await settle(pilot)
        assert isinstance(app.screen, Ask)
        app.screen.query_one("#ask-input").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert target.exists() and not isinstance(app.screen, Ask)
        app.action_backup()
        await settle(pilot)
        app.screen.query_one("#ask-input").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Ask) and "文件已存在" in str(app.screen.query_one("#dialog-error").render())


async def test_export_asks_before_overwriting(demo_db, tmp_path, monkeypatch):
    from pingyi.screens.dialogs import Ask, Confirm
    from pingyi.screens.results import ResultsScreen
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    monkeypatch.chdir(tmp_path)
    url, _ = demo_db
    existing = tmp_path / "测评结果-R2602.csv"
    existing.write_text("keep", encoding="utf-8")
    app = make(url, actor=Actor("huiwu", "organizer"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ResultsScreen("R2602"))
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, Ask)
        await pilot.click("#ok")
        await settle(pilot)
        assert isinstance(app.screen, Confirm) and app.screen.focused.id == "cancel"
        await pilot.press("enter")                     # the safe choice: keep the file
        await settle(pilot)
        assert existing.read_text(encoding="utf-8") == "keep"
