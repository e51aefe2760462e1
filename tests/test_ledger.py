"""Ledger service: deductions, preset items, proposals at crossings, reversals, refusals, audit."""
import contextlib
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingyi.common.errors import AuthError, InputError, NotFound
from tests.desk_support import people


@pytest.fixture
def desk(admin, tmp_path, monkeypatch):
    monkeypatch.setenv("PINGYI_TODAY", "2026-05-10")
    return people(admin, tmp_path)


def _ledger_proposals():
    from pingyi import proposals

    return [(p.level, p.target) for p in proposals.list_proposals() if p.source == "ledger"]


def test_crossings_make_one_proposal_per_level(desk):
    from pingyi.desk import ledger, policy

    _, wang, _ = desk
    r = ledger.deduct(wang, "A01", "诫勉", "上班时间打牌", "明查暗访")
    assert r.entry.points == 25 and r.entry.item == "诫勉" and r.proposal_level is None
    assert r.entry.policy_hash == policy.current().hash
    r = ledger.deduct(wang, "A01", "0.5", "迟到")          # exactly 3 → blue
    assert r.total.points == 30 and r.total.level == "blue" and r.proposal_level == "blue"
    r = ledger.deduct(wang, "A01", "1", "再迟到")          # 4: still blue, nothing new
    assert r.proposal_level is None
    r = ledger.deduct(wang, "A01", "2", "又迟到")          # exactly 6 → yellow, not eligible for 优秀
    assert r.proposal_level == "yellow" and not r.total.excellent_eligible
    assert _ledger_proposals() == [("blue", "A01"), ("yellow", "A01")]


def test_proposal_reasons_name_unit_and_person_with_the_code_only_for_a_shared_name(desk, tmp_path):
    """As a commission document does: 「财政局王伟」; 「财政局王伟（A01）」 while another active person is
    called 王伟; a unit by its name."""
    from pingyi import proposals
    from pingyi.desk import ledger
    from pingyi.people import roster
    from tests.helpers import write

    admin, wang, _ = desk
    ledger.deduct(wang, "A01", "3", "迟到")
    ledger.deduct(wang, "财政局", "3", "违规采购")
    roster.import_roster(admin, write(tmp_path, "more.csv", "编号,姓名,单位,职务\nB07,王伟,民政局,科员\n"))
    ledger.deduct(wang, "A01", "3", "再迟到")
    roster.set_active(admin, ["B07"], False)                 # a 停用 namesake is no reason for the code
    ledger.deduct(wang, "A01", "6", "又迟到")
    assert [(p.level, p.target, p.reason) for p in proposals.list_proposals() if p.source == "ledger"] == [
        ("blue", "A01", "财政局王伟在2026年度周期内累计扣分 3 分，达到蓝色预警线（3 分）"),
        ("blue", "财政局", "财政局在2026年度周期内累计扣分 3 分，达到蓝色预警线（3 分）"),
        ("yellow", "A01", "财政局王伟（A01）在2026年度周期内累计扣分 6 分，达到黄色预警线（6 分）"),
        ("red", "A01", "财政局王伟在2026年度周期内累计扣分 12 分，达到红色预警线（12 分）")]


def test_reversal_uncrosses_and_recrossing_makes_no_duplicate(desk):
    from pingyi.desk import ledger
    from pingyi.records import audit

    _, wang, li = desk
    ledger.deduct(wang, "财政局", "3", "违规采购")          # a unit target
    second = ledger.deduct(wang, "财政局", "3", "再次违规").entry
    assert ledger.show("财政局")[0].level == "yellow"
    rev = ledger.reverse(li, second.id, "查明不属实")
    assert rev.points == -30 and rev.reverses == second.id
    t = ledger.show("财政局")[0]
    assert t.points == 30 and t.level == "blue" and t.target_kind == "unit"
    assert [e.reversed_by for e in t.entries] == [None, rev.id, None]
    with pytest.raises(InputError, match="已冲销"):
        ledger.reverse(li, second.id, "again")
    with pytest.raises(InputError, match="冲销记录"):
        ledger.reverse(li, rev.id, "again")
    r = ledger.deduct(wang, "财政局", "3", "第三次")
    assert r.total.level == "yellow" and r.proposal_level is None   # yellow was proposed once already
    assert _ledger_proposals() == [("blue", "财政局"), ("yellow", "财政局")]
    actions = [e.action for e in audit.events()]
    assert actions.count("ledger.deduct") == 3 and actions.count("ledger.reverse") == 1
    assert not audit.verify()


@pytest.mark.parametrize("target, points, reason, date, exc, needle", [
    ("NOPE", "1", "x", None, NotFound, "未知对象"),
    ("A01", "0", "x", None, InputError, "大于 0"),
    ("A01", "12.5", "x", None, InputError, "不超过 12"),
    ("A01", "1.25", "x", None, InputError, "最多一位小数"),
    ("A01", "-1", "x", None, InputError, "数字"),
    ("A01", "1", " ", None, InputError, "事由"),
    ("A01", "1", "x", "2026-05-11", InputError, "晚于今天"),
    ("A01", "1", "x", "2026/05/01", InputError, "格式"),
])
def test_refusals_change_nothing(desk, target, points, reason, date, exc, needle):
    from pingyi.desk import ledger
    from pingyi.records import audit

    _, wang, _ = desk
    before = len(audit.events())
    with pytest.raises(exc, match=needle):
        ledger.deduct(wang, target, points, reason, date=date)
    assert ledger.entries() == [] and len(audit.events()) == before


def test_roles_and_cycles(desk, tmp_path):
    from pingyi.desk import ledger
    from pingyi.people import accounts
    from tests.conftest import PASSWORD

    admin, wang, _ = desk
    org = accounts.add_user(admin, "org", "organizer", PASSWORD)
    with pytest.raises(AuthError):
        ledger.deduct(org, "A01", "1", "x")
    ledger.deduct(admin, "A02", "12", "撤职", date="2025-12-31")   # admin may; last year's cycle
    ledger.deduct(wang, "A02", "1", "x", date="2026-01-01")
    assert [(t.cycle, t.points, t.level) for t in ledger.show("A02")] == [(2025, 120, "red"), (2026, 10, None)]
    assert [t.target for t in ledger.show()] == ["A02"]                  # current cycle by default
    assert [t.points for t in ledger.year_summary(2025)] == [120]


def test_policy_import_changes_table_and_levels(desk, tmp_path):
    from pingyi.desk import ledger, policy

    admin, wang, _ = desk
    text = policy.DEFAULT_TOML.replace('"诫勉" = 2.5', '"诫勉" = 2').replace("blue = 3", "blue = 2")
    p = tmp_path / "policy.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(AuthError):
        policy.import_policy(wang, p)
    new = policy.import_policy(admin, p)
    r = ledger.deduct(wang, "A01", "诫勉", "x")
    assert r.entry.points == 20 and r.total.level == "blue" and r.entry.policy_hash == new.hash
    assert new.hash != policy.default().hash


def test_policy_validation_names_keys(tmp_path):
    from pingyi.desk import policy

    bad = policy.DEFAULT_TOML.replace("blue = 3", "blue = 7").replace('"约谈" = 1', '"约谈" = 1.25') \
        .replace("weight = 0.4", "weight = 0.5")
    with pytest.raises(InputError) as e:
        policy.parse(bad, "p.toml")
    text = "\n".join(e.value.errors)
    assert "levels" in text and "points.约谈" in text and "权重之和" in text


_YEARS = itertools.count(1000)   # a fresh cycle per example


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=st.lists(st.one_of(st.integers(1, 120).map(lambda p: ("deduct", p)),
                              st.integers(0, 30).map(lambda i: ("reverse", i))), max_size=12))
def test_service_totals_never_negative(desk, ops):
    """Random deductions and reversal attempts (refused ones included) in a fresh cycle: the total
    is the sum of unreversed entries, never negative, and its level is the rule's."""
    from pingyi.desk import ledger
    from pingyi.rules.ledger import level_of

    _, wang, li = desk
    year = next(_YEARS)
    ids: list[int] = []
    for op, n in ops:
        if op == "deduct":
            ids.append(ledger.deduct(wang, "A04", f"{n // 10}.{n % 10}", "x", date=f"{year}-06-01").entry.id)
        elif ids:
            with contextlib.suppress(InputError):  # reversing twice is refused
                ledger.reverse(li, ids[n % len(ids)], "更正")
        shown = ledger.show("A04", year)
        total = shown[0].points if shown else 0
        live = [e.points for e in (shown[0].entries if shown else ()) if e.points > 0 and e.reversed_by is None]
        assert total >= 0 and total == sum(live)
        assert (shown[0].level if shown else None) == level_of(total)
