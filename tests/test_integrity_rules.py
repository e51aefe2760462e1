"""Pure integrity index: exact weighted sums, rounding once, veto, threshold ties."""
from decimal import Decimal
from fractions import Fraction as F

from pingyi.rules import integrity as I

GRADES = {"优秀": F(100), "称职": F(90), "基本称职": F(70), "不称职": F(50)}
POLICY = I.IndexPolicy(
    components=(I.Component("room", "民主评廉", "room", F(2, 5)),
                I.Component("report", "述职述廉", "manual", F(1, 5)),
                I.Component("assessment", "年度考核", "grade", F(1, 5)),
                I.Component("ledger", "扣分", "ledger", F(1, 5))),
    grades=GRADES, factor=F(5), threshold=F(80), veto_ledger_at=60)


def test_hand_computed_index():
    # 0.4·87.35 + 0.2·88.5 + 0.2·90 + 0.2·(100 − 2.5·5) = 34.94 + 17.7 + 18 + 17.5 = 88.14
    r = I.compute(POLICY, I.Inputs(room=F("87.35"), manual=F("88.5"), grade="称职", ledger=25))
    assert r.exact == F("88.14") and r.value == Decimal("88.14") and r.passed is True
    assert r.parts["ledger"] == F("87.5")


def test_rounded_once_half_up():
    # 0.4·80.01 + 0.2·80 + 0.2·70 + 0.2·100 = 32.004 + 16 + 14 + 20 = 82.004 → 82.00
    r = I.compute(POLICY, I.Inputs(room=F("80.01"), manual=F(80), grade="基本称职"))
    assert r.value == Decimal("82.00")
    # 0.4·80.0125 would need more digits than a room score has; use manual 80.05 → 0.2·80.05 = 16.01
    p = I.IndexPolicy(components=(I.Component("m", "m", "manual", F(1, 8)), I.Component("l", "l", "ledger", F(7, 8))),
                      grades={}, factor=F(5), veto_ledger_at=None)
    # 80.1/8 + 7/8·100 = 10.0125 + 87.5 = 97.5125 → 97.51 ; 80.2/8 + 87.5 = 97.525 → 97.53 (half up)
    assert I.compute(p, I.Inputs(manual=F("80.1"))).value == Decimal("97.51")
    assert I.compute(p, I.Inputs(manual=F("80.2"))).value == Decimal("97.53")


def test_threshold_tie_passes_and_just_below_fails():
    # 0.4·75 + 0.2·80 + 0.2·90 + 0.2·80 (3 points) = 30 + 16 + 18 + 16 = 80.00 exactly
    tie = I.compute(POLICY, I.Inputs(room=F(75), manual=F(80), grade="称职", ledger=40))
    assert tie.value == Decimal("80.00") and tie.passed is True and not tie.talk_due
    below = I.compute(POLICY, I.Inputs(room=F("74.97"), manual=F(80), grade="称职", ledger=40))
    assert below.value == Decimal("79.99") and below.passed is False and below.talk_due


def test_veto_fails_whatever_the_score():
    r = I.compute(POLICY, I.Inputs(room=F(99), manual=F(99), grade="优秀", veto="受到党内警告处分"))
    assert r.value > 80 and r.passed is False and r.veto == "受到党内警告处分"
    by_ledger = I.compute(POLICY, I.Inputs(room=F(99), manual=F(99), grade="优秀", ledger=60))
    assert by_ledger.passed is False and "6 分" in by_ledger.veto
    just_under = I.compute(POLICY, I.Inputs(room=F(99), manual=F(99), grade="优秀", ledger=59))
    assert just_under.veto is None and just_under.passed is True


def test_missing_component_is_incomplete():
    r = I.compute(POLICY, I.Inputs(room=F(90), grade="优秀"))
    assert r.value is None and r.missing == ("report",) and r.passed is None and r.veto is None
    assert set(r.parts) == {"room", "assessment", "ledger"} and r.parts["room"] == 90   # what is known is kept
    vetoed = I.compute(POLICY, I.Inputs(room=F(90), veto="处分"))
    assert vetoed.passed is False and vetoed.talk_due and vetoed.veto == "处分"
    complete = I.compute(POLICY, I.Inputs(room=F(90), manual=F(80), grade="优秀"))
    assert complete.missing == () and complete.veto is None


def test_ledger_component_floors_at_zero():
    assert I.ledger_points(120, F(10)) == 0 and I.ledger_points(30, F(5)) == 85
