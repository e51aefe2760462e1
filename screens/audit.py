"""Audit log: the hash-chained events page by page, newest first, and a check
of everything the log vouches for (DESIGN §11) run off the UI thread: the same
findings as `pingyi audit verify`, and the head to copy outside the database."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import LiteralTable, Prose, styled
from pingyi.screens.widgets import PAGE, page_count, turn_page
from pingyi.screens.work import Done, Failed, error_text, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

if TYPE_CHECKING:  # strings in base classes: checked by mypy, not imported at run time
    from pingyi.people.accounts import Actor
    from pingyi.records.audit import Event


def fetch_page(page: int) -> tuple[list[Event], int]:
    """(events on ``page``, total events): runs in a worker."""
    from pingyi.records import audit

    return audit.events(PAGE, page * PAGE), audit.count()


def check() -> tuple[list[str], str]:
    """(findings, the head in words): runs in a worker."""
    from pingyi.records import audit

    return audit.verify(), audit.head().words()


def verify_text(problems: list[str], head: str = "") -> Content:
    """The check's outcome for the verify panel (findings quote stored text: slotted in literally)."""
    if not problems:
        text = styled("[b green]校验结果：完整[/]  哈希链首尾相接，结果、选票和各项数据与审计记录一致。")
        if head:
            text += styled("\n当前链头：$head（抄录在库外，日后可用 audit verify --head 核对）", head=head)
        return text
    shown = problems[:8]
    more = [f"……另有 {len(problems) - 8} 处"] if len(problems) > 8 else []
    return Content("\n").join([styled("[b red]校验结果：发现 $n 处问题[/]", n=len(problems)),
                               *(styled("· $p", p=p) for p in shown), *(Content(m) for m in more)])


class PageLoaded(Done["tuple[list[Event], int]"]):
    """One page of events and the total (a newer page wins)."""
    exclusive = True


class Verified(Done[tuple[list[str], str]]):
    """The check's findings and the head in words (a newer check wins)."""
    exclusive = True


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
        self.events: list[Event] = []
        self.problems: list[str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel grow", id="audit-panel"):
            yield LiteralTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield Prose("", id="audit-detail", classes="hint")
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
        request(self, PageLoaded, fetch_page, self.page)

    @on(PageLoaded)
    def show(self, event: PageLoaded) -> None:
        from rich.text import Text

        from pingyi.people.accounts import SYSTEM
        from pingyi.records.audit_words import action_name, local_time, summary

        self.events, self.total = event.result
        table = self.query_one("#audit", DataTable)
        table.clear()
        # what the program did by itself (a proposal raised, an unknown login refused) is logged as 「system」
        table.add_rows([(Text(str(e.seq), justify="right"), local_time(e.at),
                         "系统" if e.actor == SYSTEM.name else e.actor, action_name(e.action),
                         summary(e.detail, names=e.names, action=e.action)) for e in self.events])
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
            said = summary(e.detail, full=True, names=e.names, action=e.action)
            text = f"第 {e.seq} 条 {action_name(e.action)}：{said or '无'}"
        self.query_one("#audit-detail", Prose).update(text)

    def action_page(self, delta: int) -> None:
        page = turn_page(self.page, delta, self.total)
        if page != self.page:
            self.page = page
            self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_verify(self) -> None:
        self.query_one("#audit-verify", Static).update("正在校验……")
        request(self, Verified, check)

    @on(Verified)
    def _verified(self, event: Verified) -> None:
        problems, head = event.result
        self.problems = problems
        self.query_one("#audit-verify", Static).update(verify_text(problems, head))
        if problems:
            self.app.notify(f"审计日志发现 {len(problems)} 处问题。", severity="error", timeout=8)
        else:
            self.app.notify("审计日志完整。")

    @on(Failed)
    def _verify_failed(self, event: Failed) -> None:
        """The check itself failed: say so in the panel, not only in a toast."""
        if event.call is Verified:
            event.stop()
            self.query_one("#audit-verify", Static).update(
                styled("[b red]未能校验[/]：$why", why=error_text(event.error)))
