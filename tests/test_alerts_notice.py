"""Notice PDFs read back with pypdf: number, recipient, level in words, document kind."""
import pytest

from tests.desk_support import people
from tests.reports_util import page_texts, pdf_text


@pytest.fixture
def issued(sqlite_db, tmp_path, monkeypatch):
    from pingyi.desk import alerts
    from pingyi.people import accounts
    from tests.conftest import PASSWORD

    monkeypatch.setenv("PINGYI_TODAY", "2026-08-15")
    admin = accounts.init_admin("admin", PASSWORD)
    _, wang, li = people(admin, tmp_path)
    blue = alerts.draft(wang, target="A04", level="blue", reason="刘某在双定双评中连续两次倒数第一",
                        recipient="县新闻出版局分管副局长孙某", deadline="2026-09-30")
    red = alerts.draft(wang, target="财政局", level="red", reason="违规采购中央空调设备", deadline="2026-09-15")
    alerts.approve(li, blue.id)
    return alerts.get(blue.id), alerts.get(red.id), li


def test_warning_notice(issued, tmp_path):
    from pingyi.reports.notice import write_notice

    blue, _, _ = issued
    assert write_notice(tmp_path / "blue.pdf", blue) == 1
    text = pdf_text(tmp_path / "blue.pdf").replace("\n", "")
    for needle in ("预警〔2026〕1号", "县新闻出版局分管副局长孙某：", "蓝色预警", "预警通知书", "刘某（文化稽查大队）",
                   "警示提醒", "2026年9月30日前完成整改", "2026年8月15日", "盖", "中共县纪律检查委员会"):
        assert needle in text, needle


def test_rectify_notice_and_draft_marker(issued, tmp_path):
    from pingyi.desk import alerts
    from pingyi.reports.notice import write_notice

    _, red, li = issued
    write_notice(tmp_path / "draft.pdf", red)
    text = pdf_text(tmp_path / "draft.pdf")
    assert "草稿" in text and "红色预警" in text and "整改通知书" in text and "回" in text
    red = alerts.approve(li, red.id)
    write_notice(tmp_path / "red.pdf", red, "warning")
    first = page_texts(tmp_path / "red.pdf")[0]
    assert "预警〔2026〕2号" in first and "财政局：" in first and "红色预警" in first and "预警通知书" in first
    assert "责令整改" in first
