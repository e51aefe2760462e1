"""Chinese line-breaking (kinsoku) shared by the PDFs and the terminal screens: where a paragraph's
lines start so that none starts with a closing mark (「，」「。」「）」…) or ends with an opening one.

:func:`kinsoku_breaks` works on any units and widths (reportlab glyph widths in the PDFs);
:func:`wrap_cells` breaks text into lines of terminal cells, for the screens (Textual wraps
Chinese by cell, which starts lines with 「。」 at some widths, and at any space, which ends a line
「（6」 before 「分）」); there a number stays with the Chinese word it is spaced from. Nothing here
imports Textual.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

# Chinese line-breaking (GB/T 15834 and common 公文 practice): these never start a line …
NO_START = frozenset("，。；：、？！）」』】〕》〉”’…—·・%％,.;:!?)]}")
# … and these never end one.
NO_END = frozenset("（「『【〔《〈“‘([{")


def kinsoku_breaks(chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float],
                   hard: Sequence[bool] = ()) -> list[int]:
    """Where lines start (indexes into ``chars``): greedy fill, then moved back so that no line starts
    with a closing mark or ends with an opening one; a closing mark that cannot move back hangs in the
    margin instead. ``hard[i]`` forces a break after ``chars[i]``."""
    starts = [0]
    i, n = 0, len(chars)
    while i < n:
        start = starts[-1]
        limit = max_widths[min(len(starts) - 1, len(max_widths) - 1)]
        used, j = 0.0, start
        while j < n:
            if used + widths[j] > limit + 1e-6 and j > start:
                break
            used += widths[j]
            j += 1
            if hard and hard[j - 1]:
                break
        if j >= n:
            break
        if hard and hard[j - 1]:
            starts.append(j)
            i = j
            continue
        k = j
        while k > start + 1 and (chars[k] in NO_START or chars[k - 1] in NO_END):
            k -= 1
        if chars[k] in NO_START or chars[k - 1] in NO_END:
            k = j   # no good place: break where it fills (a closing mark hangs below)
            while k < n and chars[k] in NO_START and k - j < 2:
                k += 1
            if k >= n:
                break
        starts.append(k)
        i = k
    return starts


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: wide and fullwidth characters two, others one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _units(paragraph: str) -> list[str]:
    """What a line may not split: a run of ASCII and other narrow characters (a code like ABCD-EFGH,
    a path like pingyi.db, an address) is one unit; a space, a wide character and a narrow mark of the
    line-breaking rules outside ASCII (“ ” … —) each are one."""
    units: list[str] = []
    run = ""
    for ch in paragraph:
        if (ch == " " or unicodedata.east_asian_width(ch) in "WF"
                or (not ch.isascii() and (ch in NO_START or ch in NO_END))):
            if run:
                units.append(run)
                run = ""
            units.append(ch)
        else:
            run += ch
    if run:
        units.append(run)
    return _glue_numbers(units)


def _is_number(unit: str) -> bool:
    return unit[:1].isdigit() and all(ch.isdigit() or ch in ".%" for ch in unit)


def _is_word(unit: str) -> bool:
    """A wide character that is a word, not a mark (「第」「分」, not 「，」「（」)."""
    return (len(unit) == 1 and unicodedata.east_asian_width(unit) in "WF"
            and unit not in NO_START and unit not in NO_END)


def _glue_numbers(units: list[str]) -> list[str]:
    """A number spaced from the Chinese word beside it stays on its line with that word: 「第 1 行」
    「6 分」「12 张」 never break at their spaces (a line would end 「（6」 and the next start 「分）」)."""
    out: list[str] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if (unit == " " and out and i + 1 < len(units)
                and ((_is_number(out[-1].rsplit(" ", 1)[-1]) and _is_word(units[i + 1][:1]))
                     or (_is_word(out[-1][-1:]) and _is_number(units[i + 1])))):
            out[-1] += " " + units[i + 1]
            i += 2
            continue
        out.append(unit)
        i += 1
    return out


def _fold(line: str, width: int) -> list[str]:
    """A line still wider than ``width`` (a unit longer than the line): cut by cells, as a terminal would."""
    out, cur = [], ""
    for ch in line:
        if cur and cells(cur + ch) > width:
            out.append(cur)
            cur = ""
        cur += ch
    return [*out, cur]


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells, broken where :func:`kinsoku_breaks` says;
    a line break in ``text`` always breaks, spaces at a break are dropped."""
    width = max(1, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        units = _units(paragraph)
        if not units:
            lines.append("")
            continue
        starts = kinsoku_breaks(units, [cells(u) for u in units], [width])
        for i, (a, b) in enumerate(zip(starts, [*starts[1:], len(units)], strict=True)):
            line = "".join(units[a:b]).rstrip(" ")
            lines.extend(_fold(line.lstrip(" ") if i else line, width))
    return lines
