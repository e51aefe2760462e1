"""The integrity-talk form."""
from __future__ import annotations

from pingyi.screens.dialogs import Dialog
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    Static,
)


class TalkForm(Dialog[dict | None]):
    """Record a held 廉政谈话."""

    def __init__(self, talk, today: str):
        super().__init__()
        self.talk, self.today = talk, today

    def compose(self) -> ComposeResult:
        t = self.talk
        with VerticalScroll(classes="dialog desk-form", id="talk-form"):
            yield Static(f"廉政谈话：{t.name}（{t.unit}） {t.year}年", classes="dialog-title", markup=False)
            yield Static(t.reason, classes="hint", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("谈话日期")
                yield Input(self.today, id="t-date", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("谈话人")
                yield Input(placeholder="如：纪委书记某某", id="t-by", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("谈话要点")
                yield Input(id="t-notes", compact=True)
            yield Checkbox("已收到廉政承诺书", id="t-pledge")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button("记录", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#t-by", Input).focus()

    def finish(self) -> None:
        self.dismiss(dict(date=self.query_one("#t-date", Input).value.strip() or None,
                          talked_by=self.query_one("#t-by", Input).value,
                          notes=self.query_one("#t-notes", Input).value,
                          pledge=self.query_one("#t-pledge", Checkbox).value))
