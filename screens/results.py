"""Results of a closed room: ranking with bottom and streak marks, the score
distribution, one person's history across the series, PDF and CSV export."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pingyi.screens.text import LiteralTable, literal, styled
from pingyi.screens.widgets import histogram, text_bar
from pingyi.screens.work import call
from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from pingyi.common.vocab import RoomStatus


def mark_text(bottom: bool, streak: int) -> str:
    if streak >= 2:
        return f"连续{streak}次倒数第一"
    return "倒数第一" if bottom else ""


def fill_ranking(table: DataTable, report, streaks: dict[str, int]) -> None:
    """Rank, name, unit, score, marks, per-group means (shared with the room's provisional view).

    Marks come before the means so they stay visible on an 80-column terminal."""
    from rich.text import Text

    from pingyi.rules.numbers import fmt2

    def right(text: str) -> Text:
        return Text(text, justify="right")

    groups = list(report.spec.groups)
    table.clear(columns=True)
    table.add_column(right("名次"), key="rank", width=4)
    table.add_column("姓名", key="name", width=6)
    table.add_column("单位", key="unit", width=12)
    table.add_column(right("得分"), key="score", width=6)
    table.add_column("标记", key="mark", width=16)
    for g in groups:
        table.add_column(right(g.name), key=g.key, width=8)
    rows = []
    for r in report.results:
        means = [right(fmt2(r.groups[g.key].mean) if g.key in r.groups else "") for g in groups]
        rows.append((right(str(r.rank or "—")), r.name, r.unit, right(fmt2(r.score) or "未评"),
                     mark_text(r.bottom, streaks.get(r.person, 0)), *means))
    table.add_rows(rows)


@dataclass(frozen=True)
class ResultsData:
    report: object | None          # None while the room is not closed: turnout only (DESIGN §5)
    streaks: dict[str, int]
    turnout: object | None = None  # rooms.Turnout
    room: object | None = None     # rooms.RoomInfo


def load_results(room_id: str) -> ResultsData:
    from pingyi.voting import rooms, series, tally

    info = rooms.get_room(room_id)
    turnout = rooms.turnout(room_id)
    if info.status != RoomStatus.CLOSED:
        return ResultsData(None, {}, turnout, info)
    report = tally.get_tally(room_id)
    return ResultsData(report, series.streak_marks(report.series, report.round), turnout, info)


def person_history(series_name: str, person: str) -> list[tuple]:
    """(round, room, title, score, rank, rated count, bottom) per closed round of the series."""
    from pingyi.voting import series, tally

    out = []
    for round_no, room_id in series.show(series_name).rounds:
        report = tally.get_tally(room_id)
        rated = sum(1 for r in report.results if r.score is not None)
        for r in report.results:
            if r.person == person:
                out.append((round_no, room_id, report.title, r.score, r.rank, rated, r.bottom))
    return out


def export_csv(report, path: Path) -> Path:
    from pingyi.common.errors import InputError
    from pingyi.voting.describe import tally_csv

    if not path.parent.is_dir():
        raise InputError(f"目录不存在：{path.parent}")
    path.write_text(tally_csv(report), encoding="utf-8")   # tally_csv starts with the BOM
    return path


def export_pdf(report, streaks: dict, path: Path, public: bool = False, turnout=None) -> tuple[Path, str | None]:
    """Write the result sheet; returns (path, the one-time font notice or None)."""
    from pingyi.common.errors import InputError
    from pingyi.reports.fonts import warn_once
    from pingyi.reports.sheet import write_sheet

    if not path.parent.is_dir():
        raise InputError(f"目录不存在：{path.parent}")
    write_sheet(path, report, public=public, streaks=streaks, turnout=turnout)
    return path, warn_once()


def distribution(report, width: int = 30) -> str:
    """Scores in 5-point bins as text bars (lowest bin at the bottom)."""
    scores = [float(r.score) for r in report.results if r.score is not None]
    if not scores:
        return "没有得分。"
    lo = min(int(min(scores)) // 5 * 5, 95)
    hi = max(lo + 5, -(-int(max(scores)) // 5) * 5)
    if hi == int(max(scores)):
        hi += 5
    bins = (hi - lo) // 5
    counts = histogram(scores, lo, hi, bins)
    peak = max(counts)
    lines = [f"得分分布（{len(scores)} 人，每档 5 分）", ""]
    for i in reversed(range(bins)):
        a = lo + 5 * i
        lines.append(f"{a:>3}–{a + 5:<3} {text_bar(counts[i], peak, width)} {counts[i]}")
    from pingyi.rules.numbers import fmt2

    bottom = [r for r in report.results if r.bottom]
    if bottom:
        lines += ["", "倒数第一：" + "、".join(f"{r.name}（{r.unit}，{fmt2(r.score)}）" for r in bottom)]
    return "\n".join(lines)


class ResultsScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回"),
        Binding("h", "history", "个人历史"),
        Binding("e", "pdf", "导出PDF"),
        Binding("g", "pdf(True)", "公示版PDF"),
        Binding("s", "csv", "导出CSV"),
    ]

    def __init__(self, room_id: str):
        super().__init__()
        self.room_id = room_id
        self.data: ResultsData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="results-head", classes="panel")
        with TabbedContent(id="results-tabs"):
            with TabPane("排名", id="tab-rank"):
                yield LiteralTable(id="ranking", cursor_type="row", zebra_stripes=True)
            with TabPane("分布", id="tab-chart"):
                with VerticalScroll():
                    yield Static("", id="chart", markup=False)
            with TabPane("个人历史", id="tab-history"):
                with VerticalScroll():
                    yield Static("在排名中选中一人后按 h 查看其在本系列各轮的得分。", id="history", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#results-head").border_title = literal(f"测评结果 {self.room_id}")
        call(self, load_results, self.room_id, done=self.show)

    def show(self, data: ResultsData) -> None:
        self.data = data
        report = data.report
        if report is None:
            self._turnout_only(data)
            return
        c = report.counts
        state = "临时结果（会场进行中）" if report.provisional else "最终结果"
        series = f"  系列：{report.series} 第 {report.round} 轮" if report.series else ""
        self.query_one("#results-head", Static).update(
            styled("[b]$title[/b]  $state$series\n选票：收回 $cast，有效 $valid，无效 $invalid，空白 $blank",
                   title=report.title, state=state, series=series, cast=c.cast, valid=c.valid,
                   invalid=c.invalid, blank=c.blank))
        fill_ranking(self.query_one("#ranking", DataTable), report, data.streaks)
        self.query_one("#chart", Static).update(distribution(report))
        self.query_one("#ranking", DataTable).focus()

    def _turnout_only(self, data: ResultsData) -> None:
        """A room that is not closed: issued and returned ballots, never scores."""
        from pingyi.voting.describe import turnout_table

        room = data.room
        self.query_one("#results-head", Static).update(
            f"[b]{escape(room.title)}[/b]  {room.status_name}：只显示投票进度，得分在会场结束后公布")
        self.query_one("#ranking", DataTable).clear(columns=True)
        self.query_one("#chart", Static).update(turnout_table(room.title, room.spec, data.turnout))
        self.query_one("#results-tabs", TabbedContent).active = "tab-chart"

    def _results_ready(self) -> bool:
        if self.data is not None and self.data.report is None:
            self.app.notify("会场尚未结束：只显示投票进度，不能导出结果。", severity="warning")
            return False
        return self.data is not None

    def _selected(self):
        table = self.query_one("#ranking", DataTable)
        if self.data is None or self.data.report is None or not table.row_count:
            return None
        return self.data.report.results[table.cursor_row]

    def action_history(self) -> None:
        person = self._selected()
        if person is None:
            return
        report = self.data.report
        if not report.series:
            self.app.notify("此会场不属于任何系列，没有历史可比。", severity="warning")
            return
        call(self, person_history, report.series, person.person,
             done=lambda rows: self._history(person, rows))

    def _history(self, person, rows) -> None:
        from pingyi.common.textfmt import table
        from pingyi.rules.numbers import fmt2

        streak = self.data.streaks.get(person.person, 0)
        body = table(["轮次", "会场", "名称", "得分", "名次", "标记"],
                     [[f"第{r}轮", room, title, fmt2(score) or "未评", f"{rank or '—'}/{rated}",
                       "倒数第一" if bottom else ""] for r, room, title, score, rank, rated, bottom in rows],
                     right={3})
        head = f"{person.name}（{person.unit}，{person.post or person.person}）  系列：{self.data.report.series}"
        tail = f"\n\n截至本轮连续倒数第一 {streak} 次。" if streak else ""
        self.query_one("#history", Static).update(f"{head}\n\n{body}{tail}")
        self.query_one("#results-tabs", TabbedContent).active = "tab-history"

    def _ask(self, title: str, suffix: str, then) -> None:
        from pingyi.screens.dialogs import ask_save_path

        if not self._results_ready():
            return
        # distinct names: the public sheet never silently replaces the internal one
        default = str(Path.cwd() / f"测评结果-{self.room_id}{suffix}")
        ask_save_path(self.app, title, default, then, ok="导出")

    def action_pdf(self, public: bool = False) -> None:
        title = "导出公示版结果单 PDF（只列名次和姓名，供张贴）" if public else "导出结果单 PDF（内部）"
        suffix = "-公示版.pdf" if public else "-内部.pdf"
        self._ask(title, suffix, lambda p: call(self, export_pdf, self.data.report, self.data.streaks, p, public,
                                               self.data.turnout, done=self._exported_pdf))

    def _exported_pdf(self, result) -> None:
        path, font_notice = result
        self._exported(path)
        if font_notice:
            self.app.notify(font_notice, severity="warning", timeout=15)

    def action_csv(self) -> None:
        self._ask("导出 CSV", ".csv", lambda p: call(self, export_csv, self.data.report, p, done=self._exported))

    def _exported(self, path: Path) -> None:
        self.app.notify(f"已导出：{path}", timeout=8)
