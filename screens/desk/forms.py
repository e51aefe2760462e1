"""Desk forms that run their own service call (a refusal stays in the form):
a target picker, a ledger deduction, rectification feedback, integrity inputs."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.dialogs import Dialog
from pingyi.screens.text import literal
from pingyi.screens.work import Done, request
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:  # strings in base classes: checked by mypy, not imported at run time
    from pingyi.desk.alerts import AlertInfo  # noqa: F401
    from pingyi.desk.integrity import InputInfo  # noqa: F401
    from pingyi.desk.ledger import DeductResult  # noqa: F401
    from pingyi.people.accounts import Actor


class TargetsFound(Done[list[tuple[str, str]]]):
    """Persons and units matching the picker's search (a newer search wins)."""
    exclusive = True


class TargetDescribed(Done[tuple[str, str]]):
    """The picked target's key and its words for the form."""


SOURCES = ["双定双评", "明查暗访", "信访举报", "专项检查", "巡察", "审计"]


def _buttons(ok: str) -> Horizontal:
    return Horizontal(Button("取消", id="cancel"), Button(ok, id="ok", variant="primary"),
                      classes="dialog-buttons")


class PickTarget(Dialog[str | None]):
    """A person (by name, code, unit or post) or a unit; returns the code or the unit name."""

    SHOWN = 50

    def __init__(self, persons_only: bool = False) -> None:
        super().__init__()
        self._persons_only = persons_only

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pick-target"):
            yield Static("选择人员" if self._persons_only else "选择对象（人员或单位）", classes="dialog-title")
            yield Input(placeholder="搜索：姓名、编号、单位或职务", id="pt-search")
            yield OptionList(id="pt-list")
            yield Static("上下键选择，回车确定", classes="hint")
            yield _buttons("选定")

    def on_mount(self) -> None:
        self.load("")
        self.query_one("#pt-search", Input).focus()

    def load(self, search: str) -> None:
        request(self, TargetsFound, _targets, search, self.SHOWN, self._persons_only)

    @on(TargetsFound)
    def show(self, event: TargetsFound) -> None:
        items = event.result
        box = self.query_one("#pt-list", OptionList)
        box.clear_options()
        box.add_options([Option(literal(label), id=key) for key, label in items])
        if items:
            box.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self.load(event.value.strip())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.finish()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def finish(self) -> None:
        box = self.query_one("#pt-list", OptionList)
        if box.highlighted is None:
            self.refuse("没有找到符合的对象，请换个搜索词。")
            return
        self.dismiss(box.get_option_at_index(box.highlighted).id)


def _targets(search: str, limit: int, persons_only: bool) -> list[tuple[str, str]]:
    """(key, label) for the picker: matching persons, then matching units."""
    from pingyi.common.vocab import PersonStatus
    from pingyi.people.roster import list_persons, list_units

    # persons in use only: a deactivated (停用) person is kept in history, not picked for new work
    items = [(p.code, f"{p.name}  {p.unit}  {p.post}  （{p.code}）")
             for p in list_persons(search, limit=limit, status=PersonStatus.ACTIVE)]
    if not persons_only:
        items += [(u, f"单位：{u}") for u in list_units() if not search or search in u]
    return items


class TargetField(Horizontal):
    """A form row: the chosen target shown in words, a 选择… button; ``value`` is the key."""

    def __init__(self, label: str, persons_only: bool = False, value: str = "", shown: str = "") -> None:
        super().__init__(classes="form-row")
        self._label, self._persons_only = label, persons_only
        self.value = value
        self._shown = shown

    def compose(self) -> ComposeResult:
        yield Label(self._label)
        yield Static(self._shown or "（未选）", classes="target-shown", markup=False)
        yield Button("选择…", classes="target-pick", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.push_screen(PickTarget(self._persons_only), self._picked)

    def _picked(self, key: str | None) -> None:
        if key:
            request(self, TargetDescribed, _describe, key)

    @on(TargetDescribed)
    def _show(self, event: TargetDescribed) -> None:
        self.value, shown = event.result
        self.query_one(".target-shown", Static).update(shown)


def _describe(key: str) -> tuple[str, str]:
    from pingyi.people.roster import get_person

    try:
        p = get_person(key)
    except Exception:  # noqa: BLE001 - not a person code: a unit name
        return key, f"单位：{key}"
    return p.code, f"{p.name}（{p.unit} {p.post}）"


def preset_words(items: dict[str, int]) -> str:
    """The policy's preset items, lightest first (「通报批评1分」), one wrap unit each: an ideographic
    space between items and none inside, so a line never ends between an item and its points."""
    from pingyi.rules.numbers import tenths_str

    ordered = sorted(items.items(), key=lambda kv: kv[1])   # stable: the policy's order within a value
    return "　".join(f"{name}{tenths_str(tenths)}分" for name, tenths in ordered)


class DeductForm(Dialog["DeductResult | None"]):
    """A ledger deduction: who, points or a preset item, reason, source, date."""

    def __init__(self, actor: Actor, items: dict[str, int]) -> None:
        super().__init__()
        self.actor = actor
        self._items = items           # the policy's preset items -> tenths

    def compose(self) -> ComposeResult:
        presets = preset_words(self._items)
        with VerticalScroll(classes="dialog compact-form", id="deduct-form"):
            yield Static("扣分（12 分制台账）", classes="dialog-title")
            yield TargetField("对象")
            with Horizontal(classes="form-row"):
                yield Label("分值")
                yield Input(placeholder="分值（如 2.5）或扣分标准名称", id="k-points", compact=True,
                            suggester=SuggestFromList(list(self._items), case_sensitive=True))
            yield Static(f"扣分标准：{presets}", classes="hint", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("事由")
                yield Input(id="k-reason", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("来源")
                yield Input(placeholder="如：明查暗访（可留空）", id="k-source", compact=True,
                            suggester=SuggestFromList(SOURCES, case_sensitive=True))
            with Horizontal(classes="form-row"):
                yield Label("日期")
                yield Input(placeholder="YYYY-MM-DD，留空为今天", id="k-date", compact=True)
            yield _buttons("扣分")

    def on_mount(self) -> None:
        self.query_one(".target-pick", Button).focus()

    def finish(self) -> None:
        from pingyi.desk import ledger

        target = self.query_one(TargetField).value
        if not target:
            self.refuse("请先选择扣分对象。")
            return
        def v(wid: str) -> str:
            return self.query_one(wid, Input).value.strip()

        self.submit(ledger.deduct, self.actor, target, v("#k-points"), v("#k-reason"), v("#k-source"),
                    v("#k-date") or None)


class FeedbackForm(Dialog["AlertInfo | None"]):
    """Rectification feedback: what was done and when (default today, in the service)."""

    def __init__(self, actor: Actor, alert_id: int, number: str) -> None:
        super().__init__()
        self.actor = actor
        self._alert_id, self._number = alert_id, number

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog compact-form"):
            yield Static(f"整改反馈：{self._number}", classes="dialog-title", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("整改情况")
                yield Input(id="fb-text", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("反馈日期")
                yield Input(placeholder="YYYY-MM-DD，留空为今天", id="fb-date", compact=True)
            yield _buttons("登记")

    def on_mount(self) -> None:
        self.query_one("#fb-text", Input).focus()

    def finish(self) -> None:
        from pingyi.desk import alerts

        self.submit(alerts.feedback, self.actor, self._alert_id, self.query_one("#fb-text", Input).value.strip(),
                    self.query_one("#fb-date", Input).value.strip() or None)


class IntegrityForm(Dialog["InputInfo | None"]):
    """One leader's integrity inputs for a year: 述职述廉 score, grade, veto."""

    def __init__(self, actor: Actor, year: int, grades: list[str], person: str = "", shown: str = "") -> None:
        super().__init__()
        self.actor = actor
        self._year, self._grades = year, grades
        self._person, self._shown = person, shown

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog compact-form", id="integrity-form"):
            yield Static(f"{self._year} 年廉洁指数：录入", classes="dialog-title")
            yield TargetField("领导干部", persons_only=True, value=self._person, shown=self._shown)
            with Horizontal(classes="form-row"):
                yield Label("述职述廉")
                yield Input(placeholder="0–100，最多一位小数；留空不改", id="i-manual", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("考核等次")
                yield Select([(literal(g), g) for g in self._grades], prompt="不改", id="i-grade", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("否决事由")
                yield Input(placeholder="如当年受到处分；留空不改", id="i-veto", compact=True)
            yield Checkbox("撤销一票否决", id="i-clear")
            yield _buttons("录入")

    def on_mount(self) -> None:
        self.query_one("#i-manual" if self._person else ".target-pick").focus()

    def finish(self) -> None:
        from pingyi.desk import integrity

        person = self.query_one(TargetField).value
        if not person:
            self.refuse("请先选择领导干部。")
            return
        grade = self.query_one("#i-grade", Select).value

        def v(wid: str) -> str | None:
            return self.query_one(wid, Input).value.strip() or None

        self.submit(integrity.set_inputs, self.actor, person, self._year, manual=v("#i-manual"),
                    grade=grade if isinstance(grade, str) else None, veto=v("#i-veto"),
                    clear_veto=self.query_one("#i-clear", Checkbox).value)
