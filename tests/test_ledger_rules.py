"""Pure ledger rules (12分制): points, levels, crossings, reversals, cycles."""
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingyi.rules import ledger as L


@pytest.mark.parametrize("text, tenths", [("1", 10), ("2.5", 25), ("0.1", 1), ("12", 120), ("12.0", 120),
                                          ("3.50", 35)])
def test_points_accepted(text, tenths):
    assert L.check_points(text) == tenths


@pytest.mark.parametrize("text", ["0", "0.0", "-1", "12.1", "13", "2.55", "abc", "", "1e1"])
def test_points_refused(text):
    with pytest.raises(ValueError):
        L.check_points(text)


@pytest.mark.parametrize("total, level", [(0, None), (29, None), (30, "blue"), (59, "blue"), (60, "yellow"),
                                          (119, "yellow"), (120, "red"), (200, "red")])
def test_level_at_exact_thresholds(total, level):
    assert L.level_of(total) == level


@pytest.mark.parametrize("before, after, level", [
    (0, 29, None), (0, 30, "blue"), (29, 30, "blue"), (30, 35, None),   # exactly 3 crosses; staying does not
    (35, 60, "yellow"), (59, 60, "yellow"), (60, 119, None),
    (110, 120, "red"), (0, 120, "red"),                                 # a jump reports the highest level only
    (0, 60, "yellow"), (60, 30, None), (30, 29, None),                  # going down never crosses
])
def test_crossings(before, after, level):
    assert L.crossed(before, after) == level


def test_custom_levels():
    lv = L.Levels(blue=20, yellow=50, red=100)
    assert L.level_of(20, lv) == "blue" and L.crossed(45, 50, lv) == "yellow" and L.level_of(99, lv) == "yellow"


def test_reversal_uncrosses_and_cannot_repeat():
    entries = [L.Entry(1, 25), L.Entry(2, 10)]      # 2.5 + 1 = 3.5 → blue
    assert L.level_of(L.total(entries)) == "blue"
    assert L.reversal_refusal(entries[1], entries) is None
    entries.append(L.Entry(3, -10, reverses=2))     # reversing the 1-point entry: back to 2.5
    assert L.total(entries) == 25 and L.level_of(25) is None
    assert "已冲销" in L.reversal_refusal(entries[1], entries)
    assert "冲销记录" in L.reversal_refusal(entries[2], entries)


def test_excellent_bar():
    assert L.excellent_eligible(59) and not L.excellent_eligible(60)


@pytest.mark.parametrize("day, start, cycle", [
    (dt.date(2026, 1, 1), (1, 1), 2026), (dt.date(2026, 12, 31), (1, 1), 2026),
    (dt.date(2026, 6, 30), (7, 1), 2025), (dt.date(2026, 7, 1), (7, 1), 2026),
])
def test_cycles(day, start, cycle):
    assert L.cycle_of(day, start) == cycle
    first, last = L.cycle_bounds(cycle, start)
    assert first <= day <= last


@given(st.lists(st.tuples(st.integers(1, 120), st.booleans()), max_size=30),
       st.lists(st.integers(0, 40), max_size=40))
def test_points_never_negative_after_reversals(deductions, attempts):
    """Whatever reversals are tried, only allowed ones apply and the total stays ≥ 0."""
    entries = [L.Entry(i + 1, p) for i, (p, _) in enumerate(deductions)]
    next_id = len(entries) + 1
    for a in attempts:
        if not entries:
            break
        target = entries[a % len(entries)]
        if L.reversal_refusal(target, entries) is None:
            entries.append(L.Entry(next_id, -target.points, reverses=target.id))
            next_id += 1
        assert L.total(entries) >= 0
    reversed_ids = [e.reverses for e in entries if e.reverses is not None]
    assert len(reversed_ids) == len(set(reversed_ids))
    assert L.total(entries) == sum(e.points for e in entries if e.points > 0 and e.id not in reversed_ids)
