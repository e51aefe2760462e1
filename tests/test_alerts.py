"""Warnings service: drafting from proposals and by hand, two-person approval,
gapless numbering (also across two processes), rectification, overdue
escalation, two yellows, 追责 and every refusal of the issue."""
import multiprocessing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingyi.common.errors import AuthError, InputError, NotFound
from tests.desk_support import approve_many, people


@pytest.fixture
def desk(admin, tmp_path, monkeypatch):
    monkeypatch.setenv("PINGYI_TODAY", "2026-05-10")
    return people(admin, tmp_path)


def _streak_like_proposal():
    from pingyi.db.connection import write

    from pingyi import proposals

    write(lambda: proposals.propose("streak", "blue", "person", "A04", "分管副局长孙某",
                                    "刘某连续2次倒数第一", "streak:s:2:A04", series="s", round=2))()
    return proposals.list_proposals()[0].id


def test_draft_from_proposal_approve_and_number(desk):
    from pingyi import proposals
    from pingyi.desk import alerts
    from pingyi.records import audit

    admin, wang, li = desk
    pid = _streak_like_proposal()
    a = alerts.draft(wang, proposal=pid)
    assert (a.status, a.level, a.target, a.recipient, a.measure, a.forms) == \
        ("draft", "blue", "A04", "分管副局长孙某", "remind", ("预警通知书",))
    assert a.deadline is None and a.number is None                    # no deadline unless given or set by policy
    assert proposals.get(pid).status == "drafted"
    with pytest.raises(InputError, match="已处理"):
        alerts.draft(li, proposal=pid)
    with pytest.raises(AuthError, match="不能审批自己起草"):
        alerts.approve(wang, a.id)
    issued = alerts.approve(li, a.id)
    assert (issued.status, issued.number, issued.approved_by, issued.cycle) == ("issued", "预警〔2026〕1号", "li", 2026)
    with pytest.raises(InputError, match="不能重复审批"):
        alerts.approve(admin, a.id)
    with pytest.raises(InputError, match="不能修改"):
        alerts.edit(wang, a.id, deadline="2026-07-01")
    b = alerts.draft(admin, target="财政局", level="red", reason="违规采购")
    assert b.recipient == "财政局" and b.measure == "rectify" and b.forms == ("整改通知书",)
    with pytest.raises(AuthError):
        alerts.approve(admin, b.id)                                    # admin is no exception
    assert alerts.approve(wang, b.id).number == "预警〔2026〕2号"
    actions = [e.action for e in audit.events()]
    assert actions.count("warning.draft") == 2 and actions.count("warning.approve") == 2
    assert not audit.verify()


@pytest.mark.parametrize("kwargs, exc, needle", [
    (dict(target="NOPE", level="blue", reason="x"), NotFound, "未知对象"),
    (dict(target="A01", level="pink", reason="x"), InputError, "等级"),
    (dict(target="A01", level="blue", reason=""), InputError, "事由"),
    (dict(target="A01", level="blue", reason="x", deadline="2026-05-09"), InputError, "不能早于今天"),
    (dict(target="A01", level="blue", reason="x", measure="shout"), InputError, "措施"),
    (dict(target="A01", level="blue", reason="x", forms=["微信"]), InputError, "送达方式"),
    (dict(proposal=99), NotFound, "预警建议"),
])
def test_draft_refusals(desk, kwargs, exc, needle):
    from pingyi.desk import alerts

    with pytest.raises(exc, match=needle):
        alerts.draft(desk[1], **kwargs)
    assert alerts.list_alerts() == []


def test_deadline_today_is_allowed_and_edit_only_by_drafter(desk):
    from pingyi.desk import alerts

    _, wang, li = desk
    a = alerts.draft(wang, target="A01", level="blue", reason="x", deadline="2026-05-10")
    assert a.deadline == "2026-05-10"
    with pytest.raises(AuthError, match="起草人"):
        alerts.edit(li, a.id, deadline="2026-06-01")
    assert alerts.edit(wang, a.id, deadline="2026-06-01", recipient="局长").recipient == "局长"


def test_rectification_overdue_escalation(desk, monkeypatch):
    from pingyi import proposals
    from pingyi.desk import alerts

    _, wang, li = desk
    a = alerts.draft(wang, target="A01", level="blue", reason="x", deadline="2026-05-20")
    with pytest.raises(InputError, match="尚未签发"):
        alerts.feedback(li, a.id, "已整改")
    alerts.approve(li, a.id)
    monkeypatch.setenv("PINGYI_TODAY", "2026-05-20")                  # the deadline day: in time
    assert alerts.get(a.id).status == "issued" and alerts.refresh_overdue(li) == 0
    alerts.feedback(wang, a.id, "已整改", "2026-05-19")
    with pytest.raises(InputError, match="待验收"):
        alerts.feedback(wang, a.id, "再报")
    alerts.send_back(li, a.id, "措施不具体")
    monkeypatch.setenv("PINGYI_TODAY", "2026-05-21")                  # the day after: overdue
    assert alerts.get(a.id).status == "overdue"
    assert [x.id for x in alerts.list_alerts(status="overdue")] == [a.id]
    assert alerts.counts().overdue == 1
    assert [p for p in proposals.list_proposals() if p.source == "overdue"] == []   # reading wrote nothing
    assert alerts.counts().overdue_unproposed == 1
    assert alerts.refresh_overdue(li) == 1 and alerts.refresh_overdue(li) == 0   # once
    assert alerts.counts().overdue_unproposed == 0
    esc = [p for p in proposals.list_proposals() if p.source == "overdue"]
    assert [(p.level, p.target) for p in esc] == [("yellow", "A01")]
    assert esc[0].reason == "财政局王伟未在整改期限 2026-05-20 前完成整改（预警〔2026〕1号，蓝色预警）"
    alerts.feedback(wang, a.id, "补充整改")
    done = alerts.verify(li, a.id)
    assert done.status == "rectified" and [f.outcome for f in done.feedback] == ["returned", "verified"]
    with pytest.raises(InputError, match="已整改"):
        alerts.feedback(wang, a.id, "x")
    assert alerts.close(li, a.id).status == "closed"


def test_two_yellows_and_accountability(desk):
    from pingyi import proposals
    from pingyi.desk import alerts

    _, wang, li = desk
    for _ in range(2):
        alerts.approve(li, alerts.draft(wang, target="A02", level="yellow", reason="x").id)
    got = [(p.source, p.level, p.target, p.reason) for p in proposals.list_proposals()]
    assert got == [("yellow_twice", "red", "A02", "财政局李娜在2026年度周期内已两次受到黄色预警")]
    assert all(a.accountability for a in alerts.list_alerts(target="A02"))
    summary = alerts.year_summary(2026)
    assert [(t.target, len(t.warnings), t.accountability) for t in summary] == [("A02", 2, True)]
    assert alerts.flags() == {"A02"}
    one = alerts.draft(wang, target="A03", level="yellow", reason="x")
    alerts.approve(li, one.id)
    assert not alerts.get(one.id).accountability


def test_dismiss_needs_reason(desk):
    from pingyi import proposals
    from pingyi.records import audit

    _, wang, _ = desk
    pid = _streak_like_proposal()
    with pytest.raises(InputError, match="理由"):
        proposals.dismiss(wang, pid, " ")
    assert proposals.dismiss(wang, pid, "已调离岗位").status == "dismissed"
    with pytest.raises(InputError, match="已处理"):
        proposals.dismiss(wang, pid, "again")
    assert audit.events()[0].action == "proposal.dismiss"


def test_concurrent_approvals_in_two_processes(desk, db_url):
    """Both processes try every draft, in opposite orders: each is issued once, numbers 1..n."""
    from pingyi.desk import alerts

    _, wang, _ = desk
    ids = [alerts.draft(wang, target="A01", level="blue", reason=f"第{i}次").id for i in range(12)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        r1 = pool.apply_async(approve_many, (db_url, "li", ids))
        r2 = pool.apply_async(approve_many, (db_url, "admin", ids[::-1]))
        (got1, ref1), (got2, ref2) = r1.get(60), r2.get(60)
    assert sorted(got1 + got2) == sorted(f"预警〔2026〕{i}号" for i in range(1, 13))
    assert len(ref1) + len(ref2) == 12
    issued = alerts.list_alerts(status="issued")
    assert sorted(a.number for a in issued) == sorted(got1 + got2)


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(split=st.lists(st.booleans(), min_size=1, max_size=10))
def test_numbering_gapless_property(desk, db_url, split):
    """However drafts are shared between two approving processes, the year's numbers stay 1..n."""
    from pingyi.desk import alerts

    _, wang, _ = desk
    ids = [alerts.draft(wang, target="A03", level="blue", reason="x").id for _ in split]
    mine = [i for i, s in zip(ids, split, strict=True) if s]
    theirs = [i for i, s in zip(ids, split, strict=True) if not s]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        rs = [pool.apply_async(approve_many, (db_url, "li", mine)),
              pool.apply_async(approve_many, (db_url, "admin", theirs))]
        for r in rs:
            assert r.get(60)[1] == []
    seqs = sorted(int(a.number.split("〕")[1][:-1]) for a in alerts.list_alerts() if a.number)
    assert seqs == list(range(1, len(seqs) + 1))


def test_policy_default_deadline(desk, tmp_path):
    from pingyi.desk import alerts, policy

    admin, wang, _ = desk
    p = tmp_path / "p.toml"
    p.write_text(policy.DEFAULT_TOML.replace("deadline_days = 0 ", "deadline_days = 30"), encoding="utf-8")
    policy.import_policy(admin, p)
    assert alerts.draft(wang, target="A01", level="blue", reason="x").deadline == "2026-06-09"
    assert alerts.draft(wang, target="A01", level="blue", reason="x", deadline="2026-05-12").deadline == "2026-05-12"


def test_accountability_shows_in_the_ledger(desk):
    from pingyi.desk import alerts, ledger

    _, wang, li = desk
    ledger.deduct(wang, "A03", "3", "x")
    assert not ledger.show("A03")[0].accountability
    for level in ("blue", "red"):
        alerts.approve(li, alerts.draft(wang, target="A03", level=level, reason="x").id)
    assert ledger.show("A03")[0].accountability and ledger.show()[0].to_json()["accountability"] is True
