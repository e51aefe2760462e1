"""Ledger and warning targets: a person (by 编号) or a unit (by name)."""
from __future__ import annotations

from dataclasses import dataclass

from pingyi.common.errors import NotFound
from pingyi.db import models as m


@dataclass(frozen=True)
class Target:
    kind: str        # person | unit
    key: str         # person code or unit name
    name: str        # person name or unit name
    unit: str        # the person's unit ("" for a unit)
    supervisor: str  # the person's 分管领导 ("" for a unit)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.key}，{self.unit}）" if self.kind == "person" else self.name

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
