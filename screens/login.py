"""Login: account name and password (pingyi.accounts.authenticate)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.text import ChineseText, Prose
from pingyi.screens.work import Done, Failed, error_text, request
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pingyi.common.vocab import Role

if TYPE_CHECKING:  # a string in a base class: checked by mypy, not imported at run time
    from pingyi.people.accounts import Actor  # noqa: F401


class SignedIn(Done["Actor"]):
    """An account signed in; not handled here, it bubbles up to the app."""


class AccountsChecked(Done[bool]):
    """Whether the database has any account yet."""


ROLE_CAN = {
    "organizer": "名单、方案、会场、票码、纸质选票录入、计票和结果",
    "commission": "会务的一切，另有扣分台账、预警起草与审批、廉洁指数、年终导出",
    "admin": "全部功能，另可管理账号、导入政策、备份数据库",
}


class LoginScreen(Screen[None]):

    def __init__(self, user: str | None = None, *, ready: bool = True,
                 demo: list[tuple[str, str, str]] | None = None, demo_note: str = "") -> None:
        super().__init__()
        self._user = user or ""
        self._ready = ready  # the app opens the database after the first paint
        self._demo = {name: (password, role) for name, password, role in demo or []}
        self._demo_note = demo_note

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="login-row"):
            with Vertical(id="login-box"):
                yield Static("评议系统  登录", id="login-title")
                yield Label("账号")
                # no select-on-focus: a name typed while the demo list has focus starts in this field
                yield Input(self._user, placeholder="账号名", id="login-user", select_on_focus=False)
                yield Label("密码")
                yield Input(placeholder="密码", password=True, id="login-password")
                yield Button("登录", variant="primary", id="login-go")
                yield Prose("", id="login-message")
            if self._demo:
                with Vertical(id="demo-box", classes="panel"):
                    yield OptionList(*[
                        Option(ChineseText(f"{name}  密码 {password}\n{Role.labels()[role]}：{ROLE_CAN.get(role, '')}"),
                               id=name)
                        for name, (password, role) in self._demo.items()], id="demo-accounts", markup=False)
                    # one sentence a line, short enough for one line beside the login box at 80
                    # columns; any longer line breaks by the Chinese rules (never 「。」 first)
                    yield Prose("\n".join(["回车以选中账号登录，或直接输入账号名。",
                                            "纪委两个账号：一人起草预警，一人审批。",
                                            *([self._demo_note] if self._demo_note else [])]),
                                classes="hint", id="demo-hint")
        # One line instead of a Footer: the login screen has no other keys, and
        # a Footer recomposes on every focus change before the first paint.
        yield Static("回车 登录 · F1 帮助 · Ctrl+Q 退出", id="login-keys", markup=False)

    def on_mount(self) -> None:
        if self._demo:
            self.query_one("#demo-box").border_title = "演示账号"
            self.query_one("#demo-accounts", OptionList).focus()
        else:
            self.query_one("#login-password" if self._user else "#login-user", Input).focus()
        if self._ready:
            self.store_ready()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A demo account picked: fill in its name and password and sign in."""
        name = event.option.id or ""
        self.query_one("#login-user", Input).value = name
        self.query_one("#login-password", Input).value = self._demo[name][0]
        self.submit()

    def before_key(self, event: events.Key) -> None:
        """A key as the app reads it, before it is routed to the focused widget.

        Typing while the demo list has focus types an account name (Enter there would sign in
        as the highlighted account): the focus moves to 账号 here, at once, so every key of a
        burst (a fast typist, a paste, tmux) lands in the field it was meant for, in order."""
        char = event.character
        if (self._demo and isinstance(self.focused, OptionList) and event.is_printable and char
                and not char.isspace()):
            self.query_one("#login-password", Input).value = ""
            user = self.query_one("#login-user", Input)
            user.value = ""
            self.set_focus(user)

    def signed_out(self, name: str) -> None:
        """Back here from 切换账号: the fields cleared for the next account."""
        self.query_one("#login-user", Input).value = ""
        self.query_one("#login-password", Input).value = ""
        self.query_one("#login-go", Button).disabled = False
        self.show(f"{name} 已退出，请以另一个账号登录。" if name else "")
        if self._demo:
            self.query_one("#demo-accounts", OptionList).focus()
        else:
            self.query_one("#login-user", Input).focus()

    def store_ready(self) -> None:
        """The database is open (the app opens it after the first paint): say if it has no accounts."""
        from pingyi.people.accounts import has_users

        self._ready = True
        request(self, AccountsChecked, has_users)

    @on(AccountsChecked)
    def _accounts(self, event: AccountsChecked) -> None:
        if not event.result:
            self.show("这个数据库还没有账号：请先在命令行运行 pingyi init 创建管理员，或运行 pingyi demo 试用。")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "login-user":
            self.query_one("#login-password", Input).focus()
        else:
            self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.submit()

    def submit(self) -> None:
        from pingyi.people.accounts import authenticate

        if not self._ready:
            self.show("正在打开数据库，请稍候再试。")
            return
        name = self.query_one("#login-user", Input).value.strip()
        password = self.query_one("#login-password", Input).value
        if not name:
            self.show("请输入账号名。")
            return
        self.show("正在验证……")
        self.query_one("#login-go", Button).disabled = True
        request(self, SignedIn, authenticate, name, password)

    @on(Failed)
    def refused(self, event: Failed) -> None:
        if event.call is not SignedIn:
            return
        event.stop()
        self.query_one("#login-go", Button).disabled = False
        password = self.query_one("#login-password", Input)
        password.value = ""
        password.focus()
        self.show(error_text(event.error))

    def show(self, text: str) -> None:
        self.query_one("#login-message", Prose).update(text)
