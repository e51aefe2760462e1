"""Roster: browse and search persons page by page; import a file after a preview."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import LiteralTable, options
from pingyi.screens.widgets import PAGE, page_count, turn_page
from pingyi.screens.work import call
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

ALL = "__all__"

if TYPE_CHECKING:
    from pingyi.people.accounts import Actor



def fetch_page(search: str, unit: str | None, page: int) -> tuple[list, int]:
    """(persons on ``page``, total matching): runs in a worker."""
    from pingyi.people import roster

    total = roster.count_persons(search, unit)
    return roster.list_persons(search, unit, limit=PAGE, offset=page * PAGE), total


class RosterScreen(MenuScreen):
    BINDINGS = [
        Binding("escape", "app.go('h')", "返回"),
        Binding("pagedown", "page(1)", "下一页", priority=True),
        Binding("pageup", "page(-1)", "上一页", priority=True),
        Binding("ctrl+f", "focus_search", "搜索"),
        Binding("ctrl+o", "import", "导入名单"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.page = 0
        self.total = 0
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="roster-filters"):
            yield Input(placeholder="搜索：编号、姓名、单位或职务", id="roster-search")
            yield Select([("全部单位", ALL)], value=ALL, allow_blank=False, id="roster-unit")
        with Vertical(classes="panel grow", id="roster-panel"):
            yield LiteralTable(id="roster", cursor_type="row", zebra_stripes=True)
        yield Static("", id="roster-status", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        from pingyi.people.roster import list_units

        self.query_one("#roster-panel").border_title = "名单"
        table = self.query_one("#roster", DataTable)
        table.add_column("编号", key="code", width=8)
        table.add_column("姓名", key="name", width=6)
        table.add_column("单位", key="unit", width=12)
        table.add_column("职务", key="post", width=16)
        table.add_column("类别", key="category", width=6)
        table.add_column("分管领导", key="supervisor", width=12)
        call(self, list_units, done=self._units)
        self.load()
        table.focus()

    def _units(self, units: list[str]) -> None:
        self.query_one("#roster-unit", Select).set_options([("全部单位", ALL), *options([(u, u) for u in units])])

    def filters(self) -> tuple[str, str | None]:
        unit = self.query_one("#roster-unit", Select).value
        return self.query_one("#roster-search", Input).value.strip(), None if unit in (ALL, Select.BLANK) else unit

    def load(self) -> None:
        search, unit = self.filters()
        call(self, fetch_page, search, unit, self.page, done=self.show, group="roster-page", exclusive=True)

    def show(self, result) -> None:
        persons, total = result
        self.total = total
        table = self.query_one("#roster", DataTable)
        table.clear()
        table.add_rows([(p.code, p.name, p.unit, p.post, p.category, p.supervisor) for p in persons])
        pages = page_count(total)
        self.query_one("#roster-status", Static).update(
            f"共 {total} 人  第 {self.page + 1}/{pages} 页  PgUp/PgDn 翻页  Ctrl+O 导入名单")

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.25, self._search)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._search()
        self.query_one("#roster", DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._search()

    def _search(self) -> None:
        self.page = 0
        self.load()

    def action_page(self, delta: int) -> None:
        page = turn_page(self.page, delta, self.total)
        if page != self.page:
            self.page = page
            self.load()

    def action_focus_search(self) -> None:
        self.query_one("#roster-search", Input).focus()

    def action_import(self) -> None:
        from pingyi.screens.dialogs import PickFile

        self.app.push_screen(PickFile("选择名单文件", (".csv", ".xlsx")), self._picked)

    def _picked(self, path) -> None:
        if path is None:
            return
        from pingyi.people.roster import preview

        call(self, preview, path, done=lambda summary: self._confirm(path, summary),
             failed=lambda exc: self._refused(path, exc))

    def _confirm(self, path, s) -> None:
        from pingyi.screens.dialogs import Confirm

        body = (f"文件：{path.name}\n\n新增 {s.added} 人，更新 {s.updated} 人，不变 {s.unchanged} 人，"
                f"新单位 {s.new_units} 个。\n\n人员只增改不删；导入写入审计日志。")
        if not (s.added or s.updated):
            self.app.notify(f"{path.name}：与现有名单相同，无需导入。")
            return
        self.app.push_screen(Confirm("导入名单：预览", body, ok="导入"),
                             lambda ok: ok and self._import(path))

    def _import(self, path) -> None:
        from pingyi.people.roster import import_roster

        call(self, import_roster, self.actor, path, done=self._imported, failed=lambda exc: self._refused(path, exc))

    def _refused(self, path, exc: BaseException) -> None:
        """Every problem of the file with its line number, in a panel that stays until closed."""
        from pingyi.screens.dialogs import Problems

        self.app.push_screen(Problems(f"名单未导入：{path.name}", exc))

    def _imported(self, s) -> None:
        self.app.notify(f"名单已导入：新增 {s.added} 人，更新 {s.updated} 人。")
        from pingyi.people.roster import list_units

        call(self, list_units, done=self._units)
        self._search()
