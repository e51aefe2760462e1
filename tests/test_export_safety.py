"""Exports never carry a live formula (DESIGN §11): CSV and XLSX cells that
start with = + - @, tab or CR are neutralised with an apostrophe, numbers stay
numbers, and a control character stored by an older version cannot fail the
export. Read back with openpyxl (data_type) and as CSV (first characters)."""
from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import PASSWORD
from tests.helpers import write

DANGEROUS = ['=HYPERLINK("http://evil.example","点我")', "=1+2", "+1+2", "-2+3", "@SUM(A1:A2)",
             "\t=1+2", "\r=1+2"]
def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _roster() -> str:
    rows = [f"X{i:02d},{_quote(name)},{_quote('=单位' + str(i))},{_quote(name)},大会,{_quote(name)}"
            for i, name in enumerate(DANGEROUS, 1)]
    return "编号,姓名,单位,职务,类别,分管领导\n" + "\n".join(rows) + "\n"


SCHEME = """name = "=方案"
kind = "shuangding"
[[indicator]]
key = "perf"
name = "评绩"
max = 50
[[indicator]]
key = "clean"
name = "评廉"
max = 50
[[group]]
key = "masses"
name = "=群众"
weight = 1
[rules]
trim = 0
bottom_n = 1
streak = 2
"""


def _setup(admin, tmp_path, monkeypatch) -> None:
    from pingyi.db import models as m
    from pingyi.db.connection import session, transaction

    from pingyi.people import roster
    from pingyi.voting import ballots, rooms, schemes

    year = dt.date.today().year
    monkeypatch.setenv("PINGYI_TODAY", f"{year}-07-01")
    roster.import_roster(admin, write(tmp_path, "roster.csv", _roster()))
    schemes.import_scheme(admin, write(tmp_path, "s.toml", SCHEME))
    rooms.create_room(admin, "=方案", "=1+2 会场", "EX1", series="=系列", round=1)
    rooms.open_room(admin, "EX1")
    rows = [f"B{b},masses,X{i:02d},{40 + i},{40 + b}" for b in range(1, 4) for i in range(1, len(DANGEROUS) + 1)]
    ballots.import_csv(admin, "EX1", write(tmp_path, "b.csv", "ballot,group,person,perf,clean\n" + "\n".join(rows)))
    rooms.close_room(admin, "EX1")
    with session(), transaction():   # as an older version could have stored it
        m.Person.update(post="\x1b[31m红色\x07").where(m.Person.code == "X01").execute()


def _assert_neutral(text: str) -> None:
    assert not text.startswith(("=", "+", "-", "@", "\t", "\r")) or _is_number(text), repr(text)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_tally_csv_and_year_export_hold_no_formula(admin, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from pingyi.reports.year_export import export_year
    from pingyi.voting.describe import tally_csv
    from pingyi.voting.tally import get_tally

    _setup(admin, tmp_path, monkeypatch)
    text = tally_csv(get_tally("EX1"))
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    for c in cells:
        _assert_neutral(c)
    for name in DANGEROUS:
        assert "'" + name.strip() in cells       # readable: the text as typed after the apostrophe

    year = dt.date.today().year
    export_year(admin, year, xlsx=tmp_path / "y.xlsx", csv_dir=tmp_path / "csv")
    wb = load_workbook(tmp_path / "y.xlsx")
    seen = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    _assert_neutral(cell.value)
                    seen.append(cell.value)
                elif cell.value is not None:
                    assert cell.data_type in ("n", "d", "b")
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in seen
    assert any(v.startswith("'=1+2 会场") for v in seen)
    assert any("\ufffd[31m红色\ufffd" in v for v in seen)     # control characters shown, export not failed
    for path in (tmp_path / "csv").iterdir():
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for c in row:
                    _assert_neutral(c)


def test_numbers_stay_numbers_in_the_workbook(admin, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from pingyi.reports.year_export import export_year

    _setup(admin, tmp_path, monkeypatch)
    export_year(admin, dt.date.today().year, xlsx=tmp_path / "y.xlsx")
    ws = load_workbook(tmp_path / "y.xlsx")["会场"]
    numbers = [c.value for row in ws.iter_rows(min_row=3) for c in row if c.data_type == "n" and c.value is not None]
    assert numbers, "the rooms sheet keeps its counts as numbers"


def test_tally_csv_through_the_command(db_url, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pingyi.cli import cli
    from pingyi.common.store import close_store

    monkeypatch.setenv("PINGYI_DB", db_url)
    monkeypatch.setenv("PINGYI_USER", "admin")
    monkeypatch.setenv("PINGYI_PASSWORD", PASSWORD)
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--admin", "admin"]).exit_code == 0
    for args in (["roster", "import", write(tmp_path, "r.csv", _roster())],
                 ["scheme", "import", write(tmp_path, "s.toml", SCHEME)],
                 ["room", "create", "--scheme", "=方案", "--title", "@标题", "--id", "EX2"], ["room", "open", "EX2"]):
        assert runner.invoke(cli, [str(a) for a in args]).exit_code == 0
    rows = [f"B{b},masses,X{i:02d},{40 + i},-0" for b in range(1, 3) for i in range(1, len(DANGEROUS) + 1)]
    runner.invoke(cli, ["ballots", "import", "EX2", str(write(tmp_path, "b.csv", "ballot,group,person,perf,clean\n"
                                                             + "\n".join(rows)))])
    assert runner.invoke(cli, ["room", "close", "EX2"]).exit_code == 0
    out = runner.invoke(cli, ["tally", "EX2", "--format", "csv"])
    close_store()
    assert out.exit_code == 0, out.output
    first = [c[:1] for row in csv.reader(io.StringIO(out.output)) for c in row if c]
    assert first.count("'") >= len(DANGEROUS) * 2       # name and unit of every dangerous person
    assert not {"=", "+", "@", "\t", "\r"} & set(first)


@given(st.text(max_size=12))
def test_safe_cell_never_leaves_a_formula_start_and_keeps_the_text(text):
    from pingyi.common.cells import safe_cell

    out = safe_cell(text)
    assert isinstance(out, str)
    _assert_neutral(out)
    body = out[1:] if out.startswith("'") and not text.startswith("'") else out
    assert len(body) == len(text)


def test_numbers_are_left_alone():
    from decimal import Decimal

    from pingyi.common.cells import safe_row

    assert safe_row([-1, Decimal("-2.5"), 3.0, "-1.5", "+2", "-", "-x", None]) == \
        [-1, Decimal("-2.5"), 3.0, "-1.5", "+2", "'-", "'-x", None]
