"""Audit log: the hash-chained events page by page, newest first, and a check
of everything the log vouches for (DESIGN §11) run off the UI thread: the same
findings as `pingyi audit verify`, and the head to copy outside the database."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import LiteralTable
from pingyi.screens.widgets import PAGE, page_count, turn_page
from pingyi.screens.work import call, error_text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

if TYPE_CHECKING:
    from pingyi.people.accounts import Actor



def fetch_page(page: int) -> tuple[list, int]:
    """(events on ``page``, total events): runs in a worker."""
    from pingyi.records import audit

    return audit.events(PAGE, page * PAGE), audit.count()


def check() -> tuple[list[str], str]:
    """(findings, the head in words): runs in a worker."""
    from pingyi.records import audit

    return audit.verify(), audit.head().words()


def verify_text(problems: list[str], head: str = "") -> str:
    """The check's outcome for the verify panel (markup)."""
    from rich.markup import escape

    if not problems:
        tail = f"\n当前链头：{escape(head)}（抄录在库外，日后可用 audit verify --head 核对）" if head else ""
        return "[b green]校验结果：完整[/]  哈希链首尾相接，结果、选票和各项数据与审计记录一致。" + tail
    shown = problems[:8]
    more = [f"……另有 {len(problems) - 8} 处"] if len(problems) > 8 else []
    lines = [f"[b red]校验结果：发现 {len(problems)} 处问题[/]", *(f"· {escape(p)}" for p in shown), *more]
    return "\n".join(lines)


class AuditScreen(MenuScreen):
    BINDINGS = [
        Binding("escape", "app.go('h')", "返回"),
        Binding("pagedown", "page(1)", "下一页", priority=True),
        Binding("pageup", "page(-1)", "上一页", priority=True),
        Binding("v", "verify", "校验"),
        Binding("f5", "refresh", "刷新"),
    ]

    CSS = """
    #audit-detail { height: auto; max-height: 3; }
    #audit-verify { height: auto; max-height: 45%; overflow-y: auto; }
    """

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.page = 0
        self.total = 0
        self.events: list = []
        self.problems: list[str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel grow", id="audit-panel"):
            yield LiteralTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-detail", classes="hint", markup=False)
        yield Static("按 v 校验审计日志记录在案的一切：哈希链、会场结果与选票、账号名单等数据。", id="audit-verify",
                     classes="panel")
        yield Static("", id="audit-status", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#audit-panel").border_title = "审计日志（新的在前）"
        self.query_one("#audit-verify").border_title = "校验"
        table = self.query_one("#audit", DataTable)
        table.add_column("序号", key="seq", width=6)
        table.add_column("时间", key="at", width=19)
        table.add_column("账号", key="actor", width=8)
        table.add_column("操作", key="action", width=12)
        table.add_column("内容", key="detail")
        self.load()
        table.focus()

    def load(self) -> None:
        call(self, fetch_page, self.page, done=self.show, group="audit-page", exclusive=True)

    def show(self, result) -> None:
        from rich.text import Text

        from pingyi.records.audit_words import action_name, local_time, summary

        self.events, self.total = result
        table = self.query_one("#audit", DataTable)
        table.clear()
        table.add_rows([(Text(str(e.seq), justify="right"), local_time(e.at), e.actor, action_name(e.action),
                         summary(e.detail)) for e in self.events])
        pages = page_count(self.total)
        self.query_one("#audit-status", Static).update(
            f"共 {self.total} 条  第 {self.page + 1}/{pages} 页  PgUp/PgDn 翻页  v 校验")
        self._detail(table.cursor_row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, row: int) -> None:
        """The highlighted event in full (digests included) under the table."""
        from pingyi.records.audit_words import action_name, summary

        text = ""
        if 0 <= row < len(self.events):
            e = self.events[row]
            text = f"第 {e.seq} 条 {action_name(e.action)}：{summary(e.detail, full=True) or '无'}"
        self.query_one("#audit-detail", Static).update(text)

    def action_page(self, delta: int) -> None:
        page = turn_page(self.page, delta, self.total)
        if page != self.page:
            self.page = page
            self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_verify(self) -> None:
        self.query_one("#audit-verify", Static).update("正在校验……")
        call(self, check, done=self._verified, failed=self._verify_failed, group="audit-verify", exclusive=True)

    def _verified(self, result: tuple[list[str], str]) -> None:
        problems, head = result
        self.problems = problems
        self.query_one("#audit-verify", Static).update(verify_text(problems, head))
        if problems:
            self.app.notify(f"审计日志发现 {len(problems)} 处问题。", severity="error", timeout=8)
        else:
            self.app.notify("审计日志完整。")

    def _verify_failed(self, exc: BaseException) -> None:
        from rich.markup import escape

        self.query_one("#audit-verify", Static).update(f"[b red]未能校验[/]：{escape(error_text(exc))}")
