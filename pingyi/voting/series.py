"""Series of rooms (rounds) and the streak proposals they make (§5.9)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from pingyi import proposals
from pingyi.common.errors import NotFound
from pingyi.common.vocab import Level, RoomStatus
from pingyi.db import models as m
from pingyi.db.connection import read
from pingyi.people import roster
from pingyi.people.accounts import Actor
from pingyi.records import audit
from pingyi.rules.spec import SchemeSpec
from pingyi.rules.streaks import PersonStreak, Round, StreakProposal, streaks

LEVEL_NAMES = Level.labels()


@dataclass(frozen=True)
class SeriesView:
    series: str
    rounds: list[tuple[int, str]]           # (round, room id) of closed rooms
    persons: list[PersonStreak]
    proposals: list[StreakProposal]
    names: dict[str, tuple[str, str]]        # code -> (name, unit)

    def to_json(self) -> dict[str, Any]:
        return {
            "series": self.series,
            "rounds": [{"round": r, "room": room} for r, room in self.rounds],
            "persons": [{"person": p.person, "bottoms": p.bottoms, "streak": p.streak} for p in self.persons],
        }


def _closed_rounds(series: str) -> list[m.Room]:
    return list(m.Room.select().where((m.Room.series == series) & (m.Room.status == RoomStatus.CLOSED))
                .order_by(m.Room.round))


def _view(series: str) -> SeriesView:
    rooms = _closed_rounds(series)
    if not rooms and not m.Room.select().where(m.Room.series == series).exists():
        raise NotFound(f"没有这个系列：{series}")
    rounds: list[Round] = []
    played: list[tuple[int, str]] = []          # (round, room id)
    names: dict[str, tuple[str, str]] = {}
    for room in rooms:
        # rooms.create gives a series room its round; closing stores the tally
        assert room.round is not None and room.tally is not None, f"closed round {room.id} is complete"
        tally = json.loads(room.tally)
        rule = SchemeSpec.from_json(json.loads(room.spec)).rules.streak
        bottom: dict[str, bool] = {}
        for r in tally["results"]:
            names[r["person"]] = (r["name"], r["unit"])
            if r["score"] is not None:
                bottom[r["person"]] = r["bottom"]
        rounds.append(Round(room.round, bottom, rule))
        played.append((room.round, room.id))
    people, proposals = streaks(rounds)
    return SeriesView(series, played, [people[k] for k in sorted(people)],
                      proposals, names)


@read
def show(series: str) -> SeriesView:
    return _view(series)


@read
def list_series() -> list[str]:
    q = m.Room.select(m.Room.series).where(m.Room.series.is_null(False)).distinct()
    return sorted(r.series for r in q if r.series is not None)   # the query leaves out NULL already


def refresh_proposals(actor: Actor, series: str) -> int:
    """Store each streak proposal once per person and round; call inside a write."""
    view = _view(series)
    supervisors: dict[str, str] = dict(cast(Iterable[tuple[str, str]], m.Person.select(
        m.Person.code, m.Person.supervisor).where(m.Person.code.in_([p.person for p in view.proposals])).tuples())
    ) if view.proposals else {}
    shared = roster.namesakes(view.names.get(p.person, (p.person, ""))[0] for p in view.proposals)
    made = 0
    for p in view.proposals:
        name, unit = view.names.get(p.person, (p.person, ""))
        rounds = [r for r in next(x for x in view.persons if x.person == p.person).bottoms if r <= p.round]
        recent = "、".join(f"第{r}轮" for r in rounds[-p.streak:])
        who = roster.official_name(p.person, name, unit, shared)
        reason = f"{who}在「{series}」中连续{p.streak}次倒数第一（{recent}）"
        # proposals.propose counts only new rows (SQLite's lastrowid survives an ignored insert).
        made += proposals.propose("streak", p.level, "person", p.person, supervisors.get(p.person, ""), reason,
                                  f"streak:{series}:{p.round}:{p.person}", series=series, round=p.round)
    if made:
        audit.append(actor.name, "proposal.streak", series=series, made=made)
    return made



@read
def streak_marks(series: str | None, round: int | None) -> dict[str, int]:
    """Person code -> streak after ``round`` (for result sheets and screens), where ≥ 1."""
    if not series or round is None:
        return {}
    view = _view(series)
    return {p.person: p.history[round] for p in view.persons if p.history.get(round)}
