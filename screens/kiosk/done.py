"""已提交: shown only after the ballot's transaction has committed."""
from __future__ import annotations

from pingyi.screens.kiosk.ballot import DONE_SECONDS
from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Label, Static


class DoneScreen(Screen[None]):
    """Shown only after the ballot's transaction has committed; any key or a few seconds move on."""

    def compose(self) -> ComposeResult:
        with Center(id="done-box"):
            with Vertical(id="done-panel"):
                yield Label("已提交", id="done-heading")
                yield Static("您的选票已记录，谢谢！\n下一位评议代表请按任意键开始。", id="done-text")

    def on_mount(self) -> None:
        self.set_timer(DONE_SECONDS, self.action_next)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.action_next()

    def action_next(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()
