"""The code prompt: the resting state of the terminal."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pingyi.screens.kiosk.ballot import _load_room
from pingyi.screens.kiosk.rating import RatingScreen
from pingyi.screens.work import Done, Failed, error_text, request
from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from pingyi.common.vocab import RoomStatus
from pingyi.voting.draft import Draft
from pingyi.voting.throttle import Throttle

if TYPE_CHECKING:
    from pingyi.voting.rooms import RoomInfo


class RoomLoaded(Done[tuple[Any, list[Any]]]):
    """The room and its rated persons (frozen while it is open)."""


class CodeAccepted(Done[str]):
    """The typed code is unused: its group."""


class CodeScreen(Screen[None]):
    """The resting state of the terminal: waiting for a ballot code."""

    _last_refusal = ""

    def __init__(self, room_id: str, throttle: Throttle) -> None:
        super().__init__()
        self.room_id = room_id
        self.throttle = throttle   # the terminal's: wrong codes slow it down
        self.room: RoomInfo | None = None
        self.persons: list[Any] = []
        self._typed = ""

    def compose(self) -> ComposeResult:
        with Center(id="code-box"):
            with Vertical(id="code-panel"):
                yield Label("评议投票", id="code-heading")
                yield Static("正在载入会场…", id="room-title", markup=False)
                yield Static("请输入票码条上的票码（10位字母和数字，\n不分大小写，短横线可不输入），然后按回车。",
                             id="code-help")
                yield Input(placeholder="XXXXX-XXXXX", id="code", max_length=13,
                            restrict=r"[A-Za-z0-9 \-]*", disabled=True)
                yield Static("", id="code-msg", markup=False)

    def on_mount(self) -> None:
        self._tick = self.set_interval(0.5, self._refresh_wait, pause=True)
        request(self, RoomLoaded, _load_room, self.room_id)

    @on(RoomLoaded)
    def _loaded(self, event: RoomLoaded) -> None:
        """The room is loaded (once: its persons are frozen while it is open): accept codes."""
        self.room, self.persons = room, persons = event.result
        self.app.title = f"评议投票 · {room.title}"
        title = f"{room.title}（会场 {room.id}，{len(persons)} 人参评）"
        self.query_one("#room-title", Static).update(title)
        self._enable()
        if room.status != RoomStatus.OPEN:
            self.say({RoomStatus.DRAFT: "会场尚未开启，暂不能投票。",
                      RoomStatus.CLOSED: "会场已结束，不能再投票。"}[room.status])

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        event.stop()
        if event.call is RoomLoaded:
            self.say(f"无法载入会场 {self.room_id}：{error_text(event.error)}\n请联系会务人员。")
        else:
            self._refused(event.error)

    def say(self, message: str, kind: str = "error") -> None:
        msg = self.query_one("#code-msg", Static)
        msg.update(message)
        msg.set_classes(kind)

    def _enable(self) -> None:
        box = self.query_one("#code", Input)
        if self.throttle.remaining() > 0:
            box.disabled = True
            self._tick.resume()
            self._refresh_wait()
            return
        box.disabled = False
        box.focus()

    def _refresh_wait(self) -> None:
        left = self.throttle.remaining()
        if left <= 0:
            self._tick.pause()
            self.say(self._last_refusal, "error")
            self._enable()
            return
        self.say(f"{self._last_refusal}\n票码错误次数较多，请等待 {int(left) + 1} 秒后再输入。", "error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from pingyi.voting.ballots import check_code

        typed = event.value.strip()
        if not typed or self.room is None:
            return
        if self.throttle.remaining() > 0:  # e.g. another session from the same browser address
            self._enable()
            return
        box = self.query_one("#code", Input)
        box.disabled = True
        self.say("正在核对票码…", "info")
        self._typed = typed
        request(self, CodeAccepted, check_code, self.room.id, typed)

    @on(CodeAccepted)
    def _code_accepted(self, event: CodeAccepted) -> None:
        self._accepted(self._typed, event.result)

    def _accepted(self, code: str, group: str) -> None:
        assert self.room is not None
        self.throttle.accepted()
        self._last_refusal = ""
        box = self.query_one("#code", Input)
        box.value = ""
        self.say("")
        box.disabled = False
        draft = Draft(code, group, self.persons, self.room.spec)
        self.app.push_screen(RatingScreen(draft, room_id=self.room.id, room_title=self.room.title))

    def _refused(self, exc: BaseException) -> None:
        from pingyi.voting.ballots import CodeRefused

        box = self.query_one("#code", Input)
        box.value = ""
        if isinstance(exc, CodeRefused):
            self.throttle.refused()
            self._last_refusal = exc.message
        else:
            self._last_refusal = error_text(exc)
        self.say(self._last_refusal)
        self._enable()
