"""Year-end assessment on a fixture year with known answers: the data, the
workbook read back with openpyxl, the CSV, the PDF summary and the command."""
from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from tests.conftest import DATA, PASSWORD
from tests.reports_util import pdf_text

YEAR = 2026


@pytest.fixture
def year_db(admin, monkeypatch):
    """Three rounds of one series (one closed in 2025), ledger entries and two warnings for 刘某 (A04).

    Every round is the §5 example: 王伟 A01 first with 87.60, 刘某 A04 last (bottom) with 63.50.
    """
    from pingyi.db import models as m
    from pingyi.db.connection import session

    from pingyi.desk import alerts, integrity, ledger, talks
    from pingyi.people import accounts, roster
    from pingyi.voting import ballots, rooms, schemes

    monkeypatch.setenv("PINGYI_TODAY", f"{YEAR}-07-01")
    roster.import_roster(admin, DATA / "roster.csv")
    schemes.import_scheme(admin, DATA / "scheme.toml")
    closed = {"S0": "2025-12-10T09:00:00+00:00", "S1": f"{YEAR}-03-01T09:00:00+00:00",
              "S2": f"{YEAR}-06-01T09:00:00+00:00"}
    for rnd, rid in enumerate(closed, 1):
        rooms.create_room(admin, "示例双定双评", f"第{rnd}轮测评", rid, series="股长评议", round=rnd, persons="all")
        rooms.open_room(admin, rid)
        ballots.import_csv(admin, rid, DATA / "ballots.csv")
        rooms.close_room(admin, rid)
    with session():
        for rid, when in closed.items():
            m.Room.update(closed_at=when).where(m.Room.id == rid).execute()
    c1 = accounts.add_user(admin, "jw1", "commission", PASSWORD)
    c2 = accounts.add_user(admin, "jw2", "commission", PASSWORD)
    ledger.deduct(c1, "A01", "6", "违规接受宴请", source="明查暗访", date=f"{YEAR}-04-02")
    ledger.deduct(c1, "A02", "书面检查", "工作失误", date=f"{YEAR}-05-02")
    ledger.deduct(c1, "财政局", "3", "专项检查发现问题", source="专项检查", date=f"{YEAR}-05-03")
    ledger.deduct(c1, "A03", "2", "上年度事项", date="2025-11-02")  # another cycle: not in this year
    w1 = alerts.draft(c1, target="A04", level="blue", reason="连续两次倒数第一", deadline=f"{YEAR}-08-01")
    alerts.approve(c2, w1.id)
    alerts.feedback(c1, w1.id, "已制定整改措施并落实")
    w2 = alerts.draft(c1, target="A04", level="yellow", reason="连续三次倒数第一", deadline=f"{YEAR}-09-01")
    alerts.approve(c2, w2.id)
    # integrity index from round S2 (default policy: room 0.4, 述职述廉 0.2, grade 0.2, ledger 0.2; 80 passes)
    integrity.set_inputs(c1, "A01", YEAR, manual="85", grade="称职")
    integrity.set_inputs(c1, "A02", YEAR, manual="90", grade="称职")
    integrity.set_inputs(c1, "A04", YEAR, manual="70", grade="基本称职")
    integrity.compute(c1, YEAR, rooms=["S2"], persons=["A01", "A02", "A04"])
    tid = next(t.id for t in talks.list_talks(YEAR) if t.person == "A01")
    talks.record(c1, tid, date=f"{YEAR}-06-20", talked_by="县纪委书记", pledge=True)
    return c1


def _gather(actor, progress=None):
    from pingyi.reports import yearend

    return yearend.gather(actor, YEAR, progress)


def test_gather_known_answers(year_db):
    steps = []
    data = _gather(year_db, lambda done, total, stage: steps.append((done, total, stage)))
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1]
    assert [r.room for r in data.rooms] == ["S1", "S2"]  # S0 closed in 2025
    by = {p.code: p for p in data.persons}
    assert set(by) == {"A01", "A02", "A03", "A04", "A05"}
    a01, a02, a04 = by["A01"], by["A02"], by["A04"]
    assert a01.rooms["S1"].score == Decimal("87.60") and a01.rooms["S2"].rank == 1
    assert a01.ledger_points == 60 and a01.ledger_level == "yellow" and a01.not_excellent
    assert a02.ledger_points == 15 and a02.ledger_level == "" and not a02.not_excellent
    assert by["A03"].ledger_points is None  # its deduction was in 2025
    assert a04.bottoms == 2 and a04.longest_streak == 3  # the streak began in 2025's round
    assert [w.number for w in a04.warnings] == [f"预警〔{YEAR}〕1号", f"预警〔{YEAR}〕2号"]
    assert a04.warning_count("blue") == 1 and a04.warning_count("yellow") == 1 and a04.warning_count("red") == 0
    assert [w.rectification for w in a04.warnings] == ["待验收", "待反馈"]
    assert a04.rectification == "待验收" and a04.accountability and not a04.not_excellent
    assert not a01.accountability
    # 0.4×87.60 + 0.2×85 + 0.2×90 + 0.2×(100 − 6×5) = 84.04, but 6 ledger points veto it
    assert (a01.integrity, a01.integrity_band, a01.talk) == (Decimal("84.04"), "否决", "已谈话")
    # 0.4×83.80 + 0.2×90 + 0.2×90 + 0.2×(100 − 1.5×5) = 88.02
    assert (a02.integrity, a02.integrity_band, a02.talk) == (Decimal("88.02"), "合格", "")
    # 0.4×63.50 + 0.2×70 + 0.2×70 + 0.2×100 = 73.40 < 80
    assert (a04.integrity, a04.integrity_band, a04.talk) == (Decimal("73.40"), "低于阈值", "待谈话")
    assert by["A03"].integrity is None and data.missing == []
    # units (and persons by unit) in pinyin order, as a spreadsheet sorts Chinese
    assert [u.unit for u in data.units] == ["财政局", "国土资源局", "民政局", "文化稽查大队"]
    assert [p.code for p in data.persons] == ["A01", "A02", "A05", "A03", "A04"]
    units = {u.unit: u for u in data.units}
    fin = units["财政局"]
    assert fin.persons == 2 and fin.ledger_points == 30 and fin.ledger_level == "blue"
    assert fin.not_excellent == 1 and not fin.unit_not_excellent
    assert units["文化稽查大队"].bottoms == 2 and units["文化稽查大队"].accountability == 1
    assert units["文化稽查大队"].warnings == {"blue": 1, "yellow": 1, "red": 0}
    assert units["文化稽查大队"].talks_pending == 1 and fin.talks_done == 1


def test_commission_role_required(year_db, admin):
    from pingyi.common.errors import AuthError
    from pingyi.people import accounts
    from pingyi.reports import yearend

    org = accounts.add_user(admin, "hw", "organizer", PASSWORD)
    with pytest.raises(AuthError):
        yearend.gather(org, YEAR)


def test_workbook_read_back(year_db, tmp_path):
    from openpyxl import load_workbook

    from pingyi.reports import yearbook

    path = tmp_path / "year.xlsx"
    yearbook.write_xlsx(path, _gather(year_db))
    wb = load_workbook(path)
    assert wb.sheetnames == ["人员", "单位汇总", "会场", "规则说明"]
    ws = wb["人员"]
    assert ws.freeze_panes == "C4"
    groups = [c.value for c in ws[2] if c.value]
    assert groups[0] == "人员" and groups[1].startswith("第2轮测评（S1") and groups[-1] == f"{YEAR} 年度汇总"
    header = [c.value for c in ws[3]]
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    assert len(rows) == 5
    a04 = rows["A04"]
    assert a04["姓名"] == "刘某" and a04["倒数第一次数"] == 2 and a04["最长连续倒数第一"] == 3
    assert a04["蓝色预警"] == 1 and a04["黄色预警"] == 1 and a04["红色预警"] == 0
    assert a04["预警文号"] == f"预警〔{YEAR}〕1号、预警〔{YEAR}〕2号" and a04["追责"] == "是"
    assert a04["整改情况"] == "待验收"
    assert a04["廉洁指数"] == 73.4 and a04["指数结果"] == "低于阈值" and a04["廉政谈话"] == "待谈话"
    a01 = rows["A01"]
    assert a01["扣分"] == 6 and a01["台账等级"] == "黄色" and a01["不得评优"] == "是" and a01["追责"] is None
    # each room brings score, rank and bottom; the first room's columns follow the five fixed ones
    assert header[5:8] == ["得分", "名次", "倒数第一"]
    cells = list(ws.iter_rows(min_row=4, max_row=8))
    score_cells = {row[0].value: row[5] for row in cells}
    assert score_cells["A01"].value == 87.6 and score_cells["A01"].number_format == "0.00"
    assert score_cells["A04"].value == 63.5
    assert {row[0].value: row[7].value for row in cells}["A04"] == "是"
    # widths fit Chinese: unit names (wide characters count two) and the header over two lines
    assert ws.column_dimensions["C"].width >= 2 * len("文化稽查大队")
    assert all(ws.column_dimensions[c].width >= 6 for c in "ABCDEFGH")
    wu = wb["单位汇总"]
    uh = [c.value for c in wu[2]]
    urows = {r[0]: dict(zip(uh, r, strict=False)) for r in wu.iter_rows(min_row=3, values_only=True)}
    assert urows["财政局"]["单位扣分"] == 3 and urows["财政局"]["单位台账等级"] == "蓝色"
    assert urows["财政局"]["不得评优人数"] == 1 and urows["文化稽查大队"]["追责人数"] == 1
    assert wu.freeze_panes == "B3"
    rooms = [r[0] for r in wb["会场"].iter_rows(min_row=3, values_only=True)]
    assert rooms == ["S1", "S2"]
    rules = " ".join(str(r[1]) for r in wb["规则说明"].iter_rows(min_row=3, values_only=True))
    assert "不得评为优秀" in rules and "追责" in rules and "去掉 1 个最高分" in rules
    assert "不含任何选票明细" in rules


def test_workbook_numbers_are_exact(year_db, tmp_path):
    """Scores and points are stored as the decimals they are: openpyxl writes a number as
    ``"%.16g" % float`` (70.18 → 「70.18000000000001」, which other programs read as it stands)."""
    import re
    import zipfile

    from openpyxl import load_workbook

    from pingyi.reports import yearbook
    from pingyi.reports.yearend import RoomMark

    data = _gather(year_db)
    rid = data.rooms[0].room
    p = next(x for x in data.persons if rid in x.rooms)
    p.rooms[rid] = RoomMark(Decimal("70.18"), p.rooms[rid].rank, p.rooms[rid].bottom)
    p.integrity = Decimal("65.54")
    path = tmp_path / "year.xlsx"
    yearbook.write_xlsx(path, data)
    with zipfile.ZipFile(path) as z:
        persons, units = (z.read(f"xl/worksheets/sheet{n}.xml").decode() for n in (1, 2))
    values = re.findall(r"<v>([^<]*)</v>", persons) + re.findall(r"<v>([^<]*)</v>", units)
    assert "70.18" in values and "65.54" in values and "3.0" in values   # 财政局's own 3 points
    assert [v for v in values if re.fullmatch(r"-?[0-9]+[.][0-9]{3,}", v)] == []
    ws = load_workbook(path)["人员"]
    cell = next(row[5] for row in ws.iter_rows(min_row=4) if row[0].value == p.code)
    assert cell.value == 70.18 and cell.data_type == "n" and cell.number_format == "0.00"


def test_workbook_prints_and_sums(year_db, tmp_path):
    """A4 landscape, one page wide, header rows on every page, title/page numbers/audit head in the
    page header and footer; totals where they mean something; real dates; local 生成时间."""
    import datetime as dt

    from openpyxl import load_workbook

    from pingyi.desk import alerts
    from pingyi.people.accounts import Actor
    from pingyi.reports import yearbook

    w = alerts.draft(year_db, target="财政局", level="red", reason="违规采购", measure="rectify")
    alerts.approve(Actor("jw2", "commission"), w.id)
    data = _gather(year_db)
    fin = {u.unit: u for u in data.units}["财政局"]
    assert fin.warnings["red"] == 1 and [x.level for x in fin.unit_warnings] == ["red"]  # its own warning counts
    assert data.audit_words.startswith("审计链 第")
    path = tmp_path / "year.xlsx"
    yearbook.write_xlsx(path, data)
    wb = load_workbook(path)
    for name, titles in (("人员", "$1:$3"), ("单位汇总", "$1:$2"), ("会场", "$1:$2"), ("规则说明", "$1:$2")):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, name
        assert ws.page_setup.fitToHeight == 0, name
        assert ws.print_title_rows == titles, name
        assert "年度" in ws.oddHeader.center.text
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.oddHeader.right.text.startswith("审计链 第")
    ws = wb["人员"]
    header = [c.value for c in ws[3]]
    last = list(ws.iter_rows(min_row=4, values_only=True))
    totals = {r[1]: dict(zip(header, r, strict=False)) for r in last if r[1] in ("合计", "平均")}
    assert totals["合计"]["倒数第一次数"] == 2 and totals["合计"]["蓝色预警"] == 1
    assert totals["合计"]["名次"] is None and totals["合计"]["最长连续倒数第一"] is None
    assert totals["平均"]["廉洁指数"] == pytest.approx((84.04 + 88.02 + 73.40) / 3, abs=0.005)
    wu = wb["单位汇总"]
    uh = [c.value for c in wu[2]]
    urows = {r[0]: dict(zip(uh, r, strict=False)) for r in wu.iter_rows(min_row=3, values_only=True)}
    assert "红色预警" in uh and "人员红色预警" not in uh
    assert urows["财政局"]["红色预警"] == 1 and urows["合计"]["红色预警"] == 1 and urows["合计"]["人数"] == 5
    # the auto-filter leaves the totals out
    assert wu.auto_filter.ref.endswith(str(wu.max_row - 1))
    dates = [c for (c,) in wb["会场"].iter_rows(min_row=3, min_col=3, max_col=3)]
    assert [d.value for d in dates] == [dt.datetime(YEAR, 3, 1), dt.datetime(YEAR, 6, 1)]
    assert all(d.is_date for d in dates)
    stamp = next(r[1] for r in wb["规则说明"].iter_rows(min_row=3, values_only=True) if r[0] == "生成时间")
    assert isinstance(stamp, dt.datetime)
    assert abs(stamp - dt.datetime.now()) < dt.timedelta(minutes=10)  # local time, not UTC
    assert wb.properties.creator in (None, "")


def test_year_pdf_headers_fit_and_signatures_keep_company(year_db, tmp_path):
    from pingyi.reports import year_pdf
    from tests.reports_util import page_texts
    from tests.test_alerts_notice import assert_breaks_well, assert_no_software_name

    data = _gather(year_db)
    path = tmp_path / "y.pdf"
    year_pdf.write_year_pdf(path, data)
    texts = page_texts(path)
    flat = "".join(texts)
    assert "不得评优" in flat and "不得评\n优" not in flat  # the header stays on one line
    signed = [t for t in texts if "制表人" in t]
    assert len(signed) == 1 and "【" in signed[0]  # the signatures share their page with the rules
    assert "审计链 第" in texts[-1]
    assert_no_software_name(path)
    assert_breaks_well(path)


def test_csv_and_pdf(year_db, tmp_path):
    from pingyi.reports import year_pdf, yearbook

    data = _gather(year_db)
    files = yearbook.write_csv(tmp_path / "csv", data)
    assert [f.name for f in files] == ["persons.csv", "units.csv", "rooms.csv"]
    with open(files[0], encoding="utf-8-sig") as f:
        rows = {r["person"]: r for r in csv.DictReader(f)}
    assert rows["A04"]["S1_bottom"] == "1" and rows["A01"]["S1_bottom"] == "0"
    assert rows["A01"]["S2_score"] == "87.60" and rows["A01"]["ledger_points"] == "6.0"
    assert rows["A01"]["ledger_level"] == "yellow" and rows["A04"]["accountability"] == "1"
    pages = year_pdf.write_year_pdf(tmp_path / "y.pdf", data)
    text = pdf_text(tmp_path / "y.pdf")
    assert pages >= 1 and f"{YEAR} 年度评议考核汇总" in text
    assert "刘某" in text and f"预警〔{YEAR}〕1号" in text and "财政局" in text
    assert "张强" not in text.split("需关注人员")[1].split("规则说明")[0]  # nothing to note for A03


def test_no_ballot_level_data(year_db, tmp_path):
    """The export carries aggregates only: no ballot serials, codes or single ballots' values."""
    from pingyi.reports import yearbook

    data = _gather(year_db)
    yearbook.write_csv(tmp_path, data)
    text = "".join(p.read_text(encoding="utf-8-sig") for p in tmp_path.glob("*.csv"))
    serials = {line.split(",")[0] for line in (DATA / "ballots.csv").read_text(encoding="utf-8-sig").splitlines()[1:]}
    assert not any(f",{s}," in text for s in serials if s)


def test_cli_export_year(year_db, db, tmp_path):
    from click.testing import CliRunner
    from pingyi.db.connection import close_database

    from pingyi.cli import cli

    close_database()
    res = CliRunner().invoke(cli, ["--db", db, "--user", "jw1", "export", "year", str(YEAR), "--xlsx",
                                   str(tmp_path / "y.xlsx"), "--pdf", str(tmp_path / "y.pdf"), "--csv",
                                   str(tmp_path / "csv")], env={"PINGYI_PASSWORD": PASSWORD})
    assert res.exit_code == 0, res.output
    assert "人员 5 人" in res.output
    assert (tmp_path / "y.xlsx").exists() and (tmp_path / "y.pdf").exists()
    assert (tmp_path / "csv" / "persons.csv").exists()


def test_export_year_call_reports_progress(year_db, tmp_path):
    from pingyi.reports.year_export import export_year

    seen = []
    r = export_year(year_db, YEAR, xlsx=tmp_path / "y.xlsx", pdf=tmp_path / "y.pdf", csv_dir=tmp_path / "c",
                    progress=lambda done, total, stage: seen.append((done, total, stage)))
    assert (r.rooms, r.persons, r.units, r.missing) == (2, 5, 4, []) and r.pdf_pages >= 1
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and done[0] == 0 and done[-1] == 100 and {t for _, t, _ in seen} == {100}


def test_year_pdf_keeps_a_round_whole(year_db, tmp_path):
    """A long series name no longer shares its cell with the round: 「第2轮」 never breaks as 「第」 / 「2轮」."""
    import dataclasses
    import re

    from pingyi.reports import year_pdf

    data = _gather(year_db)
    data.rooms = [dataclasses.replace(r, series="2026年度科股长双定双评") for r in data.rooms]
    path = tmp_path / "y.pdf"
    year_pdf.write_year_pdf(path, data)
    text = pdf_text(path)
    assert not re.search(r"第\s+[0-9]+\s*轮", text)
    assert text.count("第2轮") == 2 and text.count("第3轮") == 2    # the room's title and its round
    assert "2026年度科股长双定双评" in text.replace("\n", "")


def test_year_pdf_prints_points_as_the_desk_does(year_db, tmp_path):
    """Points in tenths read 「6」 and 「3」 as on the desk and in the CLI (tenths_str), never 「6.0」;
    the integrity index keeps its two decimals (DESIGN §5.6)."""
    import re

    from pingyi.reports import year_pdf

    year_pdf.write_year_pdf(tmp_path / "y.pdf", _gather(year_db))
    text = pdf_text(tmp_path / "y.pdf")
    units = text.split("单位汇总")[1].split("需关注人员")[0]
    persons = text.split("需关注人员")[1].split("规则说明")[0]
    assert not re.search(r"\b\d+\.0\b", units + persons)
    assert "\n财政局\n2\n2\n0\n0\n0\n0\n0\n1\n0\n3\n蓝色\n" in units          # the unit's own 3 points
    assert "\nA01\n王伟\n财政局\n0\n0\n84.04\n否决\n6\n黄色\n" in persons
    assert [year_pdf._pts(t) for t in (15, 60, 0, None)] == ["1.5", "6", "0", ""]
