"""Warning proposals from every source, listed for review (DESIGN §7, §8)."""
from __future__ import annotations

from dataclasses import dataclass

from db import models as m
from db.connection import read


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

    def to_json(self) -> dict:
        return {"id": self.id, "source": self.source, "level": self.level, "target": self.target,
                "recipient": self.recipient, "reason": self.reason, "series": self.series,
                "round": self.round, "status": self.status}


def _info(p: m.Proposal) -> ProposalInfo:
    return ProposalInfo(p.id, p.source, p.level, p.target, p.target_kind, p.recipient, p.reason,
                        p.series, p.round, p.status, p.note)


@read
def list_proposals(status: str | None = "pending") -> list[ProposalInfo]:
    q = m.Proposal.select()
    if status:
        q = q.where(m.Proposal.status == status)
    return [_info(p) for p in q.order_by(m.Proposal.id)]
