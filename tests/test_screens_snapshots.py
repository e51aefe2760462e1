"""Snapshots of the home, room and results screens on the seeded demo county
(fixed terminal sizes; the header's database path is pinned)."""
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
    await pilot.pause()
    await settle(pilot)


def test_home_snapshot(demo_db, snap_compare):
    url, _ = demo_db
    assert snap_compare(make(url, actor=_organizer()), terminal_size=(80, 24), run_before=_ready)


def test_room_snapshot(demo_db, snap_compare):
    from pingyi.screens.room import RoomScreen

    url, result = demo_db

    async def run_before(pilot):
        await _ready(pilot, lambda: RoomScreen(result.open_room, actor=_organizer()))

    assert snap_compare(make(url, actor=_organizer()), terminal_size=(80, 24), run_before=run_before)


def test_results_snapshot(demo_db, snap_compare):
    from pingyi.screens.results import ResultsScreen

    url, _ = demo_db

    async def run_before(pilot):
        await _ready(pilot, lambda: ResultsScreen("R2602"))

    assert snap_compare(make(url, actor=_organizer()), terminal_size=(120, 36), run_before=run_before)


def test_results_chart_snapshot(demo_db, snap_compare):
    from pingyi.screens.results import ResultsScreen

    url, _ = demo_db

    async def run_before(pilot):
        await _ready(pilot, lambda: ResultsScreen("R2602"))
        pilot.app.screen.query_one("#results-tabs").active = "tab-chart"
        await pilot.pause()

    assert snap_compare(make(url, actor=_organizer()), terminal_size=(80, 24), run_before=run_before)


def test_schemes_snapshot(demo_db, snap_compare):
    url, _ = demo_db
    assert snap_compare(make(url, actor=_organizer(), start="s"), terminal_size=(80, 24), run_before=_ready)


def test_roster_snapshot(demo_db, snap_compare):
    """The roster at 80×24 with one person deactivated: dimmed, marked 停用, the status filter beside the unit."""
    from pingyi.people import roster

    url, _ = demo_db
    second = roster.list_persons(limit=2)[1].code
    roster.set_active(_organizer(), [second], False)
    assert snap_compare(make(url, actor=_organizer(), start="r"), terminal_size=(80, 24), run_before=_ready)


def _commission():
    from pingyi.people.accounts import Actor

    return Actor("jiwei1", "commission")


def test_desk_snapshot(demo_db, snap_compare, monkeypatch):
    """The proposals tab at 80×24: names, not codes; 来源 uncut; the highlighted reason in full below."""
    url, _ = demo_db
    monkeypatch.setenv("PINGYI_TODAY", "2026-11-20")

    async def run_before(pilot):
        await _ready(pilot)
        pilot.app.sub_title = "演示数据库 · jiwei1（纪委）"
        await pilot.pause()

    assert snap_compare(make(url, actor=_commission(), start="w"), terminal_size=(80, 24), run_before=run_before)


def test_desk_ledger_snapshot(demo_db, snap_compare, monkeypatch):
    """The ledger tab at 80×24: a person and a unit by name, the entries of the highlighted row."""
    from pingyi.desk import ledger

    url, _ = demo_db
    monkeypatch.setenv("PINGYI_TODAY", "2026-11-20")
    ledger.deduct(_commission(), "CZ02", "6", "违规收受礼品", source="信访举报", date="2026-11-02")
    ledger.deduct(_commission(), "CZ01", "3", "上班时间打牌", source="明查暗访", date="2026-11-03")
    ledger.deduct(_commission(), "财政局", "2", "作风整治不力", source="专项检查", date="2026-11-04")

    async def run_before(pilot):
        from pingyi.screens.work import settle

        await _ready(pilot)
        pilot.app.sub_title = "演示数据库 · jiwei1（纪委）"
        await pilot.press("4")
        await settle(pilot)
        await pilot.pause()

    assert snap_compare(make(url, actor=_commission(), start="w"), terminal_size=(80, 24), run_before=run_before)
