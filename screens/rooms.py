"""Rooms: the list of rooms, the form that creates one, and deleting a draft that was never used."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import LiteralTable, Prose, options
from pingyi.screens.widgets import count_value
from pingyi.screens.work import Done, notify_error, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
)

from pingyi.common.errors import PingyiError

HAND = "__hand__"

if TYPE_CHECKING:
    from pingyi.people.accounts import Actor
    from pingyi.voting.rooms import Deleted, RoomInfo  # noqa: F401
    from pingyi.voting.schemes import SchemeInfo  # noqa: F401


class RoomsLoaded(Done["list[RoomInfo]"]):
    """Every room, newest first, for the list."""
    exclusive = True


class DeleteChecked(Done["RoomInfo"]):
    """The selected room may be deleted (an unused draft): ask before deleting it."""


class RoomDeleted(Done["Deleted"]):
    """A draft room was deleted."""


class ChoicesLoaded(Done["tuple[list[SchemeInfo], list[str], list[str]]"]):
    """Schemes, units and categories for the create form."""


class RoomCreated(Done[str]):
    """A draft room was created: its id."""


class RoomsScreen(MenuScreen):
    BINDINGS = [
        Binding("escape", "app.go('h')", "返回"),
        Binding("n", "create", "新建会场"),
        Binding("delete", "delete", "删除草稿"),
        Binding("f5", "refresh", "刷新"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.rooms: list[RoomInfo] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel grow", id="rooms-panel"):
            yield LiteralTable(id="room-list", cursor_type="row", zebra_stripes=True)
            yield Static("回车打开会场；n 新建会场；Delete 删除从未开启的草稿会场", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rooms-panel").border_title = "会场"
        table = self.query_one("#room-list", DataTable)
        table.add_column("编号", key="id", width=8)
        table.add_column("名称", key="title")
        table.add_column("状态", key="status", width=6)
        table.add_column("人数", key="persons", width=4)
        table.add_column("名额", key="quota", width=4)
        table.add_column("方案", key="scheme")
        table.add_column("系列", key="series")
        table.add_column("轮次", key="round", width=4)

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        from pingyi.voting.rooms import list_rooms

        request(self, RoomsLoaded, list_rooms)

    @on(RoomsLoaded)
    def show(self, event: RoomsLoaded) -> None:
        table = self.query_one("#room-list", DataTable)
        row = table.cursor_row
        table.clear()
        self.rooms = list(event.result)
        for r in self.rooms:
            table.add_row(r.id, r.title, r.status_name, r.persons, sum(r.quotas.values()), r.scheme,
                          r.series or "", r.round or "", key=r.id)
        if self.rooms:
            table.move_cursor(row=min(row, len(self.rooms) - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from pingyi.screens.room import RoomScreen

        if event.row_key.value is not None:
            self.app.push_screen(RoomScreen(event.row_key.value, actor=self.actor))

    def action_create(self) -> None:
        self.app.push_screen(CreateRoomScreen(self.actor))

    def selected(self) -> RoomInfo | None:
        table = self.query_one("#room-list", DataTable)
        if not self.rooms or not table.row_count:
            return None
        return self.rooms[min(table.cursor_row, len(self.rooms) - 1)]

    def action_delete(self) -> None:
        """Delete the selected draft: the service says first whether it may (an opened room, or one
        that issued codes, is refused without a dialog); then a confirmation with 取消 focused."""
        from pingyi.voting.rooms import check_deletable

        r = self.selected()
        if r is not None:
            request(self, DeleteChecked, check_deletable, r.id)

    @on(DeleteChecked)
    def _ask_delete(self, event: DeleteChecked) -> None:
        from pingyi.screens.dialogs import Confirm

        from pingyi.voting.rooms import delete_room

        r = event.result
        series = f"，系列 {r.series} 第 {r.round} 轮" if r.series else ""
        body = (f"{r.id}「{r.title}」\n方案 {r.scheme}，被测评 {r.persons} 人{series}。\n\n"
                "这个草稿会场从未开启、没有发过票码，删除后不能恢复（删除记入审计日志）。")

        def confirmed(ok: bool | None) -> None:
            if ok:
                request(self, RoomDeleted, delete_room, self.actor, r.id)

        self.app.push_screen(Confirm(f"删除草稿会场 {r.id}", body, ok="删除", danger=True), confirmed)

    @on(RoomDeleted)
    def _deleted(self, event: RoomDeleted) -> None:
        self.app.notify(f"已删除草稿会场 {event.result.id}「{event.result.title}」。")
        self.action_refresh()


def split_codes(text: str) -> list[str]:
    return [c for c in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if c]


def load_choices() -> tuple[list[SchemeInfo], list[str], list[str]]:
    """Schemes, units and categories for the form (one worker call)."""
    from pingyi.people import roster
    from pingyi.voting import schemes

    return schemes.list_schemes(), roster.list_units(), roster.list_categories()


class CreateRoomScreen(MenuScreen):
    """Scheme, title, optional id and series/round, persons, quotas per group."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "取消"),
        Binding("ctrl+s", "create", "创建"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self._schemes: dict[str, SchemeInfo] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="create-form", classes="panel grow"):
            with Horizontal(classes="form-row"):
                yield Label("测评方案")
                yield Select([], prompt="选择方案", id="f-scheme")
            with Horizontal(classes="form-row"):
                yield Label("会场名称")
                yield Input(placeholder="如：2026年第四季度科股长双定双评", id="f-title")
            with Horizontal(classes="form-row"):
                yield Label("会场编号")
                yield Input(placeholder="可留空，自动生成", id="f-id")
            with Horizontal(classes="form-row"):
                yield Label("系列")
                yield Input(placeholder="可留空；连续倒数第一按系列计", id="f-series")
            with Horizontal(classes="form-row"):
                yield Label("轮次")
                yield Input(placeholder="与系列一起填，如 3", id="f-round", type="integer")
            with Horizontal(classes="form-row"):
                yield Label("被测评人员")
                yield Select([("全部人员", "all")], value="all", allow_blank=False, id="f-persons")
            with Horizontal(classes="form-row", id="hand-row"):
                yield Label("指定编号")
                yield Input(placeholder="编号，用逗号或空格分隔，或点「选择…」", id="f-codes")
                yield Button("选择…", id="pick-persons-button")
            yield Prose("各代表类别名额：票码（投票终端、网页）与纸质选票张数；全为 0 则纸质选票不限（未设名额）",
                        classes="hint")
            yield Vertical(id="f-quotas")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button("创建会场", id="create", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#create-form").border_title = "新建会场"
        self.query_one("#hand-row").display = False
        request(self, ChoicesLoaded, load_choices)

    @on(ChoicesLoaded)
    def _choices(self, event: ChoicesLoaded) -> None:
        schemes, units, categories = event.result
        self._schemes = {s.name: s for s in schemes}
        select = self.query_one("#f-scheme", Select)
        select.set_options(options([(s.name, s.name) for s in schemes]))
        if schemes:
            select.value = schemes[0].name
        self.query_one("#f-persons", Select).set_options(
            options([("全部人员", "all")] + [(f"单位：{u}", f"unit:{u}") for u in units]
                    + [(f"类别：{c}", f"category:{c}") for c in categories] + [("手选（输入编号）", HAND)]))
        self.query_one("#f-title", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "f-scheme":
            self._quota_fields(event.value)
        elif event.select.id == "f-persons":
            self.query_one("#hand-row").display = event.value == HAND

    def _quota_fields(self, name: object) -> None:
        box = self.query_one("#f-quotas", Vertical)
        box.remove_children()
        info = self._schemes.get(name) if isinstance(name, str) else None
        if info is None:
            return
        rows: list[Horizontal] = []
        for g in info.spec.groups:
            rows.append(Horizontal(Label(g.name, markup=False),
                                   Input("0", id=f"q-{g.key}", type="integer", tooltip="票码"),
                                   Label("纸质", classes="paper-label"),
                                   Input("0", id=f"p-{g.key}", type="integer", tooltip="纸质选票"),
                                   classes="form-row"))
        box.mount_all(rows)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_create()
        elif event.button.id == "pick-persons-button":
            from pingyi.screens.dialogs import PickPersons

            self.app.push_screen(PickPersons(split_codes(self.query_one("#f-codes", Input).value)), self._picked)
        else:
            self.app.pop_screen()

    def _picked(self, codes: list[str] | None) -> None:
        if codes is not None:
            self.query_one("#f-codes", Input).value = ",".join(codes)

    def action_create(self) -> None:
        from pingyi.voting.rooms import create_room

        scheme = self.query_one("#f-scheme", Select).value
        if not isinstance(scheme, str) or scheme not in self._schemes:
            self.app.notify("请先选择测评方案（没有方案时先在「方案」页导入）。", severity="warning")
            return

        def value(wid: str) -> str:
            return self.query_one(wid, Input).value.strip()

        chosen = self.query_one("#f-persons", Select).value
        persons = chosen if isinstance(chosen, str) else "all"
        if persons == HAND:
            persons = "codes:" + ",".join(split_codes(value("#f-codes")))
        try:
            groups = self._schemes[scheme].spec.groups
            quotas = {g.key: count_value(value(f"#q-{g.key}"), f"{g.name}的票码名额") for g in groups}
            paper = {g.key: count_value(value(f"#p-{g.key}"), f"{g.name}的纸质选票名额") for g in groups}
            round_no = count_value(value("#f-round"), "轮次") if value("#f-round") else None
        except PingyiError as exc:
            notify_error(self, exc)
            return
        series = value("#f-series") or None
        request(self, RoomCreated, create_room, self.actor, scheme, value("#f-title"), value("#f-id") or None,
                series=series, round=round_no, persons=persons, quotas=quotas, paper=paper)

    @on(RoomCreated)
    def _created(self, event: RoomCreated) -> None:
        from pingyi.screens.room import RoomScreen

        room_id = event.result
        self.app.notify(f"会场 {room_id} 已创建（草稿）。")
        self.app.switch_screen(RoomScreen(room_id, actor=self.actor))
