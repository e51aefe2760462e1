"""How the kiosk shows a ballot draft; the draft itself and its verdict live in
pingyi.voting.draft, shared with the browser ballot."""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from rich.text import Text

from pingyi.voting.draft import Rated, points

if TYPE_CHECKING:
    from pingyi.people.roster import PersonInfo
    from pingyi.rules.spec import SchemeSpec
    from pingyi.voting.ballots import EntryParser
    from pingyi.voting.rooms import RoomInfo

UNLOCK_KEY = "ctrl+o"
DONE_SECONDS = 4.0
IDLE_SECONDS = 300.0  # a ballot left half-typed goes away before the next evaluator sees it


@runtime_checkable
class Listed(Rated, Protocol):
    """A rated person with the unit and post the kiosk lists (``PersonInfo`` fits)."""

    @property
    def unit(self) -> str: ...

    @property
    def post(self) -> str: ...


def person_cells(n: int, p: Rated, unit_only: bool = False,
                 widths: tuple[int, int] | None = None) -> list[Text]:
    """序号, 姓名, 单位·职务 as plain text: roster data is never read as markup.

    ``widths`` (terminal cells for 姓名 and 单位·职务) cuts longer text with
    「…」, so the grid's score and state columns stay on screen."""
    name, where = Text(p.name), Text(where_of(p, unit_only))
    if widths is not None:
        for text, width in zip((name, where), widths, strict=True):
            text.truncate(width, overflow="ellipsis")
    return [Text(str(n), justify="right"), name, where]


def where_of(p: Rated, unit_only: bool = False) -> str:
    """A listed person's 单位·职务 (or the unit alone); empty for anyone else."""
    if not isinstance(p, Listed):
        return ""
    return p.unit if unit_only else " ".join(x for x in (p.unit, p.post) if x)


def cell_text(spec: SchemeSpec, parser: EntryParser, i: int, text: str) -> Text:
    """A typed cell as shown: a grade with its points, a number, or a flagged error."""
    text = text.strip()
    if not text:
        return Text("·", style="dim")
    value = parser.value(i, text)
    if value is None:
        return Text(f"{text}!", style="bold red")
    if any(label == text for label, _ in spec.grades):
        return Text(f"{text}({points(value)})")
    return Text(text)


def _load_room(room_id: str) -> tuple[RoomInfo, list[PersonInfo]]:
    from pingyi.voting import rooms

    return rooms.get_room(room_id), rooms.room_persons(room_id)
