"""廉政谈话: pending when an integrity index fails, recorded once held."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pingyi.common import clock
from pingyi.common.errors import InputError, NotFound
from pingyi.common.limits import clean
from pingyi.common.vocab import TalkStatus
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.desk import targets
from pingyi.people.accounts import Actor, require
from pingyi.records import audit

STATUS_NAMES = TalkStatus.labels()


@dataclass(frozen=True)
class TalkInfo:
    id: int
    person: str
    name: str
    unit: str
    year: int
    reason: str
    status: str
    talk_date: str | None
    talked_by: str | None
    notes: str
    pledge: bool
    recorded_by: str | None
    post: str = ""
    place: str = ""
    talk_time: str | None = None
    recorder: str | None = None
    statement: str = ""

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "person": self.person, "name": self.name, "unit": self.unit, "year": self.year,
                "reason": self.reason, "status": self.status, "date": self.talk_date,
                "talked_by": self.talked_by, "notes": self.notes, "pledge": self.pledge,
                "time": self.talk_time, "place": self.place, "recorder": self.recorder,
                "statement": self.statement, "post": self.post}


def _info(t: m.Talk) -> TalkInfo:
    p = targets.describe("person", t.person)
    row = m.Person.get_or_none(m.Person.code == t.person)
    return TalkInfo(t.id, t.person, p.name, p.unit, t.year, t.reason, t.status, t.talk_date, t.talked_by,
                    t.notes, t.pledge, t.recorded_by, row.post if row else "", t.place or "", t.talk_time,
                    t.recorder, t.statement or "")


def _text(value: str | None, what: str, limit: int) -> str:
    """A field as stored: stripped, within ``limit`` characters, no control characters (DESIGN §11)."""
    text = (value or "").strip()
    if len(text) > limit:
        raise InputError(f"{what}太长：最多 {limit} 字。")
    if any(ord(c) < 32 and c not in "\n" for c in text) or "\x7f" in text:
        raise InputError(f"{what}含有控制字符。")
    return text


def _time(value: str | None) -> str | None:
    """HH:MM (24-hour) or None."""
    import re

    text = (value or "").strip().replace("：", ":")
    if not text:
        return None
    hit = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not hit or int(hit.group(1)) > 23 or int(hit.group(2)) > 59:
        raise InputError(f"谈话时间应为 时:分，如 09:30，而不是 {value}")
    return f"{int(hit.group(1)):02d}:{hit.group(2)}"


def _row(tid: int) -> m.Talk:
    t = m.Talk.get_or_none(m.Talk.id == tid)
    if t is None:
        raise NotFound(f"没有这项廉政谈话：{tid}")
    return t


@read
def list_talks(year: int | None = None, status: str | None = None) -> list[TalkInfo]:
    q = m.Talk.select()
    if year is not None:
        q = q.where(m.Talk.year == year)
    if status:
        q = q.where(m.Talk.status == status)
    return [_info(t) for t in q.order_by(m.Talk.year, m.Talk.person)]


@read
def get(tid: int) -> TalkInfo:
    return _info(_row(tid))


@write
def record(actor: Actor, tid: int, *, date: str | None, talked_by: str, notes: str = "",
           pledge: bool = False, time: str | None = None, place: str = "", recorder: str = "",
           statement: str = "") -> TalkInfo:
    """Record a held talk: when and where, who talked and who kept the record, what was said, the
    person's 表态, whether the pledge was received. The recorder defaults to the account's display name."""
    require(actor, "commission")
    talked_by, place, recorder = (clean(talked_by, "recipient", "谈话人"), clean(place, "recipient", "地点"),
                                  clean(recorder, "recipient", "记录人"))
    notes, statement = clean(notes, "text", "谈话要点"), clean(statement, "text", "表态")
    hour = _time(time)
    place = _text(place, "谈话地点", 60)
    notes = _text(notes, "谈话内容", 4000)
    statement = _text(statement, "本人表态", 2000)
    recorder = _text(recorder, "记录人", 30)
    if not recorder:
        from pingyi.people.accounts import display_names

        recorder = display_names([actor.name]).get(actor.name, actor.name)
    t = _row(tid)
    if t.status == TalkStatus.DONE:
        raise InputError(f"廉政谈话 {tid} 已记录（{t.talk_date}，谈话人 {t.talked_by}），不能重复记录。")
    if not (talked_by or "").strip():
        raise InputError("请写明谈话人。", fields=("by",))
    day = clock.parse_date(date, "谈话日期") if date else clock.today()
    if day > clock.today():
        raise InputError(f"谈话日期不能晚于今天：{day.isoformat()}")
    n = m.Talk.update(status="done", talk_date=day.isoformat(), talked_by=talked_by.strip(),
                      notes=notes, pledge=bool(pledge), recorded_by=actor.name, talk_time=hour, place=place,
                      recorder=recorder, statement=statement).where(
        (m.Talk.id == tid) & (m.Talk.status == TalkStatus.PENDING)).execute()
    if n != 1:
        raise InputError(f"廉政谈话 {tid} 已被他人记录。")
    audit.append(actor.name, "talk.record", id=tid, person=t.person, year=t.year, date=day.isoformat(),
                 talked_by=talked_by.strip(), pledge=bool(pledge), place=place, recorder=recorder)
    return _info(_row(tid))


@read
def year_summary(year: int) -> list[TalkInfo]:
    """Talks of the year with their status (for the year-end export)."""
    return list_talks(year)
