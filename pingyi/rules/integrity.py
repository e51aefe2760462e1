"""The integrity index (廉洁指数): an exact weighted sum of components. No I/O.

Components (policy): ``room`` (a room's displayed score), ``manual``
(述职述廉, entered by hand), ``grade`` (annual assessment grade → points),
``ledger`` (100 − points × factor, not below 0). Weights add up to 1. The
index is rounded half up to 2 decimals once; it passes when not vetoed and
the rounded index is at or above the threshold (a tie passes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from pingyi.rules.numbers import round_half_up, tenths_str

KINDS = ("room", "manual", "grade", "ledger")
GRADES = ("优秀", "称职", "基本称职", "不称职")


@dataclass(frozen=True)
class Component:
    key: str
    name: str
    kind: str
    weight: Fraction


@dataclass(frozen=True)
class IndexPolicy:
    components: tuple[Component, ...]
    grades: dict[str, Fraction]
    factor: Fraction = Fraction(5)
    threshold: Fraction = Fraction(80)
    veto_ledger_at: int | None = 60     # tenths; a ledger total at or above it vetoes


@dataclass(frozen=True)
class Inputs:
    room: Fraction | None = None        # the room score as displayed (2 decimals)
    manual: Fraction | None = None
    grade: str | None = None
    ledger: int = 0                     # tenths in the cycle
    veto: str | None = None             # a manual veto reason


@dataclass(frozen=True)
class IndexResult:
    value: Decimal | None               # rounded; None when a component is missing
    exact: Fraction | None
    parts: dict[str, Fraction] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    veto: str | None = None
    passed: bool | None = None          # None when incomplete and not vetoed

    @property
    def talk_due(self) -> bool:
        return self.passed is False


def ledger_points(tenths: int, factor: Fraction) -> Fraction:
    return max(Fraction(0), 100 - Fraction(tenths, 10) * factor)


def component_value(c: Component, policy: IndexPolicy, x: Inputs) -> Fraction | None:
    if c.kind == "room":
        return x.room
    if c.kind == "manual":
        return x.manual
    if c.kind == "grade":
        return policy.grades.get(x.grade) if x.grade else None
    return ledger_points(x.ledger, policy.factor)


def compute(policy: IndexPolicy, x: Inputs) -> IndexResult:
    parts: dict[str, Fraction] = {}
    missing: list[str] = []
    for c in policy.components:
        v = component_value(c, policy, x)
        if v is None:
            missing.append(c.key)
        else:
            parts[c.key] = v
    veto = x.veto
    if veto is None and policy.veto_ledger_at is not None and x.ledger >= policy.veto_ledger_at:
        veto = f"本年度扣分 {tenths_str(x.ledger)} 分，达到一票否决线"
    if missing:
        return IndexResult(None, None, parts, tuple(missing), veto, False if veto else None)
    exact = sum((c.weight * parts[c.key] for c in policy.components), Fraction(0))
    value = round_half_up(exact, 2)
    passed = veto is None and value >= policy.threshold
    return IndexResult(value, exact, parts, (), veto, passed)
