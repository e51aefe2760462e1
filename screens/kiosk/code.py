"""The code prompt: the resting state of the terminal."""
from __future__ import annotations

from pingyi.screens.kiosk.ballot import _load_room
from pingyi.screens.kiosk.rating import RatingScreen
from pingyi.screens.work import call
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from pingyi.common.vocab import RoomStatus
from pingyi.voting.draft import Draft


class CodeScreen(Screen):
    """The resting state of the terminal: waiting for a ballot code."""

    _last_refusal = ""

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
        call(self, _load_room, self.app.room_id, done=self._loaded, failed=self._load_failed, group="load")

    def _loaded(self, loaded) -> None:
        """The room is loaded (once: its persons are frozen while it is open): accept codes."""
        app = self.app
        app.room, app.persons = loaded
        app.title = f"评议投票 · {app.room.title}"
        title = f"{app.room.title}（会场 {app.room.id}，{len(app.persons)} 人参评）"
        self.query_one("#room-title", Static).update(title)
        self._enable()
        if app.room.status != RoomStatus.OPEN:
            self.say({"draft": "会场尚未开启，暂不能投票。", "closed": "会场已结束，不能再投票。"}[app.room.status])

    def _load_failed(self, exc: BaseException) -> None:
        from pingyi.screens.work import error_text

        self.say(f"无法载入会场 {self.app.room_id}：{error_text(exc)}\n请联系会务人员。")

    def say(self, message: str, kind: str = "error") -> None:
        msg = self.query_one("#code-msg", Static)
        msg.update(message)
        msg.set_classes(kind)

    def _enable(self) -> None:
        box = self.query_one("#code", Input)
        if self.app.throttle.remaining() > 0:
            box.disabled = True
            self._tick.resume()
            self._refresh_wait()
            return
        box.disabled = False
        box.focus()

    def _refresh_wait(self) -> None:
        left = self.app.throttle.remaining()
        if left <= 0:
            self._tick.pause()
            self.say(self._last_refusal, "error")
            self._enable()
            return
        self.say(f"{self._last_refusal}\n票码错误次数较多，请等待 {int(left) + 1} 秒后再输入。", "error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from pingyi.voting.ballots import check_code

        typed = event.value.strip()
        if not typed or self.app.room is None:
            return
        if self.app.throttle.remaining() > 0:  # e.g. another session from the same browser address
            self._enable()
            return
        box = self.query_one("#code", Input)
        box.disabled = True
        self.say("正在核对票码…", "info")
        call(self, check_code, self.app.room.id, typed,
             done=lambda group: self._accepted(typed, group), failed=self._refused)

    def _accepted(self, code: str, group: str) -> None:
        self.app.throttle.accepted()
        self._last_refusal = ""
        box = self.query_one("#code", Input)
        box.value = ""
        self.say("")
        box.disabled = False
        self.app.push_screen(RatingScreen(Draft(code, group, self.app.persons, self.app.room.spec)))

    def _refused(self, exc: BaseException) -> None:
        from pingyi.screens.work import error_text

        from pingyi.voting.ballots import CodeRefused

        box = self.query_one("#code", Input)
        box.value = ""
        if isinstance(exc, CodeRefused):
            self.app.throttle.refused()
            self._last_refusal = exc.message
        else:
            self._last_refusal = error_text(exc)
        self.say(self._last_refusal)
        self._enable()
