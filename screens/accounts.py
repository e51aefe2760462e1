"""Accounts (admin): list, add, disable or enable, reset a password (DESIGN §11)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.dialogs import Dialog
from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import LiteralTable, Prose
from pingyi.screens.work import Done, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from pingyi.common.vocab import Role

if TYPE_CHECKING:
    from pingyi.people.accounts import Account, Actor  # noqa: F401

ROLE_CHOICES = [(r.label, r.value) for r in Role]   # the words users read; the code goes to the service


def role_can(role: object) -> str:
    """What an account of ``role`` may do, under the role picker (the login screen's words)."""
    from pingyi.screens.login import ROLE_CAN

    return f"可用：{ROLE_CAN[role]}" if isinstance(role, str) and role in ROLE_CAN else ""


class AccountsLoaded(Done["list[Account]"]):
    """Every account, for the table."""
    exclusive = True


class AccountChanged(Done[str]):
    """An account was added, disabled, enabled or given a new password: the line to show."""


class AddAccount(Dialog[str | None]):
    """Login, the person's name for documents, role and a first password; a refusal stays in the dialog."""

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("新增账号", classes="dialog-title", markup=False)
            for label, wid, secret in (("账号", "acc-name", False), ("姓名", "acc-display", False),
                                       ("密码", "acc-pass", True), ("再输一次", "acc-pass2", True)):
                with Horizontal(classes="form-row"):
                    yield Label(label, markup=False)
                    yield Input(id=wid, password=secret)
            with Horizontal(classes="form-row"):
                yield Label("角色", markup=False)
                yield Select(ROLE_CHOICES, value=Role.ORGANIZER.value, allow_blank=False, id="acc-role")
            yield Prose(role_can(Role.ORGANIZER.value), id="acc-role-can", classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button("新增", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#acc-name", Input).focus()

    @on(Select.Changed, "#acc-role")
    def _role_changed(self, event: Select.Changed) -> None:
        self.query_one("#acc-role-can", Prose).update(role_can(event.value))

    def finish(self) -> None:
        values = {k: self.query_one(f"#acc-{k}", Input).value for k in ("name", "display", "pass", "pass2")}
        if values["pass"] != values["pass2"]:
            self.refuse("两次输入的密码不一致。")
            return
        self.submit(_add, self.actor, {"name": values["name"].strip(), "display_name": values["display"],
                                       "password": values["pass"],
                                       "role": str(self.query_one("#acc-role", Select).value)})


class NewPassword(Dialog[str | None]):
    """A new password for ``name``, typed twice; a refusal stays in the dialog."""

    def __init__(self, actor: Actor, name: str) -> None:
        super().__init__()
        self.actor = actor
        self._name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"重设账号 {self._name} 的密码", classes="dialog-title", markup=False)
            yield Input(password=True, placeholder="新密码（至少 8 个字符）", id="np-1")
            yield Input(password=True, placeholder="再输入一次", id="np-2")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button("确定", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#np-1", Input).focus()

    def finish(self) -> None:
        first, second = self.query_one("#np-1", Input).value, self.query_one("#np-2", Input).value
        if first != second:
            self.refuse("两次输入的密码不一致。")
            return
        self.submit(_reset, self.actor, self._name, first)


def _add(actor: Actor, fields: dict[str, str]) -> str:
    from pingyi.people.accounts import ROLE_NAMES, add_user

    add_user(actor, fields["name"], fields["role"], fields["password"], display_name=fields["display_name"])
    return f"已新增账号 {fields['name']}（{ROLE_NAMES[fields['role']]}）。"


def _toggle(actor: Actor, name: str, active: bool) -> str:
    from pingyi.people.accounts import set_active

    set_active(actor, name, active)
    return f"已{'启用' if active else '停用'}账号 {name}。"


def _reset(actor: Actor, name: str, password: str) -> str:
    from pingyi.people.accounts import set_password

    set_password(actor, name, password)
    return f"已重设账号 {name} 的密码。"


class AccountsScreen(MenuScreen):
    BINDINGS = [
        Binding("escape", "app.go('h')", "返回"),
        Binding("n", "add", "新增账号"),
        Binding("d", "switch", "停用/启用"),
        Binding("p", "password", "重设密码"),
        Binding("f5", "refresh", "刷新", show=False),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.accounts: list[Account] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel grow", id="accounts-panel"):
            yield LiteralTable(id="accounts", cursor_type="row", zebra_stripes=True)
        yield Static("n 新增账号  d 停用/启用  p 重设密码；停用的账号不能登录，记录保留。", classes="hint",
                     markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#accounts-panel").border_title = "账号"
        table = self.query_one("#accounts", DataTable)
        for label, key, width in (("账号", "name", 16), ("姓名", "display", 10), ("角色", "role", 8),
                                  ("状态", "state", 6), ("密码错误", "fails", 8)):
            table.add_column(label, key=key, width=width)
        self.action_refresh()
        table.focus()

    def action_refresh(self) -> None:
        from pingyi.people.accounts import list_accounts

        request(self, AccountsLoaded, list_accounts)

    @on(AccountsLoaded)
    def show(self, event: AccountsLoaded) -> None:
        table = self.query_one("#accounts", DataTable)
        row = table.cursor_row
        table.clear()
        self.accounts = list(event.result)
        for a in self.accounts:
            table.add_row(a.name, a.display_name, a.role_name, "启用" if a.active else "停用",
                          str(a.failed_logins or ""), key=a.name)
        if self.accounts:
            table.move_cursor(row=min(row, len(self.accounts) - 1))

    @on(AccountChanged)
    def changed(self, event: AccountChanged) -> None:
        self.app.notify(event.result)
        self.action_refresh()

    def _selected(self) -> Account | None:
        table = self.query_one("#accounts", DataTable)
        if not self.accounts or not table.row_count:
            return None
        return self.accounts[table.cursor_row]

    def done(self, message: str | None) -> None:
        if message:
            self.app.notify(message)
            self.action_refresh()

    def action_add(self) -> None:
        self.app.push_screen(AddAccount(self.actor), self.done)

    def action_switch(self) -> None:
        from pingyi.screens.dialogs import Confirm

        a = self._selected()
        if a is None:
            return
        verb = "启用" if not a.active else "停用"

        def confirmed(ok: bool | None) -> None:
            if ok:
                request(self, AccountChanged, _toggle, self.actor, a.name, not a.active)

        self.app.push_screen(Confirm(f"{verb}账号 {a.name}", f"{a.display_name or a.name}（{a.role_name}）"
                                     + ("\n停用后不能登录；记录保留，可随时重新启用。" if a.active else ""),
                                     ok=verb, danger=a.active), confirmed)

    def action_password(self) -> None:
        a = self._selected()
        if a is None:
            return

        self.app.push_screen(NewPassword(self.actor, a.name), self.done)
