"""The roster: units and the persons rated in rooms. Upsert by 编号; persons
and units are never deleted once imported (rooms and ledgers refer to them)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pingyi.common.errors import InputError, NotFound
from pingyi.common.limits import problem, shown
from pingyi.common.tables import header_index, read_rows
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.people.accounts import Actor, require
from pingyi.records import audit

FIELDS = {"code": "code", "name": "person_name", "unit": "unit", "post": "post", "category": "category",
          "supervisor": "supervisor"}   # column -> pingyi.common.limits field
COLUMNS = {
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


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int
    unchanged: int
    new_units: int


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
    touched = [(m.Person, pid) for (pid,) in m.Person.select(m.Person.id).where(m.Person.code.in_(codes)).tuples()]
    touched += [(m.Unit, uid) for (uid,) in m.Unit.select(m.Unit.id).where(m.Unit.name.in_(units)).tuples()]
    audit.append(actor.name, "roster.import", touched=touched, file=Path(path).name, added=summary.added,
                 updated=summary.updated, new_units=summary.new_units)
    return summary


def _apply(persons: list[PersonInfo], dry_run: bool) -> ImportSummary:
    units = {u.name: u.id for u in m.Unit.select()}
    new_units = sorted({p.unit for p in persons} - set(units))
    if not dry_run:
        for name in new_units:
            units[name] = m.Unit.create(name=name).id
    existing = {
        p.code: p for p in m.Person.select(m.Person, m.Unit).join(m.Unit)
    }
    added = updated = unchanged = 0
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
    return ImportSummary(added, updated, unchanged, len(new_units))


def _info(p) -> PersonInfo:
    return PersonInfo(p.code, p.name, p.unit.name, p.post, p.category, p.supervisor)


def _persons_query(search: str = "", unit: str | None = None, category: str | None = None):
    q = m.Person.select(m.Person, m.Unit).join(m.Unit)
    if unit:
        q = q.where(m.Unit.name == unit)
    if category:
        q = q.where(m.Person.category == category)
    if search:
        q = q.where(m.Person.code.contains(search) | m.Person.name.contains(search)
                    | m.Unit.name.contains(search) | m.Person.post.contains(search))
    return q


@read
def list_persons(search: str = "", unit: str | None = None, category: str | None = None,
                 limit: int | None = None, offset: int = 0) -> list[PersonInfo]:
    q = _persons_query(search, unit, category).order_by(m.Person.code)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return [_info(p) for p in q]


@read
def count_persons(search: str = "", unit: str | None = None, category: str | None = None) -> int:
    """How many persons match (all of them without filters): for paging."""
    return _persons_query(search, unit, category).count()


@read
def get_person(code: str) -> PersonInfo:
    p = m.Person.select(m.Person, m.Unit).join(m.Unit).where(m.Person.code == code).first()
    if p is None:
        raise NotFound(f"名单中没有编号为 {code} 的人员")
    return _info(p)


@read
def list_units() -> list[str]:
    return [u.name for u in m.Unit.select().order_by(m.Unit.name)]


@read
def list_categories() -> list[str]:
    q = m.Person.select(m.Person.category).where(m.Person.category != "").distinct()
    return sorted(p.category for p in q)
