"""Snapshots of the kiosk's code prompt and rating grid (fixed data, size, no blink)."""
from __future__ import annotations

import pytest

from tests.test_kiosk import make_room
from tests.ui_support import ui_admin  # noqa: F401


@pytest.fixture
def room(ui_admin, tmp_path):
    return make_room(ui_admin, tmp_path)


async def _still(pilot) -> None:
    from pingyi.screens.work import settle
    from textual.widgets import Input

    await settle(pilot)
    for box in pilot.app.query(Input):
        box.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_code_prompt(snap_compare, room, size):
    from pingyi.screens.kiosk.app import KioskApp

    room_id, _ = room
    assert snap_compare(KioskApp(room_id), terminal_size=size, run_before=_still)


def test_rating_grid(snap_compare, room):
    from pingyi.screens.kiosk.app import KioskApp

    room_id, codes = room

    async def rate(pilot):
        await _still(pilot)
        await pilot.press(*codes["masses"][0].lower(), "enter")
        await _still(pilot)
        # A01 45.5 / 好, A02 abstains, A03 only one value (flagged), A04 70 (out of range).
        await pilot.press("4", "5", ".", "5", "enter", "a", "down", "space", "down", "left", "3", "0",
                          "down", "7", "0")
        await pilot.pause()

    assert snap_compare(KioskApp(room_id), terminal_size=(80, 24), run_before=rate)
