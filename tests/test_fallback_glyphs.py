"""With the STSong-Light fallback, nothing printed needs a glyph that font lacks (Adobe-GB1 through the
UniGB-UCS2-H map): 「·」 in a name prints as 「・」. Skipped where poppler-data's CMap is not installed."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from tests.reports_util import pdf_text, synthetic_report

CMAP = Path("/usr/share/poppler/cMap/Adobe-GB1/UniGB-UCS2-H")


def _covered() -> set[int]:
    text = CMAP.read_text(encoding="latin-1")
    out: set[int] = set()
    for a, b, _cid in re.findall(r"<([0-9a-f]{4})>\s*<([0-9a-f]{4})>\s*(\d+)", text):
        out.update(range(int(a, 16), int(b, 16) + 1))
    for a, _cid in re.findall(r"^<([0-9a-f]{4})>\s+(\d+)\s*$", text, re.M):
        out.add(int(a, 16))
    return out


@pytest.mark.skipif(not CMAP.exists(), reason="poppler-data's Adobe-GB1 CMap is not installed")
def test_fallback_documents_use_only_glyphs_it_has(monkeypatch, tmp_path):
    from pingyi.reports import fonts, sheet

    monkeypatch.delenv("PINGYI_FONT", raising=False)
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    monkeypatch.setattr(fonts, "OFFICIAL_CANDIDATES", ())
    fonts.reset()
    try:
        report = synthetic_report(8)
        report = dataclasses.replace(
            report, title="买买提·艾力所在单位测评",
            results=[dataclasses.replace(r, name=f"阿依·{r.name}") for r in report.results])
        covered = _covered() | {0x0A, 0x20}
        for public in (False, True):
            path = tmp_path / f"s{public}.pdf"
            sheet.write_sheet(path, report, public=public, organ="中共某·县纪律检查委员会",
                              issued_on=dt.date(2026, 3, 2), audit_words="审计链 第1条 0123456789abcdef")
            text = pdf_text(path)
            assert "阿依・" in text and "·" not in text
            missing = sorted({ch for ch in text if ord(ch) not in covered})
            assert not missing, missing
    finally:
        fonts.reset()
