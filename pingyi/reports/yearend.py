"""Year-end assessment (年终考核): everything of one year per person and per
unit, gathered as plain data for the exports in ``pingyi.reports.yearbook``.

Rooms of the year are the rooms closed in it; their frozen tallies give each
person's score, rank and bottom mark. Streaks are counted over the whole
series (a streak can start in the previous year); a person's longest streak
is the highest streak reached in a round of this year. The desk parts
(ledger, warnings, integrity index, talks) come from their services. Nothing
here ever reads ballots: only the stored tallies and the desk records.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from pingyi.common import clock
from pingyi.common.vocab import AlertStatus, FeedbackOutcome, Level, Rectification, RoomStatus
from pingyi.db import models as m
from pingyi.db.connection import read
from pingyi.people.accounts import Actor, require
from pingyi.rules.spec import SchemeSpec
from pingyi.rules.streaks import Round, streaks

if TYPE_CHECKING:
    from pingyi.desk.alerts import AlertInfo

Progress = Callable[[int, int, str], None]
LEVELS = ("blue", "yellow", "red")
LEVEL_NAMES = Level.labels()


@dataclass(frozen=True)
class RoomColumn:
    room: str
    title: str
    date: str               # closing day, YYYY-MM-DD
    scheme: str
    series: str | None
    round: int | None
    rated: int              # persons with a score
    tally_hash: str | None


@dataclass(frozen=True)
class RoomMark:
    score: Decimal | None
    rank: int | None
    bottom: bool


@dataclass(frozen=True)
class WarningLine:
    number: str | None
    level: str              # blue | yellow | red
    status: str             # issued | rectified | overdue | closed
    issued_on: str | None
    deadline: str | None
    rectification: str      # a Rectification label: 已逾期 / 已退回 / 待验收 / 待反馈 / 已验收 / 已办结


@dataclass
class PersonYear:
    code: str
    name: str
    unit: str
    post: str = ""
    category: str = ""
    supervisor: str = ""
    rooms: dict[str, RoomMark] = field(default_factory=dict)
    bottoms: int = 0
    longest_streak: int = 0
    integrity: Decimal | None = None
    integrity_band: str = ""        # 合格 / 低于阈值 / 否决 / 缺项 / "" (pingyi.integrity result names)
    ledger_points: int | None = None  # tenths
    ledger_level: str = ""          # blue | yellow | red | ""
    warnings: list[WarningLine] = field(default_factory=list)
    rectification: str = ""
    talk: str = ""                  # 待谈话 / 已谈话 / ""
    not_excellent: bool = False
    accountability: bool = False

    def warning_count(self, level: str | None = None) -> int:
        return sum(1 for w in self.warnings if level is None or w.level == level)

    @property
    def flagged(self) -> bool:
        """Worth a line in the summary: any bottom, warning, flag, failed index or talk."""
        return bool(self.bottoms or self.warnings or self.not_excellent or self.accountability or self.talk
                    or self.integrity_band in ("低于阈值", "否决") or self.ledger_level)


@dataclass
class UnitYear:
    unit: str
    persons: int = 0
    rated: int = 0                  # persons rated in at least one room
    bottoms: int = 0                # bottom marks of its persons
    bottom_persons: int = 0
    warnings: dict[str, int] = field(default_factory=lambda: {k: 0 for k in LEVELS})
    talks_pending: int = 0
    talks_done: int = 0
    not_excellent: int = 0
    accountability: int = 0
    ledger_points: int | None = None  # the unit's own ledger, tenths
    ledger_level: str = ""
    unit_warnings: list[WarningLine] = field(default_factory=list)  # warnings addressed to the unit
    unit_not_excellent: bool = False
    unit_accountability: bool = False


@dataclass
class YearExport:
    year: int
    generated_at: str
    rooms: list[RoomColumn]
    persons: list[PersonYear]
    units: list[UnitYear]
    rules: list[tuple[str, str]]    # (topic, text) for the rules sheet
    missing: list[str] = field(default_factory=list)  # desk parts not available (columns left empty)
    audit_words: str = ""           # the audit head when gathered (「审计链 第N条 …」), printed on the exports

    def generated_local(self) -> dt.datetime:
        """When the export was made, in local time without a zone (a workbook date cell holds no zone)."""
        t = dt.datetime.fromisoformat(self.generated_at)
        if t.tzinfo is not None:
            t = t.astimezone().replace(tzinfo=None)
        return t

    def generated_words(self) -> str:
        t = self.generated_local()
        return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"

    def person_count(self) -> int:
        return len(self.persons)


def cn_order(text: str) -> bytes:
    """Units in the order a Chinese reader looks them up, by pinyin as a spreadsheet sorts them
    (财政局, 国土资源局, 民政局 …), not by code point (国土资源局, 文化稽查大队, 民政局, 财政局): GB 2312
    lists its common characters by pinyin, and GB 18030 keeps that order."""
    return text.encode("gb18030")


def _noop(done: int, total: int, stage: str) -> None:
    pass


def _year_rooms(year: int) -> list[m.Room]:
    lo, hi = f"{year:04d}-01-01", f"{year + 1:04d}-01-01"
    return list(m.Room.select().where((m.Room.status == RoomStatus.CLOSED) & (m.Room.closed_at >= lo)
                                      & (m.Room.closed_at < hi)).order_by(m.Room.closed_at, m.Room.id))


def _longest_streaks(year_rooms: list[m.Room]) -> dict[str, int]:
    """Highest streak each person reached in a round closed this year (series counted whole)."""
    out: dict[str, int] = {}
    in_year = {r.id for r in year_rooms}
    for name in sorted({r.series for r in year_rooms if r.series}):
        rows = list(m.Room.select(m.Room.id, m.Room.round, m.Room.tally, m.Room.spec)
                    .where((m.Room.series == name) & (m.Room.status == RoomStatus.CLOSED)).order_by(m.Room.round))
        rounds, this_year = [], set()
        for r in rows:
            assert r.tally is not None and r.round is not None  # a closed room of a series
            tally = json.loads(r.tally)
            rule = SchemeSpec.from_json(json.loads(r.spec)).rules.streak
            rounds.append(Round(r.round, {x["person"]: x["bottom"] for x in tally["results"]
                                          if x["score"] is not None}, rule))
            if r.id in in_year:
                this_year.add(r.round)
        people, _ = streaks(rounds)
        for code, ps in people.items():
            best = max((s for rnd, s in ps.history.items() if rnd in this_year), default=0)
            if best > out.get(code, 0):
                out[code] = best
    return out


def _rules(year: int, specs: dict[str, SchemeSpec]) -> list[tuple[str, str]]:
    from pingyi.desk.policy import in_force
    from pingyi.rules.numbers import tenths_str
    from pingyi.voting.describe import rules_in_words

    pol = in_force()
    lv = pol.levels

    out = [
        ("范围", f"{year} 年内结束的全部测评会场；每人一行，列出其参加的每个会场的得分、名次和是否倒数第一。"),
        ("数据", "只使用各会场结束时冻结的计票结果和纪委台账记录，不含任何选票明细或票码。"),
        ("倒数第一次数", "本年度各会场中被认定为倒数第一的次数。"),
        ("最长连续倒数第一", "同一系列按轮次连续倒数第一的次数（未参评的轮次不计也不中断，可从上年延续），"
                            "取本年度各轮达到的最大值。"),
        ("廉洁指数", "本年度廉洁指数及结果（合格、低于阈值、否决、缺项）；"
                    "低于阈值或被否决的应进行廉政谈话，谈话情况为待谈话或已谈话。"),
        ("扣分台账", f"本年度内扣分合计（12 分制，冲销后净额）及达到的预警等级：蓝色 ≥ {tenths_str(lv.blue)} 分，"
                     f"黄色 ≥ {tenths_str(lv.yellow)} 分，红色 ≥ {tenths_str(lv.red)} 分。"),
        ("预警", "本年度已签发的预警通知书，按蓝、黄、红色分别计数并列出文号。"),
        ("整改情况", "各份预警中最需关注的整改状态，依次为：" + "、".join(r.label for r in Rectification) + "。"),
        ("评优资格", f"本年度内扣分达到 {tenths_str(pol.excellent_bar)} 分及以上的，当年不得评为优秀。"),
        ("追责", "同一对象同一年度内被签发 2 次及以上预警的，列入追责。"),
        ("单位汇总", "按单位汇总所属人员的参评、倒数第一、预警、谈话和资格情况，并列出单位本身的扣分和预警；"
                     "各色预警份数包括单位本身受到的预警。"),
    ]
    for name, spec in specs.items():
        for line in rules_in_words(spec):
            out.append((f"方案：{name}", line))
    return out


def _persons_by_code(codes: set[str]) -> dict[str, PersonYear]:
    out: dict[str, PersonYear] = {}
    q = (m.Person.select(m.Person.code, m.Person.name, m.Unit.name.alias("unit_name"), m.Person.post,
                         m.Person.category, m.Person.supervisor)
         .join(m.Unit).tuples())
    # peewee's stubs type .tuples() as the model select: the rows are these six columns
    for code, name, unit, post, category, supervisor in cast("Iterable[tuple[str, str, str, str, str, str]]", q):
        if code in codes:
            out[code] = PersonYear(code, name, unit, post, category, supervisor)
    return out


@read
def gather(actor: Actor, year: int, progress: Progress | None = None) -> YearExport:
    """Everything of ``year`` per person and unit (role: commission)."""
    require(actor, "commission")
    progress = progress or _noop
    steps = 5
    progress(0, steps, "会场")
    year_rooms = _year_rooms(year)
    columns: list[RoomColumn] = []
    specs: dict[str, SchemeSpec] = {}
    marks: defaultdict[str, dict[str, RoomMark]] = defaultdict(dict)
    names: dict[str, tuple[str, str, str]] = {}
    for r in year_rooms:
        assert r.tally is not None  # closed rooms keep their tally
        tally = json.loads(r.tally)
        spec = SchemeSpec.from_json(json.loads(r.spec))
        specs.setdefault(r.scheme_name, spec)
        rated = 0
        for x in tally["results"]:
            score = None if x["score"] is None else Decimal(str(x["score"])).quantize(Decimal("0.01"))
            rated += score is not None
            marks[x["person"]][r.id] = RoomMark(score, x["rank"], x["bottom"])
            names.setdefault(x["person"], (x["name"], x["unit"], x.get("post", "")))
        columns.append(RoomColumn(r.id, r.title, (r.closed_at or "")[:10], r.scheme_name, r.series, r.round,
                                  rated, r.tally_hash))
    progress(1, steps, "连续倒数第一")
    longest = _longest_streaks(year_rooms)

    progress(2, steps, "纪委台账")
    desk = _desk(year)
    codes = set(marks) | desk.person_codes()
    persons = _persons_by_code(codes)
    for code in codes - set(persons):  # rated but since removed from the roster: keep the tally's words
        name, unit, post = names.get(code, (code, "", ""))
        persons[code] = PersonYear(code, name, unit, post)
    for code, p in persons.items():
        p.rooms = marks.get(code, {})
        p.bottoms = sum(1 for x in p.rooms.values() if x.bottom)
        p.longest_streak = longest.get(code, 0)
        desk.fill_person(p)

    progress(3, steps, "单位汇总")
    units: dict[str, UnitYear] = {}
    for p in persons.values():
        u = units.setdefault(p.unit, UnitYear(p.unit))
        u.persons += 1
        u.rated += any(x.score is not None for x in p.rooms.values())
        u.bottoms += p.bottoms
        u.bottom_persons += p.bottoms > 0
        for w in p.warnings:
            u.warnings[w.level] += 1
        u.talks_pending += p.talk == "待谈话"
        u.talks_done += p.talk == "已谈话"
        u.not_excellent += p.not_excellent
        u.accountability += p.accountability
    for name in desk.unit_names():
        units.setdefault(name, UnitYear(name))
    for u in units.values():
        desk.fill_unit(u)
        for w in u.unit_warnings:      # a unit's own warnings count beside its persons'
            u.warnings[w.level] += 1

    progress(4, steps, "整理")
    ordered = sorted(persons.values(), key=lambda p: (cn_order(p.unit), p.code))
    from pingyi.records import audit

    export = YearExport(year, clock.now(), columns, ordered, [units[k] for k in sorted(units, key=cn_order)],
                        _rules(year, specs), desk.missing, audit.head().words())
    progress(steps, steps, "完成")
    return export


class _Desk:
    """The ledger, warnings, integrity and talks of a year, looked up per target.

    Each part is read through its service; a part whose service is missing
    is listed in ``missing`` and its columns stay empty.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        self.missing: list[str] = []
        self.ledger: dict[str, tuple[int, str]] = {}           # target -> (tenths, level)
        self.not_excellent: set[str] = set()                    # targets not eligible for 优秀
        self.accountable: set[str] = set()                      # targets flagged for 追责
        self.warnings: dict[str, list[WarningLine]] = defaultdict(list)
        self.integrity: dict[str, tuple[Decimal | None, str]] = {}
        self.talks: dict[str, str] = {}
        self.unit_targets: set[str] = set()

    def person_codes(self) -> set[str]:
        keys = set(self.ledger) | set(self.warnings) | set(self.integrity) | set(self.talks)
        return keys - self.unit_targets

    def unit_names(self) -> set[str]:
        return set(self.unit_targets)

    def _flags(self, key: str) -> tuple[bool, bool]:
        return key in self.not_excellent, key in self.accountable

    def fill_person(self, p: PersonYear) -> None:
        if p.code in self.ledger:
            p.ledger_points, p.ledger_level = self.ledger[p.code]
        p.warnings = sorted(self.warnings.get(p.code, []), key=lambda w: (w.issued_on or "", w.number or ""))
        p.rectification = _rectification_summary(p.warnings)
        if p.code in self.integrity:
            p.integrity, p.integrity_band = self.integrity[p.code]
        p.talk = self.talks.get(p.code, "")
        p.not_excellent, p.accountability = self._flags(p.code)

    def fill_unit(self, u: UnitYear) -> None:
        if u.unit in self.ledger and u.unit in self.unit_targets:
            u.ledger_points, u.ledger_level = self.ledger[u.unit]
        if u.unit in self.unit_targets:
            u.unit_warnings = sorted(self.warnings.get(u.unit, []), key=lambda w: (w.issued_on or "", w.number or ""))
        if u.unit in self.unit_targets:
            u.unit_not_excellent, u.unit_accountability = self._flags(u.unit)


def _rectification_summary(warnings: list[WarningLine]) -> str:
    """One word for a person's rectification state, the worst first."""
    states = [w.rectification for w in warnings if w.rectification]
    for state in Rectification:  # in the order that needs attention first
        if state.label in states:
            return state.label
    return ""


def _rectification(a: AlertInfo) -> str:
    """A warning's rectification state in words, from its status and feedback."""
    if a.status == AlertStatus.OVERDUE:
        return Rectification.OVERDUE.label
    if a.status == AlertStatus.CLOSED:
        return Rectification.CLOSED.label
    if a.status == AlertStatus.RECTIFIED:
        return Rectification.VERIFIED.label
    if a.feedback:
        by_outcome: dict[str, Rectification] = {FeedbackOutcome.PENDING: Rectification.PENDING,
                                                FeedbackOutcome.RETURNED: Rectification.RETURNED}
        return by_outcome.get(a.feedback[-1].outcome, Rectification.VERIFIED).label
    return Rectification.AWAITING.label if a.deadline else ""


def _desk(year: int) -> _Desk:
    """Read the desk parts of ``year`` through their services."""
    from pingyi.desk import alerts, ledger

    desk = _Desk(year)
    for t in ledger.year_summary(year):
        desk.ledger[t.target] = (t.points, t.level or "")
        if not t.excellent_eligible:
            desk.not_excellent.add(t.target)
        if t.target_kind == "unit":
            desk.unit_targets.add(t.target)
    for w in alerts.year_summary(year):
        if w.target_kind == "unit":
            desk.unit_targets.add(w.target)
        if w.accountability:
            desk.accountable.add(w.target)
        desk.warnings[w.target] = [WarningLine(a.number, a.level, a.status, a.issued_on, a.deadline,
                                               _rectification(a)) for a in w.warnings]
    _integrity_and_talks(desk)
    return desk


def _integrity_and_talks(desk: _Desk) -> None:
    """The year's integrity index (value and result in words) and talk status per person."""
    from pingyi.desk import integrity, talks

    for x in integrity.year_summary(desk.year):
        desk.integrity[x.person] = (x.value, x.result_name)
    for t in talks.year_summary(desk.year):
        desk.talks[t.person] = t.status_name
