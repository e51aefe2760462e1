"""The 12-point ledger (DESIGN §7): deductions per target and cycle, reversals,
levels, and the proposals a crossed level makes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pingyi import proposals
from pingyi.common import clock
from pingyi.common.errors import InputError, NotFound
from pingyi.common.limits import clean
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.desk import targets
from pingyi.desk.policy import DeskPolicy, in_force
from pingyi.people.accounts import Actor, require
from pingyi.records import audit
from pingyi.rules import ledger as rules
from pingyi.rules.numbers import tenths_str
from pingyi.voting.series import LEVEL_NAMES


def points_json(tenths: int) -> int | float:
    """Tenths as a JSON number: 40 → 4, 25 → 2.5."""
    return tenths // 10 if tenths % 10 == 0 else tenths / 10


@dataclass(frozen=True)
class DeductionInfo:
    id: int
    target_kind: str
    target: str
    cycle: int
    points: int            # tenths; negative for a reversal
    item: str
    reason: str
    source: str
    date: str
    reverses: int | None
    reversed_by: int | None
    entered_by: str
    policy_hash: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "target": self.target, "cycle": self.cycle, "points": points_json(self.points),
                "item": self.item or None, "reason": self.reason, "source": self.source, "date": self.date,
                "reverses": self.reverses, "reversed_by": self.reversed_by, "entered_by": self.entered_by}


@dataclass(frozen=True)
class TargetLedger:
    """One target's cycle: its total, level and what follows from it."""
    target_kind: str
    target: str
    name: str
    unit: str
    cycle: int
    points: int                  # tenths, net of reversals
    level: str | None
    excellent_eligible: bool
    entries: tuple[DeductionInfo, ...] = ()
    accountability: bool = False  # two or more warnings issued in the cycle (追责)

    @property
    def points_text(self) -> str:
        return tenths_str(self.points)

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level] + "预警" if self.level else ""

    def to_json(self) -> dict[str, Any]:
        return {"target": self.target, "kind": self.target_kind, "name": self.name, "unit": self.unit,
                "cycle": self.cycle, "points": points_json(self.points), "level": self.level,
                "excellent_eligible": self.excellent_eligible, "accountability": self.accountability,
                "entries": [e.to_json() for e in self.entries]}


@dataclass(frozen=True)
class DeductResult:
    entry: DeductionInfo
    total: TargetLedger
    proposal_level: str | None   # the level this entry crossed, when it made a proposal


def _infos(rows: list[m.Deduction]) -> list[DeductionInfo]:
    reversed_by = {r.reverses: r.id for r in rows if r.reverses is not None}
    return [DeductionInfo(r.id, r.target_kind, r.target, r.cycle, r.points, r.item, r.reason, r.source,
                          r.date, r.reverses, reversed_by.get(r.id), r.entered_by, r.policy_hash)
            for r in rows]


def _rows(target: str | None, cycle: int | None) -> list[m.Deduction]:
    q = m.Deduction.select()
    if target is not None:
        q = q.where(m.Deduction.target == target)
    if cycle is not None:
        q = q.where(m.Deduction.cycle == cycle)
    return list(q.order_by(m.Deduction.id))


def cycle_total(target: str, cycle: int) -> int:
    """Net tenths of a target in a cycle; call with a connection open."""
    return sum(r.points for r in _rows(target, cycle))


def _ledgers(pol: DeskPolicy, rows: list[m.Deduction], with_entries: bool) -> list[TargetLedger]:
    groups: dict[tuple[str, str, int], list[m.Deduction]] = {}
    for r in rows:
        groups.setdefault((r.target_kind, r.target, r.cycle), []).append(r)
    from pingyi.desk.alerts import flagged

    flags = {cycle: flagged(cycle) for cycle in {c for _, _, c in groups}}
    out = []
    for (kind, key, cycle), rs in sorted(groups.items(), key=lambda kv: (kv[0][2], kv[0][1])):
        t = targets.describe(kind, key)
        total = sum(r.points for r in rs)
        out.append(TargetLedger(kind, key, t.name, t.unit, cycle, total, rules.level_of(total, pol.levels),
                                rules.excellent_eligible(total, pol.excellent_bar),
                                tuple(_infos(rs)) if with_entries else (), key in flags[cycle]))
    return out


def _date(text: str | None, pol: DeskPolicy) -> dt.date:
    day = clock.parse_date(text, "扣分日期") if text else clock.today()
    if day > clock.today():
        raise InputError(f"扣分日期不能晚于今天：{day.isoformat()}")
    return day


def _propose(pol: DeskPolicy, t: targets.Target, cycle: int, level: str, total: int) -> bool:
    reason = (f"{targets.in_words(t)}在{cycle}年度周期内累计扣分 {tenths_str(total)} 分，"
              f"达到{LEVEL_NAMES[level]}预警线（{tenths_str(pol.levels.threshold(level))} 分）")
    return proposals.propose("ledger", level, t.kind, t.key, t.recipient, reason,
                             f"ledger:{cycle}:{t.kind}:{t.key}:{level}")


@write
def deduct(actor: Actor, target: str, points: str, reason: str, source: str = "",
           date: str | None = None) -> DeductResult:
    """Enter a deduction; ``points`` is a number (tenths allowed) or a preset item of the policy."""
    require(actor, "commission")
    reason = clean(reason, "reason", "事由", param="reason")
    source = clean(source, "source", "来源", param="source")
    pol = in_force()
    t = targets.resolve(target)
    text = str(points).strip()
    item = text if text in pol.points else ""
    if item:
        tenths = pol.points[item]
    else:
        try:
            tenths = rules.check_points(text)
        except ValueError as exc:
            raise InputError(f"{exc}（或用扣分标准名称：{'、'.join(pol.points)}）") from None
    if not (reason or "").strip():
        raise InputError("扣分须写明事由。", fields=("reason",))
    day = _date(date, pol)
    cycle = rules.cycle_of(day, pol.cycle_start)
    before = cycle_total(t.key, cycle)
    row = m.Deduction.create(
        target_kind=t.kind, target=t.key, cycle=cycle, points=tenths, item=item, reason=reason.strip(),
        source=(source or "").strip(), date=day.isoformat(), policy_hash=pol.hash, entered_by=actor.name,
        created_at=clock.now())
    after = before + tenths
    audit.append(actor.name, "ledger.deduct", touched=[(m.Deduction, row.id)], id=row.id, target=t.key,
                 cycle=cycle, points=tenths_str(tenths), item=item, reason=reason.strip(), source=row.source,
                 date=row.date)
    level = rules.crossed(before, after, pol.levels)
    made = level is not None and _propose(pol, t, cycle, level, after)
    if made:
        audit.append("system", "proposal.ledger", target=t.key, cycle=cycle, level=level)
    total = _ledgers(pol, _rows(t.key, cycle), False)[0]
    return DeductResult(_infos([row])[0], total, level if made else None)


@write
def reverse(actor: Actor, entry_id: int, reason: str) -> DeductionInfo:
    """Correct a deduction by a reversing entry (the original is never edited)."""
    require(actor, "commission")
    reason = clean(reason, "reason", "理由", param="reason")
    if not reason:
        raise InputError("冲销须写明理由。", fields=("reason",))
    orig = m.Deduction.get_or_none(m.Deduction.id == entry_id)
    if orig is None:
        raise NotFound(f"没有这条扣分记录：{entry_id}")
    rows = _rows(orig.target, orig.cycle)
    why = rules.reversal_refusal(rules.Entry(orig.id, orig.points, orig.reverses),
                                 [rules.Entry(r.id, r.points, r.reverses) for r in rows])
    if why:
        raise InputError(why)
    pol = in_force()
    row = m.Deduction.create(
        target_kind=orig.target_kind, target=orig.target, cycle=orig.cycle, points=-orig.points,
        item=orig.item, reason=reason.strip(), source=orig.source, date=clock.today().isoformat(),
        reverses=orig.id, policy_hash=pol.hash, entered_by=actor.name, created_at=clock.now())
    audit.append(actor.name, "ledger.reverse", touched=[(m.Deduction, row.id)], id=row.id, reverses=orig.id,
                 target=orig.target, cycle=orig.cycle, points=tenths_str(orig.points), reason=reason.strip())
    return _infos([row])[0]


@read
def entries(target: str | None = None, year: int | None = None) -> list[DeductionInfo]:
    key = targets.resolve(target).key if target else None
    return _infos(_rows(key, year))


@read
def show(target: str | None = None, year: int | None = None) -> list[TargetLedger]:
    """Per target and cycle: total, level, eligibility and (for one target) the entries."""
    pol = in_force()
    key = targets.resolve(target).key if target else None
    if year is None and key is None:
        year = rules.cycle_of(clock.today(), pol.cycle_start)
    return _ledgers(pol, _rows(key, year), with_entries=key is not None)


@read
def year_summary(year: int) -> list[TargetLedger]:
    """Every target with entries in the cycle starting in ``year`` (for the year-end export)."""
    return _ledgers(in_force(), _rows(None, year), with_entries=True)


@read
def current_cycle() -> int:
    return rules.cycle_of(clock.today(), in_force().cycle_start)
