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


def load_desk() -> DeskData:
    from pingyi import proposals
    from pingyi.desk import alerts, integrity, ledger, talks

    year = ledger.current_cycle()
    return DeskData(year, proposals.list_proposals("pending"), alerts.list_alerts(), ledger.show(None, year),
                    integrity.list_results(year), talks.list_talks(status="pending"), alerts.counts())


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
