"""Year-end assessment workbook (XLSX) and CSV files from a ``YearExport``.

One column model serves both: Chinese headers and display values for the
workbook, stable English keys for the CSV that other systems read. Only
aggregates appear: scores, ranks and desk records, never a ballot.
"""
from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from pingyi.common.cells import SafeWriter, append_row
from pingyi.reports.yearend import LEVEL_NAMES, LEVELS, PersonYear, RoomColumn, UnitYear, YearExport

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet  # no stubs: Any to mypy

SCORE, RANK, POINTS, INT, TEXT = "0.00", "0", "0.0", "0", "@"
DATE, STAMP = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
MAX_WIDTH = 48

Cell = str | int | Decimal | dt.date | None   # what a column shows (None = empty)
Row = TypeVar("Row")                          # PersonYear, UnitYear or RoomColumn


@dataclass(frozen=True)
class Column(Generic[Row]):
    key: str                      # CSV header
    title: str                    # workbook header
    value: Callable[[Row], Cell]  # row object -> display value (None = empty)
    fmt: str = TEXT               # Excel number format
    raw: Callable[[Row], Cell] | None = None  # CSV value when it differs
    total: str = ""               # the totals rows: "sum" (counts), "mean" (scores, indexes) or nothing


def yes(flag: bool) -> str:
    return "是" if flag else ""


def points(tenths: int | None) -> Decimal | None:
    return None if tenths is None else (Decimal(tenths) / 10).quantize(Decimal("0.1"))


def level_name(level: str) -> str:
    return LEVEL_NAMES.get(level, "")


def person_columns(export: YearExport) -> tuple[list[tuple[str, int]], list[Column[PersonYear]]]:
    """Header groups (title, span) and the columns of the persons sheet."""
    fixed: list[Column[PersonYear]] = [
        Column("person", "编号", lambda p: p.code),
        Column("name", "姓名", lambda p: p.name),
        Column("unit", "单位", lambda p: p.unit),
        Column("post", "职务", lambda p: p.post),
        Column("category", "类别", lambda p: p.category),
    ]
    rooms: list[Column[PersonYear]] = []
    for r in export.rooms:
        rooms += _room_marks(r.room)
    year: list[Column[PersonYear]] = [
        Column("bottoms", "倒数第一次数", lambda p: p.bottoms, INT, total="sum"),
        Column("longest_streak", "最长连续倒数第一", lambda p: p.longest_streak, INT),
        Column("integrity", "廉洁指数", lambda p: p.integrity, SCORE, total="mean"),
        Column("integrity_band", "指数结果", lambda p: p.integrity_band),
        Column("ledger_points", "扣分", lambda p: points(p.ledger_points), POINTS),
        Column("ledger_level", "台账等级", lambda p: level_name(p.ledger_level), raw=lambda p: p.ledger_level),
        *[Column(f"warnings_{lv}", f"{LEVEL_NAMES[lv]}预警", _person_warnings(lv), INT, total="sum")
          for lv in LEVELS],
        Column("warning_numbers", "预警文号", lambda p: "、".join(w.number or "" for w in p.warnings)),
        Column("rectification", "整改情况", lambda p: p.rectification),
        Column("talk", "廉政谈话", lambda p: p.talk),
        Column("not_excellent", "不得评优", lambda p: yes(p.not_excellent), raw=lambda p: int(p.not_excellent)),
        Column("accountability", "追责", lambda p: yes(p.accountability), raw=lambda p: int(p.accountability)),
    ]
    groups = [("人员", len(fixed))]
    groups += [(f"{r.title}（{r.room}，{r.date}）", 3) for r in export.rooms]
    groups.append((f"{export.year} 年度汇总", len(year)))
    return groups, fixed + rooms + year


def _room_marks(rid: str) -> list[Column[PersonYear]]:
    """The score, rank and bottom-mark columns of one room."""
    return [
        Column(f"{rid}_score", "得分", lambda p: _mark(p, rid, "score"), SCORE, total="mean"),
        Column(f"{rid}_rank", "名次", lambda p: _mark(p, rid, "rank"), RANK),
        Column(f"{rid}_bottom", "倒数第一", lambda p: yes(_mark(p, rid, "bottom") or False),
               raw=lambda p: _flag01(_mark(p, rid, "bottom"))),
    ]


def _person_warnings(level: str) -> Callable[[PersonYear], Cell]:
    return lambda p: p.warning_count(level)


def _unit_warnings(level: str) -> Callable[[UnitYear], Cell]:
    return lambda u: u.warnings[level]


def _day(iso: str) -> dt.date | None:
    """A stored YYYY-MM-DD as a real date (a date cell in the workbook; the same text in CSV)."""
    return dt.date.fromisoformat(iso[:10]) if iso else None


@overload
def _mark(p: PersonYear, room: str, attr: Literal["score"]) -> Decimal | None: ...
@overload
def _mark(p: PersonYear, room: str, attr: Literal["rank"]) -> int | None: ...
@overload
def _mark(p: PersonYear, room: str, attr: Literal["bottom"]) -> bool | None: ...
def _mark(p: PersonYear, room: str, attr: str) -> Decimal | int | bool | None:
    mark = p.rooms.get(room)
    return None if mark is None else getattr(mark, attr)


def _flag01(flag: bool | None) -> str | int:
    return "" if flag is None else int(flag)


def unit_columns() -> list[Column[UnitYear]]:
    return [
        Column("unit", "单位", lambda u: u.unit),
        Column("persons", "人数", lambda u: u.persons, INT, total="sum"),
        Column("rated", "参评人数", lambda u: u.rated, INT, total="sum"),
        Column("bottoms", "倒数第一次数", lambda u: u.bottoms, INT, total="sum"),
        Column("bottom_persons", "倒数第一人数", lambda u: u.bottom_persons, INT, total="sum"),
        *[Column(f"warnings_{lv}", f"{LEVEL_NAMES[lv]}预警", _unit_warnings(lv), INT, total="sum")
          for lv in LEVELS],
        Column("talks_pending", "待谈话", lambda u: u.talks_pending, INT, total="sum"),
        Column("talks_done", "已谈话", lambda u: u.talks_done, INT, total="sum"),
        Column("not_excellent", "不得评优人数", lambda u: u.not_excellent, INT, total="sum"),
        Column("accountability", "追责人数", lambda u: u.accountability, INT, total="sum"),
        Column("unit_ledger_points", "单位扣分", lambda u: points(u.ledger_points), POINTS),
        Column("unit_ledger_level", "单位台账等级", lambda u: level_name(u.ledger_level),
               raw=lambda u: u.ledger_level),
        Column("unit_warnings", "单位预警文号", lambda u: "、".join(w.number or "" for w in u.unit_warnings)),
        Column("unit_not_excellent", "单位不得评优", lambda u: yes(u.unit_not_excellent),
               raw=lambda u: int(u.unit_not_excellent)),
        Column("unit_accountability", "单位追责", lambda u: yes(u.unit_accountability),
               raw=lambda u: int(u.unit_accountability)),
    ]


def room_columns() -> list[Column[RoomColumn]]:
    return [
        Column("room", "会场编号", lambda r: r.room),
        Column("title", "会场名称", lambda r: r.title),
        Column("date", "结束日期", lambda r: _day(r.date), DATE),
        Column("scheme", "测评方案", lambda r: r.scheme),
        Column("series", "系列", lambda r: r.series or ""),
        Column("round", "轮次", lambda r: r.round, INT),
        Column("rated", "参评人数", lambda r: r.rated, INT),
        Column("tally_hash", "计票哈希", lambda r: r.tally_hash or ""),
    ]


def display_width(text: object) -> int:
    """Columns a value takes in a spreadsheet: wide (Chinese) characters count two."""
    s = "" if text is None else str(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _header_width(title: str) -> int:
    """Headers wrap onto two lines, so a long one needs only about half its width."""
    w = display_width(title)
    return w if w <= 8 else -(-w // 2) + 1


# --- XLSX -------------------------------------------------------------------------------------


def write_xlsx(path: str | os.PathLike[str], export: YearExport,
               progress: Callable[[int, int, str], None] | None = None) -> None:
    """The workbook: 人员 (one row per person), 单位汇总, 会场, 规则说明."""
    from openpyxl import Workbook

    report: Callable[[int, int, str], None] = progress or (lambda done, total, stage: None)
    wb = Workbook()
    ws = wb.active
    ws.title = "人员"
    groups, cols = person_columns(export)
    total = len(export.persons)
    _sheet(ws, f"{export.year} 年度评议考核汇总（人员）", groups, cols, export.persons, freeze="C4",
           progress=lambda done: report(done, total, "写入人员"), totals="姓名")
    _print_setup(ws, f"{export.year} 年度评议考核汇总（人员）", export, "1:3")
    ws = wb.create_sheet("单位汇总")
    _sheet(ws, f"{export.year} 年度评议考核汇总（单位）", None, unit_columns(), export.units, freeze="B3",
           totals="单位")
    _print_setup(ws, f"{export.year} 年度评议考核汇总（单位）", export, "1:2")
    ws = wb.create_sheet("会场")
    _sheet(ws, f"{export.year} 年度测评会场", None, room_columns(), export.rooms, freeze="B3")
    _print_setup(ws, f"{export.year} 年度测评会场", export, "1:2")
    _rules_sheet(wb.create_sheet("规则说明"), export)
    _print_setup(wb["规则说明"], f"{export.year} 年度评议考核汇总 规则说明", export, "1:2")
    wb.properties.creator = ""
    wb.properties.title = f"{export.year} 年度评议考核汇总"
    report(total, total, "保存")
    for sheet in wb.worksheets:
        _exact_numbers(sheet)
    wb.save(str(path))


def _exact_numbers(ws: Worksheet) -> None:
    """Scores and points stored as the decimals they are (「70.18」), not as openpyxl writes a number
    (``"%.16g" % float``: 「70.18000000000001」, which other programs read and show as it stands).

    openpyxl has no public way to give a numeric cell its text: the Decimal is swapped for its text
    after every value is in (the totals rows read the Decimals back), and the cell stays numeric."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell._value, Decimal):
                cell._value = format(cell._value, "f")


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return {
        "title": Font(bold=True, size=14),
        "head": Font(bold=True),
        "fill": PatternFill("solid", fgColor="DCE3EE"),
        "group_fill": PatternFill("solid", fgColor="C5D1E3"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "flag_fill": PatternFill("solid", fgColor="FBE2DD"),
    }


def _print_setup(ws: Worksheet, title: str, export: YearExport, title_rows: str) -> None:
    """Prints on A4 landscape without manual fixes: fit to one page wide, header rows repeated on
    every page, the title and the audit head in the page header, 「第 N 页 共 M 页」 in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    for part in (ws.oddHeader, ws.evenHeader):
        part.center.text = title.replace("&", "&&")
        part.center.size = 11
        part.right.text = export.audit_words.replace("&", "&&")
        part.right.size = 7
    for part in (ws.oddFooter, ws.evenFooter):
        part.center.text = "第 &P 页 共 &N 页"
        part.center.size = 9
        part.left.text = f"生成于 {export.generated_words()}"
        part.left.size = 8


def _totals(ws: Worksheet, cols: Sequence[Column[Any]], first: int, last: int, label_col: str) -> None:
    """合计 (counts) and 平均 (scores, indexes) rows under the data, as values (no formulas to run)."""
    from openpyxl.styles import Font

    if last < first:
        return
    label_at = next(i for i, c in enumerate(cols) if c.title == label_col)
    sums: list[Any] = [None] * len(cols)
    means: list[Any] = [None] * len(cols)
    for i, c in enumerate(cols):
        if not c.total:
            continue
        values = [ws.cell(r, i + 1).value for r in range(first, last + 1)]
        numbers = [Decimal(str(v)) for v in values if isinstance(v, (int, float, Decimal))]
        if not numbers:
            continue
        if c.total == "sum":
            sums[i] = int(sum(numbers))
        else:
            means[i] = (sum(numbers, Decimal(0)) / len(numbers)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    bold = Font(bold=True)
    for label, values, fmt in (("合计", sums, None), ("平均", means, SCORE)):
        if not any(v is not None for v in values):
            continue
        values = list(values)
        values[label_at] = label
        append_row(ws, values)
        r = ws.max_row
        for i, c in enumerate(cols, 1):
            cell = ws.cell(r, i)
            cell.font = bold
            if values[i - 1] is not None and i - 1 != label_at:
                cell.number_format = fmt or c.fmt


def _sheet(ws: Worksheet, title: str, groups: Sequence[tuple[str, int]] | None, cols: Sequence[Column[Row]],
           rows: Sequence[Row], freeze: str, progress: Callable[[int], None] | None = None,
           totals: str | None = None) -> None:
    """Title row, optional grouped header row, header row, data (and a totals row under a filter that
    leaves it out); frozen, sized, formatted."""
    from openpyxl.utils import get_column_letter

    st = _styles()
    append_row(ws, [title])
    ws["A1"].font = st["title"]
    ws.row_dimensions[1].height = 24
    if groups:
        line: list[str | None] = []
        merges: list[tuple[int, int]] = []
        at = 1
        for name, span in groups:
            line += [name] + [None] * (span - 1)
            if span > 1:
                merges.append((at, at + span - 1))
            at += span
        append_row(ws, line)
        r = ws.max_row
        for a, b in merges:
            ws.merge_cells(start_row=r, start_column=a, end_row=r, end_column=b)
        for i in range(1, len(line) + 1):
            cell = ws.cell(r, i)
            cell.font, cell.fill, cell.alignment, cell.border = st["head"], st["group_fill"], st["center"], st["border"]
        group_row = (r, groups)
    else:
        group_row = None
    append_row(ws, [c.title for c in cols])
    head = ws.max_row
    for i in range(1, len(cols) + 1):
        cell = ws.cell(head, i)
        cell.font, cell.fill, cell.alignment, cell.border = st["head"], st["fill"], st["center"], st["border"]
    ws.row_dimensions[head].height = 30
    widths = [_header_width(c.title) for c in cols]
    fns = [c.value for c in cols]
    for n, obj in enumerate(rows, 1):
        values = [f(obj) for f in fns]
        append_row(ws, values)
        for i, v in enumerate(values):
            if v is not None and not isinstance(v, (int, Decimal, dt.date)):
                w = display_width(v)
                if w > widths[i]:
                    widths[i] = w
        if progress and n % 500 == 0:
            progress(n)
    first = head + 1
    last = ws.max_row
    for i, c in enumerate(cols, 1):
        letter = get_column_letter(i)
        if c.fmt != TEXT and last >= first:
            for (cell,) in ws.iter_rows(min_row=first, max_row=last, min_col=i, max_col=i):
                cell.number_format = c.fmt
        numeric = c.fmt != TEXT
        least = 11 if c.fmt == DATE else 8 if numeric else 6
        ws.column_dimensions[letter].width = min(MAX_WIDTH, max(widths[i - 1], least) + 2)
    if group_row:
        _fit_group_row(ws, *group_row)
    ws.freeze_panes = freeze
    if last >= first:
        ws.auto_filter.ref = f"A{head}:{get_column_letter(len(cols))}{last}"
    if totals:
        _totals(ws, cols, first, last, totals)


def _fit_group_row(ws: Worksheet, row: int, groups: Sequence[tuple[str, int]]) -> None:
    """Tall enough that every merged group title shows in full (wrapped)."""
    from openpyxl.utils import get_column_letter

    lines, c = 1, 1
    for name, span in groups:
        room = sum(ws.column_dimensions[get_column_letter(i)].width for i in range(c, c + span)) - 1
        lines = max(lines, -(-display_width(name) // max(1, int(room))))
        c += span
    ws.row_dimensions[row].height = 15 * lines + 4


def _rules_sheet(ws: Worksheet, export: YearExport) -> None:
    st = _styles()
    from openpyxl.styles import Alignment

    append_row(ws, [f"{export.year} 年度评议考核汇总 规则说明"])
    ws["A1"].font = st["title"]
    append_row(ws, ["项目", "说明"])
    for c in ws[2]:
        c.font, c.fill, c.border = st["head"], st["fill"], st["border"]
    append_row(ws, ["生成时间", export.generated_local()])
    ws.cell(ws.max_row, 2).number_format = STAMP
    ws.cell(ws.max_row, 2).alignment = Alignment(horizontal="left")
    if export.audit_words:
        append_row(ws, ["审计链", export.audit_words])
    append_row(ws, ["会场数", len(export.rooms)])
    append_row(ws, ["人数", len(export.persons)])
    if export.missing:
        append_row(ws, ["未包含", "、".join(export.missing) + "（相应列留空）"])
    for topic, text in export.rules:
        append_row(ws, [topic, text])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = wrap
    ws.column_dimensions["A"].width = max(12, max(display_width(t) for t, _ in export.rules) + 2) \
        if export.rules else 16
    ws.column_dimensions["B"].width = 90
    ws.freeze_panes = "A3"


# --- CSV --------------------------------------------------------------------------------------


CSV_FILES = ("persons.csv", "units.csv", "rooms.csv")


def write_csv(directory: str | os.PathLike[str], export: YearExport) -> list[Path]:
    """persons.csv, units.csv, rooms.csv (UTF-8 with BOM so spreadsheet programs read Chinese)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    _, pcols = person_columns(export)
    persons, units, rooms = CSV_FILES
    return [_csv(d / persons, pcols, export.persons), _csv(d / units, unit_columns(), export.units),
            _csv(d / rooms, room_columns(), export.rooms)]


def _csv(path: Path, cols: Sequence[Column[Row]], rows: Sequence[Row]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = SafeWriter(f, lineterminator="\n")
        w.writerow([c.key for c in cols])
        for obj in rows:
            w.writerow(["" if v is None else v for v in ((c.raw or c.value)(obj) for c in cols)])
    return path
