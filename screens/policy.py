"""The desk policy in force (organ name, point table, levels, thresholds) as its
TOML text; an admin imports a new version (the same as ``pingyi policy import``)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import Prose
from pingyi.screens.work import Done, Failed, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, TextArea

if TYPE_CHECKING:
    from pingyi.desk.policy import DeskPolicy
    from pingyi.people.accounts import Actor


class PolicyLoaded(Done[tuple[str, "DeskPolicy"]]):
    """The policy in force: its text and its parsed form."""


class PolicyImported(Done["DeskPolicy"]):
    """A new policy version went in."""


def load_policy() -> tuple[str, DeskPolicy]:
    from pingyi.desk.policy import current, current_source

    return current_source(), current()


class PolicyScreen(MenuScreen):
    BINDINGS = [Binding("escape", "app.go('h')", "返回"), Binding("o", "organ", "发文机关"),
                Binding("ctrl+o", "import", "导入新政策")]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self._path: Path | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Prose("", id="policy-summary", classes="panel")
        area = TextArea("", id="policy-text", read_only=True, show_line_numbers=True, soft_wrap=False)
        if "toml" in area.available_languages:
            area.language = "toml"
        yield area
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#policy-summary").border_title = "现行政策"
        self.query_one("#policy-text").border_title = "政策文件（只读；修改后用 Ctrl+O 导入新版本，仅管理员）"
        request(self, PolicyLoaded, load_policy)

    @on(PolicyLoaded)
    def _loaded(self, event: PolicyLoaded) -> None:
        from pingyi.common.clock import today
        from pingyi.common.vocab import Level
        from pingyi.rules.alerts import format_number
        from pingyi.rules.numbers import decimal_tenths, tenths_str

        text, pol = event.result
        levels = "、".join(f"{lv.label} {tenths_str(pol.levels.threshold(lv))} 分" for lv in Level)
        threshold = decimal_tenths(pol.index.threshold)
        self.query_one("#policy-summary", Prose).update(
            f"{pol.name}  发文机关：{pol.organ or '（未设置，按 o 设置）'}  "
            f"文号如：{format_number(today().year, 1, pol.number_prefix)}\n"
            f"预警线：{levels}；扣分达 {tenths_str(pol.excellent_bar)} 分不得评优；廉洁指数低于 "
            f"{tenths_str(threshold) if threshold is not None else pol.index.threshold} 分进行廉政谈话")
        self.query_one("#policy-text", TextArea).load_text(text)

    def action_organ(self) -> None:
        """Admin: the notice header's organ name (the same as ``pingyi policy organ``)."""
        from pingyi.screens.dialogs import Ask

        from pingyi.desk.policy import DeskPolicy, set_header

        actor = self.actor

        def done(pol: object) -> None:  # Ask with run= dismisses with what run returned
            if isinstance(pol, DeskPolicy):
                self.app.notify(f"发文机关：{pol.organ}（已生成新版政策）")
                request(self, PolicyLoaded, load_policy)

        self.app.push_screen(Ask("设置发文机关（仅管理员）", "发文机关全称，如：中共某某县纪律检查委员会",
                                 ok="保存", run=lambda organ: set_header(actor, organ=organ)), done)

    def action_import(self) -> None:
        from pingyi.screens.dialogs import PickFile

        self.app.push_screen(PickFile("导入政策文件", (".toml",)), self._picked)

    def _picked(self, path: Path | None) -> None:
        if path is not None:
            from pingyi.desk.policy import import_policy

            self._path = path
            request(self, PolicyImported, import_policy, self.actor, path)

    @on(PolicyImported)
    def _imported(self, event: PolicyImported) -> None:
        self.app.notify(f"已导入新政策：{event.result.name}（此后的扣分和计算按新政策）")
        request(self, PolicyLoaded, load_policy)

    @on(Failed)
    def _refused(self, event: Failed) -> None:
        if event.call is PolicyImported:
            from pingyi.screens.dialogs import Problems

            event.stop()
            self.app.push_screen(Problems(f"政策未导入：{self._path.name if self._path else ''}", event.error))
