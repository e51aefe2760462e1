"""Write a new scheme in the TUI: the commented example (or a scheme's own
source) in a TOML editor; Ctrl+K checks it, Ctrl+S imports it. Problems are
listed under the editor, each naming the key, and the cursor goes to the line
a TOML syntax error names."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pingyi.screens.text import Prose, literal
from pingyi.screens.work import Done, Failed, error_text, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, TextArea

_LINE = re.compile(r"第 (\d+) 行(?:第 (\d+) 列)?")

if TYPE_CHECKING:  # strings in base classes: checked by mypy, not imported at run time
    from pingyi.people.accounts import Actor
    from pingyi.rules.spec import SchemeSpec  # noqa: F401


class SchemeChecked(Done["SchemeSpec"]):
    """The text parses and checks as a scheme."""


class SchemeSaved(Done[str]):
    """The text imported as a scheme (its name)."""


class SchemeEditor(Screen[str | None]):
    """Dismisses with the imported scheme's name, or None when left unsaved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "检查并导入", priority=True),
        Binding("ctrl+k", "check", "只检查", priority=True),
        Binding("escape", "leave", "返回", priority=True),
    ]
    ORIGIN = "新方案"

    def __init__(self, text: str, title: str = "新建方案", *, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self._text = text
        self._title = title
        self._saved = text
        self._importing = text  # the text sent to be imported

    def compose(self) -> ComposeResult:
        yield Header()
        editor = TextArea(self._text, id="scheme-editor", show_line_numbers=True, tab_behavior="focus",
                          soft_wrap=False)
        if "toml" in editor.available_languages:
            editor.language = "toml"
        yield editor
        with VerticalScroll(id="scheme-problems", classes="panel"):
            yield Prose("Ctrl+K 检查，Ctrl+S 检查并导入；以 # 开头的是说明，可删可留。", id="scheme-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scheme-editor").border_title = literal(self._title)
        self.query_one("#scheme-problems").border_title = "检查结果"
        self.query_one("#scheme-editor", TextArea).focus()

    @property
    def text(self) -> str:
        return self.query_one("#scheme-editor", TextArea).text

    def action_check(self) -> None:
        from pingyi.voting.schemes import check_text

        request(self, SchemeChecked, check_text, self.text, self.ORIGIN)

    def action_save(self) -> None:
        from pingyi.voting.schemes import import_scheme_text

        self._importing = self.text
        request(self, SchemeSaved, import_scheme_text, self.actor, self._importing, self.ORIGIN)

    @on(SchemeChecked)
    def _checked(self, event: SchemeChecked) -> None:
        spec = event.result
        self._say(f"没有发现问题：方案「{spec.name}」，{len(spec.indicators)} 项指标、"
                  f"{len(spec.groups)} 个代表类别。按 Ctrl+S 导入。", ok=True)

    @on(SchemeSaved)
    def _imported(self, event: SchemeSaved) -> None:
        self._saved = self._importing
        self.app.notify(f"已导入方案：{event.result}")
        self.dismiss(event.result)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        """A check or an import refused: the problems under the editor, not in a toast."""
        if event.call in (SchemeChecked, SchemeSaved):
            event.stop()
            self._problems(event.error)

    def _problems(self, exc: BaseException) -> None:
        from pingyi.common.errors import PingyiError

        lines = [exc.message, *exc.errors] if isinstance(exc, PingyiError) else [error_text(exc)]
        self._say("\n".join(lines), ok=False)
        where = _LINE.search(lines[0])
        if where:
            row = int(where.group(1)) - 1
            col = int(where.group(2) or 1) - 1
            editor = self.query_one("#scheme-editor", TextArea)
            editor.move_cursor((row, col))
            editor.focus()

    def _say(self, text: str, ok: bool) -> None:
        message = self.query_one("#scheme-message", Prose)
        message.update(text)
        message.set_class(not ok, "error-text")

    def unsaved(self) -> bool:
        """Edits not yet imported (the app asks before switching account or quitting)."""
        return self.text != self._saved

    def action_leave(self) -> None:
        if not self.unsaved():
            self.dismiss(None)
            return
        from pingyi.screens.dialogs import Confirm

        self.app.push_screen(Confirm("放弃修改", "编辑的方案还没有导入，离开后修改会丢失。确定离开？",
                                     ok="放弃修改", danger=True),
                             self._leave)

    def _leave(self, yes: bool | None) -> None:
        if yes:
            self.dismiss(None)

    @on(TextArea.Changed)
    def _edited(self) -> None:
        changed = "（已修改，未导入）" if self.text != self._saved else ""
        self.query_one("#scheme-editor").border_title = literal(self._title) + changed
