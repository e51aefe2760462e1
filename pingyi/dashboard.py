"""What the home screen shows in one read: rooms with turnout, and the to-do counts.

``todo_counts`` is the one place the warnings desk plugs its overdue
rectifications and talks due into.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from pingyi.common.vocab import RoomStatus
from pingyi.db.connection import read


@dataclass(frozen=True)
class TodoCounts:
    proposals: int = 0       # pending warning proposals
    overdue: int = 0         # rectifications past their deadline
    talks: int = 0           # integrity talks due


@dataclass(frozen=True)
class RoomLine:
    id: str
    title: str
    status: str
    status_name: str
    series: str | None
    round: int | None
    persons: int
    cast: int
    quota: int
    version: int


@dataclass(frozen=True)
class Overview:
    rooms: list[RoomLine]
    todo: TodoCounts


def todo_counts() -> TodoCounts:
    """Counts for the dashboard (call inside a session)."""
    from pingyi.desk.alerts import counts

    c = counts()
    return TodoCounts(proposals=c.pending_proposals, overdue=c.overdue, talks=c.talks_due)


@read
def overview() -> Overview:
    from pingyi.voting.rooms import list_rooms, turnout

    lines = []
    for r in list_rooms():
        t = turnout(r.id) if r.status != RoomStatus.DRAFT else None
        lines.append(RoomLine(r.id, r.title, r.status, r.status_name, r.series, r.round, r.persons,
                              t.cast if t else 0, r.places, t.version if t else 0))
    order = {"open": 0, "draft": 1, "closed": 2}
    lines.sort(key=lambda x: (order[x.status], x.series or "", -(x.round or 0), x.id))
    return Overview(lines, todo_counts())


@read
def versions() -> dict[str, tuple[int, str]]:
    """Every room's ballot counter and status in one small query: the cheap thing to poll.

    It moves when a ballot lands, a room opens or closes, or a room is created elsewhere."""
    from pingyi.db import models as m

    # peewee's stubs type .tuples() as the model select: the rows are these three columns
    rows = cast("Iterable[tuple[str, int, str]]", m.Room.select(m.Room.id, m.Room.version, m.Room.status).tuples())
    return {rid: (v, status) for rid, v, status in rows}
