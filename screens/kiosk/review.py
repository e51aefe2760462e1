"""The review of exactly what will be submitted; submits off the UI thread."""
from __future__ import annotations

from pingyi.screens.kiosk.ballot import cell_text, person_cells
from pingyi.screens.kiosk.messages import BackToPrompt, Submitted
from pingyi.screens.work import Failed, error_text, request
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Static

from pingyi.voting.draft import Draft, ballot_status, points


class ReviewScreen(Screen[str | None]):
    """Shows exactly the mapping that will be submitted; submits it off the UI thread.

    Dismissed with None (back to editing) or with the service's refusal of an entry."""

    BINDINGS = [Binding("escape", "back", show=False)]

    def __init__(self, ballot: Draft, *, room_id: str) -> None:
        super().__init__()
        self.ballot = ballot
        self.room_id = room_id
        self.entries = ballot.entries()  # the very object handed to submit
        self._sending = False

    @property
    def sending(self) -> bool:
        """The submit is under way: the idle check leaves the screen alone."""
        return self._sending

    def compose(self) -> ComposeResult:
        spec = self.ballot.spec
        rated = sum(1 for v in self.entries.values() if v is not None)
        _, words = ballot_status(spec, self.ballot)
        yield Static(f"请核对：评分 {rated} 人，弃权 {len(self.entries) - rated} 人。{words}", id="review-title",
                     markup=False)
        yield DataTable(id="review-grid", cursor_type="row", zebra_stripes=True)
        yield Static("提交后不能修改。确认无误请按「确认提交」；需要修改请按「返回修改」或 Esc。", id="review-msg",
                     markup=False)
        with Horizontal(id="review-buttons"):
            yield Button("返回修改", id="back")
            yield Button("确认提交", id="submit", variant="success")

    def on_mount(self) -> None:
        spec = self.ballot.spec
        table = self.query_one("#review-grid", DataTable)
        table.add_column("序号")
        table.add_column("姓名")
        table.add_column("单位·职务")
        for ind in spec.indicators:
            table.add_column(Text(ind.name))
        table.add_column("合计")
        parser = self.ballot.parser
        for n, p in enumerate(self.ballot.persons, 1):
            values = self.entries[p.code]
            head = person_cells(n, p)
            if values is None:
                cells = [Text("弃权", style="dim")] * len(spec.indicators) + [Text("")]
            else:
                vals = [parser.value(i, v) for i, v in enumerate(values)]
                cells = [cell_text(spec, parser, i, v) for i, v in enumerate(values)]
                cells.append(Text(points(sum(v for v in vals if v is not None)), justify="right"))
            table.add_row(*head, *cells)
        table.focus()

    def action_back(self) -> None:
        if not self._sending:
            self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "back":
            self.action_back()
        elif event.button.id == "submit" and not self._sending:
            self._send()

    def _send(self) -> None:
        from pingyi.voting.ballots import submit

        self._sending = True
        for b in self.query(Button):
            b.disabled = True
        self._say("正在提交，请稍候…", "info")
        # Submitted is not handled here: it bubbles up to the app, which shows 已提交.
        request(self, Submitted, submit, self.room_id, self.ballot.code, self.entries)

    def _say(self, message: str, kind: str) -> None:
        msg = self.query_one("#review-msg", Static)
        msg.update(message)
        msg.set_classes(kind)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        from pingyi.common.errors import InputError
        from pingyi.voting.ballots import CodeRefused

        event.stop()
        exc = event.error
        self._sending = False
        if isinstance(exc, CodeRefused):
            self.post_message(BackToPrompt(f"未提交：{exc.message}"))
            return
        if isinstance(exc, InputError) and exc.errors:
            self.dismiss(f"未提交：{error_text(exc)}")
            return
        for b in self.query(Button):
            b.disabled = False
        self._say(f"提交失败，选票没有记录，请再按「确认提交」重试。\n{error_text(exc)}", "error")
