"""One call for the whole year-end export (CLI and TUI alike): gather the
year, write the workbook and, when asked, the PDF summary and the CSV files,
reporting progress as (done, total, stage) on one 0–100 scale."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pingyi.people.accounts import Actor

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ExportResult:
    year: int
    rooms: int
    persons: int
    units: int
    xlsx: Path | None
    pdf: Path | None
    pdf_pages: int
    csv: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _scaled(progress: Progress | None, lo: int, hi: int) -> Progress:
    """Map a step's own (done, total) onto [lo, hi] of the overall 100."""
    def report(done: int, total: int, stage: str) -> None:
        if progress:
            progress(lo + (hi - lo) * done // max(1, total), 100, stage)
    return report


def export_year(actor: Actor, year: int, xlsx: str | os.PathLike[str] | None = None,
                pdf: str | os.PathLike[str] | None = None, csv_dir: str | os.PathLike[str] | None = None,
                progress: Progress | None = None) -> ExportResult:
    """Gather ``year`` (role commission) and write the files asked for."""
    from pingyi.reports import yearbook, yearend

    data = yearend.gather(actor, year, _scaled(progress, 0, 25))
    xlsx_path = pdf_path = None
    pages, files = 0, []
    if xlsx:
        xlsx_path = Path(xlsx)
        yearbook.write_xlsx(xlsx_path, data, _scaled(progress, 25, 80))
    if pdf:
        from pingyi.reports import year_pdf

        _scaled(progress, 80, 95)(0, 1, "汇总 PDF")
        pdf_path = Path(pdf)
        pages = year_pdf.write_year_pdf(pdf_path, data)
    if csv_dir:
        _scaled(progress, 95, 100)(0, 1, "CSV")
        files = yearbook.write_csv(csv_dir, data)
    if progress:
        progress(100, 100, "完成")
    return ExportResult(year, len(data.rooms), len(data.persons), len(data.units), xlsx_path, pdf_path, pages,
                        files, list(data.missing))
