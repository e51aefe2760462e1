"""Rooms (测评会): draft → open → closed, with frozen scheme, persons and quotas."""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from peewee import fn

from pingyi.common import clock
from pingyi.common.errors import InputError, NotFound, PingyiError
from pingyi.common.limits import MAX_QUOTA, MAX_ROUND, clean, clean_optional, shown
from pingyi.common.vocab import CodeStatus, PaperStatus, RoomStatus
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.people.accounts import Actor, require
from pingyi.records import audit, digests
from pingyi.rules.spec import SchemeSpec
from pingyi.voting import codes
from pingyi.voting.schemes import get as get_scheme

if TYPE_CHECKING:
    from pingyi.people.roster import PersonInfo

STATUS_NAMES = RoomStatus.labels()
_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@dataclass(frozen=True)
class RoomInfo:
    id: str
    title: str
    scheme: str
    kind: str
    status: str
    series: str | None
    round: int | None
    spec: SchemeSpec
    spec_hash: str
    persons: int
    quotas: dict[str, int] = field(default_factory=dict)  # codes per group
    paper: dict[str, int] = field(default_factory=dict)   # paper forms per group
    frozen_hash: str | None = None
    tally_hash: str | None = None
    created_at: str = ""
    opened_at: str | None = None
    closed_at: str | None = None

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def places(self) -> int:
        """Every place of the room, codes and paper forms."""
        return sum(self.quotas.values()) + sum(self.paper.values())


@dataclass(frozen=True)
class ChannelTurnout:
    """Issued and returned ballots of one group, per channel (returned ≤ issued)."""
    codes_issued: int
    codes_returned: int
    paper_issued: int
    paper_returned: int

    @property
    def issued(self) -> int:
        return self.codes_issued + self.paper_issued

    @property
    def returned(self) -> int:
        return self.codes_returned + self.paper_returned


@dataclass(frozen=True)
class Turnout:
    room: str
    status: str
    version: int
    groups: dict[str, tuple[int, int]]  # group key -> (ballots cast, places of both channels)
    pending_paper: int = 0
    channels: dict[str, ChannelTurnout] = field(default_factory=dict)
    limited: bool = True  # False: the room declares no places (paper without limit, 「未设名额」)

    @property
    def cast(self) -> int:
        return sum(c for c, _ in self.groups.values())

    @property
    def places(self) -> int:
        return sum(q for _, q in self.groups.values())


@dataclass(frozen=True)
class Places:
    """A room's places per group: ballot codes (kiosk, browser) and paper forms."""
    codes: dict[str, int]
    paper: dict[str, int]

    @property
    def declared(self) -> bool:
        """A room that declares no places at all takes paper ballots without a limit."""
        return any(self.codes.values()) or any(self.paper.values())


def places_of(room_id: str) -> Places:
    """The room's places (call inside a session or transaction)."""
    codes_: dict[str, int] = {}
    paper: dict[str, int] = {}
    rows = m.Quota.select(m.Quota.group, m.Quota.count, m.Quota.paper).where(m.Quota.room == room_id).tuples()
    for group, count, forms in cast("Iterable[tuple[str, int, int]]", rows):
        codes_[group], paper[group] = count, forms
    return Places(codes_, paper)


def room_row(room_id: str) -> m.Room:
    room = m.Room.get_or_none(m.Room.id == room_id)
    if room is None:
        raise NotFound(f"没有这个会场：{room_id}")
    return room


def spec_of(room: m.Room) -> SchemeSpec:
    return SchemeSpec.from_json(json.loads(room.spec))


def _info(room: m.Room) -> RoomInfo:
    spec = spec_of(room)
    places = places_of(room.id)
    persons = m.RoomPerson.select().where(m.RoomPerson.room == room.id).count()
    return RoomInfo(
        id=room.id, title=room.title, scheme=room.scheme_name, kind=spec.kind, status=room.status,
        series=room.series, round=room.round, spec=spec, spec_hash=room.spec_hash, persons=persons,
        quotas={g.key: places.codes.get(g.key, 0) for g in spec.groups},
        paper={g.key: places.paper.get(g.key, 0) for g in spec.groups}, frozen_hash=room.frozen_hash,
        tally_hash=room.tally_hash, created_at=room.created_at, opened_at=room.opened_at,
        closed_at=room.closed_at,
    )


def _select_persons(selector: str) -> list[int]:
    """Person ids for a room: every person in use, a unit's, a category's, or listed codes.

    Deactivated persons (停用) are left out of all, unit: and category:; listing one by
    code is refused, so a stray person cannot slip into a new room unnoticed."""
    from pingyi.people.roster import in_use

    sel = (selector or "all").strip()
    q = m.Person.select(m.Person.id).join(m.Unit).where(in_use())
    if sel == "all":
        pass
    elif sel.startswith("unit:"):
        q = q.where(m.Unit.name == sel[5:].strip())
    elif sel.startswith("category:"):
        q = q.where(m.Person.category == sel[9:].strip())
    elif sel.startswith("codes:"):
        wanted = [c.strip() for c in sel[6:].split(",") if c.strip()]
        rows = {p.code: p for p in m.Person.select().where(m.Person.code.in_(wanted))}
        missing = [c for c in wanted if c not in rows]
        if missing:
            raise InputError(f"名单中没有这些编号：{'、'.join(missing)}")
        stopped = [f"{c} {rows[c].name}" for c in wanted if rows[c].inactive_since is not None]
        if stopped:
            raise InputError(f"这些人员已停用，不能进入新会场：{'、'.join(stopped)}"
                             "（请去掉，或先在名单中启用）")
        return [rows[c].id for c in wanted]
    else:
        raise InputError(f"人员范围写法不对：{sel}（可用 all、unit:单位名、category:类别、codes:编号,编号）")
    ids = [p.id for p in q.order_by(m.Person.code)]
    if not ids:
        raise InputError(f"按「{sel}」没有选到任何人员，请先导入名单或检查单位/类别名称。")
    return ids


def _quotas(spec: SchemeSpec, quotas: dict[str, int] | None, what: str = "票码") -> dict[str, int]:
    out = {g.key: 0 for g in spec.groups}
    for name, count in (quotas or {}).items():
        g = spec.group(name)
        if g is None:
            known = "、".join(x.key + " " + x.name for x in spec.groups)
            raise InputError(f"方案中没有代表类别：{shown(name)}（可用：{known}）")
        if count < 0 or count > MAX_QUOTA:
            raise InputError(f"代表类别 {g.name} 的{what}名额不合理：{count}")
        out[g.key] = count
    return out


def parse_quota_args(items: tuple[str, ...] | list[str], option: str = "--codes") -> dict[str, int]:
    """['masses=40', 'npc=10'] → {'masses': 40, 'npc': 10}."""
    what = "纸质选票" if option == "--paper" else "票码"
    out = {}
    for item in items:
        name, sep, count = item.partition("=")
        if not sep or not re.fullmatch(r"[0-9]{1,9}", count.strip()):
            raise InputError(f"{option} 的{what}数量写法不对：{item}（应为 类别=数量，如 masses=40）")
        out[name.strip()] = int(count)
    return out


@write
def create_room(actor: Actor, scheme: str, title: str, room_id: str | None = None,
                series: str | None = None, round: int | None = None, persons: str = "all",
                quotas: dict[str, int] | None = None, paper: dict[str, int] | None = None) -> str:
    """A draft room; ``quotas`` are ballot codes per group, ``paper`` paper forms per group."""
    require(actor, "organizer")
    info = get_scheme(scheme)
    title = clean(title, "room_title", "会场名称", param="title")
    if not title:
        raise InputError("会场名称不能为空。")
    series = clean_optional(series, "series", "系列", param="series") or (None if series is None else "")
    if series == "":
        raise InputError("系列名称不能为空。")
    if (series is None) != (round is None):
        raise InputError("系列和轮次要一起给出（系列名称和轮次数字）。", fields=("series", "round"))
    if round is not None and not 1 <= round <= MAX_ROUND:
        raise InputError(f"轮次应为 1 到 {MAX_ROUND} 之间的整数：{round}", fields=("round",))
    if series is not None:
        other = m.Room.get_or_none((m.Room.series == series) & (m.Room.round == round))
        if other is not None:
            raise InputError(f"系列「{series}」第 {round} 轮已有会场 {other.id}。")
    if room_id:
        if not _ID.fullmatch(room_id):
            raise InputError(f"会场编号只能含字母、数字、- 和 _，最长 32 个字符：{shown(room_id)}")
        if m.Room.get_or_none(m.Room.id == room_id):
            raise InputError(f"会场编号已被使用：{room_id}")
    else:
        while True:
            room_id = "R" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(4))
            if not m.Room.get_or_none(m.Room.id == room_id):
                break
    person_ids = _select_persons(persons)
    quota = _quotas(info.spec, quotas)
    forms = _quotas(info.spec, paper, "纸质选票")
    m.Room.create(
        id=room_id, title=title, scheme_name=info.name, spec=json.dumps(info.spec.to_json(), ensure_ascii=False,
                                                                       sort_keys=True, separators=(",", ":")),
        spec_hash=info.spec_hash, series=series, round=round, status="draft", salt=codes.new_salt(),
        created_by=actor.name, created_at=clock.now(),
    )
    m.RoomPerson.insert_many(
        [(room_id, pid, i) for i, pid in enumerate(person_ids)],
        fields=[m.RoomPerson.room, m.RoomPerson.person, m.RoomPerson.position],
    ).execute()
    m.Quota.insert_many([(room_id, g, c, forms[g]) for g, c in quota.items()],
                        fields=[m.Quota.room, m.Quota.group, m.Quota.count, m.Quota.paper]).execute()
    audit.append(actor.name, "room.create", touched=[(m.Room, room_id)], room=room_id, title=title,
                 scheme=info.name, scheme_hash=info.spec_hash, series=series, round=round,
                 persons=len(person_ids), quotas=quota, paper=forms)
    return room_id


def _require_draft(room: m.Room) -> None:
    if room.status != RoomStatus.DRAFT:
        raise PingyiError(f"会场 {room.id} 已{STATUS_NAMES[room.status]}，人员和名额已冻结，不能修改。")


@write
def set_persons(actor: Actor, room_id: str, person_codes: list[str]) -> None:
    require(actor, "organizer")
    room = room_row(room_id)
    _require_draft(room)
    ids = _select_persons("codes:" + ",".join(person_codes))
    m.RoomPerson.delete().where(m.RoomPerson.room == room_id).execute()
    m.RoomPerson.insert_many([(room_id, pid, i) for i, pid in enumerate(ids)],
                             fields=[m.RoomPerson.room, m.RoomPerson.person, m.RoomPerson.position]).execute()
    audit.append(actor.name, "room.persons", touched=[(m.Room, room_id)], room=room_id, persons=len(ids))


@write
def set_quotas(actor: Actor, room_id: str, quotas: dict[str, int], paper: dict[str, int] | None = None) -> None:
    """Codes (and, when given, paper forms) per group of a draft room."""
    require(actor, "organizer")
    room = room_row(room_id)
    _require_draft(room)
    quota = _quotas(spec_of(room), quotas)
    forms = _quotas(spec_of(room), paper, "纸质选票") if paper is not None else None
    for g, c in quota.items():
        fields: dict[Any, int] = {m.Quota.count: c}
        if forms is not None:
            fields[m.Quota.paper] = forms[g]
        m.Quota.update(fields).where((m.Quota.room == room_id) & (m.Quota.group == g)).execute()
    if forms is None:
        audit.append(actor.name, "room.quotas", touched=[(m.Room, room_id)], room=room_id, quotas=quota)
    else:
        audit.append(actor.name, "room.quotas", touched=[(m.Room, room_id)], room=room_id, quotas=quota,
                     paper=forms)


@dataclass(frozen=True)
class Deleted:
    """A draft room that was deleted: what it was, for the message."""
    id: str
    title: str
    persons: int


def _refuse_unless_unused(room: m.Room) -> None:
    """A room may be deleted only while it is a draft that never issued a code nor took a ballot."""
    if room.status != RoomStatus.DRAFT:
        raise PingyiError(f"会场 {room.id} {STATUS_NAMES[room.status]}，只能删除从未开启的草稿会场；"
                          "开启过的会场及其票码、选票和结果须保留。")
    issued = m.BallotCode.select().where(m.BallotCode.room == room.id).count()
    if issued:
        raise PingyiError(f"会场 {room.id} 已发放过 {issued} 个票码（票码条可能已发出），不能删除。")
    if (m.Ballot.select().where(m.Ballot.room == room.id).exists()
            or m.PaperEntry.select().where(m.PaperEntry.room == room.id).exists()
            or m.CodeCount.select().where(m.CodeCount.room == room.id).exists()):
        raise PingyiError(f"会场 {room.id} 已有选票或录入记录，不能删除。")


@read
def check_deletable(room_id: str) -> RoomInfo:
    """The room, if :func:`delete_room` would delete it; else the same refusal (ask before confirming)."""
    room = room_row(room_id)
    _refuse_unless_unused(room)
    return _info(room)


@write
def delete_room(actor: Actor, room_id: str) -> Deleted:
    """Delete a room that was never used: a draft without ballot codes, ballots or paper entries.

    A room that was opened, or whose code slips may be in evaluators' hands, is kept:
    its codes, ballots and results are part of the record. The deletion is audited
    (the room's digest becomes "deleted"), so ``audit verify`` stays clean.
    """
    require(actor, "organizer")
    room = room_row(room_id)
    _refuse_unless_unused(room)
    persons = m.RoomPerson.select().where(m.RoomPerson.room == room_id).count()
    m.RoomPerson.delete().where(m.RoomPerson.room == room_id).execute()
    m.Quota.delete().where(m.Quota.room == room_id).execute()
    m.BallotCount.delete().where(m.BallotCount.room == room_id).execute()
    m.Room.delete().where(m.Room.id == room_id).execute()
    audit.append(actor.name, "room.delete", touched=[(m.Room, room_id)], room=room_id, title=room.title,
                 scheme=room.scheme_name, series=room.series, round=room.round, persons=persons)
    return Deleted(room_id, room.title, persons)


def frozen_hash(room: m.Room) -> str:
    persons = [p.code for p in m.Person.select(m.Person.code).join(
        m.RoomPerson, on=(m.RoomPerson.person == m.Person.id)).where(
        m.RoomPerson.room == room.id).order_by(m.RoomPerson.position)]
    places = places_of(room.id)
    frozen: list[Any] = [room.spec, persons, places.codes]
    if any(places.paper.values()):  # rooms without paper places keep the hash they had
        frozen.append(places.paper)
    body = json.dumps(frozen, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


@write
def open_room(actor: Actor, room_id: str) -> RoomInfo:
    require(actor, "organizer")
    room = room_row(room_id)
    if room.status != RoomStatus.DRAFT:
        raise PingyiError(f"会场 {room_id} {STATUS_NAMES[room.status]}，不能再次开启。")
    stopped = [f"{p.code} {p.name}" for p in m.Person.select(m.Person.code, m.Person.name).join(
        m.RoomPerson, on=(m.RoomPerson.person == m.Person.id)).where(
        (m.RoomPerson.room == room_id) & m.Person.inactive_since.is_null(False)).order_by(m.RoomPerson.position)]
    if stopped:  # deactivated after the draft listed them: a stray person must not be rated
        raise InputError(f"会场 {room_id} 的被评人员中有已停用的：{'、'.join(stopped)}"
                         "（请在会场人员中去掉，或先在名单中启用）")
    fh = frozen_hash(room)
    m.Room.update(status="open", opened_at=clock.now(), frozen_hash=fh).where(m.Room.id == room_id).execute()
    audit.append(actor.name, "room.open", touched=[(m.Room, room_id)], room=room_id, frozen_hash=fh)
    return _info(room_row(room_id))


def close_room(actor: Actor, room_id: str) -> RoomInfo:
    """Close, then compact the store so that nothing on disk links a ballot to its code or its turn.

    The closing transaction (tally, re-stored ballots, dropped code hashes)
    commits first; compaction (VACUUM and a truncating checkpoint) cannot run
    inside a transaction and only rewrites what is already committed.
    """
    info = _close(actor, room_id)
    compact()
    return info


def compact() -> None:
    """Rewrite the ballot, entry and code storage (DESIGN §6); see db.connection.compact."""
    from pingyi.db.connection import compact as compact_store

    compact_store(["ballot", "entry", "ballot_code", "code_count", "paper_entry", "ballot_count"])


@write
def _close(actor: Actor, room_id: str) -> RoomInfo:
    """Compute the tally once, store it with its hash, void unused codes, update the series.

    In the same transaction the room's ballots are re-stored under fresh random
    ids in random order, and its code hashes are replaced by counts per group
    and state: afterwards no row, row version or transaction id pairs a ballot
    with a code or with its place in the order of casting.
    """
    from pingyi.voting import ballots as ballot_service
    from pingyi.voting import series as series_service
    from pingyi.voting import tally as tally_service

    require(actor, "organizer")
    room = room_row(room_id)
    if room.status != RoomStatus.OPEN:
        raise PingyiError(f"会场 {room_id} {STATUS_NAMES[room.status]}，只能结束进行中的会场。")
    pending = (m.PaperEntry.select()
               .where((m.PaperEntry.room == room_id) & (m.PaperEntry.status == PaperStatus.PENDING)).count())
    if pending:
        raise PingyiError(f"会场 {room_id} 还有纸质选票未完成双人录入或两次录入不一致（{pending} 条），"
                          "请先核对或作废。")
    closed_at = clock.now()
    ballot_service.restore_shuffled(room_id)
    report = tally_service.compute(room, status="closed")
    text, digest = tally_service.freeze(report)
    voided = m.BallotCode.update(status="void").where(
        (m.BallotCode.room == room_id) & (m.BallotCode.status == CodeStatus.UNUSED)).execute()
    _drop_code_hashes(room_id)
    m.Room.update(status="closed", closed_at=closed_at, tally=text, tally_hash=digest).where(
        m.Room.id == room_id).execute()
    audit.append(actor.name, "room.close", touched=[(m.Room, room_id)], room=room_id, tally_hash=digest,
                 cast=report.counts.cast, voided_codes=voided, ballots=digests.ballots(room_id))
    if room.series:
        series_service.refresh_proposals(actor, room.series)
    return _info(room_row(room_id))


def _drop_code_hashes(room_id: str) -> None:
    """Keep how many codes each group had in each state; delete the hashes themselves."""
    counts = list(cast("Iterable[tuple[str, str, int]]", m.BallotCode.select(
        m.BallotCode.group, m.BallotCode.status, fn.COUNT(m.BallotCode.hash)).where(
        m.BallotCode.room == room_id).group_by(m.BallotCode.group, m.BallotCode.status).tuples()))
    if counts:
        m.CodeCount.insert_many([(room_id, g, st, n) for g, st, n in counts],
                                fields=[m.CodeCount.room, m.CodeCount.group, m.CodeCount.status,
                                        m.CodeCount.count]).execute()
    m.BallotCode.delete().where(m.BallotCode.room == room_id).execute()


@read
def get_room(room_id: str) -> RoomInfo:
    return _info(room_row(room_id))


@read
def list_rooms(status: str | None = None) -> list[RoomInfo]:
    q = m.Room.select()
    if status:
        q = q.where(m.Room.status == status)
    return [_info(r) for r in q.order_by(m.Room.created_at.desc(), m.Room.id)]


@read
def room_persons(room_id: str) -> list[PersonInfo]:
    """The rated persons of a room, in their room order (deactivated ones too: they stay in it)."""
    from pingyi.people.roster import info

    room_row(room_id)
    q = (m.Person.select(m.Person, m.Unit).join(m.Unit).switch(m.Person)
         .join(m.RoomPerson, on=(m.RoomPerson.person == m.Person.id))
         .where(m.RoomPerson.room == room_id).order_by(m.RoomPerson.position))
    return [info(p) for p in q]


@read
def version(room_id: str) -> int:
    """A counter bumped by every ballot write: poll this, refresh turnout when it moves."""
    row = m.Room.select(m.Room.version).where(m.Room.id == room_id).first()
    return row.version if row else -1


@read
def turnout(room_id: str) -> Turnout:
    """Issued and returned ballots per group and channel (codes: kiosk and browser; paper)."""
    room = room_row(room_id)
    spec = spec_of(room)
    places = places_of(room_id)
    returned: dict[tuple[str, bool], int] = {}
    rows = (m.Ballot.select(m.Ballot.group, m.Ballot.serial.is_null(False), fn.COUNT(m.Ballot.id))
            .where(m.Ballot.room == room_id).group_by(m.Ballot.group, m.Ballot.serial.is_null(False)).tuples())
    for group, paper, n in cast("Iterable[tuple[str, Any, int]]", rows):
        returned[(group, bool(paper))] = n
    pending = m.PaperEntry.select(m.PaperEntry.serial).where(
        (m.PaperEntry.room == room_id) & (m.PaperEntry.status == PaperStatus.PENDING)).distinct().count()
    channels = {
        g.key: ChannelTurnout(places.codes.get(g.key, 0), returned.get((g.key, False), 0),
                              places.paper.get(g.key, 0), returned.get((g.key, True), 0))
        for g in spec.groups
    }
    return Turnout(room_id, room.status, room.version,
                   {k: (c.returned, c.issued) for k, c in channels.items()}, pending,
                   channels, places.declared)


@write
def issue_codes(actor: Actor, room_id: str) -> list[tuple[str, str]]:
    """Void the unused codes and issue fresh ones up to each group's quota.

    Returns (group key, code) pairs: the only time the codes exist in clear.
    """
    require(actor, "organizer")
    room = room_row(room_id)
    if room.status == RoomStatus.CLOSED:
        raise PingyiError(f"会场 {room_id} 已结束，不能再发票码。")
    voided = m.BallotCode.update(status="void").where(
        (m.BallotCode.room == room_id) & (m.BallotCode.status == CodeStatus.UNUSED)).execute()
    used: dict[str, int] = dict(cast("Iterable[tuple[str, int]]", m.BallotCode.select(
        m.BallotCode.group, fn.COUNT(m.BallotCode.hash)).where(
        (m.BallotCode.room == room_id) & (m.BallotCode.status == CodeStatus.USED)
    ).group_by(m.BallotCode.group).tuples()))
    out: list[tuple[str, str]] = []
    for q in m.Quota.select().where(m.Quota.room == room_id).order_by(m.Quota.group):
        for _ in range(max(0, q.count - used.get(q.group, 0))):
            out.append((q.group, codes.new_code()))
    if out:
        m.BallotCode.insert_many(
            [(codes.digest(room.salt, c), room_id, g, "unused") for g, c in out],
            fields=[m.BallotCode.hash, m.BallotCode.room, m.BallotCode.group, m.BallotCode.status],
        ).execute()
    audit.append(actor.name, "room.codes", room=room_id, issued=len(out), voided=voided)
    return out


@read
def code_counts(room_id: str) -> dict[str, dict[str, int]]:
    """group -> {unused, used, void} counts (of a closed room: the counts kept when its hashes were dropped)."""
    out: dict[str, dict[str, int]] = {}
    q = cast("Iterable[tuple[str, str, int]]", m.BallotCode.select(
        m.BallotCode.group, m.BallotCode.status, fn.COUNT(m.BallotCode.hash)).where(
        m.BallotCode.room == room_id).group_by(m.BallotCode.group, m.BallotCode.status).tuples())
    kept = cast("Iterable[tuple[str, str, int]]", m.CodeCount.select(
        m.CodeCount.group, m.CodeCount.status, m.CodeCount.count).where(m.CodeCount.room == room_id).tuples())
    for g, status, n in [*q, *kept]:
        counts = out.setdefault(g, {"unused": 0, "used": 0, "void": 0})
        counts[status] = counts.get(status, 0) + n
    return out
