"""Warnings (预警, DESIGN §7): draft, approve by a second person (1+X), numbered
notice, rectification feedback, verification, overdue escalation, 追责 flags.

Stored statuses are draft → issued → rectified → closed; ``overdue`` is what an
issued warning shows once today is past its deadline (pingyi.clock.today).
An issued warning is never edited; everything after issue is a new record.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pingyi import proposals
from pingyi.common import clock
from pingyi.common.errors import AuthError, InputError, NotFound
from pingyi.common.limits import clean, clean_optional
from pingyi.common.vocab import AlertStatus, FeedbackOutcome, Level, Measure, ProposalStatus, TalkStatus
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.desk import targets
from pingyi.desk.policy import in_force
from pingyi.people.accounts import Actor, require
from pingyi.records import audit
from pingyi.rules import alerts as rules
from pingyi.rules.ledger import LEVELS, cycle_of
from pingyi.voting.series import LEVEL_NAMES

MEASURES = rules.MEASURES
FORMS = rules.FORMS
STATUS_NAMES = rules.STATUS_NAMES


@dataclass(frozen=True)
class FeedbackInfo:
    id: int
    text: str
    date: str
    entered_by: str
    outcome: str          # a FeedbackOutcome
    judged_by: str | None
    note: str

    @property
    def outcome_name(self) -> str:
        return FeedbackOutcome.label_of(self.outcome)


@dataclass(frozen=True)
class AlertInfo:
    id: int
    number: str | None
    level: str
    target_kind: str
    target: str
    target_name: str
    target_unit: str
    recipient: str
    measure: str
    forms: tuple[str, ...]
    facts: str
    deadline: str | None
    status: str           # as users see it today: draft | issued | rectified | overdue | closed
    cycle: int | None
    drafted_by: str
    drafted_at: str
    approved_by: str | None
    approved_at: str | None
    issued_on: str | None
    proposal: int | None
    feedback: tuple[FeedbackInfo, ...] = ()
    accountability: bool = False
    organ: str = ""

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level] + "预警"

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def measure_name(self) -> str:
        return MEASURES[self.measure]

    @property
    def pending_feedback(self) -> FeedbackInfo | None:
        return self.feedback[-1] if self.feedback and self.feedback[-1].outcome == FeedbackOutcome.PENDING else None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "level": self.level, "target": self.target,
                "recipient": self.recipient, "status": self.status, "drafted_by": self.drafted_by,
                "approved_by": self.approved_by, "deadline": self.deadline}


@dataclass(frozen=True)
class TargetAlerts:
    """One target's issued warnings in a cycle (for the year-end export)."""
    target_kind: str
    target: str
    name: str
    unit: str
    cycle: int
    warnings: tuple[AlertInfo, ...] = field(default_factory=tuple)
    accountability: bool = False


@dataclass(frozen=True)
class DeskCounts:
    pending_proposals: int
    awaiting_approval: int
    feedback_to_verify: int
    overdue: int
    talks_due: int
    overdue_unproposed: int = 0   # overdue warnings still waiting for 逾期升级 (refresh_overdue)


def _row(wid: int) -> m.Alert:
    a = m.Alert.get_or_none(m.Alert.id == wid)
    if a is None:
        raise NotFound(f"没有这份预警：{wid}")
    return a


def _issued_counts(pairs: set[tuple[str, int]]) -> dict[tuple[str, int | None], int]:
    if not pairs:
        return {}
    q = (m.Alert.select(m.Alert.target, m.Alert.cycle)
         .where(m.Alert.status != AlertStatus.DRAFT, m.Alert.target.in_({t for t, _ in pairs})))
    counts: dict[tuple[str, int | None], int] = {}
    for a in q:
        counts[(a.target, a.cycle)] = counts.get((a.target, a.cycle), 0) + 1
    return counts


def _infos(rows: list[m.Alert]) -> list[AlertInfo]:
    today = clock.today()
    organ = in_force().organ
    fb: dict[int, list[FeedbackInfo]] = {}
    if rows:
        for f in m.Feedback.select().where(m.Feedback.alert.in_([a.id for a in rows])).order_by(m.Feedback.id):
            fb.setdefault(f.alert_id, []).append(
                FeedbackInfo(f.id, f.text, f.date, f.entered_by, f.outcome, f.judged_by, f.note))
    counts = _issued_counts({(a.target, a.cycle) for a in rows if a.cycle is not None})
    out = []
    for a in rows:
        t = targets.describe(a.target_kind, a.target)
        deadline = dt.date.fromisoformat(a.deadline) if a.deadline else None
        out.append(AlertInfo(
            a.id, a.number, a.level, a.target_kind, a.target, t.name, t.unit, a.recipient, a.measure,
            tuple(json.loads(a.forms)), a.facts, a.deadline, rules.display_status(a.status, deadline, today),
            a.cycle, a.drafted_by, a.drafted_at, a.approved_by, a.approved_at, a.issued_on, a.proposal,
            tuple(fb.get(a.id, ())), rules.accountability(counts.get((a.target, a.cycle), 0)), organ))
    return out


def _info(wid: int) -> AlertInfo:
    return _infos([_row(wid)])[0]


def _deadline(text: str | None, default_days: int | None) -> str | None:
    if not text:
        return (clock.today() + dt.timedelta(days=default_days)).isoformat() if default_days else None
    day = clock.parse_date(text, "整改期限")
    if day < clock.today():
        raise InputError(f"整改期限不能早于今天（{clock.today().isoformat()}）：{day.isoformat()}")
    return day.isoformat()


@read
def default_deadline() -> str | None:
    """The deadline a draft gets when none is given (the policy's ``deadline_days``):
    the TUI shows it, the CLI and the TUI both leave it to :func:`draft`."""
    return _deadline(None, in_force().deadline_days)


def _measure(measure: str | None, level: str) -> str:
    measure = measure or rules.DEFAULT_MEASURE[level]
    if measure not in MEASURES:
        raise InputError(f"未知预警措施：{measure}（可用：remind 警示提醒、admonish 诫勉纠错、rectify 责令整改）")
    return measure


def _forms(forms: Sequence[str] | None, measure: str) -> list[str]:
    if not forms:
        return ["整改通知书" if measure == Measure.RECTIFY else "预警通知书"]
    bad = [f for f in forms if f not in FORMS]
    if bad:
        raise InputError(f"未知送达方式：{'、'.join(bad)}（可用：{'、'.join(FORMS)}）")
    return list(dict.fromkeys(forms))


@write
def draft(actor: Actor, *, proposal: int | None = None, target: str | None = None, level: str | None = None,
          reason: str | None = None, recipient: str | None = None, deadline: str | None = None,
          measure: str | None = None, forms: list[str] | None = None) -> AlertInfo:
    """A draft warning, from a pending proposal or by hand; someone else approves it."""
    require(actor, "commission")
    reason = clean_optional(reason, "reason", "事实与理由", param="reason")
    recipient = clean_optional(recipient, "recipient", "送达对象", param="recipient")
    pol = in_force()
    if proposal is not None:
        p = proposals.pending_row(proposal)
        t = targets.describe(p.target_kind, p.target)
        level = level or p.level
        facts = (reason or "").strip() or p.reason
        recipient = (recipient or "").strip() or p.recipient or t.recipient
    else:
        if not target:
            raise InputError("请选一条预警建议，或写明对象、等级和事由手工起草。",
                             fields=("proposal", "target", "level", "reason"))
        t = targets.resolve(target)
        facts = (reason or "").strip()
        if not facts:
            raise InputError("手工起草预警须写明事由。", fields=("reason",))
        recipient = (recipient or "").strip() or t.recipient
    if level not in LEVELS:
        raise InputError(f"预警等级应为 blue 蓝色、yellow 黄色 或 red 红色，而不是 {level!r}")
    meas = _measure(measure, level)
    row = m.Alert.create(
        proposal=proposal, level=level, target_kind=t.kind, target=t.key, recipient=recipient,
        measure=meas, forms=json.dumps(_forms(forms, meas), ensure_ascii=False), facts=facts,
        deadline=_deadline(deadline, pol.deadline_days), drafted_by=actor.name, drafted_at=clock.now())
    if proposal is not None:
        n = m.Proposal.update(status="drafted", note=f"预警 {row.id}").where(
            (m.Proposal.id == proposal) & (m.Proposal.status == ProposalStatus.PENDING)).execute()
        if n != 1:
            raise InputError(f"预警建议 {proposal} 已被他人处理。")
    audit.append(actor.name, "warning.draft", touched=[(m.Alert, row.id)], id=row.id, proposal=proposal,
                 level=level, target=t.key, recipient=recipient, measure=meas, deadline=row.deadline)
    return _info(row.id)


def _editable(actor: Actor, wid: int) -> m.Alert:
    a = _row(wid)
    if a.status != AlertStatus.DRAFT:
        raise InputError(f"预警 {wid} 已签发（{a.number}），不能修改；如需更正，请另行起草。")
    if a.drafted_by != actor.name:
        raise AuthError(f"只有起草人 {a.drafted_by} 可以修改预警草稿 {wid}。")
    return a


@write
def edit(actor: Actor, wid: int, *, recipient: str | None = None, deadline: str | None = None,
         measure: str | None = None, forms: list[str] | None = None, facts: str | None = None,
         level: str | None = None) -> AlertInfo:
    """Change a draft (its drafter only); an issued warning is refused."""
    require(actor, "commission")
    recipient = clean_optional(recipient, "recipient", "送达对象")
    facts = clean_optional(facts, "reason", "事实与理由")
    a = _editable(actor, wid)
    changes: dict[str, Any] = {}   # column -> new value, for Alert.update
    if level is not None:
        if level not in LEVELS:
            raise InputError(f"预警等级应为 blue、yellow 或 red，而不是 {level!r}")
        changes["level"] = level
    if recipient is not None and recipient.strip():
        changes["recipient"] = recipient.strip()
    if deadline is not None:
        changes["deadline"] = _deadline(deadline, None)
    if measure is not None:
        changes["measure"] = _measure(measure, changes.get("level", a.level))
    if forms is not None:
        changes["forms"] = json.dumps(_forms(forms, changes.get("measure", a.measure)), ensure_ascii=False)
    if facts is not None and facts.strip():
        changes["facts"] = facts.strip()
    if not changes:
        raise InputError("没有要修改的内容。")
    n = m.Alert.update(**changes).where((m.Alert.id == wid) & (m.Alert.status == AlertStatus.DRAFT)).execute()
    if n != 1:
        raise InputError(f"预警 {wid} 已签发，不能修改。")
    audit.append(actor.name, "warning.edit", touched=[(m.Alert, wid)], id=wid, **{k: v for k, v in changes.items()})
    return _info(wid)


@write
def discard(actor: Actor, wid: int) -> None:
    """Withdraw a draft (its drafter only); its proposal goes back to pending."""
    require(actor, "commission")
    a = _editable(actor, wid)
    if a.proposal is not None:
        m.Proposal.update(status="pending", note="").where(m.Proposal.id == a.proposal).execute()
    m.Alert.delete().where((m.Alert.id == wid) & (m.Alert.status == AlertStatus.DRAFT)).execute()
    audit.append(actor.name, "warning.discard", touched=[(m.Alert, wid)], id=wid, proposal=a.proposal)


def _next_number(year: int) -> int:
    """Bump the year's counter with a row-locking update: gapless under concurrent approvals."""
    bump = m.AlertCounter.update(last=m.AlertCounter.last + 1).where(m.AlertCounter.year == year)
    if bump.execute() == 0:
        m.AlertCounter.insert(year=year, last=0).on_conflict_ignore().execute()
        bump.execute()
    return m.AlertCounter.get(m.AlertCounter.year == year).last


@write
def approve(actor: Actor, wid: int) -> AlertInfo:
    """Issue a draft: a commission user other than the drafter; numbers it for the year."""
    require(actor, "commission")
    a = _row(wid)
    if a.status != AlertStatus.DRAFT:
        raise InputError(f"预警 {wid} 已签发（{a.number}，审批人 {a.approved_by}），不能重复审批。")
    if a.drafted_by == actor.name:
        raise AuthError(f"不能审批自己起草的预警 {wid}：须由起草人 {a.drafted_by} 以外的另一位纪委人员审批。")
    today = clock.today()
    if a.deadline and dt.date.fromisoformat(a.deadline) < today:
        raise InputError(f"整改期限 {a.deadline} 已过，请起草人先修改预警 {wid} 的整改期限。", fields=("deadline",))
    pol = in_force()
    # Lock the warning first: a concurrent approval of the same draft waits here, then finds it issued.
    n = (m.Alert.update(approved_by=actor.name)
         .where((m.Alert.id == wid) & (m.Alert.status == AlertStatus.DRAFT)).execute())
    if n != 1:
        raise InputError(f"预警 {wid} 已被他人审批。")
    seq = _next_number(today.year)
    number = rules.format_number(today.year, seq, pol.number_prefix)
    cycle = cycle_of(today, pol.cycle_start)
    m.Alert.update(status="issued", number=number, number_year=today.year, number_seq=seq,
                   approved_at=clock.now(), issued_on=today.isoformat(), cycle=cycle).where(
        m.Alert.id == wid).execute()
    audit.append(actor.name, "warning.approve", touched=[(m.Alert, wid)], id=wid, number=number, level=a.level,
                 target=a.target, drafted_by=a.drafted_by)
    if a.level == Level.YELLOW:
        _propose_yellow_twice(a, cycle)
    return _info(wid)


def _propose_yellow_twice(a: m.Alert, cycle: int) -> None:
    levels = [x.level for x in m.Alert.select(m.Alert.level).where(
        (m.Alert.target == a.target) & (m.Alert.cycle == cycle) & (m.Alert.status != AlertStatus.DRAFT))]
    if rules.yellow_twice(levels):
        t = targets.describe(a.target_kind, a.target)
        if proposals.propose("yellow_twice", "red", t.kind, t.key, a.recipient,
                             f"{targets.in_words(t)}在{cycle}年度周期内已两次受到黄色预警",
                             f"yellow_twice:{cycle}:{t.kind}:{t.key}"):
            audit.append("system", "proposal.yellow_twice", target=t.key, cycle=cycle)


def _issued(wid: int, doing: str) -> m.Alert:
    a = _row(wid)
    if a.status == AlertStatus.DRAFT:
        raise InputError(f"预警 {wid} 尚未签发，不能{doing}。")
    if a.status in (AlertStatus.RECTIFIED, AlertStatus.CLOSED):
        raise InputError(f"预警 {wid}（{a.number}）已{STATUS_NAMES[a.status]}，不能{doing}。")
    return a


def _pending(wid: int) -> m.Feedback | None:
    row: m.Feedback | None = (
        m.Feedback.select().where((m.Feedback.alert == wid) & (m.Feedback.outcome == FeedbackOutcome.PENDING))
        .order_by(m.Feedback.id.desc()).first())
    return row


@write
def feedback(actor: Actor, wid: int, text: str, date: str | None = None) -> AlertInfo:
    """Record the unit's rectification report; it waits for verification."""
    require(actor, "commission")
    a = _issued(wid, "反馈整改情况")
    text = clean(text, "text", "整改反馈", param="text")
    if not text:
        raise InputError("整改反馈内容不能为空。", fields=("text",))
    day = clock.parse_date(date, "反馈日期") if date else clock.today()
    if day > clock.today():
        raise InputError(f"反馈日期不能晚于今天：{day.isoformat()}")
    if a.issued_on and day.isoformat() < a.issued_on:
        raise InputError(f"反馈日期不能早于签发日期 {a.issued_on}：{day.isoformat()}")
    if _pending(wid) is not None:
        raise InputError(f"预警 {wid} 已有待验收的整改反馈，请先验收或退回（warnings verify / return）。")
    f = m.Feedback.create(alert=wid, text=text.strip(), date=day.isoformat(), entered_by=actor.name,
                          created_at=clock.now())
    audit.append(actor.name, "warning.feedback", touched=[(m.Alert, wid)], id=wid, feedback=f.id, date=f.date)
    return _info(wid)


@write
def verify(actor: Actor, wid: int, note: str = "") -> AlertInfo:
    """Accept the pending feedback: the warning is rectified."""
    require(actor, "commission")
    note = clean(note, "text", "验收意见")
    _issued(wid, "验收")
    f = _pending(wid)
    if f is None:
        raise InputError(f"预警 {wid} 没有待验收的整改反馈。")
    m.Feedback.update(outcome="verified", judged_by=actor.name, note=(note or "").strip()).where(
        m.Feedback.id == f.id).execute()
    m.Alert.update(status="rectified").where(m.Alert.id == wid).execute()
    audit.append(actor.name, "warning.verify", touched=[(m.Alert, wid)], id=wid, feedback=f.id)
    return _info(wid)


@write
def send_back(actor: Actor, wid: int, reason: str) -> AlertInfo:
    """Return the pending feedback for more work; the deadline still runs."""
    require(actor, "commission")
    reason = clean(reason, "reason", "退回理由")
    _issued(wid, "退回")
    if not (reason or "").strip():
        raise InputError("退回整改反馈须写明理由。", fields=("reason",))
    f = _pending(wid)
    if f is None:
        raise InputError(f"预警 {wid} 没有待验收的整改反馈。")
    m.Feedback.update(outcome="returned", judged_by=actor.name, note=reason.strip()).where(
        m.Feedback.id == f.id).execute()
    audit.append(actor.name, "warning.return", touched=[(m.Alert, wid)], id=wid, feedback=f.id, reason=reason.strip())
    return _info(wid)


@write
def close(actor: Actor, wid: int, note: str = "") -> AlertInfo:
    """File a rectified warning (or one without a deadline) as done."""
    require(actor, "commission")
    note = clean(note, "text", "办结说明")
    a = _row(wid)
    if a.status == AlertStatus.RECTIFIED or (a.status == AlertStatus.ISSUED and not a.deadline):
        m.Alert.update(status="closed", closed_note=(note or "").strip()).where(m.Alert.id == wid).execute()
        audit.append(actor.name, "warning.close", touched=[(m.Alert, wid)], id=wid, note=(note or "").strip())
        return _info(wid)
    if a.status == AlertStatus.DRAFT:
        raise InputError(f"预警 {wid} 尚未签发，不能办结。")
    if a.status == AlertStatus.CLOSED:
        raise InputError(f"预警 {wid} 已办结。")
    raise InputError(f"预警 {wid} 的整改尚未验收，不能办结。")


def _overdue_rows() -> list[m.Alert]:
    """Issued warnings past their deadline (overdue is computed on read, never stored)."""
    return list(m.Alert.select().where((m.Alert.status == AlertStatus.ISSUED) & m.Alert.deadline.is_null(False)
                                       & (m.Alert.deadline < clock.today().isoformat())))


def _unproposed_overdue() -> int:
    """Overdue warnings that have no escalation proposal yet (what ``refresh_overdue`` would add)."""
    keys = [f"overdue:{a.id}" for a in _overdue_rows()]
    if not keys:
        return 0
    return len(keys) - m.Proposal.select().where(m.Proposal.dedupe.in_(keys)).count()


@write
def refresh_overdue(actor: Actor) -> int:
    """Propose one level up for every overdue warning, once each; returns how many were new.

    An explicit step (``pingyi warnings refresh``, the desk's 逾期升级): listing never writes."""
    require(actor, "commission")
    made = 0
    for a in _overdue_rows():
        t = targets.describe(a.target_kind, a.target)
        up = rules.escalate(a.level)
        reason = f"{targets.in_words(t)}未在整改期限 {a.deadline} 前完成整改（{a.number}，{LEVEL_NAMES[a.level]}预警）"
        if proposals.propose("overdue", up, t.kind, t.key, a.recipient, reason, f"overdue:{a.id}"):
            made += 1
    if made:
        audit.append(actor.name, "proposal.overdue", made=made)
    return made


@read
def get(wid: int) -> AlertInfo:
    return _info(wid)


@read
def list_alerts(status: str | None = None, target: str | None = None, year: int | None = None) -> list[AlertInfo]:
    """Warnings in the order drafted; ``status`` filters on what users see (overdue included)."""
    q = m.Alert.select()
    if target:
        q = q.where(m.Alert.target == targets.resolve(target).key)
    if year is not None:
        q = q.where(m.Alert.cycle == year)
    items = _infos(list(q.order_by(m.Alert.id)))
    return [a for a in items if status is None or a.status == status]


@read
def accountable(year: int) -> list[TargetAlerts]:
    """Targets flagged for 追责 in a cycle."""
    return [t for t in _year(year) if t.accountability]


def _year(year: int) -> list[TargetAlerts]:
    rows = list(m.Alert.select().where((m.Alert.cycle == year) & (m.Alert.status != AlertStatus.DRAFT))
                .order_by(m.Alert.number_year, m.Alert.number_seq))
    groups: dict[tuple[str, str], list[AlertInfo]] = {}
    for info in _infos(rows):
        groups.setdefault((info.target_kind, info.target), []).append(info)
    out = []
    for (kind, key), items in sorted(groups.items(), key=lambda kv: kv[0][1]):
        out.append(TargetAlerts(kind, key, items[0].target_name, items[0].target_unit, year, tuple(items),
                                rules.accountability(len(items))))
    return out


@read
def year_summary(year: int) -> list[TargetAlerts]:
    """Issued warnings per target in the cycle starting in ``year``, with the 追责 flag."""
    return _year(year)


def flagged(cycle: int) -> set[str]:
    """Target keys with two or more issued warnings in ``cycle``; call with a connection open."""
    counts: dict[str, int] = {}
    for a in m.Alert.select(m.Alert.target).where((m.Alert.cycle == cycle) & (m.Alert.status != AlertStatus.DRAFT)):
        counts[a.target] = counts.get(a.target, 0) + 1
    return {t for t, n in counts.items() if rules.accountability(n)}


@read
def flags(year: int | None = None) -> set[str]:
    """Target keys flagged for 追责 (this cycle by default), for marking them wherever they appear."""
    if year is None:
        year = cycle_of(clock.today(), in_force().cycle_start)
    return flagged(year)


@read
def counts() -> DeskCounts:
    """Figures for the home dashboard."""
    today = clock.today().isoformat()
    return DeskCounts(
        pending_proposals=m.Proposal.select().where(m.Proposal.status == ProposalStatus.PENDING).count(),
        awaiting_approval=m.Alert.select().where(m.Alert.status == AlertStatus.DRAFT).count(),
        feedback_to_verify=m.Feedback.select().where(m.Feedback.outcome == FeedbackOutcome.PENDING).count(),
        overdue=m.Alert.select().where((m.Alert.status == AlertStatus.ISSUED) & m.Alert.deadline.is_null(False)
                                       & (m.Alert.deadline < today)).count(),
        talks_due=m.Talk.select().where(m.Talk.status == TalkStatus.PENDING).count(),
        overdue_unproposed=_unproposed_overdue(),
    )
