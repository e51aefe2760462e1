"""Reading tabular files users bring: CSV in UTF-8 (BOM or not) or GBK/GB18030
as Excel on Chinese Windows writes it, and XLSX. Rows come with their line
numbers so every error can name one."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from pingyi.common.errors import InputError


def decode(raw: bytes, name: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}：无法识别文件编码（请存为 UTF-8 或 GBK 编码的 CSV）。")


def read_rows(path: str | Path) -> list[tuple[int, list[str]]]:
    """(line number, cells) for every non-empty row, header included."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"文件不存在：{p}")
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(p)
    if p.suffix.lower() == ".xls":
        raise InputError(f"{p.name}：不支持旧版 .xls，请在 Excel 中另存为 .xlsx 或 CSV。")
    try:
        text = decode(p.read_bytes(), p.name)
    except OSError as exc:
        raise InputError(f"无法读取 {p}：{exc.strerror}") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(f"{p.name}：第 {line} 行含空字符（NUL），不是文本 CSV 文件，未导入。")
    rows = []
    try:
        for cells in csv.reader(io.StringIO(text, newline="")):
            rows.append(cells)
    except csv.Error as exc:
        raise InputError(f"{p.name}：CSV 格式错误：{exc}") from None
    return [(n, [c.strip() for c in cells]) for n, cells in enumerate(rows, 1) if any(c.strip() for c in cells)]


def _xlsx_rows(p: Path) -> list[tuple[int, list[str]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError(f"{p.name}：无法读取 Excel 文件（{exc.__class__.__name__}）。") from None
    ws = wb.worksheets[0]
    out = []
    for n, row in enumerate(ws.iter_rows(values_only=True), 1):
        cells = ["" if v is None else _cell(v) for v in row]
        if any(c.strip() for c in cells):
            out.append((n, [c.strip() for c in cells]))
    wb.close()
    return out


def _cell(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def header_index(header: list[str], columns: dict[str, tuple[str, ...]], required: tuple[str, ...],
                 name: str) -> dict[str, int]:
    """Map canonical column names to positions, accepting Chinese or English headers."""
    index: dict[str, int] = {}
    lowered = [h.strip().lower() for h in header]
    for canon, aliases in columns.items():
        for alias in aliases:
            if alias.lower() in lowered:
                index[canon] = lowered.index(alias.lower())
                break
    missing = [columns[c][0] for c in required if c not in index]
    if missing:
        raise InputError(f"{name}：缺少列：{'、'.join(missing)}（第 1 行应为表头）")
    return index
