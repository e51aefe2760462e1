"""Warning rules: escalation, overdue, two yellows, accountability. No I/O."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pingyi.common.vocab import AlertStatus, Level, Measure

LEVEL_ORDER = ("blue", "yellow", "red")
MEASURES = Measure.labels()
DEFAULT_MEASURE: dict[str, Measure] = {   # keyed by the stored level string (a Level is one)
    Level.BLUE: Measure.REMIND, Level.YELLOW: Measure.ADMONISH, Level.RED: Measure.RECTIFY}
FORMS = ("谈话提醒", "预警通知书", "整改通知书", "内部通报", "媒体公开", "预警参阅信息")
STATUS_NAMES = AlertStatus.labels()


def escalate(level: str) -> str:
    """One level up; red stays red."""
    i = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[min(i + 1, len(LEVEL_ORDER) - 1)]


def is_overdue(deadline: dt.date | None, today: dt.date, rectified: bool) -> bool:
    """Past the deadline (the deadline day itself is still in time) with no verified rectification."""
    return deadline is not None and not rectified and today > deadline


def display_status(stored: str, deadline: dt.date | None, today: dt.date) -> str:
    """draft | issued | rectified | overdue | closed, as users see it today."""
    if stored == AlertStatus.ISSUED and is_overdue(deadline, today, rectified=False):
        return "overdue"
    return stored


def yellow_twice(issued_levels: Iterable[str]) -> bool:
    """Two yellow warnings issued in one cycle call for a red one."""
    return sum(1 for lv in issued_levels if lv == Level.YELLOW) >= 2


def accountability(issued_count: int) -> bool:
    """Two or more issued warnings for one target in a cycle → 追责."""
    return issued_count >= 2


def format_number(year: int, seq: int, prefix: str = "预警") -> str:
    return f"{prefix}〔{year}〕{seq}号"
