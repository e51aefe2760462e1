"""The yearly integrity index (廉洁指数, DESIGN §7): inputs entered by hand,
computation from rooms, ledger and inputs under the policy in force, and the
廉政谈话 and proposal a failing index makes."""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pingyi import proposals
from pingyi.common import clock
from pingyi.common.errors import InputError, NotFound
from pingyi.common.vocab import RoomStatus, TalkStatus
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.desk import targets
from pingyi.desk.ledger import cycle_total
from pingyi.desk.policy import DeskPolicy, in_force
from pingyi.people.accounts import Actor, require
from pingyi.records import audit
from pingyi.rules import integrity as rules
from pingyi.rules.numbers import fmt2, parse_tenths, round_half_up, tenths_str


@dataclass(frozen=True)
class InputInfo:
    person: str
    year: int
    manual: str | None
    grade: str | None
    veto: str | None
    name: str = ""       # the person's name and unit, for messages
    unit: str = ""


@dataclass(frozen=True)
class IndexInfo:
    person: str
    name: str
    unit: str
    year: int
    value: Decimal | None        # rounded to 2 decimals; None when incomplete
    parts: dict[str, str]        # component key -> value rounded to 2 decimals, as text
    missing: tuple[str, ...]
    veto: str | None
    passed: bool | None          # None: incomplete
    talk: str | None             # pending | done | None
    computed_by: str = ""
    computed_at: str = ""

    @property
    def value_text(self) -> str:
        return fmt2(self.value)

    @property
    def result_name(self) -> str:
        if self.passed is None:
            return "缺项"
        if self.veto:
            return "否决"
        return "合格" if self.passed else "低于阈值"

    def to_json(self) -> dict[str, Any]:
        return {"person": self.person, "name": self.name, "unit": self.unit, "year": self.year,
                "index": float(self.value) if self.value is not None else None,
                "parts": {k: float(v) for k, v in self.parts.items()}, "missing": list(self.missing),
                "veto": self.veto, "passed": self.passed, "talk": self.talk}


def _person(code: str) -> targets.Target:
    t = targets.resolve(code)
    if t.kind != "person":
        raise InputError(f"廉洁指数针对领导干部个人，请给人员编号而不是单位：{code}")
    return t


@write
def set_inputs(actor: Actor, person: str, year: int, *, manual: str | None = None, grade: str | None = None,
               veto: str | None = None, clear_veto: bool = False) -> InputInfo:
    """Enter the 述职述廉 score, the assessment grade and/or a veto reason for one leader and year."""
    require(actor, "commission")
    t = _person(person)
    pol = in_force()
    changes: dict[str, Any] = {}   # column -> new value (int tenths, str or None)
    if manual is not None:
        tenths = parse_tenths(str(manual))
        if tenths is None or tenths > 1000:
            raise InputError(f"述职述廉得分应为 0 到 100、最多一位小数：{manual}")
        changes["manual"] = tenths
    if grade is not None:
        if grade not in pol.index.grades:
            raise InputError(f"未知考核等次：{grade}（可用：{'、'.join(pol.index.grades)}）")
        changes["grade"] = grade
    if veto is not None:
        if not veto.strip():
            raise InputError("否决事由不能为空。")
        changes["veto"] = veto.strip()
    if clear_veto:
        changes["veto"] = None
    if not changes:
        raise InputError("没有要录入的内容：述职述廉得分、考核等次或否决事项至少填一项。",
                         fields=("manual", "grade", "veto", "clear_veto"))
    changes.update(entered_by=actor.name, updated_at=clock.now())
    m.IntegrityInput.insert(person=t.key, year=year, **changes).on_conflict(
        conflict_target=[m.IntegrityInput.person, m.IntegrityInput.year],
        update={getattr(m.IntegrityInput, k): v for k, v in changes.items()}).execute()
    audit.append(actor.name, "integrity.input", person=t.key, year=year,
                 **{k: v for k, v in changes.items() if k in ("manual", "grade", "veto")})
    return _input(t, year)


def _input(t: targets.Target, year: int) -> InputInfo:
    r = m.IntegrityInput.get_or_none((m.IntegrityInput.person == t.key) & (m.IntegrityInput.year == year))
    if r is None:
        return InputInfo(t.key, year, None, None, None, t.name, t.unit)
    return InputInfo(t.key, year, tenths_str(r.manual) if r.manual is not None else None, r.grade, r.veto,
                     t.name, t.unit)


@read
def get_inputs(person: str, year: int) -> InputInfo:
    return _input(_person(person), year)


def integrity_rooms(year: int) -> list[str]:
    """Closed rooms of ``integrity``-kind schemes closed in ``year``: the default 民主评廉 rooms."""
    out = []
    for r in m.Room.select(m.Room.id, m.Room.spec, m.Room.closed_at).where(m.Room.status == RoomStatus.CLOSED).order_by(
            m.Room.closed_at, m.Room.id):
        if (r.closed_at or "").startswith(str(year)) and json.loads(r.spec).get("kind") == "integrity":
            out.append(r.id)
    return out


def _room_scores(room_ids: list[str]) -> dict[str, Fraction]:
    """Person code -> displayed score, from closed rooms (the first room that rated a person wins)."""
    from pingyi.voting import tally

    scores: dict[str, Fraction] = {}
    for rid in room_ids:
        room = m.Room.get_or_none(m.Room.id == rid)
        if room is None:
            raise NotFound(f"没有这个测评会：{rid}")
        if room.status != RoomStatus.CLOSED:
            raise InputError(f"测评会 {rid} 尚未结束，不能用于廉洁指数。")
        for r in tally.stored(room).results:
            if r.score is not None:
                scores.setdefault(r.person, Fraction(r.score))
    return scores


def _talk_reason(res: rules.IndexResult, pol: DeskPolicy) -> str:
    if res.veto:
        return f"廉洁指数一票否决：{res.veto}"
    return f"廉洁指数 {fmt2(res.value)} 分，低于 {pol.index.threshold} 分"


@write
def compute(actor: Actor, year: int, rooms: list[str] | None = None,
            persons: list[str] | None = None) -> list[IndexInfo]:
    """Compute (or recompute) the year's index for the leaders rated in ``rooms`` and those with inputs."""
    require(actor, "commission")
    pol = in_force()
    rooms = list(rooms or [])
    if not rooms and any(c.kind == "room" for c in pol.index.components):
        rooms = integrity_rooms(year)
        if not rooms:
            raise InputError(f"{year} 年没有已结束的廉洁指数测评会；政策中有民主评廉成分，请指定测评会。",
                             fields=("room",))
    scores = _room_scores(rooms)
    inputs = {r.person: r for r in m.IntegrityInput.select().where(m.IntegrityInput.year == year)}
    codes = [_person(p).key for p in persons] if persons else sorted(set(scores) | set(inputs))
    if not codes:
        raise InputError(f"{year} 年没有可计算廉洁指数的人员（测评会中无人得分，也没有录入的数据）。")
    for code in codes:
        i = inputs.get(code)
        x = rules.Inputs(room=scores.get(code), manual=Fraction(i.manual, 10) if i and i.manual is not None else None,
                         grade=i.grade if i else None, ledger=cycle_total(code, year), veto=i.veto if i else None)
        res = rules.compute(pol.index, x)
        fields = dict(value=None if res.value is None else str(res.value),
                      parts=json.dumps({k: str(round_half_up(v, 2)) for k, v in res.parts.items()}),
                      missing=json.dumps(list(res.missing)), veto=res.veto, passed=res.passed,
                      rooms=json.dumps(rooms), policy_hash=pol.hash, computed_by=actor.name,
                      computed_at=clock.now())
        m.IntegrityResult.insert(person=code, year=year, **fields).on_conflict(
            conflict_target=[m.IntegrityResult.person, m.IntegrityResult.year],
            update={getattr(m.IntegrityResult, k): v for k, v in fields.items()}).execute()
        _follow_up(actor, pol, code, year, res)
    audit.append(actor.name, "integrity.compute", year=year, rooms=rooms, persons=len(codes))
    return [x for x in _results(year) if x.person in set(codes)]


def _follow_up(actor: Actor, pol: DeskPolicy, code: str, year: int, res: rules.IndexResult) -> None:
    """A failing index makes a pending talk and a proposal; a pass withdraws a pending talk."""
    talk = m.Talk.get_or_none((m.Talk.person == code) & (m.Talk.year == year))
    if res.talk_due:
        reason = _talk_reason(res, pol)
        if talk is None:
            m.Talk.create(person=code, year=year, reason=reason, created_at=clock.now())
            audit.append(actor.name, "talk.due", person=code, year=year, reason=reason)
        t = targets.describe("person", code)
        if proposals.propose("integrity", pol.proposal_level, "person", code, t.recipient,
                             f"{targets.in_words(t)}{year}年度{reason}", f"integrity:{year}:{code}"):
            audit.append("system", "proposal.integrity", person=code, year=year)
    elif res.passed and talk is not None and talk.status == TalkStatus.PENDING:
        talk.delete_instance()
        audit.append(actor.name, "talk.withdrawn", person=code, year=year)


def _results(year: int) -> list[IndexInfo]:
    talks = {t.person: t.status for t in m.Talk.select().where(m.Talk.year == year)}
    out = []
    for r in m.IntegrityResult.select().where(m.IntegrityResult.year == year).order_by(m.IntegrityResult.person):
        t = targets.describe("person", r.person)
        out.append(IndexInfo(r.person, t.name, t.unit, r.year, Decimal(r.value) if r.value else None,
                             json.loads(r.parts), tuple(json.loads(r.missing)), r.veto, r.passed,
                             talks.get(r.person), r.computed_by, r.computed_at))
    return out


@read
def list_results(year: int) -> list[IndexInfo]:
    return _results(year)


@read
def year_summary(year: int) -> list[IndexInfo]:
    """Each leader's index, pass/fail and talk status for the year (for the year-end export)."""
    return _results(year)


@read
def components() -> list[rules.Component]:
    return list(in_force().index.components)
