"""A ballot being filled in, before it is submitted: what each row's state is,
what will be sent, and what status the ballot will get.

The kiosk and the browser ballot both judge a draft with this one
implementation, so an evaluator is told the same thing on either channel.
Pure: no database, no UI.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pingyi.common.vocab import BallotStatus
from pingyi.rules.numbers import tenths_str
from pingyi.rules.spec import SchemeSpec
from pingyi.rules.tally import classify
from pingyi.voting.ballots import EntryParser

RowState = Literal["empty", "abstain", "complete", "partial", "bad"]
STATE_NAMES: dict[str, str] = {"empty": "未评", "abstain": "弃权", "complete": "已评", "partial": "未填完",
                               "bad": "有误"}


class Rated(Protocol):
    """What a draft needs of a rated person (``PersonInfo`` fits)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass
class Draft:
    """What one evaluator has typed so far; ``entries()`` is what gets submitted."""

    code: str
    group: str
    persons: Sequence[Rated]
    spec: SchemeSpec
    cells: dict[str, list[str]] = field(default_factory=dict)
    abstain: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.parser = EntryParser(self.spec)
        for p in self.persons:
            self.cells.setdefault(p.code, [""] * len(self.spec.indicators))

    def row(self, code: str) -> tuple[RowState, list[int] | None, list[str]]:
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
        """Every reason the draft cannot be reviewed yet, prefixed with the person's name."""
        out: list[str] = []
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

    def rated(self) -> int:
        return sum(1 for p in self.persons if self.row(p.code)[0] == "complete")


def points(tenths: int | None) -> str:
    """Tenths as the points a person reads ('' for none)."""
    return "" if tenths is None else tenths_str(tenths)


def ballot_status(spec: SchemeSpec, draft: Draft) -> tuple[str, str]:
    """(status, words) the ballot will get, so the evaluator is told before submitting."""
    totals = [None if v is None else sum(v) for v in (draft.row(p.code)[1] for p in draft.persons)]
    status = classify(spec.rules, totals)
    if status == BallotStatus.BLANK:
        return status, "全部弃权：本票将记为空白票。"
    if status == BallotStatus.INVALID:
        ratio = spec.rules.max_excellent_ratio
        assert ratio is not None  # only the 优秀 quota makes a ballot invalid
        return status, (f"注意：合计 {tenths_str(spec.rules.excellent_at)} 分以上的人数超过已评人数的 "
                        f"{float(ratio) * 100:g}%，按规则本票将记为无效票。可返回修改。")
    return status, "本票有效。"
