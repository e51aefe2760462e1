"""The app shell: login, home dashboard, navigation registry, palette, themes."""
from __future__ import annotations

from tests.conftest import PASSWORD
from tests.ui_support import demo_db, make, ui_admin, ui_contract  # noqa: F401


def _app(db_url, **kw):
    return make(db_url, **kw)


async def test_login_refuses_then_accepts(sqlite_db, ui_admin):
    from pingyi.screens.home import HomeScreen
    from pingyi.screens.login import LoginScreen
    from pingyi.screens.work import settle

    app = _app(sqlite_db)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await pilot.click("#login-user")
        await pilot.press(*"admin", "enter", *"wrong-pass", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "账号或密码不对" in str(app.screen.query_one("#login-message").render())
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.actor.name == "admin"
        assert "pingyi.db" in app.sub_title and "admin" in app.sub_title


async def test_login_says_when_database_has_no_accounts(sqlite_db):
    from pingyi.screens.work import settle

    app = _app(sqlite_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "pingyi init" in str(app.screen.query_one("#login-message").render())


async def test_home_lists_rooms_and_counts(sqlite_db, ui_contract, ui_admin):
    from pingyi.screens.home import HomeScreen
    from pingyi.screens.work import settle

    app = _app(sqlite_db, actor=ui_admin)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#rooms")
        assert table.row_count == 1
        assert table.get_row("DEMO1")[2] == "已结束"
        assert "待审预警建议" in str(app.screen.query_one("#todo").render())


async def test_navigation_and_theme(sqlite_db, ui_admin):
    from pingyi.screens.roster import RosterScreen
    from pingyi.screens.work import settle

    app = _app(sqlite_db, actor=ui_admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        app.go("h")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "打开：名单" in titles and "切换明暗主题" in titles


async def test_work_error_becomes_chinese_notification(sqlite_db, ui_admin):
    from pingyi.screens.work import request, settle

    from pingyi.common.errors import InputError

    def refuse():
        raise InputError("名单有 2 处错误，未导入。", ["第 2 行：缺少姓名", "第 3 行：缺少单位"])

    app = _app(sqlite_db, actor=ui_admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        request(app.screen, None, refuse)
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("名单有 2 处错误" in m and "第 3 行：缺少单位" in m for m in messages)


async def test_home_turnout_follows_ballots_from_elsewhere(demo_db):
    from pingyi.screens.work import settle, until

    from pingyi.people.accounts import Actor
    from pingyi.voting import ballots

    url, result = demo_db
    app = make(url, actor=Actor("huiwu", "organizer"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#rooms")
        assert table.get_row("R2603")[3] == "20/35"
        group, code = result.codes[0]
        ballots.submit("R2603", code, {"WHJC05": ["差", "一般"]})
        await until(pilot, lambda: table.get_row("R2603")[3] == "21/35")  # the home poll, no key press
        from pingyi.voting import rooms  # closed from another terminal
        rooms.close_room(Actor("huiwu", "organizer"), "R2603")
        await until(pilot, lambda: table.get_row("R2603")[2] == "已结束")


async def test_menu_keys_follow_the_role(sqlite_db, ui_admin):
    """An organizer sees no 预警/导出 keys in the footer, and pressing them does nothing."""
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    app = _app(sqlite_db, actor=Actor("org", "organizer"))
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        shown = {b.binding.key for b in app.screen.active_bindings.values()
                 if b.binding.show and app.screen.check_action(b.binding.action.split("(")[0],
                                                               (b.binding.key,)) is not False}
        assert {"m", "r", "s"} <= shown and not {"w", "x"} & shown
        await pilot.press("w")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"
    app = _app(sqlite_db, actor=ui_admin)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert app.screen.__class__.__name__ != "HomeScreen"
