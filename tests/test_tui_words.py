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


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _shown_bindings(monkeypatch):
    """(class, binding) for every binding a footer can show: pingyi's screens and widgets, and the
    Textual widgets they put on screen (the Select popup among them)."""
    import importlib
    import pkgutil

    import pingyi.screens
    from pingyi.screens.widgets import chinese_select_keys
    from textual.dom import DOMNode
    from textual.widgets._select import SelectOverlay

    # what the app installs when it starts (undone afterwards: the popup test checks the app does it)
    monkeypatch.setattr(SelectOverlay, "BINDINGS", SelectOverlay.BINDINGS)
    monkeypatch.setattr(SelectOverlay, "_merged_bindings", SelectOverlay._merged_bindings)
    chinese_select_keys()
    for info in pkgutil.walk_packages(pingyi.screens.__path__, "pingyi.screens."):
        importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for cls in set(subclasses(DOMNode)):
        if cls.__module__.startswith(("textual.demo", "textual._markup_playground")):
            continue  # Textual's own demo apps, never shown by pingyi
        for bindings in cls._merged_bindings.key_to_bindings.values() if cls._merged_bindings else ():
            for binding in bindings:
                if binding.show and binding.description:
                    yield cls, binding


def test_no_english_binding_description_in_a_footer(monkeypatch):
    english = sorted({f"{cls.__module__}.{cls.__name__}: {b.key} {b.description!r}"
                      for cls, b in _shown_bindings(monkeypatch) if not _CJK.search(b.description)})
    # Link and the command palette have no footer of their own in pingyi
    english = [e for e in english if not e.startswith(("textual.widgets._link.", "textual.command."))]
    assert not english, "\n".join(english)


async def test_select_popup_footer_is_chinese(demo_db):
    from pingyi.screens.work import settle
    from textual.widgets import Select

    from pingyi.people.accounts import Actor

    url, _ = demo_db
    app = make(url, actor=Actor("huiwu", "organizer"), start="r")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        select = app.screen.query_one("#roster-unit", Select)
        select.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert select.expanded
        footer = _text(app).splitlines()[-1]
        assert "收起列表" in footer and "Dismiss" not in footer, footer
