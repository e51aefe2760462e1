"""The frozen content of a scheme: indicators, grades, groups and rules."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    max: int  # tenths


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    weight: Fraction


@dataclass(frozen=True)
class Rules:
    trim: int = 0
    bottom_n: int = 1
    streak: int = 2
    max_excellent_ratio: Fraction | None = None
    excellent_at: int = 900  # tenths


@dataclass(frozen=True)
class SchemeSpec:
    name: str
    kind: str
    indicators: tuple[Indicator, ...]
    groups: tuple[Group, ...]
    rules: Rules = field(default_factory=Rules)
    grades: tuple[tuple[str, Fraction], ...] = ()

    def group(self, key_or_name: str) -> Group | None:
        for g in self.groups:
            if key_or_name in (g.key, g.name):
                return g
        return None

    def grade_tenths(self, label: str, indicator: Indicator) -> int | None:
        for name, fraction in self.grades:
            if name == label:
                value = fraction * indicator.max
                return int(value) if value.denominator == 1 else None
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "indicators": [{"key": i.key, "name": i.name, "max": i.max} for i in self.indicators],
            "grades": [[label, str(f)] for label, f in self.grades],
            "groups": [{"key": g.key, "name": g.name, "weight": str(g.weight)} for g in self.groups],
            "rules": {
                "trim": self.rules.trim,
                "bottom_n": self.rules.bottom_n,
                "streak": self.rules.streak,
                "max_excellent_ratio": None if self.rules.max_excellent_ratio is None
                else str(self.rules.max_excellent_ratio),
                "excellent_at": self.rules.excellent_at,
            },
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SchemeSpec:
        r = d["rules"]
        return cls(
            name=d["name"],
            kind=d["kind"],
            indicators=tuple(Indicator(i["key"], i["name"], i["max"]) for i in d["indicators"]),
            grades=tuple((label, Fraction(f)) for label, f in d["grades"]),
            groups=tuple(Group(g["key"], g["name"], Fraction(g["weight"])) for g in d["groups"]),
            rules=Rules(
                trim=r["trim"],
                bottom_n=r["bottom_n"],
                streak=r["streak"],
                max_excellent_ratio=None if r["max_excellent_ratio"] is None
                else Fraction(r["max_excellent_ratio"]),
                excellent_at=r["excellent_at"],
            ),
        )
