"""The kiosk app: nothing but the ballot flow."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from pingyi.screens.kiosk.ballot import IDLE_SECONDS, UNLOCK_KEY
from pingyi.screens.kiosk.code import CodeScreen
from pingyi.screens.kiosk.done import DoneScreen
from pingyi.screens.kiosk.messages import BackToPrompt, Submitted
from pingyi.screens.kiosk.rating import RatingScreen
from pingyi.screens.kiosk.review import ReviewScreen
from pingyi.screens.kiosk.unlock import UnlockScreen
from pingyi.screens.work import Failed, show_failure
from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from pingyi.voting.throttle import Throttle

if TYPE_CHECKING:
    from pingyi.people.accounts import Actor

# ---- the app --------------------------------------------------------------------

class KioskApp(App[None], inherit_bindings=False):
    """Nothing but the ballot flow: no inherited bindings, palette, footer or modes."""

    CSS_PATH = "kiosk.tcss"
    TITLE = "评议投票"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding(UNLOCK_KEY, "unlock", show=False, priority=True)]

    def __init__(self, room_id: str, *, throttle: Throttle | None = None,
                 idle_seconds: float = IDLE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.room_id = room_id
        self.throttle = throttle or Throttle()
        self.unlock_throttle = Throttle(free=3)
        self.idle_seconds = idle_seconds
        self._clock = clock  # injected by tests, which move time instead of waiting for it
        self._last_input = self._clock()

    def on_mount(self) -> None:
        self.set_interval(min(5.0, self.idle_seconds / 2), self._check_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self._last_input = self._clock()
        await super().on_event(event)

    def _check_idle(self) -> None:
        """An abandoned half-typed ballot is dropped (its code stays unused)."""
        screen = self.screen
        if isinstance(screen, ReviewScreen) and screen.sending:
            return
        if isinstance(screen, (RatingScreen, ReviewScreen)) and self._clock() - self._last_input > self.idle_seconds:
            self.back_to_prompt("长时间没有操作，未提交的选票已清除；票码仍可使用，请重新输入。", "info")

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        """A failure no screen handled."""
        show_failure(self, event)

    def get_default_screen(self) -> Screen[None]:
        return CodeScreen(self.room_id, self.throttle)

    @on(BackToPrompt)
    def _back_to_prompt(self, event: BackToPrompt) -> None:
        self.back_to_prompt(event.text, event.kind)

    @on(Submitted)
    def _submitted(self) -> None:
        self.submitted()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every toast is literal (DESIGN §11)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _code_screen(self) -> CodeScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, CodeScreen)
        return screen

    def back_to_prompt(self, message: str = "", kind: str = "error") -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._code_screen().say(message, kind)

    def submitted(self) -> None:
        """The commit has returned: only now say 已提交."""
        self.back_to_prompt("")
        self.push_screen(DoneScreen())

    async def action_unlock(self) -> None:
        if isinstance(self.screen, UnlockScreen):
            return
        self.push_screen(UnlockScreen(self.unlock_throttle), self._unlocked)

    def _unlocked(self, actor: Actor | None) -> None:
        if actor is not None:
            self.exit()

    # Nothing else leads anywhere: neutralise the actions Textual offers by name.
    async def action_quit(self) -> None:
        return

    def action_command_palette(self) -> None:
        return

    def action_suspend_process(self) -> None:
        return

    def action_help_quit(self) -> None:
        return
