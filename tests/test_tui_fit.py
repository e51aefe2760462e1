"""The commission's screens at 80×24 on the demo county: every footer keeps 「^q 退出」 in view."""
from __future__ import annotations

import pytest

from tests.ui_support import demo_db, make  # noqa: F401

YEAR = 2026


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("PINGYI_TODAY", f"{YEAR}-11-20")


def _actor(name, role):
    from pingyi.people.accounts import Actor

    return Actor(name, role)


def _quit_in_view(screen) -> bool:
    """The footer's 退出 key ends left of the command-palette key docked on the right (not cut or hidden)."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    keys = list(screen.query_one(Footer).query(FooterKey))
    quit_key = next(k for k in keys if k.action in ("quit", "app.quit"))
    palette = next(k for k in keys if k.has_class("-command-palette"))
    return quit_key.region.width > 0 and quit_key.region.right <= palette.region.x


@pytest.mark.parametrize("who", [("admin", "admin"), ("jiwei1", "commission")])
async def test_home_footer_keeps_quit_at_80_columns(demo_db, today, who):
    from pingyi.screens.work import settle

    url, _ = demo_db
    app = make(url, actor=_actor(*who), start="h")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert _quit_in_view(app.screen)


async def test_desk_footers_keep_quit_on_every_tab(demo_db, today):
    from pingyi.screens.work import settle

    url, _ = demo_db
    app = make(url, actor=_actor("jiwei1", "commission"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        desk = app.screen
        assert desk.__class__.__name__ == "DeskScreen"
        for key in "12345":
            await pilot.press(key)
            await settle(pilot)
            assert _quit_in_view(desk), f"tab {key}"
