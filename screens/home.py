"""Home dashboard: rooms with status and live turnout, to-do counts, the menu."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens import nav
from pingyi.screens.text import LiteralTable
from pingyi.screens.widgets import text_bar
from pingyi.screens.work import Done, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from pingyi.common.vocab import RoomStatus

if TYPE_CHECKING:  # a string in a base class: checked by mypy, not imported at run time
    from pingyi.dashboard import Overview  # noqa: F401
    from pingyi.people.accounts import Actor

POLL_SECONDS = 1.5


class OverviewLoaded(Done["Overview"]):
    """Rooms with turnout and the to-do counts."""
    exclusive = True


class VersionsPolled(Done[dict[str, tuple[int, str]]]):
    """Each room's change counter and status, to reload only when something moved."""
    exclusive = True


def _nav_bindings() -> list[Binding]:
    return [Binding(item.key, f"go('{item.key}')", item.label, show=item.footer) for item in nav.NAV if item.key != "h"]


class HomeScreen(nav.MenuScreen):
    BINDINGS = [
        *_nav_bindings(),
        Binding("enter", "open_room", "打开会场", show=False),
        Binding("f5", "refresh", "刷新", show=False),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self._versions: dict[str, tuple[int, str]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="todo", classes="panel")
        with Vertical(id="home-rooms", classes="panel grow"):
            yield LiteralTable(id="rooms", cursor_type="row", zebra_stripes=True)
            yield Static("回车打开会场；F5 刷新；Ctrl+P 命令面板（页面、主题、退出）", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#home-rooms").border_title = "会场"
        self.query_one("#todo").border_title = "待办"
        table = self.query_one("#rooms", DataTable)
        table.add_column("编号", key="id", width=8)
        table.add_column("名称", key="title", width=30)
        table.add_column("状态", key="status", width=6)
        table.add_column("投票", key="turnout", width=7)
        table.add_column("进度", key="bar", width=10)
        table.add_column("轮次", key="series", width=6)
        self.set_interval(POLL_SECONDS, self.poll)   # the first load comes with ScreenResume

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Menu keys a role may not use are hidden from the footer and do nothing."""
        if action == "go" and parameters:
            return any(i.key == parameters[0] for i in nav.allowed(self.actor))
        return True

    def action_go(self, key: str) -> None:
        self.post_message(nav.Go(key))

    def action_refresh(self) -> None:
        from pingyi.dashboard import overview

        request(self, OverviewLoaded, overview)

    @on(OverviewLoaded)
    def show(self, event: OverviewLoaded) -> None:
        view = event.result
        table = self.query_one("#rooms", DataTable)
        current = table.cursor_row
        table.clear()
        for r in view.rooms:
            turnout = f"{r.cast}/{r.quota}" if r.status != RoomStatus.DRAFT else f"—/{r.quota}"
            series = f"第{r.round}轮" if r.series else ""
            bar = text_bar(r.cast, r.quota, 10) if r.status == RoomStatus.OPEN else ""
            table.add_row(r.id, r.title, r.status_name, turnout, bar, series, key=r.id)
        if view.rooms:
            table.move_cursor(row=min(current, len(view.rooms) - 1))
        self._versions = {r.id: (r.version, r.status) for r in view.rooms}
        t = view.todo
        self.query_one("#todo", Static).update(
            f"待审预警建议 [b]{t.proposals}[/b]    逾期整改 [b]{t.overdue}[/b]    待办廉政谈话 [b]{t.talks}[/b]")

    def poll(self) -> None:
        if not self.is_current:
            return
        from pingyi.dashboard import versions

        request(self, VersionsPolled, versions)

    @on(VersionsPolled)
    def _polled(self, event: VersionsPolled) -> None:
        if event.result != self._versions:
            self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_open_room(self) -> None:
        table = self.query_one("#rooms", DataTable)
        if table.row_count:
            self.open_room(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_room(str(event.row_key.value))

    def open_room(self, room_id: str) -> None:
        from pingyi.screens.room import RoomScreen

        self.app.push_screen(RoomScreen(room_id, actor=self.actor))
