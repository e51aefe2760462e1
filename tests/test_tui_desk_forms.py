"""Desk forms at 80×24: a deduction with a person picker, source and date; rectification
feedback with its date; integrity inputs and compute; a refused value stays in the form
with the reason shown inside (no toast-and-close); a TUI draft gets the CLI's default deadline."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.ui_support import make, ui_admin  # noqa: F401

SIZE = (80, 24)


@pytest.fixture
def desk_db(sqlite_db, ui_admin, tmp_path, monkeypatch):
    from pingyi.people import accounts, roster
    from tests.helpers import ROSTER, write

    monkeypatch.setenv("PINGYI_TODAY", "2026-04-01")
    roster.import_roster(ui_admin, write(tmp_path, "roster.csv", ROSTER))
    wang = accounts.add_user(ui_admin, "wang", "commission", PASSWORD)
    li = accounts.add_user(ui_admin, "li", "commission", PASSWORD)
    return sqlite_db, wang, li


async def _desk(pilot, tab: str):
    from pingyi.screens.desk.screen import DeskScreen
    from pingyi.screens.work import settle

    await settle(pilot)
    pilot.app.push_screen(DeskScreen(pilot.app.actor))
    await settle(pilot)
    await pilot.press(tab)
    await settle(pilot)
    return pilot.app.screen


def _refusal(app) -> str:
    return str(app.screen.query_one("#dialog-error").render())


async def test_deduct_with_picker_source_and_date(desk_db):
    from pingyi.screens.desk.forms import DeductForm, PickTarget
    from pingyi.screens.work import settle

    from pingyi.desk import ledger

    url, wang, _ = desk_db
    app = make(url, actor=wang)
    async with app.run_test(size=SIZE) as pilot:
        await _desk(pilot, "4")
        await pilot.press("k")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeductForm)
        await pilot.click("#ok")
        await settle(pilot)
        assert app.screen is form and "请先选择扣分对象" in _refusal(app)
        await pilot.click(".target-pick")
        await settle(pilot)
        assert isinstance(app.screen, PickTarget)
        await pilot.press(*"李娜")
        await pilot.pause(0.2)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form and "李娜" in str(form.query_one(".target-shown").render())
        form.query_one("#k-points").value = "书面检查"
        form.query_one("#k-source").value = "明查暗访"
        form.query_one("#k-date").value = "2026-03-15"
        await pilot.click("#ok")
        await settle(pilot)
        text = _refusal(app)
        assert app.screen is form and "事由" in text and "--" not in text    # words, never a CLI flag
        assert form.query_one("#k-points").value == "书面检查"               # the typed values stay
        form.query_one("#k-reason").value = "上班时间打牌"
        await pilot.click("#ok")
        await settle(pilot)
        assert not isinstance(app.screen, DeductForm)
    (entry,) = ledger.entries("A02")
    assert (entry.points, entry.item, entry.source, entry.date) == (15, "书面检查", "明查暗访", "2026-03-15")


async def test_feedback_date_and_bad_deadline_stay_in_dialog(desk_db, monkeypatch):
    from pingyi.screens.desk.forms import FeedbackForm
    from pingyi.screens.dialogs import Ask
    from pingyi.screens.work import settle

    from pingyi.desk import alerts

    url, wang, li = desk_db
    issued = alerts.draft(wang, target="A01", level="blue", reason="迟到", deadline="2026-04-20")
    alerts.approve(li, issued.id)
    draft = alerts.draft(wang, target="A02", level="blue", reason="早退")
    monkeypatch.setenv("PINGYI_TODAY", "2026-04-10")
    app = make(url, actor=wang)
    async with app.run_test(size=SIZE) as pilot:
        await _desk(pilot, "2")
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, Ask)
        dialog.query_one("#ask-input").value = "2026-13-45"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and dialog.query_one("#ask-input").value == "2026-13-45"
        assert "整改期限" in _refusal(app) or "日期" in _refusal(app)
        dialog.query_one("#ask-input").value = "2026-05-10"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, Ask)
        assert alerts.get(draft.id).deadline == "2026-05-10"
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackForm)
        app.screen.query_one("#fb-text").value = "已整改"
        app.screen.query_one("#fb-date").value = "2026-03-30"
        await pilot.click("#ok")
        await settle(pilot)
        assert "签发日期" in _refusal(app)                       # before the notice: refused, kept
        app.screen.query_one("#fb-date").value = "2026-04-05"
        await pilot.click("#ok")
        await settle(pilot)
        assert not isinstance(app.screen, FeedbackForm), _refusal(app)
    assert alerts.get(issued.id).feedback[-1].date == "2026-04-05"


async def test_draft_default_deadline_is_the_services(desk_db, tmp_path):
    """The form shows what the CLI would store: the policy's default (none by default)."""
    from pingyi.screens.desk.draft_form import DraftForm
    from pingyi.screens.work import settle

    from pingyi.desk import alerts, policy
    from pingyi.people import accounts

    url, wang, _ = desk_db
    app = make(url, actor=wang)
    async with app.run_test(size=SIZE) as pilot:
        await _desk(pilot, "1")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, DraftForm)
        assert app.screen.query_one("#d-deadline").value == "" == (alerts.default_deadline() or "")
        ok = app.screen.query_one("#ok")
        assert ok.region.bottom <= SIZE[1] and ok.region.right <= SIZE[0]     # reachable at 80×24
    p = tmp_path / "p.toml"
    p.write_text(policy.DEFAULT_TOML.replace("deadline_days = 0 ", "deadline_days = 30"), encoding="utf-8")
    policy.import_policy(accounts.authenticate("admin", PASSWORD), p)
    assert alerts.default_deadline() == "2026-05-01"
    app = make(url, actor=wang)
    async with app.run_test(size=SIZE) as pilot:
        await _desk(pilot, "1")
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#d-deadline").value == "2026-05-01"


async def test_integrity_inputs_and_compute(desk_db, tmp_path):
    from pingyi.screens.desk.forms import IntegrityForm, PickTarget
    from pingyi.screens.dialogs import Ask
    from pingyi.screens.work import settle

    from pingyi.desk import integrity, policy
    from pingyi.people import accounts

    url, wang, _ = desk_db
    p = tmp_path / "policy.toml"
    p.write_text(policy.DEFAULT_TOML.replace('kind = "room"', 'kind = "manual"'), encoding="utf-8")
    policy.import_policy(accounts.authenticate("admin", PASSWORD), p)
    app = make(url, actor=wang)
    async with app.run_test(size=SIZE) as pilot:
        await _desk(pilot, "5")
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, IntegrityForm)
        await pilot.click(".target-pick")
        await settle(pilot)
        assert isinstance(app.screen, PickTarget)
        await pilot.press(*"张强", "enter")
        await settle(pilot)
        form.query_one("#i-manual").value = "120"
        await pilot.click("#ok")
        await settle(pilot)
        assert app.screen is form and "述职述廉" in _refusal(app)
        form.query_one("#i-manual").value = "60"
        form.query_one("#i-veto").value = "受到党内警告处分"
        await pilot.click("#ok")
        await settle(pilot)
        assert not isinstance(app.screen, IntegrityForm), _refusal(app)
        assert integrity.get_inputs("A03", 2026).manual == "60"
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, Ask) and app.screen.query_one("#ask-input").value == "2026"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, Ask)
    results = {i.person: i for i in integrity.list_results(2026)}
    assert results["A03"].passed is False and results["A03"].talk == "pending"
