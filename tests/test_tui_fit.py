"""The commission's and the admin's screens at 80×24 on the demo county: the pending talks stay on screen
under a long index list, an empty list says what fills it, the forms and summaries read as a user expects
(footers: tests/test_tui_footers.py)."""
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


async def test_pending_talks_stay_in_view_under_a_long_index_list(demo_db, today):
    """120 computed indexes fill the tab; the talks the t and p keys act on are still on screen."""
    from pingyi.screens.work import settle

    from pingyi.desk import integrity

    url, _ = demo_db
    jiwei = _actor("jiwei1", "commission")
    integrity.set_inputs(jiwei, "CZ02", YEAR, manual="70", veto="受到党内警告处分")
    integrity.compute(jiwei, YEAR, ["R2602"])
    app = make(url, actor=jiwei)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        desk = app.screen
        await pilot.press("5")
        await settle(pilot)
        assert desk.query_one("#indexes").row_count == 120
        talks = desk.query_one("#talks")
        assert talks.row_count == 1 and talks.has_focus
        # header and the one talk on screen, above the footer
        assert talks.region.height >= 2 and talks.region.bottom <= 23
        assert desk.query_one("#talks-panel").border_title == "待办廉政谈话"


async def test_empty_ledger_and_integrity_say_what_fills_them(demo_db, today):
    from pingyi.screens.work import settle

    url, _ = demo_db
    app = make(url, actor=_actor("jiwei1", "commission"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        desk = app.screen
        await pilot.press("4")
        await settle(pilot)
        assert "还没有扣分记录；按 k 扣分" in str(desk.query_one("#ledger-detail").render())
        await pilot.press("5")
        await settle(pilot)
        hint = desk.query_one("#indexes-empty")
        assert hint.display and f"{YEAR} 年度还没有计算廉洁指数" in str(hint.render())
        assert not desk.query_one("#indexes").display
        assert desk.query_one("#talks-empty").display and not desk.query_one("#talks").display
        assert desk.query_one("#talks-empty").region.bottom <= 23


async def test_new_account_roles_read_in_chinese(demo_db, today):
    """The role picker names 会务 / 纪委 / 管理员 (no English codes) and says what the chosen role may do."""
    import re

    from pingyi.screens.work import settle
    from textual.widgets import Select

    url, _ = demo_db
    app = make(url, actor=_actor("admin", "admin"), start="u")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        role = dialog.query_one("#acc-role", Select)
        prompts = [str(prompt) for prompt, _ in role._options]
        assert prompts == ["会务", "纪委", "管理员"]
        assert not any(re.search("[A-Za-z]", p) for p in prompts)
        assert "计票和结果" in str(dialog.query_one("#acc-role-can").render())
        role.value = "commission"
        await settle(pilot)
        assert "预警起草与审批" in str(dialog.query_one("#acc-role-can").render())
        assert dialog.query_one("#ok").region.bottom <= 24


async def test_policy_summary_shows_a_real_number(demo_db, today):
    """The summary shows what a 文号 looks like this year, not the placeholder 「预警〔年〕N号」."""
    from pingyi.screens.work import settle

    url, _ = demo_db
    app = make(url, actor=_actor("jiwei1", "commission"), start="p")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#policy-summary").render())
        assert f"文号如：预警〔{YEAR}〕1号" in text and "〔年〕" not in text
        flat = text.replace("\n", "")
        assert "预警线：蓝色 3 分、黄色 6 分、红色 12 分；扣分达 6 分不得评优；廉洁指数低于 80 分" in flat


async def test_deduct_form_lists_preset_items_lightest_first_never_split(demo_db, today):
    """The preset items under 分值 go from 1 to 12 points, and no line ends between an item and its points."""
    import re

    from pingyi.screens.work import settle

    url, _ = demo_db
    app = make(url, actor=_actor("jiwei1", "commission"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        hint = next(s for s in app.screen.query("Static") if "扣分标准：" in str(s.render()))
        shown = "\n".join(hint.render_line(y).text.rstrip() for y in range(hint.size.height))
        lines = [line.strip() for line in shown.removeprefix("扣分标准：").split("\n")]
        assert len(lines) > 1                                   # it wraps at 80 columns
        items = [item for line in lines for item in line.split("　") if item]
        assert all(re.fullmatch(r"\D+[0-9]+(\.[0-9])?分", item) for item in items), lines
        points = [float(re.search(r"[0-9.]+", item).group()) for item in items]
        assert points == sorted(points) and points[0] == 1 and points[-1] == 12
        assert "书面检查1.5分" in items and "撤职及以上12分" in items


async def test_draft_form_says_when_the_facts_are_required(demo_db, today):
    """From a proposal the facts may stay empty (the proposal's reason is used); drafted by hand they are
    required, and the empty field says so instead of talking about a proposal there is none of."""
    from pingyi.screens.work import settle

    url, _ = demo_db
    app = make(url, actor=_actor("jiwei1", "commission"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.query_one("#d-facts").placeholder == "可留空：沿用建议的事由"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#d-facts").placeholder == "必填：查明的事实与理由"
