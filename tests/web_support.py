"""Shared by the web ballot tests: an open room of the §5 example scheme with
fresh codes, and small helpers to read pages (SQLite only: the services are
tested on both backends elsewhere)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.conftest import DATA

ROOM = "W1"


@dataclass
class WebRoom:
    id: str
    admin: object  # the admin Actor, for organizer steps (close, reprint)
    codes: dict[str, list[str]] = field(default_factory=dict)

    def take(self, group: str = "masses") -> str:
        return self.codes[group].pop()


def make_web_room(actor, room_id: str = ROOM, masses: int = 6, npc: int = 3, persons: str = "all",
                  open_it: bool = True) -> WebRoom:
    """The worked example's scheme (grades, 优秀 quota 60 % at 90) and roster, open, with codes."""
    from pingyi.people import roster
    from pingyi.voting import rooms, schemes

    roster.import_roster(actor, DATA / "roster.csv")
    schemes.import_scheme(actor, DATA / "scheme.toml")
    rooms.create_room(actor, "示例双定双评", "第一次双定双评测评会", room_id, persons=persons,
                      quotas={"masses": masses, "npc": npc})
    issued = rooms.issue_codes(actor, room_id)
    if open_it:
        rooms.open_room(actor, room_id)
    room = WebRoom(room_id, actor)
    for group, code in issued:
        room.codes.setdefault(group, []).append(code)
    return room


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:2000]
    return found.group(1)


def person_codes(room_id: str) -> list[str]:
    from pingyi.voting import rooms

    return [p.code for p in rooms.room_persons(room_id)]


def stored(room_id: str) -> list[tuple[str, str]]:
    """(group, status) of every stored ballot of the room."""
    from pingyi.db import models as m

    return sorted(m.Ballot.select(m.Ballot.group, m.Ballot.status).where(m.Ballot.room == room_id).tuples())


def totals(room_id: str) -> dict[str, int | None]:
    from pingyi.db import models as m

    q = (m.Entry.select(m.Person.code, m.Entry.total).join(m.Ballot).switch(m.Entry)
         .join(m.Person, on=(m.Entry.person == m.Person.id)).where(m.Ballot.room == room_id).tuples())
    return dict(q)
