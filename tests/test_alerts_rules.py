"""Pure warning rules: overdue on the deadline day vs the day after, escalation, two yellows, 追责."""
import datetime as dt

import pytest

from pingyi.rules import alerts as A

DEADLINE = dt.date(2026, 3, 31)


@pytest.mark.parametrize("today, rectified, overdue", [
    (dt.date(2026, 3, 30), False, False),
    (DEADLINE, False, False),                  # the deadline day itself is still in time
    (dt.date(2026, 4, 1), False, True),        # the day after is overdue
    (dt.date(2026, 4, 1), True, False),        # a verified rectification is never overdue
])
def test_overdue(today, rectified, overdue):
    assert A.is_overdue(DEADLINE, today, rectified) is overdue


def test_no_deadline_never_overdue():
    assert not A.is_overdue(None, dt.date(2099, 1, 1), False)


def test_display_status():
    assert A.display_status("issued", DEADLINE, dt.date(2026, 4, 1)) == "overdue"
    assert A.display_status("issued", DEADLINE, DEADLINE) == "issued"
    assert A.display_status("rectified", DEADLINE, dt.date(2026, 4, 1)) == "rectified"
    assert A.display_status("draft", DEADLINE, dt.date(2026, 4, 1)) == "draft"


def test_escalate_one_level_up():
    assert [A.escalate(x) for x in ("blue", "yellow", "red")] == ["yellow", "red", "red"]


def test_two_yellows():
    assert not A.yellow_twice(["yellow", "blue", "red"])
    assert A.yellow_twice(["yellow", "blue", "yellow"])


def test_accountability_at_two():
    assert not A.accountability(1) and A.accountability(2) and A.accountability(3)


def test_number_format():
    assert A.format_number(2026, 7) == "预警〔2026〕7号"
