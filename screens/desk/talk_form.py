"""The integrity-talk form."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pingyi.screens.dialogs import Dialog
from pingyi.screens.text import Prose
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    Static,
)

if TYPE_CHECKING:
    from pingyi.desk.talks import TalkInfo


class TalkForm(Dialog[dict[str, Any] | None]):
    """Record a held 廉政谈话; dismisses with the keyword arguments of ``talks.record`` (after actor and id)."""

    def __init__(self, talk: TalkInfo, today: str) -> None:
        super().__init__()
        self.talk, self.today = talk, today

    def compose(self) -> ComposeResult:
        t = self.talk
        with VerticalScroll(classes="dialog desk-form", id="talk-form"):
            yield Static(f"廉政谈话：{t.name}（{t.unit}） {t.year}年", classes="dialog-title", markup=False)
            yield Prose(t.reason, classes="hint")
            with Horizontal(classes="form-row"):
                yield Label("谈话日期")
                yield Input(self.today, id="t-date", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("时间")
                yield Input(placeholder="如：09:30", id="t-time", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("地点")
                yield Input(placeholder="如：县纪委谈话室", id="t-place", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("谈话人")
                yield Input(placeholder="如：纪委书记某某", id="t-by", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("记录人")
                yield Input(placeholder="默认为本账号", id="t-recorder", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("谈话内容")
                yield Input(id="t-notes", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("本人表态")
                yield Input(id="t-statement", compact=True)
            yield Checkbox("已收到廉政承诺书", id="t-pledge")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button("记录", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#t-by", Input).focus()

    def finish(self) -> None:
        def value(wid: str) -> str:
            return self.query_one(f"#{wid}", Input).value

        self.dismiss({"date": value("t-date").strip() or None, "talked_by": value("t-by"),
                      "notes": value("t-notes"), "pledge": self.query_one("#t-pledge", Checkbox).value,
                      "time": value("t-time").strip() or None, "place": value("t-place"),
                      "recorder": value("t-recorder"), "statement": value("t-statement")})
