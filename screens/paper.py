"""Paper ballots typed twice (clerk A and clerk B, different accounts).

The ballot grid lists the room's persons in ballot order with one column per
indicator; the clerk types a value and Enter moves on (Up/Down change rows,
"-" leaves a row empty = abstain). Ctrl+S records the typing; it counts only
when both typings agree. Disagreements are listed side by side; the organizer
voids a ballot with a reason.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.text import LiteralTable, options
from pingyi.screens.work import call
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

RESULT_TEXT = {
    "waiting": "已保存第一次录入，等待另一位录入员录入同一张选票。",
    "counted": "两次录入一致，选票已计入。",
    "mismatch": "两次录入不一致，已列入「待核对」，请对照纸质选票处理。",
}

if TYPE_CHECKING:
    from pingyi.people.accounts import Actor



def load_paper(room_id: str):
    """(RoomInfo, persons in room order, conflicts, waiting serials)."""
    from pingyi.voting import ballots, rooms

    conflicts, waiting = ballots.paper_conflicts(room_id)
    return rooms.get_room(room_id), rooms.room_persons(room_id), conflicts, waiting


class PaperScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回"),
        Binding("ctrl+s", "save", "提交录入", priority=True),
        Binding("up", "move(-1)", "上一人", show=False),
        Binding("down", "move(1)", "下一人", show=False),
        Binding("f2", "tab('tab-enter')", "录入"),
        Binding("f3", "tab('tab-conflicts')", "待核对"),
        Binding("f8", "void", "作废选票"),
        Binding("ctrl+r", "reload", "刷新", show=False),
    ]

    def __init__(self, room_id: str, *, actor: Actor) -> None:
        super().__init__()
        self.room_id = room_id
        self.actor = actor
        self.room = None
        self.persons: list = []
        self.values: dict[str, list[str]] = {}
        self.row = 0
        self.col = 0
        self.conflicts: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="paper-tabs"):
            with TabPane("录入", id="tab-enter"):
                with Horizontal(id="paper-head"):
                    yield Select([("录入员 A", "A"), ("录入员 B", "B")], value="A", allow_blank=False, id="clerk")
                    yield Input(placeholder="选票编号", id="serial")
                    yield Select([], prompt="代表类别", id="group")
                yield LiteralTable(id="grid", cursor_type="cell", zebra_stripes=True)
                with Horizontal(id="paper-entry"):
                    yield Label("", id="cell-label", markup=False)
                    yield Input(placeholder="分值或等次，回车下一项；- 弃权", id="value")
                yield Static("", id="paper-message", classes="hint", markup=False)
            with TabPane("待核对", id="tab-conflicts"):
                yield LiteralTable(id="conflicts", cursor_type="row", zebra_stripes=True)
                yield Static("", id="conflict-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        conflicts = self.query_one("#conflicts", DataTable)
        conflicts.add_column("选票编号", key="serial", width=10)
        conflicts.add_column("状态", key="state", width=14)
        conflicts.add_column("不一致之处", key="diffs")
        self.action_reload()

    def action_tab(self, pane: str) -> None:
        self.query_one("#paper-tabs", TabbedContent).active = pane
        self.query_one("#conflicts" if pane == "tab-conflicts" else "#serial").focus()

    def action_reload(self) -> None:
        call(self, load_paper, self.room_id, done=self._loaded, group="paper-load", exclusive=True)

    def _loaded(self, result) -> None:
        room, persons, conflicts, waiting = result
        first = self.room is None
        self.room, self.persons = room, persons
        if first:
            self.query_one("#paper-message", Static).update(
                f"{room.id} {room.title}：两位录入员（不同账号）各录入同一张纸质选票一次，一致才计入。Ctrl+S 提交。")
            self.query_one("#group", Select).set_options(options([(g.name, g.key) for g in room.spec.groups]))
            grid = self.query_one("#grid", DataTable)
            grid.add_column("编号", key="code", width=8)
            grid.add_column("姓名", key="name", width=6)
            for ind in room.spec.indicators:
                grid.add_column(ind.name, key=ind.key, width=6)
            self.reset()
            self.query_one("#serial", Input).focus()
        self._conflicts(conflicts, waiting)

    def _conflicts(self, conflicts, waiting) -> None:
        self.conflicts = conflicts
        table = self.query_one("#conflicts", DataTable)
        table.clear()
        for c in conflicts:
            table.add_row(c.serial, "两次录入不一致", "；".join(c.differences), key=c.serial)
        for serial in waiting:
            table.add_row(serial, "等待第二次录入", "", key=serial)
        pane = self.query_one("#paper-tabs", TabbedContent)
        pane.get_tab("tab-conflicts").label = f"待核对 {len(conflicts)}/{len(conflicts) + len(waiting)}"
        self._detail()

    # ---- the grid ---------------------------------------------------------------

    def reset(self) -> None:
        n = len(self.room.spec.indicators)
        self.values = {p.code: [""] * n for p in self.persons}
        grid = self.query_one("#grid", DataTable)
        grid.clear()
        grid.add_rows([(p.code, p.name, *([""] * n)) for p in self.persons])
        self.row = self.col = 0
        self._point()

    def _point(self) -> None:
        if not self.persons:
            return
        p = self.persons[self.row]
        ind = self.room.spec.indicators[self.col]
        self.query_one("#grid", DataTable).move_cursor(row=self.row, column=2 + self.col)
        self.query_one("#cell-label", Label).update(f"{p.name} · {ind.name}（满分 {ind.max / 10:g}）")
        value = self.query_one("#value", Input)
        value.value = self.values[p.code][self.col]

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        if event.data_table.id == "grid" and event.coordinate.column >= 2:
            self.row, self.col = event.coordinate.row, event.coordinate.column - 2
            self._point()
            self.query_one("#value", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "serial":
            self.query_one("#group", Select).focus()
        elif event.input.id == "value":
            self._enter(event.value.strip())

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "group" and event.value is not Select.BLANK and self.room is not None:
            self.query_one("#value", Input).focus()

    def _enter(self, text: str) -> None:
        if not self.persons:
            return
        p = self.persons[self.row]
        n = len(self.room.spec.indicators)
        grid = self.query_one("#grid", DataTable)
        if text == "-":
            self.values[p.code] = [""] * n
            for i in range(len(self.room.spec.indicators)):
                grid.update_cell_at((self.row, 2 + i), "弃权" if i == 0 else "")
            self.col = n - 1
        else:
            self.values[p.code][self.col] = text
            grid.update_cell_at((self.row, 2 + self.col), text)
        if self.col < n - 1:
            self.col += 1
        elif self.row < len(self.persons) - 1:
            self.row, self.col = self.row + 1, 0
        self._point()

    def action_move(self, delta: int) -> None:
        if self.persons:
            self.row = min(len(self.persons) - 1, max(0, self.row + delta))
            self._point()

    def action_save(self) -> None:
        from pingyi.voting.ballots import paper_enter

        serial = self.query_one("#serial", Input).value.strip()
        group = self.query_one("#group", Select).value
        if not serial or group in (Select.BLANK, None):
            self.app.notify("请填写选票编号并选择代表类别。", severity="warning")
            return
        clerk = self.query_one("#clerk", Select).value
        entries = {code: (None if not any(v.strip() for v in vals) else list(vals))
                   for code, vals in self.values.items()}
        call(self, paper_enter, self.actor, self.room_id, serial, clerk, group, entries,
             done=lambda state: self._saved(serial, state))

    def _saved(self, serial: str, state: str) -> None:
        self.query_one("#paper-message", Static).update(f"选票 {serial}：{RESULT_TEXT[state]}")
        severity = "warning" if state == "mismatch" else "information"
        self.app.notify(f"选票 {serial}：{RESULT_TEXT[state]}", severity=severity)
        self.query_one("#serial", Input).value = ""
        self.reset()
        self.query_one("#serial", Input).focus()
        self.action_reload()

    # ---- reconciliation ---------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "conflicts":
            self._detail()

    def _current_serial(self) -> str | None:
        table = self.query_one("#conflicts", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _detail(self) -> None:
        from pingyi.common.textfmt import table

        serial = self._current_serial()
        conflict = next((c for c in self.conflicts if c.serial == serial), None)
        detail = self.query_one("#conflict-detail", Static)
        if conflict is None:
            detail.update("" if serial is None else f"选票 {serial} 只录入了一次，等待另一位录入员。")
            return
        names = {p.code: p.name for p in self.persons}
        groups = {g.key: g.name for g in self.room.spec.groups}

        def cells(v):
            return "未录入" if v == "缺" else "弃权" if v is None else " / ".join(v)

        ga, gb = groups.get(conflict.group_a, conflict.group_a), groups.get(conflict.group_b, conflict.group_b)
        rows = [["代表类别", ga, gb]] if conflict.group_a != conflict.group_b else []
        for code in sorted(set(conflict.a) | set(conflict.b)):
            a, b = conflict.a.get(code, "缺"), conflict.b.get(code, "缺")
            if a != b:
                rows.append([f"{code} {names.get(code, '')}", cells(a), cells(b)])
        detail.update(f"选票 {serial}：两次录入不一致，请对照纸质选票重新录入，或作废（F8）。\n\n"
                      + table(["人员", "录入 A", "录入 B"], rows))

    def action_void(self) -> None:
        from pingyi.screens.dialogs import Ask

        serial = self._current_serial()
        self.query_one("#paper-tabs", TabbedContent).active = "tab-conflicts"
        if serial is None:
            self.app.notify("没有待核对的纸质选票。", severity="warning")
            return
        self.app.push_screen(Ask(f"作废纸质选票 {serial}", "作废原因（写入审计日志）：", ok="作废"),
                             lambda reason: reason and self._void(serial, reason))

    def _void(self, serial: str, reason: str) -> None:
        from pingyi.voting.ballots import paper_void

        call(self, paper_void, self.actor, self.room_id, serial, reason,
             done=lambda _: (self.app.notify(f"选票 {serial} 已作废。"), self.action_reload()))
