"""Result sheet read back with pypdf: the worked example of §5 and a 300-person room."""
from __future__ import annotations

import json
import re

import pytest

from tests.conftest import DATA
from tests.reports_util import page_texts, pdf_text, person_name, synthetic_report


def _names() -> dict[str, str]:
    lines = (DATA / "roster.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    return {line.split(",")[0]: line.split(",")[1] for line in lines if line}


def _expected():
    return json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


def test_contract_room_sheet(contract_room, tmp_path):
    from pingyi.reports import sheet
    from pingyi.voting import rooms, tally

    report = tally.get_tally(contract_room)
    info = rooms.get_room(contract_room)
    path = tmp_path / "sheet.pdf"
    sheet.write_sheet(path, report)
    text = pdf_text(path)
    assert "示例会场 测评结果" in text
    # names in rank order, each followed by its score with two decimals
    names = _names()
    expected = _expected()["results"]
    positions = [text.index(names[r["person"]]) for r in expected]
    assert positions == sorted(positions)
    for r in expected:
        if r["score"] is not None:
            assert re.search(rf"{names[r['person']]}.*?{r['score']:.2f}", text, re.S)
    assert "收回" in text and "有效" in text and "无效" in text and "空白" in text
    assert info.tally_hash in text.replace("\n", "") and info.frozen_hash in text.replace("\n", "")
    for signer in ("计票人", "监票人", "负责人"):
        assert signer in text
    assert "倒数第一" in text
    assert "得分分布" in text
    assert "去掉 1 个最高分" in text  # the scheme's trimming in words
    # the npc group has 2 ballots per person: its means are not broken out
    assert "82.50" not in text  # 王伟's npc mean (2 ballots) must not appear


def _set_organ() -> None:
    from pingyi.desk import policy
    from pingyi.people.accounts import Actor

    policy.set_header(Actor("admin", "admin"), organ="中共某某县纪律检查委员会")


def test_public_sheet_ranks_with_unit_and_post_and_is_issued(contract_room, tmp_path, monkeypatch):
    """名次, 姓名, 单位, 职务 in one table; the issuing organ, the date and the seal place; no scores."""
    from pingyi.common.errors import InputError
    from pingyi.reports import sheet
    from pingyi.voting import tally
    from tests.test_alerts_notice import assert_breaks_well, assert_no_software_name

    monkeypatch.setenv("PINGYI_TODAY", "2026-03-02")
    report = tally.get_tally(contract_room)
    path = tmp_path / "public.pdf"
    with pytest.raises(InputError, match="发文机关"):
        sheet.write_sheet(path, report, public=True)
    _set_organ()
    sheet.write_sheet(path, report, public=True)
    text = pdf_text(path)
    assert "测评结果公布" in text
    assert re.search(r"名次\s*姓名\s*单位\s*职务", text) and text.count("职务") == 1  # one table, not pairs
    for r in report.results:
        assert r.name in text and r.unit in text
        assert f"{r.score:.2f}" not in text
    assert "计票人" not in text
    flat = text.replace("\n", "")
    assert "中共某某县纪律检查委员会" in flat and "2026年3月2日" in flat and "审计链 第" in flat
    assert_no_software_name(path)
    assert_breaks_well(path)


def test_sheet_subtitle_labels_and_signatures_with_content(tmp_path):
    from pingyi.reports import sheet
    from tests.reports_util import placed_text
    from tests.test_alerts_notice import assert_breaks_well, assert_no_software_name

    for n in (5, 12, 40, 90):
        path = tmp_path / f"s{n}.pdf"
        sheet.write_sheet(path, synthetic_report(n), audit_words="审计链 第3条 0123456789abcdef")
        texts = page_texts(path)
        flat = texts[0].replace("\n", "")
        for label in ("会场：RSYN1", "方案：合成方案", "轮次：合成系列 第3轮", "时间："):
            assert label in flat, (n, label)
        signed = [t for t in texts if "计票人" in t]
        assert len(signed) == 1
        # the signature page also carries content: the hashes and the chart or the end of the table
        assert "计票哈希" in signed[0] and ("得分分布" in signed[0] or person_name(n) in signed[0]), n
        # page 1 is not left two-thirds empty: its text reaches below the middle of the page
        first = [y for _x, y, t in placed_text(path)[0] if y > 60]
        assert min(first) < 842 / 2, (n, min(first))
        assert "审计链 第3条" in texts[-1]
        assert_no_software_name(path)
        assert_breaks_well(path)


def test_cli_tally_pdf(contract_room, db, tmp_path):
    from click.testing import CliRunner
    from pingyi.db.connection import close_database

    from pingyi.cli import cli
    from tests.conftest import PASSWORD

    _set_organ()
    close_database()  # the CLI opens the database itself
    out = tmp_path / "t.pdf"
    res = CliRunner().invoke(cli, ["--db", db, "--user", "admin", "tally", contract_room, "--pdf", str(out),
                                   "--public"], env={"PINGYI_PASSWORD": PASSWORD})
    assert res.exit_code == 0, res.output
    assert "王伟" in pdf_text(out) and "测评结果公布" in pdf_text(out)


def test_300_persons_flow_over_pages_with_repeated_header(tmp_path):
    from pingyi.reports import sheet

    report = synthetic_report(300)
    path = tmp_path / "big.pdf"
    pages = sheet.write_sheet(path, report, streaks={"P00300": 3})
    texts = page_texts(path)
    assert pages == len(texts) >= 8
    for i, t in enumerate(texts, 1):
        assert f"第 {i} 页 共 {pages} 页" in t
        assert "合成测评会 测评结果" in t  # running header
    table_pages = [t for t in texts if "张00" in t]
    assert len(table_pages) >= 7
    for t in table_pages:
        assert re.search(r"名次\s*姓名\s*单位\s*职务\s*得分", t), t[:300]  # header row repeated
    text = "\n".join(texts)
    order = [text.index(person_name(i)) for i in range(1, 301)]
    assert order == sorted(order)
    assert "98.00" in text and "77.07" in text  # first and last scores
    assert "连续3次倒数第一" in text
    # group g1 has 2 ballots per person: never broken out; g0 (40 ballots) is
    assert "99.00" in text and "96.50" not in text
    assert "b" * 64 in text.replace("\n", "")


def test_provisional_room_says_so(tmp_path):
    from pingyi.reports import sheet

    path = tmp_path / "p.pdf"
    sheet.write_sheet(path, synthetic_report(3, provisional=True))
    text = pdf_text(path)
    assert "临时结果" in text and "会场未结束" in text


def test_many_groups_go_landscape(tmp_path):
    from pypdf import PdfReader

    from pingyi.reports import sheet

    path = tmp_path / "wide.pdf"
    sheet.write_sheet(path, synthetic_report(10, groups=6))
    box = PdfReader(str(path)).pages[0].mediabox
    assert box.width > box.height
    assert "干部职工" in pdf_text(path)


@pytest.mark.parametrize("scores, width, labels, counts", [
    (["80.00", "81.50", "89.99"], 2, ["80–82", "82–84", "84–86", "86–88", "88–90"], [2, 0, 0, 0, 1]),
    (["99.00", "100.00"], 5, ["95–100", "100–100"], [1, 1]),
])
def test_distribution_bins(scores, width, labels, counts):
    from decimal import Decimal

    from pingyi.reports.sheet import distribution

    got = distribution([Decimal(s) for s in scores], width)
    assert got == (labels, counts)


def test_issued_and_returned_line_stands_clear_of_the_counts_table(contract_room, tmp_path):
    """The 「发出与收回」 line under the ballot counts keeps a gap from the table's last row (合计)."""
    from pingyi.reports import sheet
    from pingyi.voting import rooms, tally
    from tests.reports_util import filled_rects, placed_text

    path = tmp_path / "sheet.pdf"
    sheet.write_sheet(path, tally.get_tally(contract_room), turnout=rooms.turnout(contract_room))
    page = placed_text(path)[0]
    line_y = next(y for _x, y, t in page if t.startswith("发出与收回"))
    total_y = max(y for _x, y, t in page if t.strip() == "合计")
    # the shaded 合计 row's bottom edge stands clear of the tops of the line's characters (9 pt type)
    rows = [(min(y, y + h), max(y, y + h)) for _fill, _x, y, _w, h in filled_rects(path)[0]]
    row_bottom = next(lo for lo, hi in rows if lo <= total_y <= hi)
    assert row_bottom - (line_y + 8) >= 3
