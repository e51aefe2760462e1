"""The warnings desk screen with Pilot: proposals inbox → draft form → approval
queue (who drafted; the drafter is refused) → notice PDF → rectification with
the overdue row highlighted; ledger and integrity tabs."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.ui_support import make, ui_admin  # noqa: F401


@pytest.fixture
def desk_db(sqlite_db, ui_admin, tmp_path, monkeypatch):
    from pingyi.desk import ledger, policy
    from pingyi.people import accounts, roster
    from tests.helpers import ROSTER, write

    monkeypatch.setenv("PINGYI_TODAY", "2026-04-01")
    roster.import_roster(ui_admin, write(tmp_path, "roster.csv", ROSTER))
    policy.set_header(ui_admin, organ="中共某某县纪律检查委员会")
    wang = accounts.add_user(ui_admin, "wang", "commission", PASSWORD)
    li = accounts.add_user(ui_admin, "li", "commission", PASSWORD)
    ledger.deduct(wang, "A01", "3", "违规收受礼品")               # → a blue ledger proposal
    return sqlite_db, wang, li


async def _open_desk(pilot):
    from pingyi.screens.desk.screen import DeskScreen
    from pingyi.screens.work import settle

    await settle(pilot)
    pilot.app.push_screen(DeskScreen(pilot.app.actor))
    await settle(pilot)
    return pilot.app.screen


async def test_proposal_to_rectification(desk_db, tmp_path, monkeypatch):
    from pingyi.screens.work import settle

    from pingyi.desk import alerts

    url, wang, li = desk_db
    app = make(url, actor=wang)
    async with app.run_test(size=(140, 40)) as pilot:
        desk = await _open_desk(pilot)
        assert desk.query_one("#proposals").row_count == 1
        assert "待审建议 1" in str(desk.query_one("#desk-counts").render())
        await pilot.press("d")                                      # draft form, prefilled from the proposal
        await settle(pilot)
        assert app.screen.__class__.__name__ == "DraftForm"
        assert "王伟（财政局）" in str(app.screen.query_one("#d-target").render())   # a name, not A01
        app.screen.query_one("#d-deadline").value = "2026-04-20"
        await pilot.click("#ok")
        await settle(pilot)
        assert desk.query_one("#proposals").row_count == 0
        desk.query_one("#desk-tabs").active = "tab-approve"
        await settle(pilot)
        drafts = desk.query_one("#drafts")
        assert drafts.row_count == 1 and drafts.get_row_at(0)[6] == "wang"   # the queue shows who drafted
        await pilot.press("a")
        await settle(pilot)
        await pilot.click("#ok")                                    # confirm: refused, wang drafted it
        await settle(pilot)
        assert any("不能审批自己起草" in n.message for n in app._notifications)
        assert alerts.list_alerts()[0].status == "draft"

    app = make(url, actor=li)
    async with app.run_test(size=(140, 40)) as pilot:
        desk = await _open_desk(pilot)
        desk.query_one("#desk-tabs").active = "tab-approve"
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.click("#ok")
        await settle(pilot)
        assert any("预警〔2026〕1号" in n.message for n in app._notifications)
        desk.query_one("#desk-tabs").active = "tab-rectify"
        await settle(pilot)
        issued = desk.query_one("#issued")
        assert issued.row_count == 1 and issued.get_row_at(0)[0] == "预警〔2026〕1号"
        pdf = tmp_path / "notice.pdf"
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one("#ask-input").value = str(pdf)
        await pilot.click("#ok")
        await settle(pilot)
        assert pdf.exists() and pdf.stat().st_size > 1000

    monkeypatch.setenv("PINGYI_TODAY", "2026-04-21")               # the day after the deadline
    app = make(url, actor=li)
    async with app.run_test(size=(140, 40)) as pilot:
        desk = await _open_desk(pilot)
        desk.query_one("#desk-tabs").active = "tab-rectify"
        await settle(pilot)
        row = desk.query_one("#issued").get_row_at(0)
        assert row[4].plain == "逾期" and "red" in str(row[4].style)
        assert "逾期整改 1" in str(desk.query_one("#desk-counts").render())
        assert desk.query_one("#proposals").row_count == 0         # opening the desk wrote nothing
        assert "1 份逾期待升级" in str(desk.query_one("#desk-counts").render())
        await pilot.press("o")                                     # the visible step records it
        await settle(pilot)
        assert desk.query_one("#proposals").row_count == 1         # escalation proposal (yellow)
        assert "份逾期待升级" not in str(desk.query_one("#desk-counts").render())
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#fb-text").value = "已退还礼品并作检查"
        await pilot.click("#ok")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.click("#ok")
        await settle(pilot)
        assert desk.query_one("#issued").get_row_at(0)[4].plain == "已整改"
        desk.query_one("#desk-tabs").active = "tab-ledger"
        await settle(pilot)
        ledger_row = desk.query_one("#ledger").get_row_at(0)
        assert ledger_row[0] == "王伟" and ledger_row[3].plain == "蓝色"    # the name, not the code A01
        desk.query_one("#ledger").focus()
        await settle(pilot)
        assert "违规收受礼品" in str(desk.query_one("#ledger-detail").render())
        await pilot.press("r")
        await settle(pilot)
        app.screen.query_one("#ask-input").value = "1 查明不属实"
        await pilot.click("#ok")
        await settle(pilot)
        assert desk.query_one("#ledger").get_row_at(0)[2].plain == "0"
        assert "已被第2条冲销" in str(desk.query_one("#ledger-detail").render())


async def test_integrity_tab_records_a_talk(desk_db, tmp_path):
    from pingyi.screens.work import settle

    from pingyi.desk import integrity, talks

    url, wang, li = desk_db
    integrity.set_inputs(wang, "A02", 2026, manual="60", grade="基本称职", veto="受到党内警告处分")
    p = tmp_path / "policy.toml"
    from pingyi.desk import policy

    p.write_text(policy.DEFAULT_TOML.replace('kind = "room"', 'kind = "manual"'), encoding="utf-8")
    from pingyi.people import accounts

    admin = accounts.authenticate("admin", PASSWORD)
    policy.import_policy(admin, p)
    integrity.compute(wang, 2026, [])
    app = make(url, actor=li)
    async with app.run_test(size=(140, 40)) as pilot:
        desk = await _open_desk(pilot)
        desk.query_one("#desk-tabs").active = "tab-integrity"
        await settle(pilot)
        assert desk.query_one("#indexes").get_row_at(0)[3].plain == "否决"
        desk.query_one("#talks").focus()
        await pilot.press("t")
        await settle(pilot)
        app.screen.query_one("#t-by").value = "纪委书记周某"
        app.screen.query_one("#t-time").value = "14:30"
        app.screen.query_one("#t-place").value = "县纪委谈话室"
        app.screen.query_one("#t-statement").value = "接受组织提醒"
        app.screen.query_one("#t-pledge").value = True
        await pilot.click("#ok")
        await settle(pilot)
        assert desk.query_one("#talks").row_count == 0
    (done,) = talks.list_talks(2026)
    assert (done.status, done.talked_by, done.pledge, done.talk_date) == ("done", "纪委书记周某", True, "2026-04-01")
    assert (done.talk_time, done.place, done.statement) == ("14:30", "县纪委谈话室", "接受组织提醒")
    assert done.recorder == "li"  # the account's display name, the login until it has one


async def test_home_opens_desk_and_counts_are_live(desk_db, monkeypatch):
    from pingyi.screens.desk.screen import DeskScreen
    from pingyi.screens.work import settle

    from pingyi.desk import alerts
    from pingyi.people import accounts

    url, wang, li = desk_db
    alerts.approve(li, alerts.draft(wang, target="A02", level="blue", reason="x", deadline="2026-04-02").id)
    monkeypatch.setenv("PINGYI_TODAY", "2026-04-03")
    app = make(url, actor=wang, start="h")   # 纪委 accounts otherwise start at the desk
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        todo = str(app.screen.query_one("#todo").render())
        assert "待审预警建议 1" in todo and "逾期整改 1" in todo
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
    org = accounts.add_user(accounts.authenticate("admin", PASSWORD), "org", "organizer", PASSWORD)
    app = make(url, actor=org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.go("w")
        await settle(pilot)
        assert not isinstance(app.screen, DeskScreen)


async def test_tables_name_people_with_the_code_only_for_a_shared_name(desk_db, tmp_path):
    """Issue 12 item 7: names, not codes; 「王伟（A01）」 once the roster has a second 王伟;
    the 来源 column holds its longest word."""
    from pingyi.screens.work import settle
    from rich.cells import cell_len

    from pingyi.common.vocab import ProposalSource
    from pingyi.people import accounts, roster
    from tests.helpers import write

    url, wang, _ = desk_db
    app = make(url, actor=wang)
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await _open_desk(pilot)
        proposals = desk.query_one("#proposals")
        assert proposals.get_row_at(0)[3] == "王伟" and proposals.get_row_at(0)[1] == "扣分达线"
        source = proposals.ordered_columns[1]
        assert source.width >= max(cell_len(s.label) for s in ProposalSource)      # never cut
        await pilot.press("4")
        await settle(pilot)
        assert desk.query_one("#ledger").get_row_at(0)[:2] == ["王伟", "财政局"]
    admin = accounts.authenticate("admin", PASSWORD)
    roster.import_roster(admin, write(tmp_path, "more.csv", "编号,姓名,单位,职务,类别,分管领导\n"
                                                            "B07,王伟,民政局,低保股股长,服务类,副局长钱某\n"))
    app = make(url, actor=wang)
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await _open_desk(pilot)
        assert desk.query_one("#proposals").get_row_at(0)[3] == "王伟（A01）"
        assert desk.query_one("#ledger").get_row_at(0)[0] == "王伟（A01）"

