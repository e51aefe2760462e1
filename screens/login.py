"""Login: account name and password (pingyi.accounts.authenticate)."""
from __future__ import annotations

from pingyi.screens.work import call, error_text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Static


class LoginScreen(Screen):

    def __init__(self, user: str | None = None):
        super().__init__()
        self._user = user or ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login-box"):
            yield Static("评议系统  登录", id="login-title")
            yield Label("账号")
            yield Input(self._user, placeholder="账号名", id="login-user")
            yield Label("密码")
            yield Input(placeholder="密码", password=True, id="login-password")
            yield Button("登录", variant="primary", id="login-go")
            yield Static("", id="login-message")
        # One line instead of a Footer: the login screen has no other keys, and
        # a Footer recomposes on every focus change before the first paint.
        yield Static("回车 登录 · Ctrl+Q 退出", id="login-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#login-password" if self._user else "#login-user", Input).focus()
        if getattr(self.app, "store_ready", True):
            self.store_ready()

    def store_ready(self) -> None:
        """The database is open (the app opens it after the first paint): say if it has no accounts."""
        from pingyi.people.accounts import has_users

        call(self, has_users, done=self._accounts)

    def _accounts(self, exist: bool) -> None:
        if not exist:
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

        if not getattr(self.app, "store_ready", True):
            self.show("正在打开数据库，请稍候再试。")
            return
        name = self.query_one("#login-user", Input).value.strip()
        password = self.query_one("#login-password", Input).value
        if not name:
            self.show("请输入账号名。")
            return
        self.show("正在验证……")
        self.query_one("#login-go", Button).disabled = True
        call(self, authenticate, name, password, done=self.app.signed_in, failed=self.refused)

    def refused(self, exc: BaseException) -> None:
        self.query_one("#login-go", Button).disabled = False
        password = self.query_one("#login-password", Input)
        password.value = ""
        password.focus()
        self.show(error_text(exc))

    def show(self, text: str) -> None:
        self.query_one("#login-message", Static).update(text)
