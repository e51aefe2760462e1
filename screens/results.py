"""Results of a closed room: ranking with bottom and streak marks, the score
distribution, one person's history across the series, PDF and CSV export."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pingyi.screens.text import LiteralTable, literal, styled
from pingyi.screens.widgets import histogram, text_bar
from pingyi.screens.work import Done, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from pingyi.common.vocab import RoomStatus

if TYPE_CHECKING:
    from pingyi.rules.tally import PersonResult
    from pingyi.voting.rooms import RoomInfo, Turnout
    from pingyi.voting.tally import TallyReport

HistoryRow = tuple[int, str, str, Decimal | None, int | None, int, bool]
"""(round, room, title, score, rank, rated count, bottom) of one closed round."""


def mark_text(bottom: bool, streak: int) -> str:
    if streak >= 2:
        return f"连续{streak}次倒数第一"
    return "倒数第一" if bottom else ""


def fill_ranking(table: LiteralTable, report: TallyReport, streaks: dict[str, int]) -> None:
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
    rows: list[tuple[Any, ...]] = []
    for r in report.results:
        means = [right(fmt2(r.groups[g.key].mean) if g.key in r.groups else "") for g in groups]
        rows.append((right(str(r.rank or "—")), r.name, r.unit, right(fmt2(r.score) or "未评"),
                     mark_text(r.bottom, streaks.get(r.person, 0)), *means))
    table.add_rows(rows)


@dataclass(frozen=True)
class ResultsData:
    report: TallyReport | None     # None while the room is not closed: turnout only (DESIGN §5)
    streaks: dict[str, int]
    turnout: Turnout | None = None
    room: RoomInfo | None = None


def load_results(room_id: str) -> ResultsData:
    from pingyi.voting import rooms, series, tally

    info = rooms.get_room(room_id)
    turnout = rooms.turnout(room_id)
    if info.status != RoomStatus.CLOSED:
        return ResultsData(None, {}, turnout, info)
    report = tally.get_tally(room_id)
    return ResultsData(report, series.streak_marks(report.series, report.round), turnout, info)


def person_history(series_name: str, person: str) -> list[HistoryRow]:
    """(round, room, title, score, rank, rated count, bottom) per closed round of the series."""
    from pingyi.voting import series, tally

    out: list[HistoryRow] = []
    for round_no, room_id in series.show(series_name).rounds:
        report = tally.get_tally(room_id)
        rated = sum(1 for r in report.results if r.score is not None)
        for r in report.results:
            if r.person == person:
                out.append((round_no, room_id, report.title, r.score, r.rank, rated, r.bottom))
    return out


def history_of(series_name: str, person: PersonResult) -> tuple[PersonResult, list[HistoryRow]]:
    """The person (as ranked in this room) with their rounds of the series: runs in a worker."""
    return person, person_history(series_name, person.person)


def export_csv(report: TallyReport, path: Path) -> Path:
    from pingyi.common.errors import InputError
    from pingyi.voting.describe import tally_csv

    if not path.parent.is_dir():
        raise InputError(f"目录不存在：{path.parent}")
    path.write_text(tally_csv(report), encoding="utf-8")   # tally_csv starts with the BOM
    return path


def export_pdf(report: TallyReport, streaks: dict[str, int], path: Path, public: bool = False,
               turnout: Turnout | None = None) -> tuple[Path, str | None]:
    """Write the result sheet; returns (path, the one-time font notice or None)."""
    from pingyi.common.errors import InputError
    from pingyi.reports.fonts import warn_once
    from pingyi.reports.sheet import write_sheet

    if not path.parent.is_dir():
        raise InputError(f"目录不存在：{path.parent}")
    write_sheet(path, report, public=public, streaks=streaks, turnout=turnout)
    return path, warn_once()


def hundredths(score: Decimal) -> int:
    """A score as shown (two decimals, 87.35) in whole hundredths (8735): exact, never a float."""
    return int(score.scaleb(2))


def distribution(report: TallyReport, width: int = 30) -> str:
    """Scores in 5-point bins as text bars (lowest bin at the bottom), binned exactly: each score as
    integer hundredths, each bin [a, a+5) points, the top bin holding the highest score."""
    scores = [hundredths(r.score) for r in report.results if r.score is not None]
    if not scores:
        return "没有得分。"
    lo = min(min(scores) // 500 * 5, 95)                # points
    hi = max(lo + 5, (max(scores) // 500 + 1) * 5)
    bins = (hi - lo) // 5
    counts = histogram(scores, lo * 100, hi * 100, bins)
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


class ResultsLoaded(Done[ResultsData]):
    """The room's result (or only its turnout while it is not closed)."""


class HistoryLoaded(Done["tuple[PersonResult, list[HistoryRow]]"]):
    """One person's rounds across the series."""


class PdfExported(Done["tuple[Path, str | None]"]):
    """A result sheet was written: (path, the one-time font notice or None)."""


class CsvExported(Done[Path]):
    """The result CSV was written."""


class ResultsScreen(Screen[None]):
    HELP_TITLE = "测评结果"
    HELP = "排名（含倒数第一和连续标记）、得分分布、选中一人的系列历史；导出内部结果单、公示版和 CSV。"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回"),
        Binding("h", "history", "个人历史"),
        Binding("e", "pdf", "导出PDF"),
        Binding("g", "pdf(True)", "公示版PDF"),
        Binding("s", "csv", "导出CSV"),
    ]

    def __init__(self, room_id: str) -> None:
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
        request(self, ResultsLoaded, load_results, self.room_id)

    @on(ResultsLoaded)
    def _loaded(self, event: ResultsLoaded) -> None:
        self.show(event.result)

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
        fill_ranking(self.query_one("#ranking", LiteralTable), report, data.streaks)
        self.query_one("#chart", Static).update(distribution(report))
        self.query_one("#ranking", LiteralTable).focus()

    def _turnout_only(self, data: ResultsData) -> None:
        """A room that is not closed: issued and returned ballots, never scores."""
        from pingyi.voting.describe import turnout_table

        room, turnout = data.room, data.turnout
        if room is None or turnout is None:
            return
        self.query_one("#results-head", Static).update(
            styled("[b]$title[/b]  $status：只显示投票进度，得分在会场结束后公布",
                   title=room.title, status=room.status_name))
        self.query_one("#ranking", LiteralTable).clear(columns=True)
        self.query_one("#chart", Static).update(turnout_table(room.title, room.spec, turnout))
        self.query_one("#results-tabs", TabbedContent).active = "tab-chart"

    def _report(self) -> TallyReport | None:
        """The closed room's result; None (and a word why) while the room is not closed."""
        if self.data is not None and self.data.report is None:
            self.app.notify("会场尚未结束：只显示投票进度，不能导出结果。", severity="warning")
            return None
        return self.data.report if self.data is not None else None

    def _selected(self) -> PersonResult | None:
        table = self.query_one("#ranking", LiteralTable)
        if self.data is None or self.data.report is None or not table.row_count:
            return None
        return self.data.report.results[table.cursor_row]

    def action_history(self) -> None:
        person = self._selected()
        if person is None or self.data is None or self.data.report is None:
            return
        report = self.data.report
        if not report.series:
            self.app.notify("此会场不属于任何系列，没有历史可比。", severity="warning")
            return
        request(self, HistoryLoaded, history_of, report.series, person)

    @on(HistoryLoaded)
    def _history(self, event: HistoryLoaded) -> None:
        from pingyi.common.textfmt import table
        from pingyi.rules.numbers import fmt2

        person, rows = event.result
        if self.data is None or self.data.report is None:
            return
        streak = self.data.streaks.get(person.person, 0)
        body = table(["轮次", "会场", "名称", "得分", "名次", "标记"],
                     [[f"第{r}轮", room, title, fmt2(score) or "未评", f"{rank or '—'}/{rated}",
                       "倒数第一" if bottom else ""] for r, room, title, score, rank, rated, bottom in rows],
                     right={3})
        head = f"{person.name}（{person.unit}，{person.post or person.person}）  系列：{self.data.report.series}"
        tail = f"\n\n截至本轮连续倒数第一 {streak} 次。" if streak else ""
        self.query_one("#history", Static).update(f"{head}\n\n{body}{tail}")
        self.query_one("#results-tabs", TabbedContent).active = "tab-history"

    def _ask(self, title: str, suffix: str, then: Callable[[Path], object]) -> None:
        from pingyi.screens.dialogs import ask_save_path

        # distinct names: the public sheet never silently replaces the internal one
        default = str(Path.cwd() / f"测评结果-{self.room_id}{suffix}")
        ask_save_path(self.app, title, default, then, ok="导出")

    def action_pdf(self, public: bool = False) -> None:
        report = self._report()
        if report is None or self.data is None:
            return
        data = self.data
        title = "导出公示版结果单 PDF（只列名次和姓名，供张贴）" if public else "导出结果单 PDF（内部）"
        suffix = "-公示版.pdf" if public else "-内部.pdf"

        def write(path: Path) -> None:
            request(self, PdfExported, export_pdf, report, data.streaks, path, public, data.turnout)

        self._ask(title, suffix, write)

    @on(PdfExported)
    def _exported_pdf(self, event: PdfExported) -> None:
        path, font_notice = event.result
        self._exported(path)
        if font_notice:
            self.app.notify(font_notice, severity="warning", timeout=15)

    def action_csv(self) -> None:
        report = self._report()
        if report is None:
            return

        def write(path: Path) -> None:
            request(self, CsvExported, export_csv, report, path)

        self._ask("导出 CSV", ".csv", write)

    @on(CsvExported)
    def _exported_csv(self, event: CsvExported) -> None:
        self._exported(event.result)

    def _exported(self, path: Path) -> None:
        self.app.notify(f"已导出：{path}", timeout=8)
