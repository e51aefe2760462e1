"""The 12-point ledger (12分扣分制): points, levels, cycles, reversals. No I/O.

Points are integer tenths. A cycle is named by the year it starts in; the
calendar year by default, or from a policy start day (e.g. 07-01).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pingyi.rules.numbers import parse_tenths

LEVELS = ("blue", "yellow", "red")
MAX_POINTS = 120  # tenths: 12 points


@dataclass(frozen=True)
class Levels:
    """Thresholds in tenths: a total at or above one reaches that level."""
    blue: int = 30
    yellow: int = 60
    red: int = 120

    def threshold(self, level: str) -> int:
        return int(getattr(self, level))


@dataclass(frozen=True)
class Entry:
    id: int
    points: int                 # tenths; negative for a reversal
    reverses: int | None = None


def check_points(text: str) -> int:
    """Tenths for a deduction, or ValueError with the Chinese reason."""
    t = parse_tenths(str(text))
    if t is None:
        raise ValueError(f"扣分应为数字，最多一位小数：{text}")
    if t <= 0 or t > MAX_POINTS:
        raise ValueError(f"扣分应大于 0、不超过 12 分：{text}")
    return t


def level_of(total: int, levels: Levels = Levels()) -> str | None:
    """The highest level a total reaches, None below blue."""
    reached = None
    for name in LEVELS:
        if total >= levels.threshold(name):
            reached = name
    return reached


def crossed(before: int, after: int, levels: Levels = Levels()) -> str | None:
    """The highest level whose threshold lies in (before, after]: what a new entry reached."""
    hit = None
    for name in LEVELS:
        if before < levels.threshold(name) <= after:
            hit = name
    return hit


def total(entries: Iterable[Entry]) -> int:
    return sum(e.points for e in entries)


def reversal_refusal(entry: Entry, entries: Sequence[Entry]) -> str | None:
    """Why ``entry`` cannot be reversed (a reversal itself, or reversed already), else None."""
    if entry.reverses is not None or entry.points <= 0:
        return f"第 {entry.id} 条是冲销记录，不能再冲销。"
    if any(e.reverses == entry.id for e in entries):
        return f"第 {entry.id} 条已冲销过。"
    return None


def excellent_eligible(total_tenths: int, bar: int = 60) -> bool:
    """6 points or more in the cycle → not eligible for 优秀 that year."""
    return total_tenths < bar


def parse_start(text: str) -> tuple[int, int]:
    """'07-01' → (7, 1); ValueError when it is not a real month-day."""
    month, _, day = str(text).partition("-")
    m, d = int(month), int(day)
    dt.date(2001, m, d)  # validates (no 29 Feb: a cycle must start every year)
    return m, d


def cycle_of(day: dt.date, start: tuple[int, int] = (1, 1)) -> int:
    """The cycle (named by its starting year) that contains ``day``."""
    return day.year if (day.month, day.day) >= start else day.year - 1


def cycle_bounds(cycle: int, start: tuple[int, int] = (1, 1)) -> tuple[dt.date, dt.date]:
    """First and last day of a cycle."""
    first = dt.date(cycle, *start)
    return first, dt.date(cycle + 1, *start) - dt.timedelta(days=1)
