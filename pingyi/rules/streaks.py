"""Streaks of bottom places across the rounds of a series (§5.9)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Round:
    round: int
    bottom: Mapping[str, bool]  # person code -> bottom, for persons rated in the round
    streak_rule: int = 2


@dataclass
class PersonStreak:
    person: str
    bottoms: list[int] = field(default_factory=list)
    streak: int = 0
    history: dict[int, int] = field(default_factory=dict)  # round -> streak after it (rated rounds)


@dataclass(frozen=True)
class StreakProposal:
    person: str
    round: int
    streak: int
    level: str


def level_for(streak: int, rule: int) -> str | None:
    """blue at the rule, yellow one beyond, red further; None below it."""
    if streak < rule:
        return None
    if streak == rule:
        return "blue"
    if streak == rule + 1:
        return "yellow"
    return "red"


def streaks(rounds: Sequence[Round]) -> tuple[dict[str, PersonStreak], list[StreakProposal]]:
    """Per person: rounds at the bottom and the current streak; proposals per round."""
    people: dict[str, PersonStreak] = {}
    proposals: list[StreakProposal] = []
    for r in sorted(rounds, key=lambda r: r.round):
        for person, bottom in sorted(r.bottom.items()):
            ps = people.setdefault(person, PersonStreak(person))
            if bottom:
                ps.bottoms.append(r.round)
                ps.streak += 1
                level = level_for(ps.streak, r.streak_rule)
                if level:
                    proposals.append(StreakProposal(person, r.round, ps.streak, level))
            else:
                ps.streak = 0
            ps.history[r.round] = ps.streak
    return people, proposals
