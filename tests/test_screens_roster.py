"""Roster and schemes screens: paging, search, import with a preview, scheme view."""
from __future__ import annotations

from tests.conftest import DATA
from tests.ui_support import demo_db, make, ui_admin  # noqa: F401


async def test_roster_pages_and_searches(demo_db):
    from pingyi.screens.roster import RosterScreen
    from pingyi.screens.work import settle, until

    from pingyi.people.accounts import Actor

    url, _ = demo_db
    app = make(url, actor=Actor("huiwu", "organizer"), start="r")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RosterScreen)
        table = screen.query_one("#roster")
        assert table.row_count == 100 and screen.total == 120
        assert "第 1/2 页" in str(screen.query_one("#roster-status").render())
        await pilot.press("pagedown")
        await settle(pilot)
        assert table.row_count == 20 and table.get_row_at(0)[0] > "LY"
        await pilot.press("ctrl+f", *"刘某")
        await until(pilot, lambda: table.row_count == 1)  # after the search's debounce
        assert screen.page == 0
        assert table.get_row_at(0)[:3] == ["WHJC05", "刘某", "文化稽查大队"]
        screen.query_one("#roster-search").value = ""
        screen.query_one("#roster-unit").value = "民政局"
        await until(pilot, lambda: screen.total == 12)
        assert screen.total == 12 and {table.get_row_at(i)[2] for i in range(12)} == {"民政局"}


async def test_roster_import_shows_preview_then_imports(sqlite_db, ui_admin, tmp_path):
    from pingyi.screens.dialogs import Confirm, PickFile
    from pingyi.screens.work import settle

    from pingyi.people.roster import count_persons

    app = make(sqlite_db, actor=ui_admin, start="r")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, PickFile)
        app.screen.query_one("#pick-path").value = str(DATA / "roster.csv")
        await pilot.click("#ok")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        body = str(app.screen.query_one("#confirm-body").render())
        assert "新增 5 人" in body and "新单位 4 个" in body
        assert count_persons() == 0            # the preview changed nothing
        await pilot.click("#ok")
        await settle(pilot)
        assert count_persons() == 5
        assert app.screen.query_one("#roster").row_count == 5


async def test_roster_import_refusal_is_shown(sqlite_db, ui_admin, tmp_path):
    from pingyi.screens.work import settle

    bad = tmp_path / "bad.csv"
    bad.write_text("编号,姓名,单位\nX1,,财政局\n", encoding="utf-8")
    app = make(sqlite_db, actor=ui_admin, start="r")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen._picked(bad)
        await settle(pilot)
        from pingyi.screens.dialogs import Problems

        assert isinstance(app.screen, Problems)        # a panel that stays, not a toast
        shown = "".join(str(app.screen.query_one(w).render()) for w in ("#problems-head", "#problems-lines"))
        assert "bad.csv：名单有 1 处错误" in shown and "第 2 行：缺少姓名" in shown


async def test_schemes_screen_describes_scheme(demo_db):
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    url, _ = demo_db
    app = make(url, actor=Actor("huiwu", "organizer"), start="s")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#scheme-text").render())
        for word in ("评绩", "较好", "群众代表", "服务对象", "0.15", "去掉 1 个最高分"):
            assert word in text
