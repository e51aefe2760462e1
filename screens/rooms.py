"""Rooms: the list of rooms and the form that creates one."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import LiteralTable, options
from pingyi.screens.widgets import count_value
from pingyi.screens.work import call, notify_error
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



class RoomsScreen(MenuScreen):
    BINDINGS = [
        Binding("escape", "app.go('h')", "返回"),
        Binding("n", "create", "新建会场"),
        Binding("f5", "refresh", "刷新"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel grow", id="rooms-panel"):
            yield LiteralTable(id="room-list", cursor_type="row", zebra_stripes=True)
            yield Static("回车打开会场；n 新建会场", classes="hint")
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

        call(self, list_rooms, done=self.show, group="rooms", exclusive=True)

    def show(self, rooms) -> None:
        table = self.query_one("#room-list", DataTable)
        table.clear()
        for r in rooms:
            table.add_row(r.id, r.title, r.status_name, r.persons, sum(r.quotas.values()), r.scheme,
                          r.series or "", r.round or "", key=r.id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from pingyi.screens.room import RoomScreen

        self.app.push_screen(RoomScreen(event.row_key.value, actor=self.actor))

    def action_create(self) -> None:
        self.app.push_screen(CreateRoomScreen(self.actor))


def split_codes(text: str) -> list[str]:
    return [c for c in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if c]


def load_choices() -> tuple[list, list[str], list[str]]:
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
        self._schemes: dict = {}

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
            yield Static("各代表类别名额：票码（投票终端、网页）与纸质选票张数；全为 0 则纸质选票不限（未设名额）",
                         classes="hint")
            yield Vertical(id="f-quotas")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button("创建会场", id="create", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#create-form").border_title = "新建会场"
        self.query_one("#hand-row").display = False
        call(self, load_choices, done=self._choices)

    def _choices(self, result) -> None:
        schemes, units, categories = result
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

    def _quota_fields(self, name) -> None:
        box = self.query_one("#f-quotas", Vertical)
        box.remove_children()
        info = self._schemes.get(name)
        if info is None:
            return
        rows = []
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
        if scheme in (Select.BLANK, None) or scheme not in self._schemes:
            self.app.notify("请先选择测评方案（没有方案时先在「方案」页导入）。", severity="warning")
            return
        value = lambda wid: self.query_one(wid, Input).value.strip()  # noqa: E731
        persons = self.query_one("#f-persons", Select).value
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
        call(self, create_room, self.actor, scheme, value("#f-title"), value("#f-id") or None,
             series=series, round=round_no, persons=persons, quotas=quotas, paper=paper, done=self._created)

    def _created(self, room_id: str) -> None:
        from pingyi.screens.room import RoomScreen

        self.app.notify(f"会场 {room_id} 已创建（草稿）。")
        self.app.switch_screen(RoomScreen(room_id, actor=self.actor))
