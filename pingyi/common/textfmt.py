"""Plain-text tables for the CLI that align Chinese (wide) characters."""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, w: int, right: bool = False) -> str:
    fill = " " * max(0, w - width(text))
    return fill + text if right else text + fill


def table(headers: list[str], rows: Sequence[Sequence[object]], right: set[int] | None = None) -> str:
    right = right or set()
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    out = ["  ".join(pad(h, widths[i], i in right) for i, h in enumerate(headers)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for r in cells:
        out.append("  ".join(pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip())
    return "\n".join(out)
