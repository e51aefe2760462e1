"""Cells for CSV and XLSX exports that a spreadsheet never runs (DESIGN §11).

A spreadsheet program reads a cell starting with ``=``, ``+``, ``-`` or ``@``
(and, after a tab or CR, the same) as a formula: a roster name
``=HYPERLINK(…)`` in a year export becomes a live link. Every CSV and XLSX
writer passes its rows through :func:`safe_row` (or :class:`SafeWriter` /
:func:`append_row`), which puts an apostrophe before such text, so it reads
as typed, and leaves numbers (and strings that are plain numbers, like
``-1.5``) as numbers. Control characters that a workbook cannot hold (and that
older databases may still carry) show as U+FFFD instead of failing the export.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# C0 controls other than tab, LF and CR, and DEL: refused at input, replaced here if stored earlier.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell that is shown, never evaluated."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("\ufffd", value)
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class SafeWriter:
    """``csv.writer`` whose rows go through :func:`safe_row`."""

    def __init__(self, f: IO[str], **kwargs: Any) -> None:
        self._w = csv.writer(f, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._w.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def append_row(ws: Any, values: Iterable[Any]) -> None:
    """``ws.append`` for an openpyxl worksheet (which makes any text starting with "=" a formula)."""
    ws.append(safe_row(values))
