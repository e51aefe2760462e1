"""Paper double entry by two clerks on one terminal, at 80×24: the screen says which pass
(第一遍 录入员 A / 第二遍 录入员 B) is typed and by whom, the account rule picks it (no A/B
selector), Tab goes 选票编号 → 代表类别 → the score field, and leaving with typed values
(Esc, Ctrl+Q) asks first, starting on the safe choice."""
from __future__ import annotations

import pytest

from tests.conftest import DATA, PASSWORD
from tests.ui_support import make, ui_admin  # noqa: F401

SIZE = (80, 24)
ROOM = "PT1"


@pytest.fixture
def paper_room(ui_admin):
    """An open room of two persons (A01 王伟, A02 李娜) and two organizer accounts."""
    from pingyi.people import accounts, roster
    from pingyi.voting import rooms, schemes

    roster.import_roster(ui_admin, DATA / "roster.csv")
    schemes.import_scheme(ui_admin, DATA / "scheme.toml")
    accounts.add_user(ui_admin, "clerka", "organizer", PASSWORD)
    accounts.add_user(ui_admin, "clerkb", "organizer", PASSWORD)
    rooms.create_room(ui_admin, "示例双定双评", "纸质", ROOM, persons="codes:A01,A02")
    rooms.open_room(ui_admin, ROOM)
    return ui_admin


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def _open_paper(pilot, app):
    from pingyi.screens.paper import PaperScreen
    from pingyi.screens.work import settle

    app.push_screen(PaperScreen(ROOM, actor=app.actor))
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, PaperScreen)
    return screen


async def _type(pilot, screen, serial: str, values: list[str]) -> None:
    """Type a ballot with the keyboard only: serial, Tab, pick 群众代表, Tab, the scores."""
    from pingyi.screens.work import settle

    screen.query_one("#serial").focus()
    await pilot.press(*serial)
    await settle(pilot)
    await pilot.press("tab")
    assert screen.focused.id == "group"
    if screen.query_one("#group").value == "masses":   # kept from the last ballot
        await pilot.press("tab")
    else:
        await pilot.press("enter", "down", "enter")   # the popup, its first group, chosen
        await settle(pilot)
    assert screen.query_one("#group").value == "masses"
    assert screen.focused.id == "value"
    for v in values:
        await pilot.press(*v, "enter")
    await settle(pilot)


async def _sign_in(pilot, app, name: str) -> None:
    from pingyi.screens.dialogs import Confirm
    from pingyi.screens.login import LoginScreen
    from pingyi.screens.work import settle

    await pilot.press("ctrl+u")
    await settle(pilot)
    assert isinstance(app.screen, Confirm)
    assert "新账号登录后回到本页" in _text(app.screen, "#confirm-body")
    await pilot.click("#ok")
    await settle(pilot)
    assert isinstance(app.screen, LoginScreen)
    app.screen.query_one("#login-user").value = name
    app.screen.query_one("#login-password").value = PASSWORD
    await pilot.click("#login-go")
    await settle(pilot)
    assert app.actor is not None and app.actor.name == name


async def test_two_clerks_one_terminal_the_screen_says_which_pass(sqlite_db, paper_room):
    from pingyi.screens.paper import PaperScreen
    from pingyi.screens.work import settle

    from pingyi.voting import ballots, rooms

    app = make(sqlite_db, user="clerka", password=PASSWORD)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _open_paper(pilot, app)
        assert not screen.query("#clerk")                     # no A/B selector: the account decides
        assert "录入人：clerka" in _text(screen, "#paper-who")
        await _type(pilot, screen, "S1", ["45", "46", "-"])
        who = _text(screen, "#paper-who")
        assert "选票 S1：第一遍（录入员 A），录入人 clerka" in who
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = _text(screen, "#paper-message")
        assert "第一遍" in message and "等待另一位录入员" in message
        assert rooms.turnout(ROOM).cast == 0 and not screen.unsaved()

        # the same account cannot make the second pass: the screen says so before any typing
        screen.query_one("#serial").focus()
        await pilot.press("S", "1")
        await settle(pilot)
        who = _text(screen, "#paper-who")
        assert "您已录入过这一遍" in who and "Ctrl+U" in who
        assert screen.query_one("#paper-who").has_class("error-text")

        # the second clerk signs in on the same terminal
        screen.query_one("#serial").value = ""
        await _sign_in(pilot, app, "clerkb")
        screen = app.screen                                   # the form is back for the next clerk
        assert isinstance(screen, PaperScreen) and screen.actor.name == "clerkb"
        await _type(pilot, screen, "S1", ["45", "46", "-"])
        who = _text(screen, "#paper-who")
        assert "选票 S1：第二遍（录入员 B），录入人 clerkb（第一遍由 clerka 录入）" in who
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "两次录入一致" in _text(screen, "#paper-message")
        assert rooms.turnout(ROOM).groups["masses"] == (1, 0)
        assert ballots.paper_conflicts(ROOM) == ([], [])

        # a disagreement names persons and groups in words in the reconciliation list
        await _type(pilot, screen, "S2", ["40", "41", "42", "43"])
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _sign_in(pilot, app, "clerka")
        screen = app.screen
        assert isinstance(screen, PaperScreen) and screen.actor.name == "clerka"
        await _type(pilot, screen, "S2", ["40", "41", "42", "44"])
        assert "第二遍（录入员 B），录入人 clerka（第一遍由 clerkb 录入）" in _text(screen, "#paper-who")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "不一致" in _text(screen, "#paper-message")
        conflicts = screen.query_one("#conflicts")
        assert conflicts.get_row_at(0)[0] == "S2" and "李娜" in str(conflicts.get_row_at(0)[2])
        assert "A02" not in str(conflicts.get_row_at(0)[2])


async def test_tab_goes_from_group_to_the_first_score(sqlite_db, paper_room):
    from pingyi.screens.work import settle

    app = make(sqlite_db, user="clerka", password=PASSWORD)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _open_paper(pilot, app)
        assert screen.focused.id == "serial"
        await pilot.press("tab")
        assert screen.focused.id == "group"
        await pilot.press("tab")
        assert screen.focused.id == "value"          # not the person table
        assert (screen.row, screen.col) == (0, 0)
        assert "王伟 · 评绩" in _text(screen, "#cell-label")
        await pilot.press("shift+tab")
        assert screen.focused.id == "group"
        # everything the clerk needs is on an 80×24 terminal
        for selector in ("#paper-who", "#serial", "#group", "#grid", "#value", "#paper-message"):
            region = screen.query_one(selector).region
            assert region.height and region.bottom <= SIZE[1] and region.right <= SIZE[0], selector


async def test_leaving_with_typed_values_asks_first(sqlite_db, paper_room):
    from pingyi.screens.dialogs import Confirm
    from pingyi.screens.home import HomeScreen
    from pingyi.screens.paper import LEAVE_TEXT
    from pingyi.screens.work import settle

    app = make(sqlite_db, user="clerka", password=PASSWORD)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _open_paper(pilot, app)
        await pilot.press("escape")                   # nothing typed: leaves at once
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

        screen = await _open_paper(pilot, app)
        await _type(pilot, screen, "S9", ["45"])
        assert screen.unsaved()
        for key in ("escape", "ctrl+q"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, Confirm), key
            assert LEAVE_TEXT == "有未保存的录入，确定离开？"
            assert LEAVE_TEXT in _text(app.screen, "#confirm-body")
            assert app.screen.focused.id == "cancel"  # the safe choice
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen and app.is_running, key
            assert screen.values["A01"][0] == "45"

        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#ok")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

        screen = await _open_paper(pilot, app)
        await _type(pilot, screen, "S9", ["45"])
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.click("#ok")
        await settle(pilot)
        assert not app.is_running


async def test_ctrl_q_without_typed_values_quits(sqlite_db, paper_room):
    from pingyi.screens.work import settle

    app = make(sqlite_db, user="clerka", password=PASSWORD)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open_paper(pilot, app)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running


async def test_switching_account_keeps_the_room_under_the_form(sqlite_db, paper_room):
    """Ctrl+U at the paper form: the next clerk gets the stack as it was, home → room → form (the
    rooms list too when the room was opened from it), every screen theirs; Esc goes back to the room."""
    from pingyi.screens.home import HomeScreen
    from pingyi.screens.login import LoginScreen
    from pingyi.screens.paper import PaperScreen
    from pingyi.screens.room import RoomScreen
    from pingyi.screens.rooms import RoomsScreen
    from pingyi.screens.work import settle

    app = make(sqlite_db, user="clerka", password=PASSWORD)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.screen.open_room(ROOM)                           # what Enter on the home table does
        await settle(pilot)
        await pilot.press("p")                                # the room's 纸质录入
        await settle(pilot)
        assert [type(s) for s in app.screen_stack] == [LoginScreen, HomeScreen, RoomScreen, PaperScreen]

        await _sign_in(pilot, app, "clerkb")
        assert [type(s) for s in app.screen_stack] == [LoginScreen, HomeScreen, RoomScreen, PaperScreen]
        assert [s.actor.name for s in app.screen_stack[1:]] == ["clerkb"] * 3
        assert app.screen_stack[2].room_id == ROOM and app.screen.room_id == ROOM
        assert "录入人：clerkb" in _text(app.screen, "#paper-who")
        await pilot.press("escape")                           # nothing typed: back at once
        await settle(pilot)
        assert isinstance(app.screen, RoomScreen) and app.screen.room_id == ROOM
        assert app.screen.actor.name == "clerkb"

        # from the rooms list (会场): the list comes back under the room as well
        app.go("m")
        await settle(pilot)
        app.screen.query_one("#room-list").move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        before = [type(s) for s in app.screen_stack]
        assert before == [LoginScreen, HomeScreen, RoomsScreen, RoomScreen, PaperScreen]
        await _sign_in(pilot, app, "clerka")
        assert [type(s) for s in app.screen_stack] == before
        assert [s.actor.name for s in app.screen_stack[1:]] == ["clerka"] * 4
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RoomScreen) and app.screen.actor.name == "clerka"
