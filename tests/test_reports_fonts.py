"""The font policy of DESIGN §10: embed a TrueType Chinese font when one exists,
else fall back to STSong-Light and say so once; text extracts back either way."""
from __future__ import annotations

import struct

import pytest

from tests.reports_util import pdf_text, synthetic_report


@pytest.fixture(autouse=True)
def _fresh_font():
    from pingyi.reports import fonts

    fonts.reset()
    yield
    fonts.reset()


def _no_fonts(monkeypatch):
    from pingyi.reports import fonts

    monkeypatch.delenv("PINGYI_FONT", raising=False)
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    monkeypatch.setattr(fonts, "OFFICIAL_CANDIDATES", ())
    fonts.reset()


def test_fallback_is_stsong_and_said_once(monkeypatch, tmp_path):
    from pingyi.reports import base, fonts, sheet

    _no_fonts(monkeypatch)
    assert base.styles().font == "STSong-Light"
    first = base.font_notice()
    assert first and "STSong-Light" in first and "PINGYI_FONT" in first
    assert base.font_notice() is None  # once per process
    assert fonts.fallback_warning() == first  # the text stays available to whoever asks
    path = tmp_path / "s.pdf"
    sheet.write_sheet(path, synthetic_report(5))
    text = pdf_text(path)
    assert "测评结果" in text and "张00001" in text
    data = path.read_bytes()
    assert b"STSong-Light" in data and b"FontFile2" not in data  # not embedded


def test_env_font_that_is_not_truetype_is_skipped_and_reported(monkeypatch, tmp_path):
    from pingyi.reports import base, fonts

    otf = tmp_path / "NotoSansCJK.otf"
    otf.write_bytes(b"OTTO" + b"\0" * 64)
    monkeypatch.setenv("PINGYI_FONT", str(otf))
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    fonts.reset()
    assert base.styles().font == "STSong-Light"
    notice = base.font_notice()
    assert str(otf) in notice and "STSong-Light" in notice


def test_env_font_missing_or_without_chinese_is_named(monkeypatch, tmp_path):
    """PINGYI_FONT pointing nowhere, or to a font with no Chinese glyphs, is said in plain words."""
    from pathlib import Path

    import reportlab

    from pingyi.reports import base, fonts

    monkeypatch.setattr(fonts, "CANDIDATES", ())
    missing = tmp_path / "simfang.ttf"
    monkeypatch.setenv("PINGYI_FONT", str(missing))
    fonts.reset()
    assert base.styles().font == "STSong-Light"
    notice = base.font_notice()
    assert notice and str(missing) in notice and "文件不存在" in notice and "PINGYI_FONT" in notice
    latin = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # TrueType, Latin only
    monkeypatch.setenv("PINGYI_FONT", str(latin))
    fonts.reset()
    notice = base.font_notice()
    assert notice and "没有中文字形" in notice and "STSong-Light" in notice


def test_fallback_substitutes_glyphs_it_lacks(monkeypatch):
    from pingyi.reports import base, fonts

    _no_fonts(monkeypatch)
    base.styles()
    assert fonts.printable("买买提·艾力•") == "买买提・艾力・"
    assert base.esc("A·B<") == "A・B&lt;"


def test_truetype_detection(tmp_path):
    from pingyi.reports.fonts import is_truetype, parse_spec

    def sfnt(version: bytes, tags: list[bytes]) -> bytes:
        head = version + struct.pack(">HHHH", len(tags), 0, 0, 0)
        return head + b"".join(t + b"\0" * 12 for t in tags)

    ttf = tmp_path / "a.ttf"
    ttf.write_bytes(sfnt(b"\x00\x01\x00\x00", [b"cmap", b"glyf", b"head"]))
    cff = tmp_path / "b.otf"
    cff.write_bytes(sfnt(b"OTTO", [b"CFF ", b"cmap"]))
    # a collection with a CFF face first and a TrueType face second
    faces = [sfnt(b"OTTO", [b"CFF "]), sfnt(b"\x00\x01\x00\x00", [b"glyf"])]
    header_len = 12 + 4 * len(faces)
    offsets, pos = [], header_len
    for f in faces:
        offsets.append(pos)
        pos += len(f)
    ttc = tmp_path / "c.ttc"
    ttc.write_bytes(b"ttcf" + struct.pack(">HHI", 1, 0, len(faces)) + b"".join(struct.pack(">I", o) for o in offsets)
                    + b"".join(faces))
    assert is_truetype(str(ttf))
    assert not is_truetype(str(cff))
    assert not is_truetype(str(ttc), 0) and is_truetype(str(ttc), 1)
    assert not is_truetype(str(ttc), 5)
    assert not is_truetype(str(tmp_path / "missing.ttf"))
    assert parse_spec("/f/wqy-zenhei.ttc#1") == ("/f/wqy-zenhei.ttc", 1)
    assert parse_spec("/f/a#b.ttf") == ("/f/a#b.ttf", 0)


def _system_ttf():
    from pingyi.reports import fonts

    for path, index in fonts.CANDIDATES:
        if fonts._load(path, index) is not None:
            return path
    return None


def test_embedded_subset(monkeypatch, tmp_path):
    from pingyi.reports import base, fonts, sheet

    path = _system_ttf()
    if path is None:
        pytest.skip("no TrueType Chinese font on this machine (install fonts-wqy-microhei)")
    monkeypatch.setenv("PINGYI_FONT", f"{path}#0")
    fonts.reset()
    st = base.styles()
    assert st.embedded and st.font == fonts.REGISTERED_NAME
    assert base.font_notice() is None
    out = tmp_path / "s.pdf"
    sheet.write_sheet(out, synthetic_report(5))
    data = out.read_bytes()
    assert b"FontFile2" in data  # the TrueType program is embedded…
    assert len(data) < 200_000  # …as a subset, not the whole multi-megabyte font
    assert "张00003" in pdf_text(out)


def test_output_is_deterministic(tmp_path):
    from pingyi.reports import sheet

    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    sheet.write_sheet(a, synthetic_report(20))
    sheet.write_sheet(b, synthetic_report(20))
    assert a.read_bytes() == b.read_bytes()
