"""Series: the rounds of a series and each person's bottom places and streak
(the same view as ``pingyi series show``), persons by name."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import LiteralTable, Prose, literal
from pingyi.screens.work import Done, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:  # SeriesView is a string in a base class: checked by mypy, not imported at run time
    from pingyi.people.accounts import Actor
    from pingyi.voting.series import SeriesView  # noqa: F401


class SeriesListed(Done[list[str]]):
    """The names of all series."""


class SeriesShown(Done["SeriesView"]):
    """One series, its rounds and streaks (a newer choice wins)."""
    exclusive = True


class SeriesScreen(MenuScreen):
    BINDINGS = [Binding("escape", "app.go('h')", "返回"), Binding("f5", "refresh", "刷新")]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="grow"):
            yield OptionList(id="series-list", classes="panel")
            with Vertical(id="series-detail", classes="panel"):
                yield Prose("", id="series-rounds")
                yield LiteralTable(id="series-persons", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#series-list").border_title = "系列"
        self.query_one("#series-detail").border_title = "各轮倒数第一"
        table = self.query_one("#series-persons", LiteralTable)
        for label, width in (("姓名", 8), ("单位", 14), ("倒数第一轮次", 14), ("连续", 4)):
            table.add_column(label, width=width)
        self.action_refresh()

    def action_refresh(self) -> None:
        from pingyi.voting.series import list_series

        request(self, SeriesListed, list_series)

    @on(SeriesListed)
    def _listed(self, event: SeriesListed) -> None:
        box = self.query_one("#series-list", OptionList)
        box.clear_options()
        box.add_options([Option(literal(name), id=name) for name in event.result])
        if event.result:
            box.highlighted = 0
            box.focus()
        else:
            self.query_one("#series-rounds", Prose).update("还没有系列。新建会场时填写「系列」和「轮次」即成系列。")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        from pingyi.voting.series import show

        if event.option.id:
            request(self, SeriesShown, show, event.option.id)

    @on(SeriesShown)
    def _shown(self, event: SeriesShown) -> None:
        v = event.result
        rounds = "、".join(f"第{r}轮 {room}" for r, room in v.rounds) or "还没有结束的轮次"
        self.query_one("#series-rounds", Prose).update(f"{v.series}：{rounds}\n只列出曾经倒数第一的人员。")
        table = self.query_one("#series-persons", LiteralTable)
        table.clear()
        for p in v.persons:
            if not p.bottoms:
                continue
            name, unit = v.names.get(p.person, (p.person, ""))
            table.add_row(name, unit, "、".join(f"第{r}轮" for r in p.bottoms), str(p.streak or ""))
