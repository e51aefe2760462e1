"""The organizer unlock that ends the kiosk."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pingyi.screens.work import Done, Failed, error_text, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pingyi.voting.throttle import Throttle

if TYPE_CHECKING:  # a string in a base class: checked by mypy, not imported at run time
    from pingyi.people.accounts import Actor  # noqa: F401


class Authenticated(Done["Actor"]):
    """The account and password are right; whether it may unlock is checked here."""


class UnlockScreen(ModalScreen["Actor | None"]):
    """Organizer unlock: an account password ends the kiosk."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, throttle: Throttle) -> None:
        super().__init__()
        self.throttle = throttle  # the kiosk's, kept across unlock attempts

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock-panel"):
            yield Label("会务人员解锁（退出投票终端）")
            yield Input(placeholder="账号", id="unlock-user")
            yield Input(placeholder="密码", password=True, id="unlock-password")
            yield Static("回车确认，Esc 返回投票。", id="unlock-msg", markup=False)

    def on_mount(self) -> None:
        self.query_one("#unlock-user", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from pingyi.people.accounts import authenticate

        event.stop()
        if event.input.id == "unlock-user":
            self.query_one("#unlock-password", Input).focus()
            return
        throttle = self.throttle
        if throttle.remaining() > 0:
            self._say(f"请等待 {int(throttle.remaining()) + 1} 秒后再试。")
            return
        name = self.query_one("#unlock-user", Input).value.strip()
        password = event.value
        event.input.value = ""
        request(self, Authenticated, authenticate, name, password)

    def _say(self, text: str) -> None:
        self.query_one("#unlock-msg", Static).update(text)

    @on(Authenticated)
    def _signed_in(self, event: Authenticated) -> None:
        actor = event.result
        if not actor.can("organizer"):
            self._say(f"账号 {actor.name} 不是会务人员账号，不能解锁。")
            return
        self.throttle.accepted()
        self.dismiss(actor)

    @on(Failed)
    def _refused(self, event: Failed) -> None:
        event.stop()
        self.throttle.refused()
        self._say(error_text(event.error))
