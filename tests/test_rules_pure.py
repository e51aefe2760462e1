"""The small pure helpers the other rule tests pass through without pinning down:
the frozen scheme's JSON, grade points, number parsing and printing, cycle dates."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from pingyi.rules import ledger as L
from pingyi.rules import numbers as N
from pingyi.rules.spec import Group, Indicator, Rules, SchemeSpec

SPEC = SchemeSpec(
    name="双定双评", kind="shuangding",
    indicators=(Indicator("perf", "评绩", 500), Indicator("clean", "评廉", 500)),
    groups=(Group("masses", "群众代表", Fraction(3, 10)), Group("npc", "人大代表", Fraction(7, 10))),
    rules=Rules(trim=1, bottom_n=2, streak=3, max_excellent_ratio=Fraction(3, 10), excellent_at=850),
    grades=(("好", Fraction(1)), ("较好", Fraction(85, 100)), ("一般", Fraction(7, 10))),
)
JSON = {
    "name": "双定双评", "kind": "shuangding",
    "indicators": [{"key": "perf", "name": "评绩", "max": 500}, {"key": "clean", "name": "评廉", "max": 500}],
    "grades": [["好", "1"], ["较好", "17/20"], ["一般", "7/10"]],
    "groups": [{"key": "masses", "name": "群众代表", "weight": "3/10"},
               {"key": "npc", "name": "人大代表", "weight": "7/10"}],
    "rules": {"trim": 1, "bottom_n": 2, "streak": 3, "max_excellent_ratio": "3/10", "excellent_at": 850},
}


def test_spec_json_is_exact_and_round_trips() -> None:
    assert SPEC.to_json() == JSON
    assert SchemeSpec.from_json(JSON) == SPEC
    plain = SchemeSpec("x", "integrity", (Indicator("a", "A", 1000),), (Group("g", "G", Fraction(1)),))
    assert plain.to_json()["rules"] == {"trim": 0, "bottom_n": 1, "streak": 2, "max_excellent_ratio": None,
                                        "excellent_at": 900}
    assert SchemeSpec.from_json(plain.to_json()) == plain


def test_group_by_key_or_name() -> None:
    assert SPEC.group("npc") is SPEC.groups[1]
    assert SPEC.group("群众代表") is SPEC.groups[0]
    assert SPEC.group("其他") is None


def test_grade_points_only_when_exact() -> None:
    perf = SPEC.indicators[0]
    assert SPEC.grade_tenths("好", perf) == 500
    assert SPEC.grade_tenths("较好", perf) == 425
    assert SPEC.grade_tenths("一般", perf) == 350
    assert SPEC.grade_tenths("差", perf) is None
    odd = SchemeSpec("x", "shuangding", (Indicator("a", "A", 333),), (), grades=(("较好", Fraction(85, 100)),))
    assert odd.grade_tenths("较好", odd.indicators[0]) is None     # 283.05 tenths is not a tenth


@pytest.mark.parametrize("text, tenths", [("0", 0), ("42.5", 425), (" 7 ", 70), ("3.50", 35), ("10.0", 100),
                                          ("100", 1000), ("2.55", None), ("-1", None), ("1e1", None),
                                          ("", None), (".5", None), ("5.", None), ("1.05", None)])
def test_parse_tenths(text: str, tenths: int | None) -> None:
    assert N.parse_tenths(text) == tenths


@pytest.mark.parametrize("value, tenths", [(3, 30), (Fraction(5, 2), 25), (Decimal("2.5"), 25), (0.3, 3),
                                           ("12", 120), (Fraction(1, 3), None), (Decimal("0.05"), None),
                                           (2.25, None)])
def test_decimal_tenths(value: int | Fraction | Decimal | float | str, tenths: int | None) -> None:
    assert N.decimal_tenths(value) == tenths


def test_printing_numbers() -> None:
    assert N.tenths_str(425) == "42.5" and N.tenths_str(400) == "40" and N.tenths_str(5) == "0.5"
    assert N.tenths_str(0) == "0" and N.tenths_str(1001) == "100.1"
    assert N.fmt2(Decimal("87.6")) == "87.60" and N.fmt2(None) == ""
    assert N.json_number(Decimal("87.60")) == 87.6 and N.json_number(None) is None
    assert N.round_half_up(Fraction(1, 8), 3) == Decimal("0.125") and str(N.round_half_up(Fraction(5))) == "5.00"
    assert N.round_half_up(Fraction(1, 200)) == Decimal("0.01") and N.round_half_up(Fraction(1, 201)) == 0


@pytest.mark.parametrize("text, start", [("07-01", (7, 1)), ("1-1", (1, 1)), ("12-31", (12, 31))])
def test_cycle_start(text: str, start: tuple[int, int]) -> None:
    assert L.parse_start(text) == start


@pytest.mark.parametrize("text", ["02-29", "13-01", "00-10", "07-32", "0701", "x-1"])
def test_cycle_start_refused(text: str) -> None:
    with pytest.raises(ValueError):
        L.parse_start(text)


def test_cycle_bounds_and_membership() -> None:
    assert L.cycle_bounds(2026) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert L.cycle_bounds(2026, (7, 1)) == (dt.date(2026, 7, 1), dt.date(2027, 6, 30))
    assert L.cycle_of(dt.date(2026, 6, 30), (7, 1)) == 2025 and L.cycle_of(dt.date(2026, 7, 1), (7, 1)) == 2026
    assert L.cycle_of(dt.date(2026, 1, 1)) == 2026


def test_reversal_refusals() -> None:
    entries = [L.Entry(1, 30), L.Entry(2, 25), L.Entry(3, -30, reverses=1)]
    assert L.reversal_refusal(entries[1], entries) is None
    assert L.reversal_refusal(L.Entry(5, 1), entries) is None          # 0.1 point is a deduction too
    assert L.reversal_refusal(entries[0], entries) == "第 1 条已冲销过。"
    assert L.reversal_refusal(entries[2], entries) == "第 3 条是冲销记录，不能再冲销。"
    assert L.reversal_refusal(L.Entry(4, 0), entries) == "第 4 条是冲销记录，不能再冲销。"
    assert L.total(entries) == 25


@pytest.mark.parametrize("text, message", [("abc", "扣分应为数字，最多一位小数：abc"),
                                           ("0", "扣分应大于 0、不超过 12 分：0"),
                                           ("12.1", "扣分应大于 0、不超过 12 分：12.1")])
def test_points_refusal_words(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        L.check_points(text)


def test_level_threshold_lookup() -> None:
    levels = L.Levels(10, 20, 40)
    assert [levels.threshold(x) for x in L.LEVELS] == [10, 20, 40]
    assert L.excellent_eligible(59) and not L.excellent_eligible(60) and L.excellent_eligible(79, bar=80)
