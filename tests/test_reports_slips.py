"""Code slips read back with pypdf: every issued code is printed once, in the grid."""
from __future__ import annotations

import pytest

from tests.reports_util import page_texts, pdf_text, spec


def _room(title="2026年第一季度双定双评测评会"):
    from pingyi.voting.rooms import RoomInfo

    return RoomInfo(id="R7K2Q", title=title, scheme="合成方案", kind="shuangding", status="open", series=None,
                    round=None, spec=spec(2), spec_hash="a" * 64, persons=10)


def _xobjects(path) -> int:
    from pypdf import PdfReader

    res = PdfReader(str(path)).pages[0]["/Resources"]
    return len(res["/XObject"]) if "/XObject" in res else 0


def _codes(n: int) -> list[tuple[str, str]]:
    from pingyi.voting.codes import new_code

    return [("g0" if i % 3 else "g1", new_code()) for i in range(n)]


def test_slips_carry_codes_groups_and_pages(tmp_path):
    from pingyi.reports import slips
    from pingyi.voting.codes import display

    issued = _codes(23)
    path = tmp_path / "slips.pdf"
    pages = slips.write_slips(path, _room(), issued, url="http://192.168.1.20:8000/")
    texts = page_texts(path)
    assert pages == len(texts) == 3  # 10 slips a page
    text = "\n".join(texts)
    for _, code in issued:
        assert text.count(display(code)) == 1
    assert "群众代表" in text and "人大代表" in text
    assert "2026年第一季度双定双评测评会" in text
    assert "http://192.168.1.20:8000/" in text
    assert "第 3 页 共 3 页" in texts[2]
    assert _xobjects(path) == 1  # the QR code, drawn once as a form and reused on every slip


def test_slips_without_url_have_no_qr(tmp_path):
    from pingyi.reports import slips

    path = tmp_path / "slips.pdf"
    slips.write_slips(path, _room(), _codes(3))
    assert _xobjects(path) == 0
    assert "投票网址" not in pdf_text(path)


def test_long_title_is_fitted_not_cut(tmp_path):
    from pingyi.reports import base, slips

    title = "某某县二〇二六年度县直机关各单位股所长双定双评民主测评大会第一会场"
    text, size = slips.fit(title, base.styles().font, 11, 200)
    assert size < 11
    assert text == title or text.endswith("…")
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert stringWidth(text, base.styles().font, size) <= 200


@pytest.mark.parametrize("width", [60, 120, 300])
def test_wrap_keeps_every_character(width):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from pingyi.reports import base, slips

    font = base.styles().font
    lines = slips.wrap(slips.INSTRUCTIONS, font, 7.5, width)
    assert "".join(lines) == slips.INSTRUCTIONS
    assert all(stringWidth(line, font, 7.5) <= width for line in lines)


def test_room_codes_command(contract_room, db, tmp_path):
    """`pingyi room codes` on a fresh room issues codes up to the quotas and prints them."""
    from click.testing import CliRunner
    from pingyi.db.connection import close_database

    from pingyi.cli import cli
    from pingyi.voting import rooms
    from tests.conftest import PASSWORD

    rooms.create_room(_admin(), "示例双定双评", "第二会场", "R2", persons="all")
    rooms.set_quotas(_admin(), "R2", {"masses": 4, "npc": 3})
    close_database()
    out = tmp_path / "c.pdf"
    res = CliRunner().invoke(cli, ["--db", db, "--user", "admin", "room", "codes", "R2", "--pdf", str(out),
                                   "--url", "http://10.0.0.2:8000"], env={"PINGYI_PASSWORD": PASSWORD})
    assert res.exit_code == 0, res.output
    text = pdf_text(out)
    assert text.count("票码：") == 7 and text.count("群众代表") == 4 and "第二会场" in text


def _admin():
    from pingyi.people import accounts
    from tests.conftest import PASSWORD

    return accounts.authenticate("admin", PASSWORD)
