"""Every footer fits 80 columns: on each screen an organizer, a commission clerk and an admin open,
at 80×24 on the demo county, every key the footer shows is whole and left of the palette key, and
「^q 退出」 is among them (the roster cut it). Keys that do not apply here and now are hidden; the
roster's F1 help still lists what applies."""
from __future__ import annotations

import pytest

from tests.ui_support import demo_db, make  # noqa: F401

SIZE = (80, 24)


def footer_problems(app) -> list[str]:
    """What is wrong with the footer in front: keys cut or hidden behind the palette key, no 退出."""
    from textual.widgets._footer import FooterKey, FooterLabel

    screen = app.screen
    keys = list(screen.query(FooterKey))
    palette = [k for k in keys if k.has_class("-command-palette")]
    limit = palette[0].region.x if palette else SIZE[0]
    problems = []
    for k in keys:
        if k in palette:
            continue
        whole = k.get_content_width(screen.size, screen.size)
        if k.region.width != whole or k.region.right > limit:
            problems.append(f"{k.key_display} {k.description} cut")
    for label in screen.query(FooterLabel):
        if label.region.width < label.get_content_width(screen.size, screen.size) or label.region.right > limit:
            problems.append(f"{label.render()} cut")
    if not any(k.key_display == "^q" and k.description == "退出" for k in keys if k not in palette):
        problems.append("no ^q 退出")
    return [f"{type(screen).__name__}: {p}" for p in problems]


def shown(app) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [k.key_display + (" " + k.description if k.description else "")
            for k in app.screen.query(FooterKey) if not k.has_class("-command-palette")]


async def _look(pilot, app, seen: list[str], label: str) -> None:
    from pingyi.screens.work import settle

    await settle(pilot)
    await pilot.pause()
    seen.extend(f"{label} {p}" for p in footer_problems(app))


@pytest.mark.parametrize("name, role", [("huiwu", "organizer"), ("jiwei1", "commission"), ("admin", "admin")])
async def test_every_footer_fits_80_columns(demo_db, name, role):
    from pingyi.screens import nav
    from pingyi.screens.help import HelpScreen
    from pingyi.screens.paper import PaperScreen
    from pingyi.screens.results import ResultsScreen
    from pingyi.screens.room import RoomScreen
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    url, result = demo_db
    actor = Actor(name, role)
    app = make(url, actor=actor, start="h")
    problems: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await _look(pilot, app, problems, "h")
        await pilot.press("f1")                               # home: every page the role may open
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_text = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        assert all(item.label in help_text for item in nav.allowed(actor) if item.key != "h"), help_text
        await pilot.press("escape")
        for item in nav.allowed(actor):
            if item.key == "h":
                continue
            app.go(item.key)
            await _look(pilot, app, problems, item.key)
            if item.key == "w":                               # the desk: each tab has its keys
                for tab in "12345":
                    await pilot.press(tab)
                    await _look(pilot, app, problems, f"w{tab}")
            if item.key in ("m", "s"):                        # the create room form, the scheme editor
                await pilot.press("n")
                await _look(pilot, app, problems, f"{item.key}n")
        app.go("h")
        for push in (lambda: RoomScreen(result.open_room, actor=actor),
                     lambda: PaperScreen(result.open_room, actor=actor),
                     lambda: ResultsScreen("R2602")):
            app.push_screen(push())
            await _look(pilot, app, problems, type(app.screen).__name__)
            app.pop_screen()
    assert problems == []


async def test_roster_footer_shows_the_keys_that_apply(demo_db, monkeypatch):
    """Page keys only when there is such a page (「翻页」 for both), d only on a person in the table
    and saying what it does to them (停用 / 启用), ^f only outside the search field; ^q 退出 always."""
    from pingyi.screens import roster as roster_screen
    from pingyi.screens import widgets
    from pingyi.screens.help import HelpScreen
    from pingyi.screens.work import settle, until
    from textual.widgets._footer import FooterLabel

    from pingyi.people import roster
    from pingyi.people.accounts import Actor

    monkeypatch.setattr(widgets, "PAGE", 50)                  # 120 persons: three pages
    monkeypatch.setattr(roster_screen, "PAGE", 50)
    url, _ = demo_db
    second = roster.list_persons(limit=2)[1].code
    roster.set_active(Actor("huiwu", "organizer"), [second], False)
    app = make(url, actor=Actor("huiwu", "organizer"), start="r")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.pause()
        # (the page keys come first, in the table's order of keys, as they always did)
        assert shown(app) == ["pgdn 下一页", "esc 返回", "^f 搜索", "^o 导入名单", "d 停用", "^q 退出"]
        assert footer_problems(app) == []
        await pilot.press("down")                             # the deactivated person
        await settle(pilot)
        await pilot.pause()
        assert "d 启用" in shown(app) and "d 停用" not in shown(app)

        await pilot.press("pagedown")                         # the middle page: both page keys
        await settle(pilot)
        await pilot.pause()
        assert screen.page == 1
        assert shown(app) == ["pgup", "pgdn", "esc 返回", "^f 搜索", "^o 导入名单", "d 停用", "^q 退出"]
        assert [str(label.render()) for label in app.screen.query(FooterLabel)] == ["翻页"]
        assert footer_problems(app) == []
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_text = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        for words in ("上一页", "下一页", "搜索", "导入名单文件", "停用选中的人员"):
            assert words in help_text, words
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("pagedown")                         # the last page: no next page
        await settle(pilot)
        await pilot.pause()
        assert screen.page == 2 and "pgup 上一页" in shown(app) and not any("pgdn" in k for k in shown(app))

        await pilot.press("ctrl+f")                           # typing a search: d types, ^f is where it is
        await until(pilot, lambda: app.focused is screen.query_one("#roster-search"))
        await pilot.pause()
        assert not any(k.startswith(("d ", "^f")) for k in shown(app))
        assert footer_problems(app) == []


async def test_desk_rectify_footer_follows_the_warning(demo_db):
    """The rectify tab showed all six steps (^q 退出 cut): now the steps the highlighted warning
    can take: a report while none waits, then 验收/退回, 办结 once rectified."""
    from pingyi.screens.desk.screen import DeskScreen
    from pingyi.screens.work import settle

    from pingyi import proposals
    from pingyi.desk import alerts
    from pingyi.people.accounts import Actor

    url, _ = demo_db
    drafter, approver = Actor("jiwei1", "commission"), Actor("jiwei2", "commission")
    wid = alerts.draft(drafter, proposal=proposals.list_proposals()[0].id, deadline="2026-12-31").id
    alerts.approve(approver, wid)
    app = make(url, actor=approver, start="w")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        desk = app.screen
        assert isinstance(desk, DeskScreen)
        await pilot.press("3")
        for step, keys in [(None, ["esc 返回", "p 通知书PDF", "f 整改反馈", "o 逾期升级", "^q 退出"]),
                           (lambda: alerts.feedback(approver, wid, "已整改"),
                            ["esc 返回", "p 通知书PDF", "v 验收", "b 退回", "o 逾期升级", "^q 退出"]),
                           (lambda: alerts.verify(approver, wid),
                            ["esc 返回", "p 通知书PDF", "c 办结", "o 逾期升级", "^q 退出"])]:
            if step is not None:
                step()
                await pilot.press("f5")
            await settle(pilot)
            await pilot.pause()
            assert shown(app) == keys
            assert footer_problems(app) == []
