"""Snapshots of the screens issue 12 added, at 80×24 on the demo county
(the header's database path is pinned)."""
from __future__ import annotations

from tests.ui_support import demo_db, make  # noqa: F401


def _organizer():
    from pingyi.people.accounts import Actor

    return Actor("huiwu", "organizer")


async def _ready(pilot, push=None):
    from pingyi.screens.work import settle

    await settle(pilot)
    if push is not None:
        pilot.app.push_screen(push())
        await settle(pilot)
    pilot.app.sub_title = "演示数据库 · huiwu（会务）"
    await pilot.pause(0.1)
    await settle(pilot)


def test_schemes_snapshot(demo_db, snap_compare):
    url, _ = demo_db
    assert snap_compare(make(url, actor=_organizer(), start="s"), terminal_size=(80, 24), run_before=_ready)
