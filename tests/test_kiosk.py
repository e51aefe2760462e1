"""The evaluator kiosk: the whole ballot flow, its refusals, and that nothing
else can be reached from it (SQLite only: the services are tested on both)."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.helpers import open_room, setup_scheme, write
from tests.ui_support import ui_admin  # noqa: F401

GRID_LOCK_KEYS = ("ctrl+p", "ctrl+q", "ctrl+c", "escape", "ctrl+z", "ctrl+s", "f1", "ctrl+t", "ctrl+backslash")


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_room(actor, tmp_path, room_id="K1", persons=None, quotas=None):
    """An open room with fresh codes; returns (room id, {group: [codes]})."""
    from pingyi.voting import rooms

    setup_scheme(actor, tmp_path)
    selector = "all"
    if persons:
        from pingyi.people import roster

        rows = "\n".join(f"P{i:03d},人员{i},单位{i % 10},股长,大会," for i in range(1, persons + 1))
        roster.import_roster(actor, write(tmp_path, "big.csv", "编号,姓名,单位,职务,类别,分管领导\n" + rows + "\n"))
        selector = "category:大会"
    open_room(actor, "测试方案", room_id, persons=selector, quotas=quotas or {"masses": 4, "npc": 2})
    codes: dict[str, list[str]] = {}
    for group, code in rooms.issue_codes(actor, room_id):
        codes.setdefault(group, []).append(code)
    return room_id, codes


@pytest.fixture
def room(ui_admin, tmp_path):
    return make_room(ui_admin, tmp_path)


def _msg(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def _ballots(room_id: str):
    from pingyi.db import models as m

    return list(m.Ballot.select().where(m.Ballot.room == room_id))


def _totals(room_id: str) -> dict[str, int | None]:
    from pingyi.db import models as m

    q = (m.Entry.select(m.Person.code, m.Entry.total).join(m.Ballot).switch(m.Entry)
         .join(m.Person, on=(m.Entry.person == m.Person.id)).where(m.Ballot.room == room_id).tuples())
    return dict(q)


async def _enter_code(pilot, code: str, typed: bool = False) -> None:
    """Put a code in the box and press Enter (``typed``: key by key, as a person would)."""
    from pingyi.screens.work import settle

    await settle(pilot)
    box = pilot.app.screen.query_one("#code")
    if typed:
        box.value = ""
        await pilot.press(*code.lower())
    elif not box.disabled:
        box.value = code
    await pilot.press("enter")
    await settle(pilot)


async def _to_review(pilot) -> None:
    """Tab from the grid lands on 下一步：核对."""
    from pingyi.screens.work import settle

    await pilot.press("tab", "enter")
    await settle(pilot)


async def test_full_flow_code_rate_review_submit_next(room):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.code import CodeScreen
    from pingyi.screens.kiosk.done import DoneScreen
    from pingyi.screens.kiosk.rating import RatingScreen
    from pingyi.screens.kiosk.review import ReviewScreen
    from pingyi.screens.work import settle

    from pingyi.voting import rooms

    room_id, codes = room
    code = codes["masses"][0]
    app = KioskApp(room_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await _enter_code(pilot, code[:5] + "-" + code[5:], typed=True)
        assert app.screen.ballot.code.upper() == code[:5] + "-" + code[5:]
        assert isinstance(app.screen, RatingScreen)
        assert app.screen.ballot.group == "masses"
        # A01: 45 and grade 好 (= 50); A02: abstain; A03: 40.5 and 38; A04 left empty.
        await pilot.press("4", "5", "enter", "a", "down", "space", "down")
        await pilot.press("left", "4", "0", ".", "5", "enter", "3", "8")
        grid = app.screen.query_one("#grid")
        assert "95" in str(grid.get_cell("A01", "total"))
        assert "78.5" in str(grid.get_cell("A03", "total"))
        assert "弃权" in str(grid.get_cell("A02", "state"))
        assert "已评 2/4，弃权 1" in _msg(app.screen, "#progress")
        await _to_review(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.entries == {"A01": ["45", "好"], "A02": None, "A03": ["40.5", "38"], "A04": None}
        assert "评分 2 人，弃权 2 人" in _msg(app.screen, "#review-title")
        assert _ballots(room_id) == []  # nothing stored before the evaluator confirms
        await pilot.click("#submit")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        assert "已提交" in _msg(app.screen, "#done-heading")
        [ballot] = _ballots(room_id)
        assert (ballot.group, ballot.status) == ("masses", "valid")
        assert _totals(room_id) == {"A01": 950, "A02": None, "A03": 785, "A04": None}
        assert rooms.code_counts(room_id)["masses"]["used"] == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CodeScreen)
        assert len(app.screen_stack) == 1
        # The next evaluator starts from an empty grid.
        await _enter_code(pilot, codes["npc"][0])
        assert isinstance(app.screen, RatingScreen)
        assert app.screen.ballot.group == "npc"
        assert all(not any(c) for c in app.screen.ballot.cells.values())


async def test_review_escape_returns_to_grid_with_values(room):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.rating import RatingScreen
    from pingyi.screens.kiosk.review import ReviewScreen

    room_id, codes = room
    app = KioskApp(room_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await _enter_code(pilot, codes["masses"][0])
        await pilot.press("5", "0", "enter", "5", "0")
        await _to_review(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, RatingScreen)
        assert app.screen.ballot.cells["A01"] == ["50", "50"]


@pytest.mark.parametrize("case", ["unknown", "malformed", "used", "void"])
async def test_refused_codes_say_why_and_stay_on_prompt(room, ui_admin, case):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.code import CodeScreen

    from pingyi.voting import ballots, rooms

    room_id, codes = room
    code = {"unknown": "ZZZZZ-ZZZZZ", "malformed": "ABC"}.get(case, codes["masses"][0])
    if case == "used":
        ballots.submit(room_id, code, {"A01": None})
    if case == "void":
        rooms.issue_codes(ui_admin, room_id)  # a reprint voids every unused code
    expected = {"unknown": "票码无效", "malformed": "票码格式不对", "used": "已经投过票", "void": "已作废"}[case]
    app = KioskApp(room_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await _enter_code(pilot, code)
        assert isinstance(app.screen, CodeScreen)
        assert expected in _msg(app.screen, "#code-msg")
        assert app.screen.query_one("#code").value == ""
    assert len(_ballots(room_id)) == (1 if case == "used" else 0)


async def _until_enabled(pilot, box) -> None:
    from pingyi.screens.work import until

    await until(pilot, lambda: not box.disabled and box.has_focus)


async def test_repeated_wrong_codes_slow_the_terminal(room):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.code import CodeScreen
    from pingyi.screens.kiosk.rating import RatingScreen

    from pingyi.voting.throttle import Throttle

    room_id, codes = room
    clock = FakeClock()
    app = KioskApp(room_id, throttle=Throttle(free=2, base=2.0, clock=clock))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(2):  # typos are free
            await _enter_code(pilot, "ZZZZZZZZZZ")
            assert not app.screen.query_one("#code").disabled
        await _enter_code(pilot, "ZZZZZZZZZZ")
        box = app.screen.query_one("#code")
        assert box.disabled
        assert "请等待 3 秒" in _msg(app.screen, "#code-msg")
        await _enter_code(pilot, codes["masses"][0])  # typed while locked: ignored
        assert isinstance(app.screen, CodeScreen)
        clock.now += 2.1
        await _until_enabled(pilot, box)
        await _enter_code(pilot, "ZZZZZZZZZZ")  # the 4th in a row waits twice as long
        assert app.throttle.remaining() == pytest.approx(4.0)
        clock.now += 4.1
        await _until_enabled(pilot, box)
        await _enter_code(pilot, codes["masses"][0])
        assert isinstance(app.screen, RatingScreen)
        assert app.throttle.failures == 0


async def test_partial_and_out_of_range_entries_block_review(room):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.rating import RatingScreen

    room_id, codes = room
    app = KioskApp(room_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await _enter_code(pilot, codes["masses"][0])
        await pilot.press("4", "5")  # A01: only 评绩
        await _to_review(pilot)
        assert isinstance(app.screen, RatingScreen)
        assert "王伟" in _msg(app.screen, "#rate-msg") and "评廉" in _msg(app.screen, "#rate-msg")
        assert app.screen.query_one("#grid").has_focus  # sent back to the row to fix
        await pilot.press("right", "7", "0")  # A01 评廉 = 70 > 50
        assert "超出 0–50" in _msg(app.screen, "#rate-msg")
        assert "有误" in str(app.screen.query_one("#grid").get_cell("A01", "state"))
        await _to_review(pilot)
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("right", "5", "0")  # a fresh cell is overwritten
        assert app.screen.ballot.cells["A01"] == ["45", "50"]
        await _to_review(pilot)
        assert not isinstance(app.screen, RatingScreen)
    assert _ballots(room_id) == []


async def test_code_used_meanwhile_is_refused_at_submit(room):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.code import CodeScreen
    from pingyi.screens.work import settle

    from pingyi.voting import ballots

    room_id, codes = room
    code = codes["masses"][0]
    app = KioskApp(room_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await _enter_code(pilot, code)
        await pilot.press("1", "0", "enter", "1", "0")
        await _to_review(pilot)
        ballots.submit(room_id, code, {"A01": ["20", "20"]})  # another terminal was faster
        await pilot.click("#submit")
        await settle(pilot)
        assert isinstance(app.screen, CodeScreen)
        assert "已经投过票" in _msg(app.screen, "#code-msg")
    assert len(_ballots(room_id)) == 1


async def test_abandon_needs_two_presses_and_keeps_the_code(room):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.code import CodeScreen
    from pingyi.screens.kiosk.rating import RatingScreen
    from pingyi.screens.work import until

    from pingyi.voting import rooms

    room_id, codes = room
    app = KioskApp(room_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await _enter_code(pilot, codes["masses"][0])
        await pilot.click("#abandon")
        assert isinstance(app.screen, RatingScreen)
        button = app.screen.query_one("#abandon")
        assert "再按一次" in str(button.label)
        await until(pilot, lambda: not button.has_class("-active"))  # a button ignores clicks while it flashes
        await pilot.click("#abandon")
        assert isinstance(app.screen, CodeScreen)
        assert "票码仍可使用" in _msg(app.screen, "#code-msg")
    assert rooms.code_counts(room_id)["masses"]["unused"] == 4


async def test_nothing_else_is_reachable(room):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.code import CodeScreen
    from pingyi.screens.kiosk.rating import RatingScreen
    from pingyi.screens.kiosk.review import ReviewScreen
    from textual.command import CommandPalette

    room_id, codes = room
    app = KioskApp(room_id)
    assert app.ENABLE_COMMAND_PALETTE is False
    assert list(app._bindings.key_to_bindings) == ["ctrl+o"]  # the organizer unlock, nothing inherited

    async def hammer(expected):
        for key in GRID_LOCK_KEYS:
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running and app.return_code is None, key
            assert not any(isinstance(s, CommandPalette) for s in app.screen_stack), key
            assert isinstance(app.screen, expected), key

    async with app.run_test(size=(100, 30)) as pilot:
        from pingyi.screens.work import settle

        await settle(pilot)
        await hammer(CodeScreen)
        await _enter_code(pilot, codes["masses"][0])
        await hammer(RatingScreen)
        await pilot.press("5", "0", "enter", "5", "0")
        await _to_review(pilot)
        assert isinstance(app.screen, ReviewScreen)
        for key in ("ctrl+p", "ctrl+q", "ctrl+c", "ctrl+z", "f1"):
            await pilot.press(key)
            assert isinstance(app.screen, ReviewScreen) and app.is_running, key
        app.action_quit  # noqa: B018 - exists but does nothing
        await app.action_quit()
        assert app.is_running


async def test_organizer_unlock_needs_an_organizer_password(room, ui_admin):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.code import CodeScreen
    from pingyi.screens.kiosk.unlock import UnlockScreen
    from pingyi.screens.work import settle

    room_id, _ = room
    app = KioskApp(room_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*"admin", "enter", *"wrong", "enter")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "账号或密码不对" in _msg(app.screen, "#unlock-msg")
        await pilot.press("escape")
        assert isinstance(app.screen, CodeScreen)
        await pilot.press("ctrl+o", *"admin", "enter", *PASSWORD, "enter")
        await settle(pilot)
    assert app.return_code == 0


async def test_closed_room_says_so(room, ui_admin):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.work import settle

    from pingyi.voting import rooms

    room_id, codes = room
    rooms.close_room(ui_admin, room_id)
    app = KioskApp(room_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "已结束" in _msg(app.screen, "#code-msg")
        await _enter_code(pilot, codes["masses"][0])
        assert "已结束" in _msg(app.screen, "#code-msg")


async def test_120_persons_scroll_and_submit(ui_admin, tmp_path):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.done import DoneScreen
    from pingyi.screens.kiosk.rating import RatingScreen
    from pingyi.screens.work import settle

    room_id, codes = make_room(ui_admin, tmp_path, "BIG", persons=120)
    app = KioskApp(room_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await _enter_code(pilot, codes["masses"][0])
        assert isinstance(app.screen, RatingScreen)
        grid = app.screen.query_one("#grid")
        assert grid.row_count == 120
        await pilot.press("ctrl+end")  # to the last row
        await pilot.pause()
        assert grid.cursor_coordinate == (119, 3)
        assert grid.scroll_y > 100  # the grid scrolled to show the cursor row
        await pilot.press("4", "0", "enter", "a")
        assert app.screen.ballot.cells["P120"] == ["40", "好"]
        await _to_review(pilot)
        review = app.screen.query_one("#review-grid")
        assert review.row_count == 120
        await pilot.click("#submit")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
    assert _totals(room_id)["P120"] == 900



@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_long_units_never_push_the_scores_off_screen(ui_admin, tmp_path, size):
    """A long 单位·职务 is cut with 「…」; every score column and 状态 stay on screen."""
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.rating import RatingScreen

    from pingyi.people import roster
    from pingyi.voting import rooms

    setup_scheme(ui_admin, tmp_path)
    long_unit = "县人力资源和社会保障局劳动保障监察大队"
    roster.import_roster(ui_admin, write(tmp_path, "long.csv", "编号,姓名,单位,职务,类别,分管领导\n"
                                         f"L01,欧阳明华,{long_unit},综合执法一中队中队长,大会,\n"
                                         "L02,王伟,财政局,股长,大会,\n"))
    open_room(ui_admin, "测试方案", "LONG", persons="category:大会", quotas={"masses": 1, "npc": 0})
    code = next(c for _, c in rooms.issue_codes(ui_admin, "LONG"))
    app = KioskApp("LONG")
    async with app.run_test(size=size) as pilot:
        await _enter_code(pilot, code)
        assert isinstance(app.screen, RatingScreen)
        grid = app.screen.query_one("#grid")
        assert grid.virtual_size.width <= grid.size.width
        unit = str(grid.get_cell("L01", "unit"))
        assert unit.startswith("县人力资源") and (unit.endswith("…") if size[0] == 80 else "中队长" in unit)
        assert str(grid.get_cell("L02", "unit")) == "财政局 股长"
        below = str(app.screen.query_one("#rate-msg").render())   # the cursor row, cut in the grid: in full
        assert (f"欧阳明华 · {long_unit} 综合执法一中队中队长" in below) == (size[0] == 80)
        await pilot.press("down")
        assert str(app.screen.query_one("#rate-msg").render()) == ""

# ---- pure parts ------------------------------------------------------------------

def test_throttle_grows_and_resets():
    from pingyi.voting.throttle import Throttle

    clock = FakeClock()
    t = Throttle(free=2, base=2.0, factor=2.0, cap=10.0, clock=clock)
    assert [t.refused() for _ in range(6)] == [0.0, 0.0, 2.0, 4.0, 8.0, 10.0]
    assert t.remaining() == pytest.approx(10.0)
    clock.now += 3
    assert t.remaining() == pytest.approx(7.0)
    t.accepted()
    assert t.remaining() == 0.0 and t.refused() == 0.0


def test_number_shape_while_typing():
    from pingyi.screens.kiosk.rating import _number_shape

    assert all(_number_shape(s) for s in ("4", "45", "45.", "45.5", ".", ".5", "100"))
    assert not any(_number_shape(s) for s in ("45.55", "4.5.", "1000", "", "a"))


# ---- command line ------------------------------------------------------------------

def _run(argv, env, monkeypatch, capsys):
    from pingyi.cli import main

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(SystemExit) as exc:
        main(argv)
    return exc.value.code, capsys.readouterr().err


def test_kiosk_command_refusals(room, ui_admin, sqlite_db, monkeypatch, capsys):
    from pingyi.people import accounts

    accounts.add_user(ui_admin, "viewer", "organizer", "viewer-pass-1")
    code, err = _run(["--db", sqlite_db, "--user", "admin", "kiosk", "NOPE"], {"PINGYI_PASSWORD": PASSWORD},
                     monkeypatch, capsys)
    assert code != 0 and "没有这个会场" in err
    code, err = _run(["--db", sqlite_db, "--user", "admin", "kiosk", "K1"], {"PINGYI_PASSWORD": "bad"},
                     monkeypatch, capsys)
    assert code == 3 and "账号或密码不对" in err


async def test_abandoned_ballot_is_cleared_after_idle(room):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.code import CodeScreen
    from pingyi.screens.kiosk.rating import RatingScreen
    from pingyi.screens.work import until

    from pingyi.voting import rooms

    room_id, codes = room
    now = [1000.0]
    app = KioskApp(room_id, idle_seconds=60, clock=lambda: now[0])  # time moves only when the test says
    async with app.run_test(size=(100, 30)) as pilot:
        await _enter_code(pilot, codes["masses"][0])
        await pilot.press("4", "5")
        assert isinstance(app.screen, RatingScreen)
        now[0] += 40
        await pilot.press("enter")  # activity keeps it
        now[0] += 40                # 40 s since the last key: not idle yet
        app._check_idle()
        await pilot.pause()
        assert isinstance(app.screen, RatingScreen)
        now[0] += 21                # 61 s since the last key
        app._check_idle()
        await until(pilot, lambda: isinstance(app.screen, CodeScreen))
        assert "票码仍可使用" in _msg(app.screen, "#code-msg")
    assert rooms.code_counts(room_id)["masses"]["unused"] == 4


async def test_roster_text_is_never_markup(ui_admin, tmp_path):
    """A name like "[@click=app.quit]…" is shown as typed, not run."""
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.kiosk.rating import RatingScreen

    from pingyi.people import roster

    room_id, codes = make_room(ui_admin, tmp_path)
    evil = "编号,姓名,单位,职务\nA01,[b]王伟[/b],[@click=app.quit]财政局,股长\n"
    roster.import_roster(ui_admin, write(tmp_path, "evil.csv", evil))
    app = KioskApp(room_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await _enter_code(pilot, codes["masses"][0])
        assert isinstance(app.screen, RatingScreen)
        grid = app.screen.query_one("#grid")
        assert str(grid.get_cell("A01", "name")) == "[b]王伟[/b]"
        assert str(grid.get_cell("A01", "unit")).startswith("[@click=app.quit]财政局")
