"""Schemes: indicators, grades, groups with weights, and the rules in words."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import Prose, literal
from pingyi.screens.work import Done, Failed, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:  # strings in base classes: checked by mypy, not imported at run time
    from pingyi.people.accounts import Actor
    from pingyi.voting.schemes import SchemeInfo  # noqa: F401


class SchemesLoaded(Done["list[SchemeInfo]"]):
    """Every scheme, for the list."""

    exclusive = True


class SchemeImported(Done[str]):
    """A scheme file imported (its name)."""


class SchemesScreen(MenuScreen):
    BINDINGS = [
        Binding("escape", "app.go('h')", "返回"),
        Binding("n", "new", "新建方案"),
        Binding("e", "copy", "以此为底新建"),
        Binding("ctrl+o", "import", "导入文件"),
    ]
    HINT = ("方案是一个 TOML 文本文件。按 n 从带中文注释的示例新建（示例可以直接导入），"
            "按 e 以选中的方案为底修改，按 Ctrl+O 导入文件。\n"
            "命令行：pingyi scheme example > 我的方案.toml 取得同一示例。")

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self._schemes: dict[str, SchemeInfo] = {}
        self._select: str | None = None      # the scheme to highlight once the list is loaded
        self._importing: Path | None = None  # the file being imported, for a refusal's title

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(id="scheme-list", classes="panel")
            with VerticalScroll(id="scheme-detail", classes="panel"):
                yield Prose("", id="scheme-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scheme-list").border_title = "测评方案"
        self.query_one("#scheme-detail").border_title = "内容"
        self.load()

    def load(self, select: str | None = None) -> None:
        from pingyi.voting.schemes import list_schemes

        self._select = select
        request(self, SchemesLoaded, list_schemes)

    @on(SchemesLoaded)
    def _loaded(self, event: SchemesLoaded) -> None:
        self.show(event.result, self._select)

    def show(self, items: list[SchemeInfo], select: str | None = None) -> None:
        self._schemes = {s.name: s for s in items}
        options = self.query_one("#scheme-list", OptionList)
        options.clear_options()
        options.add_options([Option(literal(s.name), id=s.name) for s in items])
        if not items:
            self.query_one("#scheme-text", Prose).update("还没有测评方案。\n\n" + self.HINT)
            return
        index = next((i for i, s in enumerate(items) if s.name == select), 0)
        options.highlighted = index
        self.describe(items[index].name)
        options.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.describe(event.option.id)

    def describe(self, name: str) -> None:
        from pingyi.common.vocab import SchemeKind
        from pingyi.voting.describe import describe_scheme

        info = self._schemes.get(name)
        if info is not None:
            kind = SchemeKind.label_of(info.kind)
            text = (describe_scheme(info.spec) + f"\n\n内容指纹：{info.spec_hash[:16]}（{kind}）"
                    + "\n\n" + self.HINT)
            self.query_one("#scheme-text", Prose).update(text)

    def action_new(self) -> None:
        from pingyi.voting.schemes import example_text

        self._edit(example_text(), "新建方案（示例）")

    def action_copy(self) -> None:
        options = self.query_one("#scheme-list", OptionList)
        if options.highlighted is None or not self._schemes:
            self.action_new()
            return
        name = options.get_option_at_index(options.highlighted).id
        info = self._schemes.get(name) if name is not None else None
        if info is not None:
            self._edit(info.source, f"以「{name}」为底新建（改 name 另存为新方案，同名则为新版本）")

    def _edit(self, text: str, title: str) -> None:
        from pingyi.screens.scheme_editor import SchemeEditor

        self.app.push_screen(SchemeEditor(text, title, actor=self.actor), self._edited)

    def _edited(self, name: str | None) -> None:
        if name:
            self.load(select=name)

    def action_import(self) -> None:
        from pingyi.screens.dialogs import PickFile

        self.app.push_screen(PickFile("选择方案文件", (".toml",)), self._picked)

    def _picked(self, path: Path | None) -> None:
        if path is None:
            return
        from pingyi.voting.schemes import import_scheme

        self._importing = path
        request(self, SchemeImported, import_scheme, self.actor, path)

    @on(Failed)
    def _refused(self, event: Failed) -> None:
        """A refused file: every problem in a panel that stays (a toast would cut them off)."""
        if event.call is not SchemeImported:
            return
        event.stop()
        from pingyi.screens.dialogs import Problems

        name = self._importing.name if self._importing is not None else ""
        self.app.push_screen(Problems(f"方案未导入：{name}", event.error))

    @on(SchemeImported)
    def _imported(self, event: SchemeImported) -> None:
        self.app.notify(f"已导入方案：{event.result}")
        self.load(select=event.result)
