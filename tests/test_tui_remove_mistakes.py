"""Mistakes can be removed from the TUI (issue 12), at 80×24: a roster person is deactivated and
reactivated from the 名单 screen (dimmed, marked 「停用」, with a status filter); a draft room is
deleted from the 会场 list. Destructive confirmations start on 取消."""
from __future__ import annotations

from typing import Any

from pingyi.people.accounts import Actor
from tests.conftest import DATA
from tests.ui_support import make, ui_admin  # noqa: F401

SIZE = (80, 24)


def _inside(app: Any, selector: str) -> bool:
    """The widget is wholly on the 80×24 screen."""
    region = app.screen.query_one(selector).region
    return region.right <= SIZE[0] and region.bottom <= SIZE[1] and region.width > 0


def _focused_id(app: Any) -> str | None:
    return app.focused.id if app.focused is not None else None


async def test_roster_deactivate_and_reactivate(sqlite_db: str, ui_admin: Actor) -> None:
    from pingyi.screens.dialogs import Confirm
    from pingyi.screens.roster import RosterScreen
    from pingyi.screens.work import settle, until

    from pingyi.people import roster
    from pingyi.records import audit

    roster.import_roster(ui_admin, DATA / "roster.csv")
    app = make(sqlite_db, actor=ui_admin, start="r")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RosterScreen)
        table = screen.query_one("#roster")
        await pilot.press("down", "down")                       # A03 张强
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert _focused_id(app) == "cancel"                     # deactivating: the safe choice first
        assert _inside(app, "#ok") and _inside(app, "#cancel")
        body = str(app.screen.query_one("#confirm-body").render())
        assert "A03 张强" in body and "已有会场、结果、台账和年终考核照旧保留" in body
        await pilot.press("enter")                              # 取消
        await settle(pilot)
        assert app.screen is screen and roster.get_person("A03").active
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("tab", "enter")                       # 停用
        await settle(pilot)
        assert not roster.get_person("A03").active
        row = table.get_row_at(2)
        assert row[0] == "A03" and row[6] == "停用" and "dim" in str(row[0].style)
        assert table.cursor_row == 2                            # the cursor stays on the person
        # the filter shows the deactivated ones only
        screen.query_one("#roster-state").value = "inactive"
        await until(pilot, lambda: screen.total == 1)
        assert table.get_row_at(0)[0] == "A03"
        # reactivating is not destructive: 启用 has the focus
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, Confirm) and _focused_id(app) == "ok"
        await pilot.press("enter")
        await settle(pilot)
        assert roster.get_person("A03").active
        await until(pilot, lambda: screen.total == 0)
    assert audit.verify() == []


async def test_picker_for_a_new_room_leaves_out_deactivated_persons(sqlite_db: str, ui_admin: Actor) -> None:
    from pingyi.screens.dialogs import PickPersons
    from pingyi.screens.work import settle
    from textual.widgets import SelectionList

    from pingyi.people import roster

    roster.import_roster(ui_admin, DATA / "roster.csv")
    roster.set_active(ui_admin, ["A02"], False)
    app = make(sqlite_db, actor=ui_admin, start="m")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(PickPersons())
        await settle(pilot)
        box = app.screen.query_one("#pp-list", SelectionList)
        codes = [box.get_option_at_index(i).value for i in range(box.option_count)]
        assert codes == ["A01", "A03", "A04", "A05"]


async def test_import_preview_says_inactive_persons_stay_inactive(sqlite_db: str, ui_admin: Actor,
                                                                  tmp_path: Any) -> None:
    from pingyi.screens.dialogs import Confirm
    from pingyi.screens.work import settle

    from pingyi.people import roster

    roster.import_roster(ui_admin, DATA / "roster.csv")
    roster.set_active(ui_admin, ["A05"], False)
    path = tmp_path / "新名单.csv"
    path.write_text((DATA / "roster.csv").read_text(encoding="utf-8") + "A06,周敏,财政局,会计,服务类,\n",
                    encoding="utf-8")
    app = make(sqlite_db, actor=ui_admin, start="r")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen._picked(path)
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        body = str(app.screen.query_one("#confirm-body").render())
        assert "新增 1 人" in body and "A05 已停用，导入不改变停用状态" in body
        await pilot.click("#ok")
        await settle(pilot)
    assert not roster.get_person("A05").active and roster.get_person("A06").active


async def test_rooms_delete_a_draft_but_not_an_opened_room(sqlite_db: str, ui_admin: Actor) -> None:
    from pingyi.screens.dialogs import Confirm
    from pingyi.screens.rooms import RoomsScreen
    from pingyi.screens.work import settle, until

    from pingyi.people import roster
    from pingyi.records import audit
    from pingyi.voting import rooms, schemes

    roster.import_roster(ui_admin, DATA / "roster.csv")
    schemes.import_scheme(ui_admin, DATA / "scheme.toml")
    rooms.create_room(ui_admin, "示例双定双评", "开过的会场", "OPEN1", persons="all")
    rooms.open_room(ui_admin, "OPEN1")
    rooms.create_room(ui_admin, "示例双定双评", "建错的会场", "DRAFT1", persons="all")
    app = make(sqlite_db, actor=ui_admin, start="m")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RoomsScreen)
        table = screen.query_one("#room-list")
        ids = [table.get_row_at(i)[0] for i in range(table.row_count)]
        table.move_cursor(row=ids.index("OPEN1"))
        await pilot.press("delete")
        await settle(pilot)
        assert app.screen is screen                               # refused without a dialog
        assert any("只能删除从未开启的草稿会场" in str(n.message) for n in app._notifications)
        table.move_cursor(row=ids.index("DRAFT1"))
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert _focused_id(app) == "cancel"                       # destructive: 取消 first
        assert _inside(app, "#ok") and _inside(app, "#cancel")
        assert "DRAFT1「建错的会场」" in str(app.screen.query_one("#confirm-body").render())
        await pilot.press("enter")                                # Enter on 取消 keeps the room
        await settle(pilot)
        assert {r.id for r in rooms.list_rooms()} == {"OPEN1", "DRAFT1"}
        await pilot.press("delete")
        await settle(pilot)
        await pilot.click("#ok")
        await settle(pilot)
        await until(pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[0] == "OPEN1"
    assert [r.id for r in rooms.list_rooms()] == ["OPEN1"]
    assert audit.verify() == []


async def test_picker_shows_a_chosen_person_since_deactivated_so_they_can_be_taken_off(
        sqlite_db: str, ui_admin: Actor) -> None:
    from pingyi.screens.dialogs import PickPersons
    from pingyi.screens.work import settle
    from textual.widgets import SelectionList

    from pingyi.people import roster
    from pingyi.voting import rooms, schemes

    roster.import_roster(ui_admin, DATA / "roster.csv")
    schemes.import_scheme(ui_admin, DATA / "scheme.toml")
    rooms.create_room(ui_admin, "示例双定双评", "草稿", "DRAFT1", persons="all")
    roster.set_active(ui_admin, ["A02"], False)
    chosen = [p.code for p in rooms.room_persons("DRAFT1")]
    results: list[list[str] | None] = []
    app = make(sqlite_db, actor=ui_admin, start="m")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(PickPersons(chosen), results.append)
        await settle(pilot)
        box = app.screen.query_one("#pp-list", SelectionList)
        first = box.get_option_at_index(0)
        assert first.value == "A02" and "已停用，请去掉" in str(first.prompt)
        assert box.selected[0] == "A02"
        await pilot.press("tab", "space")                  # the list, then untick A02
        await settle(pilot)
        await pilot.click("#ok")
        await settle(pilot)
    assert results == [["A01", "A03", "A04", "A05"]]
    rooms.set_persons(ui_admin, "DRAFT1", results[0])      # the room takes the choice
