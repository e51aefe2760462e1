"""Year-end export: choose the year and the files (workbook, optional PDF
summary and CSV), run the one export service in a worker with a progress bar,
then say where the files are."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import Prose
from pingyi.screens.work import Done, Failed, error_text, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    ProgressBar,
    Static,
)

ABOUT = ("每人一行：各会场得分名次、倒数第一、廉洁指数、扣分、预警、整改、谈话、评优和追责；"
         "另有单位汇总、会场和规则说明。不含任何选票内容。")

if TYPE_CHECKING:  # a string in a base class: checked by mypy, not imported at run time
    from pingyi.people.accounts import Actor
    from pingyi.reports.year_export import ExportResult

Progress = Callable[[int, int, str], None]
"""(done, total, stage): the export's progress callback (``pingyi.reports.year_export.Progress``)."""


def default_paths(year: int, where: Path | None = None) -> dict[str, str]:
    """Where the files go unless the user says otherwise: the current directory."""
    base = where or Path.cwd()
    return {"xlsx": str(base / f"年终考核-{year}.xlsx"), "pdf": str(base / f"年终考核-{year}.pdf"),
            "csv": str(base / f"年终考核-{year}-csv")}


def parse_year(text: str) -> int:
    from pingyi.common.errors import InputError

    text = text.strip()
    if not (text.isdigit() and 1900 <= int(text) <= 9999):
        raise InputError(f"年度应为四位数字，例如 2026（现为：{text or '空'}）")
    return int(text)


def _file(text: str, what: str) -> Path:
    from pingyi.common.errors import InputError

    if not text.strip():
        raise InputError(f"请填写{what}的保存位置。")
    path = Path(text.strip()).expanduser()
    if not path.parent.is_dir():
        raise InputError(f"{what}的目录不存在：{path.parent}")
    if path.is_dir():
        raise InputError(f"{what}应为文件，而 {path} 是目录。")
    return path


def existing_files(xlsx: str, pdf: str | None, csv_dir: str | None) -> list[Path]:
    """The files an export would overwrite (asked first, as every other file the app writes)."""
    from pingyi.reports.yearbook import CSV_FILES

    paths = [Path(t.strip()).expanduser() for t in (xlsx, pdf) if t is not None and t.strip()]
    if csv_dir is not None and csv_dir.strip():
        paths += [Path(csv_dir.strip()).expanduser() / name for name in CSV_FILES]
    return [p for p in paths if p.is_file()]


def run_export(actor: Actor, year: int, xlsx: str, pdf: str | None, csv_dir: str | None,
               progress: Progress | None = None) -> tuple[ExportResult, str | None]:
    """Check the paths, export (role commission), then the font notice once: runs in a worker."""
    from pingyi.common.errors import InputError
    from pingyi.reports.year_export import export_year

    xlsx_path = _file(xlsx, "工作簿")
    pdf_path = _file(pdf, "汇总 PDF") if pdf is not None else None
    csv_path = None
    if csv_dir is not None:
        if not csv_dir.strip():
            raise InputError("请填写 CSV 文件的保存目录。")
        csv_path = Path(csv_dir.strip()).expanduser()
        if csv_path.exists() and not csv_path.is_dir():
            raise InputError(f"CSV 保存位置应为目录，而 {csv_path} 是文件。")
    result = export_year(actor, year, xlsx=xlsx_path, pdf=pdf_path, csv_dir=csv_path, progress=progress)
    notice = None
    if result.pdf:
        from pingyi.reports.base import font_notice

        notice = font_notice()
    return result, notice


def result_text(r: ExportResult) -> str:
    """Where the files are, and what the export could not include."""
    lines = [f"{r.year} 年度：会场 {r.rooms} 个，人员 {r.persons} 人，单位 {r.units} 个。",
             f"工作簿：{r.xlsx}"]
    if r.pdf:
        lines.append(f"汇总 PDF：{r.pdf}（{r.pdf_pages} 页）")
    if r.csv:
        lines.append(f"CSV：{r.csv[0].parent}（{'、'.join(p.name for p in r.csv)}）")
    if not r.rooms:
        lines.append(f"注意：{r.year} 年没有已结束的测评会场，各会场列为空。")
    if r.missing:
        lines.append("注意：未包含 " + "、".join(r.missing) + "（相应列留空）。")
    return "\n".join(lines)


class Exported(Done["tuple[ExportResult, str | None]"]):
    """The year-end files are written: the result and the one-time font notice (or None)."""


class ExportScreen(MenuScreen):
    BINDINGS = [
        Binding("escape", "app.go('h')", "返回"),
        Binding("ctrl+s", "export", "开始导出", priority=True),
    ]

    CSS = """
    ExportScreen .form-row Label, ExportScreen .form-row Checkbox { width: 14; }
    ExportScreen .form-row Checkbox { border: none; padding: 1 0 0 0; height: 3; background: transparent; }
    ExportScreen .form-row #year { width: 12; }
    ExportScreen #go { margin-left: 2; }
    ExportScreen #bar Bar { width: 1fr; }
    ExportScreen #bar { width: 100%; }
    ExportScreen #export-result { height: auto; }
    """

    class Progressed(Message):
        """Posted from the export worker: percent done (0–100) and the stage."""

        def __init__(self, percent: int, stage: str) -> None:
            super().__init__()
            self.percent, self.stage = percent, stage

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.busy = False
        self.result: ExportResult | None = None
        self._defaults: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="export-body"):
            with Vertical(classes="panel", id="export-form"):
                with Horizontal(classes="form-row"):
                    yield Label("年度")
                    yield Input(id="year", type="integer", max_length=4)
                    yield Button("开始导出", id="go", variant="primary")
                with Horizontal(classes="form-row"):
                    yield Label("工作簿 XLSX")
                    yield Input(id="xlsx", placeholder="必填：保存为 .xlsx 文件")
                with Horizontal(classes="form-row"):
                    yield Checkbox("汇总 PDF", id="want-pdf")
                    yield Input(id="pdf", placeholder="汇总 PDF 文件", disabled=True)
                with Horizontal(classes="form-row"):
                    yield Checkbox("CSV 目录", id="want-csv")
                    yield Input(id="csv", placeholder="CSV 文件所在目录（不存在则新建）", disabled=True)
            with Vertical(classes="panel", id="export-progress"):
                yield ProgressBar(total=100, show_eta=False, id="bar")
                yield Static("尚未开始。", id="stage")
                yield Prose(ABOUT, id="export-result", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        from pingyi.common import clock

        self.query_one("#export-form").border_title = "年终考核导出"
        self.query_one("#export-progress").border_title = "进度与结果"
        year = clock.today().year
        self._defaults = default_paths(year)
        for key, value in self._defaults.items():
            self.query_one(f"#{key}", Input).value = value
        self.query_one("#year", Input).value = str(year)
        self.query_one("#year", Input).focus()

    @on(Input.Changed, "#year")
    def _year_changed(self, event: Input.Changed) -> None:
        """Follow the year in the paths the user has not edited."""
        text = event.value.strip()
        if not (text.isdigit() and len(text) == 4):
            return
        new = default_paths(int(text))
        for key, old in self._defaults.items():
            field = self.query_one(f"#{key}", Input)
            if field.value == old:
                field.value = new[key]
        self._defaults = new

    @on(Checkbox.Changed)
    def _target_toggled(self, event: Checkbox.Changed) -> None:
        target = self.query_one("#pdf" if event.checkbox.id == "want-pdf" else "#csv", Input)
        target.disabled = not event.value or self.busy

    @on(Button.Pressed, "#go")
    def _go(self) -> None:
        self.action_export()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_export()

    def action_export(self) -> None:
        if self.busy:
            self.app.notify("导出正在进行，请稍候。", severity="warning")
            return
        try:
            year = parse_year(self.query_one("#year", Input).value)
        except Exception as exc:  # noqa: BLE001 - an InputError, shown in Chinese
            self.app.notify(error_text(exc), title="未开始", severity="error")
            self.query_one("#year", Input).focus()
            return
        pdf = self.query_one("#pdf", Input).value if self.query_one("#want-pdf", Checkbox).value else None
        csv_dir = self.query_one("#csv", Input).value if self.query_one("#want-csv", Checkbox).value else None
        xlsx = self.query_one("#xlsx", Input).value
        there = existing_files(xlsx, pdf, csv_dir)
        if not there:
            self._start(year, xlsx, pdf, csv_dir)
            return
        from pingyi.screens.dialogs import Confirm

        def overwrite(yes: bool | None) -> None:
            if yes:
                self._start(year, xlsx, pdf, csv_dir)

        names = "\n".join(str(p) for p in there)
        self.app.push_screen(Confirm("覆盖文件", f"这些文件已存在，导出将覆盖，原文件无法恢复：\n{names}\n确定覆盖？",
                                     ok="覆盖", danger=True), overwrite)

    def _start(self, year: int, xlsx: str, pdf: str | None, csv_dir: str | None) -> None:
        if self.busy:
            return
        self._set_busy(True)
        self.query_one("#bar", ProgressBar).update(progress=0)
        self.query_one("#stage", Static).update(f"正在导出 {year} 年度……")
        self.query_one("#export-result", Prose).update("")
        request(self, Exported, run_export, self.actor, year, xlsx, pdf, csv_dir, progress=self._reporter())

    def _reporter(self) -> Progress:
        """The worker's progress callback: posts only when the percentage or stage changes."""
        last: list[tuple[int, str] | None] = [None]

        def report(done: int, total: int, stage: str) -> None:
            percent = min(100, max(0, done * 100 // max(1, total)))
            if (percent, stage) != last[0]:
                last[0] = (percent, stage)
                self.post_message(self.Progressed(percent, stage))
        return report

    def on_export_screen_progressed(self, message: Progressed) -> None:
        self.query_one("#bar", ProgressBar).update(progress=message.percent)
        if self.busy:
            self.query_one("#stage", Static).update(f"{message.stage}……{message.percent}%")

    def _set_busy(self, on: bool) -> None:
        self.busy = on
        self.query_one("#go", Button).disabled = on
        for key in ("year", "xlsx"):
            self.query_one(f"#{key}", Input).disabled = on
        for box, key in (("want-pdf", "pdf"), ("want-csv", "csv")):
            checkbox = self.query_one(f"#{box}", Checkbox)
            checkbox.disabled = on
            self.query_one(f"#{key}", Input).disabled = on or not checkbox.value

    @on(Exported)
    def _done(self, event: Exported) -> None:
        result, notice = event.result
        self.result = result
        self._set_busy(False)
        self.query_one("#bar", ProgressBar).update(progress=100)
        self.query_one("#stage", Static).update("完成。")
        self.query_one("#export-result", Prose).update(result_text(result))
        self.app.notify(f"{result.year} 年度考核已导出：{result.xlsx}", timeout=8)
        if notice:
            self.app.notify(notice, title="字体", severity="warning", timeout=15)
        self.query_one("#go", Button).focus()

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        """The export failed: the form is usable again and the reason stays on screen."""
        if event.call is not Exported:
            return
        event.stop()
        exc = event.error
        self._set_busy(False)
        self.query_one("#stage", Static).update("未完成。")
        self.query_one("#export-result", Prose).update(error_text(exc))
        self.app.notify(error_text(exc), title="未完成", severity="error", timeout=8)
