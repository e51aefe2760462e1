"""F1 / ?: the keys of the screen in front, in Chinese, read from its bindings
(so the list never drifts from what the keys do), then the keys every screen shares."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pingyi.screens.text import Prose
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

_CJK = re.compile(r"[\u4e00-\u9fff]")

COMMON = [
    ("Tab / Shift+Tab", "在输入框、表格和按钮之间移动"),
    ("↑ ↓ ← →", "在表格、列表中移动"),
    ("回车", "确定；在表格中打开选中的行"),
    ("Esc", "返回上一页；在对话框中取消"),
    ("Ctrl+P", "命令面板：打开任一页面、切换账号、切换明暗"),
    ("Ctrl+U", "切换账号（不必退出程序）"),
    ("F1 或 ?", "本帮助"),
    ("Ctrl+Q", "退出程序"),
]

KEY_WORDS = {"escape": "Esc", "enter": "回车", "space": "空格", "delete": "Delete", "pageup": "PgUp",
             "pagedown": "PgDn", "question_mark": "?", "tab": "Tab"}


def _key_text(binding: Binding) -> str:
    """The key as printed on a keyboard: d, F5, Ctrl+S, Esc (a letter stays lower case: no Shift)."""
    key = binding.key_display or KEY_WORDS.get(binding.key) or binding.key
    if re.fullmatch(r"f\d+", key):
        return key.upper()
    if key.startswith("ctrl+"):
        rest = key[5:]
        return "Ctrl+" + (KEY_WORDS.get(rest) or rest.upper())
    return key


def keys_of(app: App[Any], screen: Screen[Any]) -> tuple[str, str, list[tuple[str, str]]]:
    """(title, what the screen is for, [(key, what it does)]) for the screen in front."""
    from pingyi.screens import nav

    title, about = "当前页面", ""
    cls = type(screen)
    for item in nav.NAV:
        if item.target.endswith(":" + cls.__name__):
            title, about = item.label, item.help
            break
    else:
        title = getattr(screen, "HELP_TITLE", title)
        about = getattr(screen, "HELP", "")
    rows: list[tuple[str, str]] = []
    for active in screen.active_bindings.values():
        b = active.binding
        if not b.description or not _CJK.search(b.description) or not active.enabled:
            continue
        if active.node is app and b.action in ("help", "switch_user", "quit", "command_palette"):
            continue   # listed among the common keys
        # the footer's word may be short (80 columns); a Chinese tooltip says it in full
        row = (_key_text(b), b.tooltip if _CJK.search(b.tooltip) else b.description)
        if row not in rows:
            rows.append(row)
    return title, about, rows


class HelpScreen(ModalScreen[None]):
    """The keys of one screen; Esc, F1 or 回车 closes it."""

    BINDINGS = [Binding("escape,f1,question_mark,enter", "close", "关闭")]
    HELP_TITLE = "帮助"

    def __init__(self, title: str, about: str, rows: list[tuple[str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self._title, self._about, self._rows = title, about, rows

    def compose(self) -> ComposeResult:
        from pingyi.common.textfmt import table

        with Vertical(classes="dialog", id="help"):
            yield Static(f"帮助：{self._title}", classes="dialog-title", markup=False)
            with VerticalScroll(id="help-body"):
                if self._about:
                    yield Prose(self._about, classes="hint")
                body = table(["按键", "作用"], [list(r) for r in self._rows]) if self._rows else "本页没有专用按键。"
                yield Static("本页按键\n" + body, markup=False)
                yield Static("\n通用按键\n" + table(["按键", "作用"], [list(r) for r in COMMON]), markup=False)
            yield Static("Esc、F1 或回车关闭；↑↓ 滚动", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
