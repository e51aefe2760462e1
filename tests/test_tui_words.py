"""What users read carries no internal key: the screens an organizer and a commission
clerk use, rendered at 80×24 on the demo county, show indicator and group names,
levels, statuses and roles in words, never their keys (``clean``, ``masses``, ``blue``)."""
from __future__ import annotations

import html
import re

import pytest

from tests.ui_support import demo_db, make  # noqa: F401

KEYS = re.compile(r"(?<![A-Za-z_])(perf|clean|masses|owners|npc|cppcc|clients|blue|yellow|red|draft|issued|"
                  r"rectified|overdue|pending|organizer|commission|streak|ledger|yellow_twice|shuangding|"
                  r"room\.[a-z_]+|warning\.[a-z_]+)(?![A-Za-z_])")


def _text(app) -> str:
    svg = app.export_screenshot()
    rows: dict[float, list[str]] = {}
    for m in re.finditer(r'<text[^>]*y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(float(m.group(1)), []).append(html.unescape(re.sub("<[^>]+>", "", m.group(2))))
    return "\n".join("".join(v) for _, v in sorted(rows.items()))


@pytest.mark.parametrize("who, role, start, keys", [
    ("huiwu", "organizer", "h", ()),
    ("huiwu", "organizer", "m", ()),
    ("huiwu", "organizer", "l", ()),
    ("huiwu", "organizer", "a", ()),
    ("jiwei1", "commission", "w", ("1", "2", "3", "4", "5")),
])
async def test_screens_show_words_not_keys(demo_db, who, role, start, keys):
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    url, _ = demo_db
    app = make(url, actor=Actor(who, role), start=start)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen = [_text(app)]
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
            seen.append(_text(app))
        found = {m.group(1) for text in seen for m in KEYS.finditer(text)}
        assert not found, f"internal keys on screen: {sorted(found)}\n" + "\n".join(seen)


async def test_results_show_group_names(demo_db):
    from pingyi.screens.results import ResultsScreen
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    url, _ = demo_db
    app = make(url, actor=Actor("huiwu", "organizer"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.push_screen(ResultsScreen("R2602"))
        await settle(pilot)
        text = _text(app)
        assert not {m.group(1) for m in KEYS.finditer(text)}, text
