"""Tallying rooms: aggregates in SQL, the §5 rules in Python, frozen at close.

An open room's tally is provisional; closing stores the canonical JSON and
its hash, and a closed room's tally is read back from that record.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from pingyi.common.errors import PingyiError
from pingyi.common.vocab import RoomStatus
from pingyi.db import models as m
from pingyi.db.connection import database, read, write
from pingyi.people.accounts import Actor, require
from pingyi.records import audit
from pingyi.rules.numbers import json_number
from pingyi.rules.spec import SchemeSpec
from pingyi.rules.tally import (
    BallotCounts,
    GroupResult,
    GroupStats,
    PersonRef,
    PersonResult,
    tally,
)
from pingyi.voting.rooms import room_row, spec_of


@dataclass(frozen=True)
class TallyReport:
    room: str
    title: str
    status: str
    provisional: bool
    scheme: str
    spec: SchemeSpec
    spec_hash: str
    frozen_hash: str | None
    series: str | None
    round: int | None
    counts: BallotCounts
    group_counts: dict[str, BallotCounts]
    results: list[PersonResult]
    posts: dict[str, str] = field(default_factory=dict)
    tally_hash: str | None = None
    closed_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The contract JSON of DESIGN §8, plus descriptive extras."""
        return {
            "room": self.room,
            "title": self.title,
            "status": self.status,
            "provisional": self.provisional,
            "scheme": self.scheme,
            "series": self.series,
            "round": self.round,
            "ballots": _counts_json(self.counts),
            "ballots_by_group": {g: _counts_json(c) for g, c in self.group_counts.items()},
            "results": [
                {
                    "person": r.person, "name": r.name, "unit": r.unit, "post": r.post,
                    "score": json_number(r.score), "rank": r.rank, "bottom": r.bottom,
                    "groups": {g: {"n": gr.n, "counted": gr.counted, "mean": json_number(gr.mean)}
                               for g, gr in r.groups.items()},
                }
                for r in self.results
            ],
            "spec_hash": self.spec_hash,
            "frozen_hash": self.frozen_hash,
            "tally_hash": self.tally_hash,
            "closed_at": self.closed_at,
        }


def _counts_json(c: BallotCounts) -> dict[str, int]:
    return {"cast": c.cast, "valid": c.valid, "invalid": c.invalid, "blank": c.blank}


def _counts(d: dict[str, int]) -> BallotCounts:
    return BallotCounts(d["cast"], d["valid"], d["invalid"], d["blank"])


def _dec(x: float | str) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.01"))


def _opt_dec(x: float | str | None) -> Decimal | None:
    return None if x is None else _dec(x)


def from_json(d: dict[str, Any], spec: SchemeSpec) -> TallyReport:
    results = [
        PersonResult(
            person=r["person"], name=r["name"], unit=r["unit"], post=r.get("post", ""),
            score=_opt_dec(r["score"]), rank=r["rank"], bottom=r["bottom"],
            groups={g: GroupResult(v["n"], v["counted"], _dec(v["mean"])) for g, v in r["groups"].items()},
        )
        for r in d["results"]
    ]
    return TallyReport(
        room=d["room"], title=d["title"], status=d["status"], provisional=d["provisional"],
        scheme=d["scheme"], spec=spec, spec_hash=d["spec_hash"], frozen_hash=d.get("frozen_hash"),
        series=d.get("series"), round=d.get("round"), counts=_counts(d["ballots"]),
        group_counts={g: _counts(c) for g, c in d.get("ballots_by_group", {}).items()},
        results=results, posts={r.person: r.post for r in results}, tally_hash=d.get("tally_hash"),
        closed_at=d.get("closed_at"),
    )


def freeze(report: TallyReport) -> tuple[str, str]:
    """Canonical JSON of a closing tally and its SHA-256."""
    body = report.to_json()
    body["tally_hash"] = None
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()
    return text, digest


def _stats(room_id: str, trim: int) -> dict[str, dict[str, GroupStats]]:
    """Per person and group: count, sum, and the extremes trimming drops, all from SQL."""
    p = database.param
    base = (f'FROM ballot b JOIN entry e ON e.ballot_id = b.id '
            f"WHERE b.room_id = {p} AND b.status = 'valid' AND e.total IS NOT NULL")
    cur = database.execute_sql(
        f'SELECT e.person, b."group", COUNT(*), SUM(e.total), MIN(e.total), MAX(e.total) {base} '
        f'GROUP BY e.person, b."group"', (room_id,))
    agg = {(pid, g): (n, int(s), lo, hi) for pid, g, n, s, lo, hi in cur.fetchall()}
    extremes: dict[tuple[int, str], tuple[list[int], list[int]]] = {}
    if trim >= 2:
        cur = database.execute_sql(
            f'SELECT person, grp, total, lo, hi FROM (SELECT e.person AS person, b."group" AS grp, e.total AS total, '
            f'ROW_NUMBER() OVER (PARTITION BY e.person, b."group" ORDER BY e.total) AS lo, '
            f'ROW_NUMBER() OVER (PARTITION BY e.person, b."group" ORDER BY e.total DESC) AS hi {base}) t '
            f'WHERE lo <= {p} OR hi <= {p}', (room_id, trim, trim))
        for pid, g, total, lo, hi in cur.fetchall():
            low, high = extremes.setdefault((pid, g), ([], []))
            if lo <= trim:
                low.append(total)
            if hi <= trim:
                high.append(total)
    codes = dict(cast(Iterable[tuple[int, str]], m.Person.select(m.Person.id, m.Person.code).join(
        m.RoomPerson, on=(m.RoomPerson.person == m.Person.id)).where(m.RoomPerson.room == room_id).tuples()))
    out: dict[str, dict[str, GroupStats]] = {}
    for (pid, g), (n, s, lo, hi) in agg.items():
        if trim and n >= 2 * trim + 1:
            if trim == 1:
                st = GroupStats(n, s, (lo,), (hi,))
            else:
                low, high = extremes[(pid, g)]
                st = GroupStats(n, s, tuple(sorted(low)), tuple(sorted(high)))
        else:
            st = GroupStats(n, s)
        out.setdefault(codes[pid], {})[g] = st
    return out


def _ballot_counts(room_id: str, spec: SchemeSpec) -> tuple[BallotCounts, dict[str, BallotCounts]]:
    q = cast(Iterable[tuple[str, str, int]], m.Ballot.select(m.Ballot.group, m.Ballot.status, m.fn.COUNT(m.Ballot.id))
             .where(m.Ballot.room == room_id).group_by(m.Ballot.group, m.Ballot.status).tuples())
    per: dict[str, dict[str, int]] = {g.key: {"valid": 0, "invalid": 0, "blank": 0} for g in spec.groups}
    for g, status, n in q:
        per.setdefault(g, {"valid": 0, "invalid": 0, "blank": 0})[status] = n
    groups = {g: BallotCounts(sum(c.values()), c["valid"], c["invalid"], c["blank"]) for g, c in per.items()}
    total = BallotCounts(*(sum(getattr(c, f) for c in groups.values()) for f in ("cast", "valid", "invalid", "blank")))
    return total, groups


def compute(room: m.Room, status: str | None = None) -> TallyReport:
    """Tally ``room`` from its ballots (call inside a session or transaction)."""
    spec = spec_of(room)
    persons = [
        PersonRef(code, name, unit, post) for code, name, unit, post in cast(
            Iterable[tuple[str, str, str, str]],
            m.Person.select(m.Person.code, m.Person.name, m.Unit.name, m.Person.post).join(m.Unit).switch(m.Person)
            .join(m.RoomPerson, on=(m.RoomPerson.person == m.Person.id)).where(m.RoomPerson.room == room.id)
            .order_by(m.RoomPerson.position).tuples())
    ]
    counts, group_counts = _ballot_counts(room.id, spec)
    results = tally(spec, persons, _stats(room.id, spec.rules.trim))
    status = status or room.status
    return TallyReport(
        room=room.id, title=room.title, status=status, provisional=status != RoomStatus.CLOSED,
        scheme=room.scheme_name, spec=spec, spec_hash=room.spec_hash, frozen_hash=room.frozen_hash,
        series=room.series, round=room.round, counts=counts, group_counts=group_counts, results=results,
        posts={p.code: p.post for p in persons}, closed_at=room.closed_at,
    )


class RoomNotClosed(PingyiError):
    """A room that is not closed shows turnout only (DESIGN §5): scores would reveal votes."""


def not_closed_message(room_id: str, status: str) -> str:
    state = "尚未开启" if status == RoomStatus.DRAFT else "正在进行"
    return (f"会场 {room_id} {state}，只显示投票进度，不显示得分（得分会影响评议，票少时还会暴露个人投票）。"
            f"会务人员确需查看临时结果，请用 pingyi tally {room_id} --provisional（记入审计日志）。")


@read
def get_tally(room_id: str) -> TallyReport:
    """The stored tally of a closed room; any other room is refused (see ``provisional``)."""
    room = room_row(room_id)
    if room.status == RoomStatus.CLOSED and room.tally:
        report = from_json(json.loads(room.tally), spec_of(room))
        return TallyReport(**{**report.__dict__, "tally_hash": room.tally_hash, "closed_at": room.closed_at})
    raise RoomNotClosed(not_closed_message(room_id, room.status))


@write
def provisional(actor: Actor, room_id: str, record: bool = True) -> TallyReport:
    """The provisional tally of an open room, for the organizer who asks for it; audited.

    ``record=False`` only for refreshing a view whose opening was recorded. A
    closed room gives its stored tally (nothing provisional about it)."""
    require(actor, "organizer")
    room = room_row(room_id)
    if room.status == RoomStatus.CLOSED:
        return get_tally(room_id)
    report = compute(room)
    if record:
        audit.append(actor.name, "tally.provisional", room=room_id, cast=report.counts.cast)
    return report


def stored(room: m.Room) -> TallyReport:
    """The tally frozen when ``room`` closed (call for closed rooms only)."""
    assert room.tally is not None, f"closed room {room.id} keeps its tally"
    return from_json(json.loads(room.tally), spec_of(room))
