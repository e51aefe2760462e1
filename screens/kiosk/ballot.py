"""What one evaluator has typed, and how it is shown and judged before submitting."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.text import Text

UNLOCK_KEY = "ctrl+o"
DONE_SECONDS = 4.0
IDLE_SECONDS = 300.0  # a ballot left half-typed goes away before the next evaluator sees it


@dataclass
class Ballot:
    """What one evaluator has typed so far; ``entries()`` is what gets submitted."""

    code: str
    group: str
    persons: Sequence  # PersonInfo
    spec: object  # SchemeSpec
    cells: dict[str, list[str]] = field(default_factory=dict)
    abstain: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        from pingyi.voting.ballots import EntryParser

        self.parser = EntryParser(self.spec)
        for p in self.persons:
            self.cells.setdefault(p.code, [""] * len(self.spec.indicators))

    def row(self, code: str) -> tuple[str, list[int] | None, list[str]]:
        """(state, values in tenths, problems) of one person's row.

        state: 'empty' (nothing typed, counts as abstain), 'abstain',
        'complete', 'partial' (some cells still blank) or 'bad' (a value out
        of range or not a grade).
        """
        if code in self.abstain:
            return "abstain", None, []
        cells = self.cells[code]
        if not any(c.strip() for c in cells):
            return "empty", None, []
        vals, problems = self.parser.entry(cells)
        if not problems:
            return "complete", vals, []
        typed_ok = all(self.parser.value(i, c) is not None for i, c in enumerate(cells) if c.strip())
        return ("partial" if typed_ok else "bad"), None, problems

    def problems(self) -> list[str]:
        out = []
        for p in self.persons:
            state, _, problems = self.row(p.code)
            if state in ("bad", "partial"):
                out.extend(f"{p.name}：{msg}" for msg in problems)
        return out

    def entries(self) -> dict[str, list[str] | None]:
        """The mapping handed to ``ballots.submit``: values as typed, None = abstain."""
        out: dict[str, list[str] | None] = {}
        for p in self.persons:
            state, _, _ = self.row(p.code)
            out[p.code] = list(self.cells[p.code]) if state == "complete" else None
        return out


def points(tenths: int | None) -> str:
    from pingyi.rules.numbers import tenths_str

    return "" if tenths is None else tenths_str(tenths)


def person_cells(n: int, p, unit_only: bool = False) -> list[Text]:
    """序号, 姓名, 单位·职务 as plain text: roster data is never read as markup."""
    where = p.unit if unit_only else " ".join(x for x in (p.unit, p.post) if x)
    return [Text(str(n), justify="right"), Text(p.name), Text(where)]


def cell_text(spec, parser, i: int, text: str) -> Text:
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


def ballot_status(spec, ballot: Ballot) -> tuple[str, str]:
    """(status, words) the ballot will get, so the evaluator is told before submitting."""
    from pingyi.rules.numbers import tenths_str
    from pingyi.rules.tally import classify

    totals = [None if v is None else sum(v) for v in (ballot.row(p.code)[1] for p in ballot.persons)]
    status = classify(spec.rules, totals)
    if status == "blank":
        return status, "全部弃权：本票将记为空白票。"
    if status == "invalid":
        ratio = spec.rules.max_excellent_ratio
        return status, (f"注意：合计 {tenths_str(spec.rules.excellent_at)} 分以上的人数超过已评人数的 "
                        f"{float(ratio) * 100:g}%，按规则本票将记为无效票。可返回修改。")
    return status, "本票有效。"


def _load_room(room_id: str):
    from pingyi.voting import rooms

    return rooms.get_room(room_id), rooms.room_persons(room_id)
