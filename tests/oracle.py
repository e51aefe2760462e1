"""A second, naive implementation of DESIGN §5 (tally), §5.9 (streaks) and §7 (ledger levels,
integrity index), written from the text alone, for tests only.

It imports nothing from ``pingyi.rules`` (a test checks this), so a mistake shared by the
SQL path and the pure path cannot hide behind a shared helper. It favours the obvious over
the fast: lists, loops and integer arithmetic, one step of the text at a time.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

# --- §5 tally -------------------------------------------------------------------------


@dataclass(frozen=True)
class Room:
    """What the tally needs: groups with weights, the rules, who is rated, the ballots.

    Totals are in tenths of a point (0..1000); ``None`` is an abstention.
    """
    weights: Mapping[str, Fraction]                          # group -> weight
    persons: Sequence[str]
    ballots: Sequence[tuple[str, Mapping[str, int | None]]]  # (group, person -> total)
    trim: int = 0
    bottom_n: int = 1
    max_excellent_ratio: Fraction | None = None
    excellent_at: int = 900


@dataclass(frozen=True)
class Group:
    n: int                 # complete entries on valid ballots of the group
    counted: int           # after trimming
    mean: Decimal          # displayed: half up, 2 decimals


@dataclass(frozen=True)
class Person:
    score: Decimal | None  # displayed; None = unrated
    rank: int | None
    bottom: bool
    groups: dict[str, Group] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    cast: int
    valid: int
    invalid: int
    blank: int
    persons: dict[str, Person]


def half_up(x: Fraction, places: int = 2) -> Decimal:
    """§5.6, by long division: the digits up to ``places``, plus one when the rest is half or more."""
    assert x >= 0
    scaled_num = x.numerator * 10 ** places
    whole, rest = divmod(scaled_num, x.denominator)
    if 2 * rest >= x.denominator:
        whole += 1
    return Decimal(whole).scaleb(-places)


def ballot_status(room: Room, entries: Mapping[str, int | None]) -> str:
    """§5.3."""
    complete = [t for t in entries.values() if t is not None]
    if len(complete) == 0:
        return "blank"
    if room.max_excellent_ratio is not None:
        excellent = len([t for t in complete if t >= room.excellent_at])
        if Fraction(excellent) / Fraction(len(complete)) > room.max_excellent_ratio:
            return "invalid"
    return "valid"


def tally(room: Room) -> Result:
    status = [ballot_status(room, entries) for _, entries in room.ballots]
    valid_ballots = [b for b, s in zip(room.ballots, status, strict=True) if s == "valid"]

    exact: dict[str, Fraction] = {}
    groups_of: dict[str, dict[str, Group]] = {}
    for p in room.persons:
        groups_of[p] = {}
        numerator = Fraction(0)
        denominator = Fraction(0)
        for g, weight in room.weights.items():
            totals = [entries[p] for grp, entries in valid_ballots
                      if grp == g and entries.get(p) is not None]
            n = len(totals)
            if n == 0:
                continue                                   # g is not present for p
            kept = sorted(totals)
            k = room.trim
            if k > 0 and n >= 2 * k + 1:
                kept = kept[k:n - k]                       # drop the k largest and the k smallest
            mean_points = Fraction(sum(kept), 10) / len(kept)
            groups_of[p][g] = Group(n, len(kept), half_up(mean_points))
            numerator += weight * mean_points
            denominator += weight
        if denominator > 0:
            exact[p] = numerator / denominator

    shown = {p: half_up(s) for p, s in exact.items()}
    rated = list(shown)
    persons: dict[str, Person] = {}
    everyone_tied = len(set(shown.values())) <= 1
    if rated and not everyone_tied:
        in_order = sorted(shown[p] for p in rated)
        b = min(room.bottom_n, len(in_order))
        threshold = in_order[b - 1]                        # the b-th lowest, ties counted one by one
    for p in room.persons:
        if p not in shown:
            persons[p] = Person(None, None, False, groups_of[p])
            continue
        higher = len([q for q in rated if shown[q] > shown[p]])
        bottom = (not everyone_tied) and shown[p] <= threshold
        persons[p] = Person(shown[p], 1 + higher, bottom, groups_of[p])
    return Result(len(status), status.count("valid"), status.count("invalid"), status.count("blank"), persons)


# --- §5.9 streaks ----------------------------------------------------------------------


def streak_proposals(rounds: Sequence[tuple[int, Mapping[str, bool]]], rule: int) -> list[tuple[str, int, int, str]]:
    """(person, round, streak, level) for every round that brings a streak to ``rule`` or more.

    ``rounds``: (round number, person -> bottom) for the persons rated in that round.
    """
    out = []
    people = sorted({p for _, bottoms in rounds for p in bottoms})
    for p in people:
        rated_rounds = sorted((r, bottoms[p]) for r, bottoms in rounds if p in bottoms)
        for i, (r, bottom) in enumerate(rated_rounds):
            if not bottom:
                continue
            streak = 0
            j = i
            while j >= 0 and rated_rounds[j][1]:
                streak += 1
                j -= 1
            if streak >= rule:
                level = "blue" if streak == rule else "yellow" if streak == rule + 1 else "red"
                out.append((p, r, streak, level))
    return sorted(out, key=lambda x: (x[1], x[0]))


# --- §7 ledger levels --------------------------------------------------------------------


def ledger_level(total_tenths: int, blue: int = 30, yellow: int = 60, red: int = 120) -> str | None:
    """The level a cycle's points reach (blue ≥ 3, yellow ≥ 6, red ≥ 12 by default)."""
    if total_tenths >= red:
        return "red"
    if total_tenths >= yellow:
        return "yellow"
    if total_tenths >= blue:
        return "blue"
    return None


def ledger_crossing(before: int, after: int, blue: int = 30, yellow: int = 60, red: int = 120) -> str | None:
    """The highest level a new entry reaches that the total had not reached before it."""
    was, now = ledger_level(before, blue, yellow, red), ledger_level(after, blue, yellow, red)
    order = [None, "blue", "yellow", "red"]
    return now if order.index(now) > order.index(was) else None


def excellent_eligible(total_tenths: int) -> bool:
    """6 points or more in the cycle → not eligible for 优秀 that year."""
    return total_tenths < 60


# --- §7 integrity index ------------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    value: Decimal | None
    passed: bool | None


def integrity_index(weights: Mapping[str, Fraction], values: Mapping[str, Fraction | None], *,
                    threshold: Fraction, vetoed: bool) -> Index:
    """A weighted sum of component points (each 0..100), rounded half up to 2 decimals once;
    a veto fails it whatever the score; a missing component leaves it open (failed if vetoed)."""
    if any(values.get(k) is None for k in weights):
        return Index(None, False if vetoed else None)
    exact = Fraction(0)
    for k, w in weights.items():
        v = values[k]
        assert v is not None
        exact += w * v
    shown = half_up(exact)
    return Index(shown, (not vetoed) and shown >= threshold)


def ledger_component(total_tenths: int, factor: Fraction) -> Fraction:
    """100 − points × factor, not below 0."""
    points = 100 - Fraction(total_tenths, 10) * factor
    return points if points > 0 else Fraction(0)
