"""What the desk shows, read in one worker call, and its PDF writers."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from pingyi.common.vocab import Level, Measure

if TYPE_CHECKING:  # services load the database layer: not imported before the first paint
    from pingyi.desk.alerts import AlertInfo, DeskCounts
    from pingyi.desk.integrity import IndexInfo
    from pingyi.desk.ledger import TargetLedger
    from pingyi.desk.talks import TalkInfo
    from pingyi.desk.targets import Target
    from pingyi.proposals import ProposalInfo

LEVEL_STYLE: dict[str, str] = {Level.BLUE: "bold dodger_blue1", Level.YELLOW: "bold yellow", Level.RED: "bold red"}
MEASURES = [(m.label, m.value) for m in Measure]          # (label, code) for a Select


def level_text(level: str | None) -> Text:
    """A level in its word and colour; none: empty."""
    return Text(Level.label_of(level), style=LEVEL_STYLE.get(level, "")) if level else Text("")


@dataclass(frozen=True)
class DeskData:
    """Everything the desk shows, read in one worker call."""
    year: int
    proposals: list[ProposalInfo]
    alerts: list[AlertInfo]
    ledgers: list[TargetLedger]
    indexes: list[IndexInfo]
    talks: list[TalkInfo]
    counts: DeskCounts
    targets: dict[tuple[str, str], Target]     # (kind, key) -> who it is, for every row above

    def who(self, kind: str, key: str) -> str:
        """A target as the tables name it: the name (the code added only when two persons share it)."""
        t = self.targets.get((kind, key))
        return t.short if t is not None else key

    def who_in_unit(self, kind: str, key: str) -> str:
        """A target with its unit, for a form: 「王伟（财政局）」."""
        t = self.targets.get((kind, key))
        if t is None:
            return key
        return f"{t.short}（{t.unit}）" if t.unit else t.short


def load_desk() -> DeskData:
    from pingyi import proposals
    from pingyi.common.vocab import TargetKind
    from pingyi.desk import alerts, integrity, ledger, talks
    from pingyi.desk.targets import named

    year = ledger.current_cycle()
    props, warnings, ledgers = proposals.list_proposals("pending"), alerts.list_alerts(), ledger.show(None, year)
    indexes, due = integrity.list_results(year), talks.list_talks(status="pending")
    keys = {(p.target_kind, p.target) for p in props} | {(a.target_kind, a.target) for a in warnings}
    keys |= {(t.target_kind, t.target) for t in ledgers}
    keys |= {(TargetKind.PERSON.value, i.person) for i in indexes} | {(TargetKind.PERSON.value, t.person) for t in due}
    return DeskData(year, props, warnings, ledgers, indexes, due, alerts.counts(), named(keys))


def write_notice_pdf(wid: int, path: Path) -> tuple[Path, str | None]:
    """The notice PDF and the font notice to show (None when an embedded font was used)."""
    from pingyi.common.errors import InputError
    from pingyi.desk import alerts
    from pingyi.reports.base import font_notice
    from pingyi.reports.notice import write_notice

    if not path.parent.is_dir():
        raise InputError(f"目录不存在：{path.parent}")
    write_notice(path, alerts.get(wid))
    return path, font_notice()


def write_talk_pdf(tid: int, path: Path) -> tuple[Path, str | None]:
    """The talk record PDF and the font notice to show (None when an embedded font was used)."""
    from pingyi.common.errors import InputError
    from pingyi.desk import talks
    from pingyi.reports.base import font_notice
    from pingyi.reports.notice import write_talk

    if not path.parent.is_dir():
        raise InputError(f"目录不存在：{path.parent}")
    write_talk(path, talks.get(tid))
    return path, font_notice()
