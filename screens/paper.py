"""Paper ballots typed twice, by two different accounts (DESIGN §6).

The account rule decides which typing a clerk makes: the first account to type a
serial makes the 第一遍 (录入员 A), another account the 第二遍 (录入员 B); an account
that already typed a serial re-types its own pass. The line above the form says which
pass is being typed and by whom, as soon as the serial is typed; on one terminal the
second clerk signs in with Ctrl+U (switch account).

Tab goes 选票编号 → 代表类别 → the score field; the grid below follows the score field
(Enter moves on, Up/Down change rows, "-" leaves a row empty = abstain). Ctrl+S records
the typing; it counts only when both typings agree. Disagreements are listed side by
side; the organizer voids a ballot with a reason. Leaving with typed values (Esc,
Ctrl+Q, switching account) asks first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pingyi.screens.text import LiteralTable, Prose, literal, options
from pingyi.screens.work import Done, request
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.message import Message
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

if TYPE_CHECKING:  # strings in base classes: checked by mypy, not imported at run time
    from pingyi.people.accounts import Actor
    from pingyi.people.roster import PersonInfo
    from pingyi.rules.spec import SchemeSpec
    from pingyi.voting.ballots import PaperConflict, PaperPass  # noqa: F401
    from pingyi.voting.rooms import RoomInfo

RESULT_TEXT = {
    "waiting": "已保存，等待另一位录入员用自己的账号录入同一张选票。",
    "counted": "两次录入一致，选票已计入。",
    "mismatch": "两次录入不一致，已列入「待核对」，请对照纸质选票处理。",
}
LEAVE_TEXT = "有未保存的录入，确定离开？"


@dataclass(frozen=True)
class PaperData:
    room: RoomInfo
    persons: list[PersonInfo]
    conflicts: list[PaperConflict]
    waiting: list[str]


def load_paper(room_id: str) -> PaperData:
    """The room, its persons in room order, the conflicts and the serials waiting for a second typing."""
    from pingyi.voting import ballots, rooms

    conflicts, waiting = ballots.paper_conflicts(room_id)
    return PaperData(rooms.get_room(room_id), rooms.room_persons(room_id), conflicts, waiting)


@dataclass(frozen=True)
class Entered:
    serial: str
    state: str  # waiting | counted | mismatch


def enter_paper(actor: Actor, room_id: str, serial: str, group: str,
                entries: dict[str, list[str] | None]) -> Entered:
    """One typing, its pass decided by the account rule (``paper_enter`` with no clerk)."""
    from pingyi.voting.ballots import paper_enter

    return Entered(serial, paper_enter(actor, room_id, serial, None, group, entries))


def void_paper(actor: Actor, room_id: str, serial: str, reason: str) -> str:
    from pingyi.voting.ballots import paper_void

    paper_void(actor, room_id, serial, reason)
    return serial


class PaperLoaded(Done[PaperData]):
    """The room, its persons and the reconciliation list."""

    exclusive = True


class PassChecked(Done["PaperPass"]):
    """Which pass this account would type for the serial in the field."""

    exclusive = True


class PaperEntered(Done[Entered]):
    """One typing stored (and counted, when both agree)."""


class PaperVoided(Done[str]):
    """A disagreeing ballot voided (its serial)."""


class PaperGrid(LiteralTable):
    """The ballot as typed. Not in the Tab order: the score field below drives it; a click
    on a cell makes it the one typed next."""

    can_focus = False

    class Picked(Message):
        """A cell was clicked (the cursor is on it once this arrives)."""

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Picked())


class PaperScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "leave", "返回"),
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
        self.room: RoomInfo | None = None
        self.persons: list[PersonInfo] = []
        self.values: dict[str, list[str]] = {}
        self.row = 0
        self.col = 0
        self.conflicts: list[PaperConflict] = []
        self.passes: PaperPass | None = None  # the pass of the serial in the field, once checked
        self._typed = False                   # values typed since the last save

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="paper-tabs"):
            with TabPane("录入", id="tab-enter"):
                yield Prose("", id="paper-who")
                with Horizontal(id="paper-head"):
                    yield Input(placeholder="选票编号（纸质选票上的编号）", id="serial")
                    yield Select([], prompt="代表类别", id="group")
                yield PaperGrid(id="grid", cursor_type="cell", zebra_stripes=True)
                with Horizontal(id="paper-entry"):
                    yield Label("", id="cell-label", markup=False)
                    yield Input(placeholder="分值或等次，回车下一项；- 弃权", id="value")
                yield Prose("", id="paper-message", classes="hint")
            with TabPane("待核对", id="tab-conflicts"):
                yield LiteralTable(id="conflicts", cursor_type="row", zebra_stripes=True)
                yield Prose("", id="conflict-detail")
        yield Footer()

    def on_mount(self) -> None:
        conflicts = self.query_one("#conflicts", DataTable)
        conflicts.add_column("选票编号", key="serial", width=10)
        conflicts.add_column("状态", key="state", width=14)
        conflicts.add_column("不一致之处", key="diffs")
        self._show_pass()
        self.action_reload()

    @property
    def spec(self) -> SchemeSpec:
        assert self.room is not None, "the room is loaded before the grid is used"
        return self.room.spec

    def reopen(self, actor: Actor) -> PaperScreen | None:
        """After a switch of account (Ctrl+U) this form comes back for the next clerk, over the
        screens it was opened from (the room; their ``rebuild``), so Esc still leads to the room."""
        return PaperScreen(self.room_id, actor=actor) if actor.can("organizer") else None

    def unsaved(self) -> bool:
        """Values typed and not yet submitted (the app asks before switching account or quitting)."""
        return self._typed

    def action_tab(self, pane: str) -> None:
        self.query_one("#paper-tabs", TabbedContent).active = pane
        self.query_one("#conflicts" if pane == "tab-conflicts" else "#serial").focus()

    def action_reload(self) -> None:
        request(self, PaperLoaded, load_paper, self.room_id)

    @on(PaperLoaded)
    def _loaded(self, event: PaperLoaded) -> None:
        data = event.result
        first = self.room is None
        self.room, self.persons = data.room, data.persons
        if first:
            room = data.room
            self.query_one("#paper-message", Static).update(
                f"{room.id} {room.title}：每张纸质选票由两位录入员用各自的账号各录入一遍，两遍一致才计入。"
                "Ctrl+S 提交；第一遍录完后按 Ctrl+U 切换账号，由另一位录入第二遍。")
            self.query_one("#group", Select).set_options(options([(g.name, g.key) for g in room.spec.groups]))
            grid = self.query_one("#grid", DataTable)
            grid.add_column("编号", key="code", width=8)
            grid.add_column("姓名", key="name", width=6)
            for ind in room.spec.indicators:
                grid.add_column(ind.name, key=ind.key, width=6)
            self.reset()
            self.query_one("#serial", Input).focus()
        self._conflicts(data.conflicts, data.waiting)

    def _conflicts(self, conflicts: list[PaperConflict], waiting: list[str]) -> None:
        self.conflicts = conflicts
        table = self.query_one("#conflicts", DataTable)
        table.clear()
        for c in conflicts:
            table.add_row(c.serial, "两次录入不一致", "；".join(c.differences), key=c.serial)
        for serial in waiting:
            table.add_row(serial, "等待第二遍录入", "", key=serial)
        pane = self.query_one("#paper-tabs", TabbedContent)
        pane.get_tab("tab-conflicts").label = f"待核对 {len(conflicts)}/{len(conflicts) + len(waiting)}"
        self._detail()

    # ---- who types which pass -------------------------------------------------------

    @on(Input.Changed, "#serial")
    def _serial_changed(self, event: Input.Changed) -> None:
        from pingyi.voting.ballots import paper_pass

        self.passes = None
        serial = event.value.strip()
        self._show_pass()
        if serial:
            request(self, PassChecked, paper_pass, self.room_id, serial, self.actor.name)

    @on(PassChecked)
    def _pass_checked(self, event: PassChecked) -> None:
        if event.result.serial == self.query_one("#serial", Input).value.strip():
            self.passes = event.result
            self._show_pass()

    def _show_pass(self) -> None:
        """The line above the form: who types, and which pass of which ballot."""
        who = self.query_one("#paper-who", Static)
        me = self.actor.name
        p = self.passes
        if p is None:
            text = f"录入人：{me}。输入选票编号后，这里显示本次是第一遍（录入员 A）还是第二遍（录入员 B）。"
        elif p.refusal:
            text = f"录入人：{me}。{p.refusal}"
        elif p.again and not p.other:
            text = (f"选票 {p.serial}：{p.label}，录入人 {me}。您已录入过这一遍，再次提交将替换它；"
                    "第二遍须由另一位录入员用自己的账号录入（Ctrl+U 切换账号）。")
        elif p.again:
            text = f"选票 {p.serial}：重新录入{p.label}，录入人 {me}（另一遍由 {p.other} 录入）。"
        elif p.clerk == "B":
            text = f"选票 {p.serial}：{p.label}，录入人 {me}（第一遍由 {p.other} 录入）。"
        else:
            text = f"选票 {p.serial}：{p.label}，录入人 {me}。"
        who.update(text)
        who.set_class(bool(p and (p.refusal or (p.again and not p.other))), "error-text")

    # ---- the grid ---------------------------------------------------------------

    def reset(self) -> None:
        n = len(self.spec.indicators)
        self.values = {p.code: [""] * n for p in self.persons}
        self._typed = False
        grid = self.query_one("#grid", DataTable)
        grid.clear()
        grid.add_rows([(p.code, p.name, *([""] * n)) for p in self.persons])
        self.row = self.col = 0
        self._point()

    def _point(self) -> None:
        from pingyi.rules.numbers import tenths_str

        if not self.persons:
            return
        p = self.persons[self.row]
        ind = self.spec.indicators[self.col]
        self.query_one("#grid", DataTable).move_cursor(row=self.row, column=2 + self.col)
        self.query_one("#cell-label", Label).update(f"{p.name} · {ind.name}（满分 {tenths_str(ind.max)}）")
        value = self.query_one("#value", Input)
        value.value = self.values[p.code][self.col]

    @on(PaperGrid.Picked)
    def _picked(self) -> None:
        """A click on the grid: type that cell (or that person's first score) next."""
        if not self.persons:
            return
        at = self.query_one("#grid", DataTable).cursor_coordinate
        self.row, self.col = at.row, max(0, at.column - 2)
        self._point()
        self.query_one("#value", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "serial":
            self.query_one("#group", Select).focus()
        elif event.input.id == "value":
            self._enter(event.value.strip())

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "group" and event.value is not Select.NULL and self.room is not None:
            self.query_one("#value", Input).focus()

    def _enter(self, text: str) -> None:
        if not self.persons:
            return
        p = self.persons[self.row]
        n = len(self.spec.indicators)
        grid = self.query_one("#grid", DataTable)
        self._typed = True
        if text == "-":
            self.values[p.code] = [""] * n
            for i in range(n):
                grid.update_cell_at(Coordinate(self.row, 2 + i), "弃权" if i == 0 else "")
            self.col = n - 1
        else:
            self.values[p.code][self.col] = text
            grid.update_cell_at(Coordinate(self.row, 2 + self.col), literal(text))
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
        serial = self.query_one("#serial", Input).value.strip()
        group = self.query_one("#group", Select).value
        if not serial or not isinstance(group, str):
            self.app.notify("请填写选票编号并选择代表类别。", severity="warning")
            return
        entries: dict[str, list[str] | None] = {
            code: (None if not any(v.strip() for v in vals) else list(vals)) for code, vals in self.values.items()}
        request(self, PaperEntered, enter_paper, self.actor, self.room_id, serial, group, entries)

    @on(PaperEntered)
    def _saved(self, event: PaperEntered) -> None:
        serial, state = event.result.serial, event.result.state
        done = self.passes.label if self.passes is not None and self.passes.serial == serial else ""
        text = f"选票 {serial}{done and '的' + done}：{RESULT_TEXT[state]}"
        self.query_one("#paper-message", Static).update(text)
        self.app.notify(text, severity="warning" if state == "mismatch" else "information")
        self.query_one("#serial", Input).value = ""
        self.passes = None
        self._show_pass()
        self.reset()
        self.query_one("#serial", Input).focus()
        self.action_reload()

    # ---- leaving ---------------------------------------------------------------------

    def action_leave(self) -> None:
        """Esc: back to the room, asking first when typed values would be lost."""
        if not self.unsaved():
            self.dismiss(None)
            return
        from pingyi.screens.dialogs import Confirm

        self.app.push_screen(Confirm("离开纸质录入", LEAVE_TEXT, ok="离开", danger=True), self._leave)

    def _leave(self, yes: bool | None) -> None:
        if yes:
            self.dismiss(None)

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
            detail.update("" if serial is None
                          else f"选票 {serial} 只录入了一遍，等待另一位录入员用自己的账号录入第二遍。")
            return
        names = {p.code: p.name for p in self.persons}
        groups = {g.key: g.name for g in self.spec.groups}

        def cells(v: list[str] | str | None) -> str:
            return "未录入" if v == "缺" else "弃权" if v is None else " / ".join(v)

        ga, gb = groups.get(conflict.group_a, conflict.group_a), groups.get(conflict.group_b, conflict.group_b)
        rows = [["代表类别", ga, gb]] if conflict.group_a != conflict.group_b else []
        for code in sorted(set(conflict.a) | set(conflict.b)):
            a, b = conflict.a.get(code, "缺"), conflict.b.get(code, "缺")
            if a != b:
                rows.append([f"{code} {names.get(code, '')}", cells(a), cells(b)])
        detail.update(f"选票 {serial}：两遍录入不一致。请由录入这张选票的两位之一对照纸质选票重新录入，"
                      "或作废（F8）。\n\n" + table(["人员", "第一遍（A）", "第二遍（B）"], rows))

    def action_void(self) -> None:
        from pingyi.screens.dialogs import Ask

        serial = self._current_serial()
        self.query_one("#paper-tabs", TabbedContent).active = "tab-conflicts"
        if serial is None:
            self.app.notify("没有待核对的纸质选票。", severity="warning")
            return
        self.app.push_screen(Ask(f"作废纸质选票 {serial}", "作废原因（写入审计日志）：", ok="作废"),
                             lambda reason: self._void(serial, reason))

    def _void(self, serial: str, reason: str | None) -> None:
        if reason:
            request(self, PaperVoided, void_paper, self.actor, self.room_id, serial, reason)

    @on(PaperVoided)
    def _voided(self, event: PaperVoided) -> None:
        self.app.notify(f"选票 {event.result} 已作废。")
        self.action_reload()
