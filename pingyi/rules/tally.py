"""The tally of DESIGN §5: ballot validity, trimmed group means, weighted
scores over present groups, half-up rounding, competition ranks, bottoms.

Inputs are per (person, group) aggregates so that the database can compute
them; :func:`aggregate` builds the same aggregates from raw ballots and is the
reference the tests compare against.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from pingyi.rules.numbers import round_half_up
from pingyi.rules.spec import Rules, SchemeSpec

VALID, INVALID, BLANK = "valid", "invalid", "blank"


def classify(rules: Rules, totals: Iterable[int | None]) -> str:
    """A ballot's status from its entry totals (None = abstain), §5.3."""
    complete = [t for t in totals if t is not None]
    return classify_counts(rules, len(complete), sum(1 for t in complete if t >= rules.excellent_at))


def classify_counts(rules: Rules, complete: int, excellent: int) -> str:
    """The same from counts (entries with a total, and those at or above ``excellent_at``):
    what a streaming import keeps per ballot instead of every total."""
    if not complete:
        return BLANK
    if rules.max_excellent_ratio is not None and Fraction(excellent, complete) > rules.max_excellent_ratio:
        return INVALID
    return VALID


@dataclass(frozen=True)
class GroupStats:
    """Totals (tenths) of one person's complete entries on one group's valid ballots."""
    n: int
    total: int
    low: tuple[int, ...] = ()   # the k smallest, when n >= 2k + 1
    high: tuple[int, ...] = ()  # the k largest, when n >= 2k + 1

    @classmethod
    def of(cls, values: Sequence[int], trim: int) -> GroupStats:
        s = sorted(values)
        if trim and len(s) >= 2 * trim + 1:
            return cls(len(s), sum(s), tuple(s[:trim]), tuple(s[-trim:]))
        return cls(len(s), sum(s))

    def mean(self) -> tuple[int, Fraction]:
        """(counted, mean in points) after trimming, §5.4."""
        dropped = len(self.low) + len(self.high)
        counted = self.n - dropped
        kept = self.total - sum(self.low) - sum(self.high)
        return counted, Fraction(kept, counted * 10)


@dataclass(frozen=True)
class PersonRef:
    code: str
    name: str = ""
    unit: str = ""
    post: str = ""


@dataclass(frozen=True)
class GroupResult:
    n: int
    counted: int
    mean: Decimal


@dataclass(frozen=True)
class PersonResult:
    person: str
    name: str
    unit: str
    post: str
    score: Decimal | None
    rank: int | None
    bottom: bool
    groups: dict[str, GroupResult] = field(default_factory=dict)

    @property
    def rated(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class BallotCounts:
    cast: int = 0
    valid: int = 0
    invalid: int = 0
    blank: int = 0


def score(spec: SchemeSpec, stats: Mapping[str, GroupStats]) -> tuple[Fraction | None, dict[str, GroupResult]]:
    """S(p) over the groups present for p (§5.5), and the rounded group means."""
    num = Fraction(0)
    den = Fraction(0)
    groups: dict[str, GroupResult] = {}
    for g in spec.groups:
        st = stats.get(g.key)
        if st is None or st.n == 0:
            continue
        counted, mean = st.mean()
        groups[g.key] = GroupResult(st.n, counted, round_half_up(mean))
        num += g.weight * mean
        den += g.weight
    return (num / den if den else None), groups


def ranks(scores: Sequence[Decimal]) -> list[int]:
    """Competition ranks (1, 2, 2, 4) by score, descending, in input order."""
    return [1 + sum(1 for o in scores if o > s) for s in scores]


def bottoms(scores: Sequence[Decimal], bottom_n: int) -> list[bool]:
    """§5.8: at or below the b-th lowest score, unless everyone is tied."""
    if not scores or len(set(scores)) == 1:
        return [False] * len(scores)
    b = max(1, min(bottom_n, len(scores)))
    threshold = sorted(scores)[b - 1]
    return [s <= threshold for s in scores]


def tally(
    spec: SchemeSpec,
    persons: Sequence[PersonRef],
    stats: Mapping[str, Mapping[str, GroupStats]],
) -> list[PersonResult]:
    """Results for every rated-in-room person, sorted by rank then code."""
    rows = []
    for p in persons:
        exact, groups = score(spec, stats.get(p.code, {}))
        rows.append((p, None if exact is None else round_half_up(exact), groups))
    rated = [r for r in rows if r[1] is not None]
    rated_scores = [r[1] for r in rated if r[1] is not None]
    rank_of = dict(zip((r[0].code for r in rated), ranks(rated_scores), strict=True))
    bottom_of = dict(zip((r[0].code for r in rated), bottoms(rated_scores, spec.rules.bottom_n), strict=True))
    results = [
        PersonResult(
            person=p.code, name=p.name, unit=p.unit, post=p.post, score=s,
            rank=rank_of.get(p.code), bottom=bottom_of.get(p.code, False), groups=groups,
        )
        for p, s, groups in rows
    ]
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.person))
    return results


@dataclass(frozen=True)
class RawBallot:
    """A ballot as typed: its group and, per person code, a total in tenths or None (abstain)."""
    group: str
    entries: Mapping[str, int | None]


def aggregate(spec: SchemeSpec, ballots: Iterable[RawBallot]) -> tuple[BallotCounts, dict[str, dict[str, GroupStats]]]:
    """Reference aggregation from raw ballots (the database does the same in SQL)."""
    counts = {VALID: 0, INVALID: 0, BLANK: 0}
    values: dict[str, dict[str, list[int]]] = {}
    for b in ballots:
        status = classify(spec.rules, b.entries.values())
        counts[status] += 1
        if status != VALID:
            continue
        for person, total in b.entries.items():
            if total is not None:
                values.setdefault(person, {}).setdefault(b.group, []).append(total)
    stats = {
        p: {g: GroupStats.of(v, spec.rules.trim) for g, v in per.items()}
        for p, per in values.items()
    }
    cast = sum(counts.values())
    return BallotCounts(cast, counts[VALID], counts[INVALID], counts[BLANK]), stats
