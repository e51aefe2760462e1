"""The draft-warning form."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pingyi.screens.desk.data import MEASURES
from pingyi.screens.desk.forms import TargetField
from pingyi.screens.dialogs import Dialog
from pingyi.screens.text import Prose
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
)

from pingyi.common.vocab import Level

if TYPE_CHECKING:
    from pingyi.desk.alerts import AlertInfo  # noqa: F401 - a string in the base class
    from pingyi.people.accounts import Actor
    from pingyi.proposals import ProposalInfo


def _default_measure(level: str) -> str:
    """The measure a level suggests (rules.alerts.DEFAULT_MEASURE), as the Select's value."""
    from pingyi.rules.alerts import DEFAULT_MEASURE

    return str(DEFAULT_MEASURE[level])


class DraftForm(Dialog["AlertInfo | None"]):
    """The draft form: from a proposal (target fixed) or by hand; drafts and returns the warning."""

    def __init__(self, actor: Actor, proposal: ProposalInfo | None = None, default_deadline: str = "",
                 target_shown: str = "") -> None:
        """``target_shown``: the proposal's target in words (its code when not given)."""
        super().__init__()
        self.target_shown = target_shown
        self.actor = actor
        self.proposal = proposal
        self.default_deadline = default_deadline

    def compose(self) -> ComposeResult:
        from pingyi.rules.alerts import FORMS

        p = self.proposal
        level = p.level if p else Level.BLUE.value
        with Vertical(classes="dialog desk-form", id="draft-form"):
            yield Static(f"由预警建议 {p.id} 起草" if p else "手工起草预警", classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                if p:
                    yield Prose(p.reason, id="draft-reason-shown", classes="hint")
                if p:
                    with Horizontal(classes="form-row"):
                        yield Label("对象")
                        yield Static(self.target_shown or p.target, id="d-target", markup=False)
                else:
                    yield TargetField("对象")
                with Horizontal(classes="form-row"):
                    yield Label("等级")
                    yield Select([(f"{x.label}预警", x.value) for x in Level], value=level,
                                 allow_blank=False, id="d-level", compact=True)
                with Horizontal(classes="form-row"):
                    yield Label("措施")
                    yield Select(MEASURES, value=_default_measure(level), allow_blank=False, id="d-measure",
                                 compact=True)
                with Horizontal(classes="form-row"):
                    yield Label("送达对象")
                    yield Input(p.recipient if p else "", placeholder="默认：分管领导", id="d-recipient", compact=True)
                with Horizontal(classes="form-row"):
                    yield Label("事实与理由")
                    yield Input("", placeholder="可留空：沿用建议的事由" if p else "必填：查明的事实与理由",
                                id="d-facts", compact=True)
                with Horizontal(classes="form-row"):
                    yield Label("整改期限")
                    yield Input(self.default_deadline, placeholder="YYYY-MM-DD；留空则不设期限", id="d-deadline",
                                compact=True)
                yield Label("送达方式")
                default_form = "整改通知书" if level == Level.RED else "预警通知书"
                yield SelectionList(*[(f, f, f == default_form) for f in FORMS], id="d-forms")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button("起草", id="ok", variant="primary")

    def on_select_changed(self, event: Select.Changed) -> None:
        from pingyi.rules.alerts import DEFAULT_MEASURE

        if event.select.id == "d-level" and isinstance(event.value, str) and event.value in DEFAULT_MEASURE:
            self.query_one("#d-measure", Select).value = _default_measure(event.value)

    def finish(self) -> None:
        def value(wid: str) -> str:
            return self.query_one(wid, Input).value.strip()

        fields: dict[str, Any] = dict(level=self.query_one("#d-level", Select).value,
                      measure=self.query_one("#d-measure", Select).value,
                      recipient=value("#d-recipient") or None, reason=value("#d-facts") or None,
                      deadline=value("#d-deadline") or None,
                      forms=list(self.query_one("#d-forms", SelectionList).selected))
        if self.proposal:
            fields["proposal"] = self.proposal.id
        else:
            fields["target"] = self.query_one(TargetField).value
        from pingyi.desk import alerts

        self.submit(alerts.draft, self.actor, **fields)
