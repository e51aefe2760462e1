"""Year-end export screen: the workbook (and CSV) written from a worker with
the progress bar reaching 100, the files named on screen, refusals in Chinese."""
from __future__ import annotations

from tests.ui_support import make, ui_admin, ui_contract  # noqa: F401


def _commission():
    from pingyi.people.accounts import Actor

    return Actor("jw1", "commission")


async def test_export_writes_workbook_with_progress(sqlite_db, ui_contract, tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from pingyi.screens.export import ExportScreen
    from pingyi.screens.work import settle

    from pingyi.common import clock

    seen: list[int] = []
    shown = ExportScreen.on_export_screen_progressed
    monkeypatch.setattr(ExportScreen, "on_export_screen_progressed",
                        lambda self, message: (seen.append(message.percent), shown(self, message)))
    year = clock.today().year
    app = make(sqlite_db, actor=_commission(), start="x")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert screen.query_one("#year").value == str(year)
        assert screen.query_one("#xlsx").value.endswith(f"年终考核-{year}.xlsx")
        assert screen.query_one("#csv").disabled
        screen.query_one("#xlsx").value = str(tmp_path / "year.xlsx")
        screen.query_one("#want-csv").value = True
        await pilot.pause()
        assert not screen.query_one("#csv").disabled
        screen.query_one("#csv").value = str(tmp_path / "csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one("#bar").progress == 100
        assert seen[-1] == 100 and seen == sorted(seen) and len(set(seen)) >= 3
        result = str(screen.query_one("#export-result").render())
        assert f"{year} 年度：会场 1 个，人员 5 人" in result
        assert f"工作簿：{tmp_path / 'year.xlsx'}" in result and "persons.csv" in result
        assert not screen.busy and not screen.query_one("#go").disabled

    wb = load_workbook(tmp_path / "year.xlsx", read_only=True)
    assert wb.sheetnames == ["人员", "单位汇总", "会场", "规则说明"]
    rows = [r for r in wb["人员"].iter_rows(values_only=True) if "A01" in r]
    assert len(rows) == 1 and "王伟" in rows[0] and "财政局" in rows[0]
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["persons.csv", "rooms.csv", "units.csv"]


async def test_year_change_moves_untouched_default_paths(sqlite_db, ui_admin, tmp_path):
    from pingyi.screens.work import settle

    app = make(sqlite_db, actor=ui_admin, start="x")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#pdf").value = str(tmp_path / "mine.pdf")
        screen.query_one("#year").value = "2025"
        await pilot.pause()
        assert screen.query_one("#xlsx").value.endswith("年终考核-2025.xlsx")
        assert screen.query_one("#csv").value.endswith("年终考核-2025-csv")
        assert screen.query_one("#pdf").value == str(tmp_path / "mine.pdf")


async def test_export_refusals_in_chinese(sqlite_db, ui_admin, tmp_path):
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    app = make(sqlite_db, actor=ui_admin, start="x")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#year").value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("年度应为四位数字" in n.message for n in app._notifications)
        assert not screen.busy

        screen.query_one("#year").value = "2026"
        screen.query_one("#xlsx").value = str(tmp_path / "nowhere" / "y.xlsx")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert f"工作簿的目录不存在：{tmp_path / 'nowhere'}" in str(screen.query_one("#export-result").render())
        assert str(screen.query_one("#stage").render()) == "未完成。" and not screen.busy

        # an organizer cannot open it from the menu, and the service refuses one who gets there anyway
        app.actor = screen.actor = Actor("huiwu", "organizer")  # the screen was handed the account it acts for
        app.go("x")
        await settle(pilot)
        assert any("无权" in n.message for n in app._notifications)
        screen.query_one("#xlsx").value = str(tmp_path / "y.xlsx")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "账号 huiwu（会务）无权进行此操作，需要纪委角色。" in str(screen.query_one("#export-result").render())
        assert not (tmp_path / "y.xlsx").exists()


async def test_export_with_pdf_names_it_and_passes_on_the_font_notice(sqlite_db, ui_contract, tmp_path, monkeypatch):
    from pingyi.screens.work import settle
    from pypdf import PdfReader

    from pingyi.reports import base

    monkeypatch.setattr(base, "font_notice", lambda: "提示：未找到可嵌入的中文 TrueType 字体（测试）")
    app = make(sqlite_db, actor=_commission(), start="x")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#xlsx").value = str(tmp_path / "y.xlsx")
        await pilot.click("#want-pdf")
        screen.query_one("#pdf").value = str(tmp_path / "y.pdf")
        await pilot.click("#go")
        await settle(pilot)
        result = str(screen.query_one("#export-result").render())
        pages = len(PdfReader(tmp_path / "y.pdf").pages)
        assert f"汇总 PDF：{tmp_path / 'y.pdf'}（{pages} 页）" in result
        assert any("未找到可嵌入的中文 TrueType 字体" in n.message for n in app._notifications)


async def test_export_asks_before_overwriting(sqlite_db, ui_contract, tmp_path):
    """A workbook (or CSV file) already there is overwritten only after a confirmation, as every other
    file the app writes; 取消 leaves it as it was."""
    from pingyi.screens.dialogs import Confirm
    from pingyi.screens.work import settle

    target = tmp_path / "year.xlsx"
    target.write_bytes(b"last year's workbook")
    (tmp_path / "csv").mkdir()
    (tmp_path / "csv" / "units.csv").write_text("old", encoding="utf-8")
    app = make(sqlite_db, actor=_commission(), start="x")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#xlsx").value = str(target)
        screen.query_one("#want-csv").value = True
        await pilot.pause()
        screen.query_one("#csv").value = str(tmp_path / "csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        body = str(app.screen.query_one("#confirm-body").render())
        assert str(target) in body and "units.csv" in body and "persons.csv" not in body
        await pilot.click("#cancel")
        await settle(pilot)
        assert app.screen is screen and not screen.busy
        assert target.read_bytes() == b"last year's workbook"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.click("#ok")
        await settle(pilot)
        assert screen.query_one("#bar").progress == 100
    assert target.read_bytes()[:2] == b"PK"                 # a workbook now
    assert (tmp_path / "csv" / "units.csv").read_text(encoding="utf-8-sig").startswith("unit,")
