"""Roster: browse and search persons page by page; import a file after a preview; deactivate
(停用) a person who must not join new rooms, or reactivate them. A deactivated person stays in
the list, dimmed and marked 「停用」, and in every old room, tally, ledger and export."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import LiteralTable, literal, options
from pingyi.screens.widgets import PAGE, page_count, turn_page
from pingyi.screens.work import Done, Failed, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from pingyi.common.vocab import PersonStatus

ALL = "__all__"
STATUS_CHOICES = [("全部状态", ALL), *((s.label, s.value) for s in PersonStatus)]
ENABLE_HINT = "在名单页选中该人员按 d 重新启用"

if TYPE_CHECKING:
    from pingyi.people.accounts import Actor
    from pingyi.people.roster import ImportSummary, PersonInfo, StatusChange  # noqa: F401


class UnitsLoaded(Done[list[str]]):
    """The unit names, for the unit filter."""


class PageLoaded(Done["tuple[list[PersonInfo], int]"]):
    """One page of persons and how many match the filters."""
    exclusive = True     # a newer search cancels an older one


class PreviewReady(Done["tuple[Path, ImportSummary]"]):
    """What importing the chosen file would change."""


class Imported(Done["ImportSummary"]):
    """The file was imported."""


class StatusChanged(Done["StatusChange"]):
    """A person was deactivated or reactivated."""


def fetch_page(search: str, unit: str | None, status: str | None, page: int) -> tuple[list[PersonInfo], int]:
    """(persons on ``page``, total matching): runs in a worker."""
    from pingyi.people import roster

    total = roster.count_persons(search, unit, status=status)
    return roster.list_persons(search, unit, limit=PAGE, offset=page * PAGE, status=status), total


def preview_file(path: Path) -> tuple[Path, ImportSummary]:
    from pingyi.people.roster import preview

    return path, preview(path)


def change_status(actor: Actor, code: str, active: bool) -> StatusChange:
    from pingyi.people.roster import set_active

    return set_active(actor, [code], active)


def inactive_note(summary: ImportSummary) -> str:
    return summary.inactive_note(ENABLE_HINT)


PAGES = Binding.Group("翻页")


class RosterScreen(MenuScreen):
    # An 80-column footer holds the keys that apply (^q 退出 was cut): the page keys only when
    # there is such a page (one 「翻页」 when both), d only on a selected person and saying what
    # it does to them, ^f only outside the search field; F1 lists them with their tooltips.
    BINDINGS = [
        Binding("escape", "app.go('h')", "返回"),
        Binding("pageup", "page(-1)", "上一页", priority=True, group=PAGES),
        Binding("pagedown", "page(1)", "下一页", priority=True, group=PAGES),
        Binding("ctrl+f", "focus_search", "搜索"),
        Binding("ctrl+o", "import", "导入名单", tooltip="导入名单文件（CSV 或 XLSX），先预览再导入"),
        Binding("d", "switch(False)", "停用", tooltip="停用选中的人员：不进新会场，历史记录保留"),
        Binding("d", "switch(True)", "启用", tooltip="重新启用选中的已停用人员"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.page = 0
        self.total = 0
        self.persons: list[PersonInfo] = []
        self._debounce: Timer | None = None
        self._file: Path | None = None       # the file being previewed or imported

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="roster-filters"):
            yield Input(placeholder="搜索：编号、姓名、单位或职务", id="roster-search")
            yield Select([("全部单位", ALL)], value=ALL, allow_blank=False, id="roster-unit")
            yield Select(STATUS_CHOICES, value=ALL, allow_blank=False, id="roster-state")
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
        table.add_column("职务", key="post", width=14)
        table.add_column("类别", key="category", width=6)
        table.add_column("分管领导", key="supervisor", width=10)
        table.add_column("状态", key="state", width=4)
        request(self, UnitsLoaded, list_units)
        self.load()
        table.focus()

    @on(UnitsLoaded)
    def _units(self, event: UnitsLoaded) -> None:
        self.query_one("#roster-unit", Select).set_options(
            [("全部单位", ALL), *options([(u, u) for u in event.result])])

    def filters(self) -> tuple[str, str | None, str | None]:
        """(search text, unit or None, person status or None) as the filters stand."""
        unit = self.query_one("#roster-unit", Select).value
        state = self.query_one("#roster-state", Select).value
        return (self.query_one("#roster-search", Input).value.strip(),
                unit if isinstance(unit, str) and unit != ALL else None,
                state if isinstance(state, str) and state != ALL else None)

    def load(self) -> None:
        search, unit, status = self.filters()
        request(self, PageLoaded, fetch_page, search, unit, status, self.page)

    @on(PageLoaded)
    def show(self, event: PageLoaded) -> None:
        persons, total = event.result
        self.persons, self.total = persons, total
        table = self.query_one("#roster", DataTable)
        row = table.cursor_row
        table.clear()
        for p in persons:
            style = "" if p.active else "dim"
            cells = (p.code, p.name, p.unit, p.post, p.category, p.supervisor, "" if p.active else p.status.label)
            table.add_row(*(literal(c, style=style) for c in cells), key=p.code)
        if persons:
            table.move_cursor(row=min(row, len(persons) - 1))
        self.refresh_bindings()
        pages = page_count(total)
        self.query_one("#roster-status", Static).update(
            f"共 {total} 人  第 {self.page + 1}/{pages} 页  PgUp/PgDn 翻页  Ctrl+O 导入  d 停用/启用")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()    # d 停用 or d 启用, as the person under the cursor

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing here and now are hidden (and left to the focused widget)."""
        if action == "page" and parameters:
            delta = parameters[0]
            return isinstance(delta, int) and turn_page(self.page, delta, self.total) != self.page
        if action == "switch":
            focused = self.focused
            p = self.selected() if focused is not None and focused.id == "roster" else None
            return p is not None and parameters[:1] == (not p.active,)
        if action == "focus_search":
            return self.focused is None or self.focused.id != "roster-search"
        return True

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

    # --- 停用 / 启用 ---

    def selected(self) -> PersonInfo | None:
        table = self.query_one("#roster", DataTable)
        if not self.persons or not table.row_count:
            return None
        return self.persons[min(table.cursor_row, len(self.persons) - 1)]

    def action_switch(self, active: bool | None = None) -> None:
        """Deactivate the selected person (取消 focused: they leave new rooms) or reactivate them;
        ``active`` is the state the key asks for (d 停用 / d 启用), checked against the person's."""
        from pingyi.screens.dialogs import Confirm

        p = self.selected()
        if p is None or active is p.active:
            return
        who = f"{p.code} {p.name}（{' '.join(x for x in (p.unit, p.post) if x)}）"
        if p.active:
            body = (f"{who}\n\n停用后不再进入新建的会场（全部人员、按单位、按类别），也不出现在选择人员处；"
                    "已有会场、结果、台账和年终考核照旧保留。可随时重新启用。")
            dialog = Confirm("停用人员", body, ok="停用", danger=True)
        else:
            dialog = Confirm("启用人员", f"{who}\n\n启用后，新建的会场可以再选到此人。", ok="启用")

        def confirmed(ok: bool | None) -> None:
            if ok:
                request(self, StatusChanged, change_status, self.actor, p.code, not p.active)

        self.app.push_screen(dialog, confirmed)

    @on(StatusChanged)
    def _status_changed(self, event: StatusChanged) -> None:
        from pingyi.people.roster import codes_of

        change = event.result
        verb = "启用" if change.active else "停用"
        if change.changed:
            text = f"已{verb}：{codes_of(change.changed)}"
            if change.drafts:
                text += f"\n草稿会场 {'、'.join(change.drafts)} 仍含此人，开启前请在会场中调整人员。"
            self.app.notify(text, timeout=8 if change.drafts else 5)
        else:
            self.app.notify(f"原已{verb}：{codes_of(change.already)}")
        self.load()

    # --- import ---

    def action_import(self) -> None:
        from pingyi.screens.dialogs import PickFile

        self.app.push_screen(PickFile("选择名单文件", (".csv", ".xlsx")), self._picked)

    def _picked(self, path: Path | None) -> None:
        if path is None:
            return
        self._file = path
        request(self, PreviewReady, preview_file, path)

    @on(PreviewReady)
    def _confirm(self, event: PreviewReady) -> None:
        from pingyi.screens.dialogs import Confirm

        path, s = event.result
        if not (s.added or s.updated):
            note = inactive_note(s)
            self.app.notify(f"{path.name}：与现有名单相同，无需导入。" + (f"\n{note}" if note else ""))
            return
        note = inactive_note(s)
        body = (f"文件：{path.name}\n\n新增 {s.added} 人，更新 {s.updated} 人，不变 {s.unchanged} 人，"
                f"新单位 {s.new_units} 个。\n\n人员只增改不删；已停用的人员仍保持停用。导入写入审计日志。"
                + (f"\n\n{note}" if note else ""))

        def confirmed(ok: bool | None) -> None:
            if ok:
                request(self, Imported, self._import_file, path)

        self.app.push_screen(Confirm("导入名单：预览", body, ok="导入"), confirmed)

    def _import_file(self, path: Path) -> ImportSummary:
        from pingyi.people.roster import import_roster

        return import_roster(self.actor, path)

    @on(Failed)
    def _refused(self, event: Failed) -> None:
        """Every problem of the file with its line number, in a panel that stays until closed."""
        if event.call not in (PreviewReady, Imported):
            return
        event.stop()
        from pingyi.screens.dialogs import Problems

        name = self._file.name if self._file is not None else ""
        self.app.push_screen(Problems(f"名单未导入：{name}", event.error))

    @on(Imported)
    def _imported(self, event: Imported) -> None:
        from pingyi.people.roster import list_units

        s = event.result
        note = inactive_note(s)
        self.app.notify(f"名单已导入：新增 {s.added} 人，更新 {s.updated} 人。" + (f"\n{note}" if note else ""),
                        timeout=8 if note else 5)
        request(self, UnitsLoaded, list_units)
        self._search()
