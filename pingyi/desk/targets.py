"""Ledger and warning targets: a person (by 编号) or a unit (by name)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pingyi.common.errors import NotFound
from pingyi.common.vocab import TargetKind
from pingyi.db import models as m
from pingyi.db.connection import read
from pingyi.people import roster


@dataclass(frozen=True)
class Target:
    kind: str        # person | unit
    key: str         # person code or unit name
    name: str        # person name or unit name
    unit: str        # the person's unit ("" for a unit)
    supervisor: str  # the person's 分管领导 ("" for a unit)
    ambiguous: bool = False  # another active roster person has the same name

    @property
    def short(self) -> str:
        """How a table names it: the name, with the person's code only when the name is not unique."""
        return f"{self.name}（{self.key}）" if self.ambiguous else self.name

    @property
    def recipient(self) -> str:
        """Who a warning goes to by default: the supervisor, else the person; a unit itself."""
        return self.supervisor or self.name


def resolve(text: str) -> Target:
    """A person code first, then a unit name; call with a connection open."""
    key = (text or "").strip()
    p = (m.Person.select(m.Person, m.Unit).join(m.Unit).where(m.Person.code == key).first()
         if key else None)
    if p is not None:
        return Target("person", p.code, p.name, p.unit.name, p.supervisor)
    if key and m.Unit.select().where(m.Unit.name == key).exists():
        return Target("unit", key, key, "", "")
    raise NotFound(f"未知对象：{text}（应为名册中的人员编号或单位名称）")


def describe(kind: str, key: str) -> Target:
    """Like :func:`resolve` for a stored target, tolerant of roster changes."""
    try:
        t = resolve(key)
        if t.kind == kind:
            return t
    except NotFound:
        pass
    return Target(kind, key, key, "", "")


def in_words(t: Target) -> str:
    """How a proposal's reason names a target, as a commission document does: 「财政局王伟」 (unit, then
    name), with the code only when another active person has the same name (「财政局王伟（A01）」); a unit,
    or a person no longer on the roster, as it is. Call with a connection open."""
    if t.kind != TargetKind.PERSON or not t.unit:
        return t.name
    return roster.official_name(t.key, t.name, t.unit, roster.namesakes([t.name]))


@read
def named(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Target]:
    """Each stored (kind, key) described in two queries, for tables that show many targets by name:
    ``ambiguous`` marks a person whose name another active roster person shares; an unknown key stays as it is."""
    wanted = set(keys)
    codes = {key for kind, key in wanted if kind == TargetKind.PERSON}
    persons = {p.code: p for p in m.Person.select(m.Person, m.Unit).join(m.Unit).where(m.Person.code.in_(codes))} \
        if codes else {}
    names = {p.name for p in persons.values()}
    active = roster.namesakes(names)
    out: dict[tuple[str, str], Target] = {}
    for kind, key in wanted:
        p = persons.get(key) if kind == TargetKind.PERSON else None
        out[(kind, key)] = (Target(kind, p.code, p.name, p.unit.name, p.supervisor,
                                   bool(active.get(p.name, set()) - {p.code}))
                            if p is not None else Target(kind, key, key, "", ""))
    return out
