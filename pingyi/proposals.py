"""Warning proposals from every source, listed for review (DESIGN §7, §8).

Sources: ``streak`` (pingyi.series), ``ledger`` (a level crossed),
``integrity`` (index below threshold), ``overdue`` (rectification past its
deadline, one level up), ``yellow_twice`` (two yellows in a cycle → red).
Each is stored once (a ``dedupe`` key per source, target and occasion) and
reviewed: dismissed with a reason, or drafted into a warning.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pingyi.common import clock
from pingyi.common.errors import InputError, NotFound
from pingyi.common.limits import clean
from pingyi.common.vocab import ProposalSource, ProposalStatus
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.people.accounts import Actor, require
from pingyi.records import audit

SOURCE_NAMES = ProposalSource.labels()
STATUS_NAMES = ProposalStatus.labels()


@dataclass(frozen=True)
class ProposalInfo:
    id: int
    source: str
    level: str
    target: str
    target_kind: str
    recipient: str
    reason: str
    series: str | None
    round: int | None
    status: str
    note: str = ""
    created_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "level": self.level, "target": self.target,
                "recipient": self.recipient, "reason": self.reason, "series": self.series,
                "round": self.round}


def _info(p: m.Proposal) -> ProposalInfo:
    return ProposalInfo(p.id, p.source, p.level, p.target, p.target_kind, p.recipient, p.reason,
                        p.series, p.round, p.status, p.note, p.created_at)


def propose(source: str, level: str, target_kind: str, target: str, recipient: str, reason: str,
            dedupe: str, series: str | None = None, round: int | None = None) -> bool:
    """Store a proposal unless its occasion already made one; call inside a write."""
    if m.Proposal.select().where(m.Proposal.dedupe == dedupe).exists():
        return False
    m.Proposal.insert(
        source=source, level=level, target_kind=target_kind, target=target, recipient=recipient,
        reason=reason, series=series, round=round, dedupe=dedupe, created_at=clock.now(),
    ).on_conflict_ignore().execute()
    return True


@read
def list_proposals(status: str | None = "pending") -> list[ProposalInfo]:
    q = m.Proposal.select()
    if status:
        q = q.where(m.Proposal.status == status)
    return [_info(p) for p in q.order_by(m.Proposal.id)]


@read
def get(pid: int) -> ProposalInfo:
    return _info(row(pid))


def row(pid: int) -> m.Proposal:
    p = m.Proposal.get_or_none(m.Proposal.id == pid)
    if p is None:
        raise NotFound(f"没有这条预警建议：{pid}")
    return p


def pending_row(pid: int) -> m.Proposal:
    """The proposal, refused unless it still waits for review."""
    p = row(pid)
    if p.status != ProposalStatus.PENDING:
        raise InputError(f"预警建议 {pid} 已处理（{STATUS_NAMES.get(p.status, p.status)}），不能再处理。")
    return p


@write
def dismiss(actor: Actor, pid: int, reason: str) -> ProposalInfo:
    """Decide not to warn; the reason is kept and audited."""
    require(actor, "commission")
    reason = clean(reason, "reason", "理由", param="reason")
    if not reason:
        raise InputError("不予预警须写明理由。", fields=("reason",))
    p = pending_row(pid)
    n = m.Proposal.update(status="dismissed", note=reason.strip()).where(
        (m.Proposal.id == pid) & (m.Proposal.status == ProposalStatus.PENDING)).execute()
    if n != 1:
        raise InputError(f"预警建议 {pid} 已被他人处理。")
    audit.append(actor.name, "proposal.dismiss", proposal=pid, source=p.source, target=p.target,
                 reason=reason.strip())
    return _info(row(pid))
