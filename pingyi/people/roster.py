"""The roster: units and the persons rated in rooms. Upsert by 编号; persons
and units are never deleted once imported (rooms and ledgers refer to them).

A person taken off new work is deactivated (停用), not deleted: old rooms, tallies,
the ledger and the year-end export keep showing them, but new rooms' selections
(全部人员, a unit, a category) and the pickers for new work leave them out.
Importing a file never changes whether a person is in use: an inactive person in
the file has their data updated and stays 停用 (the summary names them), because a
deactivation is a deliberate act that re-importing an old file must not undo.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import peewee as pw

from pingyi.common import clock
from pingyi.common.errors import InputError, NotFound
from pingyi.common.limits import problem, shown
from pingyi.common.tables import header_index, read_rows
from pingyi.common.vocab import PersonStatus, RoomStatus
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.people.accounts import Actor, require
from pingyi.records import audit

FIELDS = {"code": "code", "name": "person_name", "unit": "unit", "post": "post", "category": "category",
          "supervisor": "supervisor"}   # column -> pingyi.common.limits field
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("编号", "code"),
    "name": ("姓名", "name"),
    "unit": ("单位", "unit"),
    "post": ("职务", "post"),
    "category": ("类别", "category"),
    "supervisor": ("分管领导", "supervisor"),
}


@dataclass(frozen=True)
class PersonInfo:
    code: str
    name: str
    unit: str
    post: str = ""
    category: str = ""
    supervisor: str = ""
    active: bool = True   # False: 停用, kept in history, out of new rooms and pickers

    @property
    def status(self) -> PersonStatus:
        return PersonStatus.ACTIVE if self.active else PersonStatus.INACTIVE


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int
    unchanged: int
    new_units: int
    inactive: tuple[str, ...] = ()   # codes in the file of persons who are 停用 and stay so

    def inactive_note(self, enable_hint: str) -> str:
        """One line about the file's persons who stay 停用 ('' when none); ``enable_hint``
        says how to bring them back on this front end (a CLI command or a key)."""
        if not self.inactive:
            return ""
        codes = "、".join(self.inactive[:10]) + (f" 等 {len(self.inactive)} 人" if len(self.inactive) > 10 else "")
        return f"文件中 {codes} 已停用，导入不改变停用状态（仍不进入新会场）；需要时{enable_hint}。"


@dataclass(frozen=True)
class StatusChange:
    """What deactivating or reactivating some persons did."""
    active: bool                       # the state asked for
    changed: tuple[PersonInfo, ...]    # persons whose state changed
    already: tuple[PersonInfo, ...]    # persons already in that state: left as they were
    drafts: tuple[str, ...] = ()       # draft rooms that still list a person just deactivated


def parse_roster(path: str | Path) -> list[PersonInfo]:
    p = Path(path)
    rows = read_rows(p)
    if not rows:
        raise InputError(f"{p.name}：文件是空的。")
    idx = header_index(rows[0][1], COLUMNS, ("code", "name", "unit"), p.name)
    errors: list[str] = []
    persons: dict[str, PersonInfo] = {}
    for line, cells in rows[1:]:
        row: dict[str, str] = {}
        bad = False
        for k, i in idx.items():
            value, wrong = problem(cells[i] if i < len(cells) else "", FIELDS[k])
            if wrong:
                errors.append(f"第 {line} 行（{COLUMNS[k][0]}列）：{wrong}")
                bad = True
            row[k] = value
        if bad:
            continue
        get = row.get
        code, name, unit = get("code", ""), get("name", ""), get("unit", "")
        for key, val in (("code", code), ("name", name), ("unit", unit)):
            if not val:
                errors.append(f"第 {line} 行：缺少{COLUMNS[key][0]}")
        if any(c.isspace() for c in code):
            errors.append(f"第 {line} 行：编号「{shown(code)}」含空格")
        if code in persons:
            errors.append(f"第 {line} 行：编号 {code} 重复")
        if code and name and unit:
            persons[code] = PersonInfo(code, name, unit, get("post", ""), get("category", ""), get("supervisor", ""))
    if errors:
        raise InputError(f"{p.name}：名单有 {len(errors)} 处错误，未导入。", errors)
    if not persons:
        raise InputError(f"{p.name}：名单没有数据行。")
    return list(persons.values())


@read
def preview(path: str | Path) -> ImportSummary:
    """What importing ``path`` would change, without changing anything."""
    return _apply(parse_roster(path), dry_run=True)


@write
def import_roster(actor: Actor, path: str | Path) -> ImportSummary:
    require(actor, "organizer")
    persons = parse_roster(path)
    summary = _apply(persons, dry_run=False)
    codes = [p.code for p in persons]
    units = sorted({p.unit for p in persons})
    touched: list[tuple[type[pw.Model], Any]] = [
        (m.Person, p.id) for p in m.Person.select(m.Person.id).where(m.Person.code.in_(codes))]
    touched += [(m.Unit, u.id) for u in m.Unit.select(m.Unit.id).where(m.Unit.name.in_(units))]
    audit.append(actor.name, "roster.import", touched=touched, file=Path(path).name, added=summary.added,
                 updated=summary.updated, new_units=summary.new_units, inactive=list(summary.inactive))
    return summary


def _apply(persons: list[PersonInfo], dry_run: bool) -> ImportSummary:
    """Add or update ``persons`` (never their 停用 state); what changed, or would."""
    units = {u.name: u.id for u in m.Unit.select()}
    new_units = sorted({p.unit for p in persons} - set(units))
    if not dry_run:
        for name in new_units:
            units[name] = m.Unit.create(name=name).id
    existing = {
        p.code: p for p in m.Person.select(m.Person, m.Unit).join(m.Unit)
    }
    added = updated = unchanged = 0
    inactive = tuple(p.code for p in persons if p.code in existing and existing[p.code].inactive_since is not None)
    for p in persons:
        old = existing.get(p.code)
        if old is None:
            added += 1
            if not dry_run:
                m.Person.create(code=p.code, name=p.name, unit=units[p.unit], post=p.post,
                                category=p.category, supervisor=p.supervisor)
            continue
        now = (old.name, old.unit.name, old.post, old.category, old.supervisor)
        if now == (p.name, p.unit, p.post, p.category, p.supervisor):
            unchanged += 1
            continue
        updated += 1
        if not dry_run:
            m.Person.update(name=p.name, unit=units[p.unit], post=p.post, category=p.category,
                            supervisor=p.supervisor).where(m.Person.id == old.id).execute()
    return ImportSummary(added, updated, unchanged, len(new_units), inactive)


def info(p: m.Person) -> PersonInfo:
    """A person row (selected with its unit) as the services hand it out."""
    return PersonInfo(p.code, p.name, p.unit.name, p.post, p.category, p.supervisor, p.inactive_since is None)


def in_use() -> pw.Expression:
    """The condition that keeps deactivated persons out (new rooms, pickers)."""
    return m.Person.inactive_since.is_null()


def namesakes(names: Iterable[str]) -> dict[str, set[str]]:
    """Name -> codes of the active persons who bear it: a person's name is ambiguous when another
    code shares it (deactivated persons do not count). Call with a connection open."""
    wanted = set(names)
    out: dict[str, set[str]] = {}
    if wanted:
        rows = m.Person.select(m.Person.name, m.Person.code).where(m.Person.name.in_(wanted) & in_use()).tuples()
        for name, code in cast(Iterable[tuple[str, str]], rows):
            out.setdefault(name, set()).add(code)
    return out


def official_name(code: str, name: str, unit: str, shared: dict[str, set[str]]) -> str:
    """A person as a commission document names one: 「财政局王伟」 (unit, then name), with the code
    「财政局王伟（A01）」 only when ``shared`` (from :func:`namesakes`) has another person of the name."""
    return f"{unit}{name}" + (f"（{code}）" if shared.get(name, set()) - {code} else "")


def _persons_query(search: str = "", unit: str | None = None, category: str | None = None,
                   status: str | None = None) -> pw.ModelSelect[m.Person]:
    q = m.Person.select(m.Person, m.Unit).join(m.Unit)
    if unit:
        q = q.where(m.Unit.name == unit)
    if category:
        q = q.where(m.Person.category == category)
    if status == PersonStatus.ACTIVE:
        q = q.where(in_use())
    elif status == PersonStatus.INACTIVE:
        q = q.where(m.Person.inactive_since.is_null(False))
    elif status is not None:
        raise InputError(f"人员状态写法不对：{shown(status)}（可用 active 启用、inactive 停用）")
    if search:
        q = q.where(m.Person.code.contains(search) | m.Person.name.contains(search)
                    | m.Unit.name.contains(search) | m.Person.post.contains(search))
    return q


@read
def list_persons(search: str = "", unit: str | None = None, category: str | None = None,
                 limit: int | None = None, offset: int = 0, status: str | None = None) -> list[PersonInfo]:
    """Matching persons by code; ``status`` 'active' for pickers of new work, None for all."""
    q = _persons_query(search, unit, category, status).order_by(m.Person.code)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return [info(p) for p in q]


@read
def count_persons(search: str = "", unit: str | None = None, category: str | None = None,
                  status: str | None = None) -> int:
    """How many persons match (all of them without filters): for paging."""
    return _persons_query(search, unit, category, status).count()


@read
def get_person(code: str) -> PersonInfo:
    p = m.Person.select(m.Person, m.Unit).join(m.Unit).where(m.Person.code == code).first()
    if p is None:
        raise NotFound(f"名单中没有编号为 {code} 的人员")
    return info(p)


@write
def set_active(actor: Actor, codes: Iterable[str], active: bool) -> StatusChange:
    """Deactivate (``active=False``) or reactivate persons by 编号, all or none.

    A deactivated person stays in every room, tally, ledger entry and export that
    has them; new rooms' selections and the pickers for new work leave them out.
    Persons already in the asked state are left alone (and named in the result).
    """
    require(actor, "organizer")
    wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    if not wanted:
        raise InputError("请给出要" + ("启用" if active else "停用") + "的人员编号。")
    rows = {p.code: p for p in m.Person.select(m.Person, m.Unit).join(m.Unit).where(m.Person.code.in_(wanted))}
    missing = [c for c in wanted if c not in rows]
    if missing:
        raise NotFound(f"名单中没有这些编号：{'、'.join(shown(c) for c in missing)}，未作任何修改。")
    changed = [rows[c] for c in wanted if (rows[c].inactive_since is None) != active]
    already = tuple(info(rows[c]) for c in wanted if (rows[c].inactive_since is None) == active)
    if not changed:
        return StatusChange(active, (), already)
    ids = [p.id for p in changed]
    m.Person.update(inactive_since=None if active else clock.now()).where(m.Person.id.in_(ids)).execute()
    drafts: tuple[str, ...] = ()
    if not active:
        drafts = tuple(r.id for r in m.Room.select(m.Room.id).join(
            m.RoomPerson, on=(m.RoomPerson.room == m.Room.id)).where(
            (m.Room.status == RoomStatus.DRAFT) & m.RoomPerson.person.in_(ids)).distinct().order_by(m.Room.id))
    audit.append(actor.name, "roster.enable" if active else "roster.disable",
                 touched=[(m.Person, pid) for pid in ids], codes=[p.code for p in changed])
    fresh = m.Person.select(m.Person, m.Unit).join(m.Unit).where(m.Person.id.in_(ids)).order_by(m.Person.code)
    return StatusChange(active, tuple(info(p) for p in fresh), already, drafts)


def codes_of(persons: Sequence[PersonInfo]) -> str:
    """「A01 张三、A02 李四」 for messages."""
    return "、".join(f"{p.code} {p.name}" for p in persons)


@read
def list_units() -> list[str]:
    return [u.name for u in m.Unit.select().order_by(m.Unit.name)]


@read
def list_categories() -> list[str]:
    q = m.Person.select(m.Person.category).where(m.Person.category != "").distinct()
    return sorted(p.category for p in q)
