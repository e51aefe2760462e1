"""What the desk shows, read in one worker call, and its PDF writers."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text

LEVEL_STYLE = {"blue": "bold dodger_blue1", "yellow": "bold yellow", "red": "bold red"}
LEVEL_WORDS = {"blue": "蓝色", "yellow": "黄色", "red": "红色"}
MEASURES = [("警示提醒", "remind"), ("诫勉纠错", "admonish"), ("责令整改", "rectify")]


def level_text(level: str | None) -> Text:
    return Text(LEVEL_WORDS[level], style=LEVEL_STYLE[level]) if level else Text("")


@dataclass(frozen=True)
class DeskData:
    """Everything the desk shows, read in one worker call."""
    year: int
    proposals: list
    alerts: list
    ledgers: list
    indexes: list
    talks: list
    counts: object


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
