"""The organizer unlock that ends the kiosk."""
from __future__ import annotations

from pingyi.screens.work import call
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class UnlockScreen(ModalScreen):
    """Organizer unlock: an account password ends the kiosk."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

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
        throttle = self.app.unlock_throttle
        if throttle.remaining() > 0:
            self._say(f"请等待 {int(throttle.remaining()) + 1} 秒后再试。")
            return
        name = self.query_one("#unlock-user", Input).value.strip()
        password = event.value
        event.input.value = ""
        call(self, authenticate, name, password, done=self._signed_in, failed=self._refused)

    def _say(self, text: str) -> None:
        self.query_one("#unlock-msg", Static).update(text)

    def _signed_in(self, actor) -> None:
        if not actor.can("organizer"):
            self._say(f"账号 {actor.name} 不是会务人员账号，不能解锁。")
            return
        self.app.unlock_throttle.accepted()
        self.dismiss(actor)

    def _refused(self, exc: BaseException) -> None:
        from pingyi.screens.work import error_text

        self.app.unlock_throttle.refused()
        self._say(error_text(exc))
