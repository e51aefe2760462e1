"""Append-only, hash-chained audit log.

Each event's hash covers the previous hash and the event's own fields, and
the head (last hash and sequence) is kept in ``meta``; :func:`verify` finds
edited, inserted, reordered or deleted events. Callers append inside their
own write transaction, so the event and the change commit together.
Never pass a ballot code or ballot content here.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from peewee import Model

from pingyi.common import clock
from pingyi.db import models as m
from pingyi.db.connection import read
from pingyi.records.audit_words import GROUPED

GENESIS = "0" * 64


def _digest(prev: str, seq: int, at: str, actor: str, action: str, detail: str) -> str:
    body = json.dumps([prev, seq, at, actor, action, detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _head() -> tuple[int, str]:
    # Updating the head row first takes the write lock on PostgreSQL too, so
    # concurrent appenders queue here instead of forking the chain.
    m.Meta.update(value=m.Meta.value).where(m.Meta.key == "audit_head").execute()
    row = m.Meta.get(m.Meta.key == "audit_head")
    seq_row = m.Meta.get_or_none(m.Meta.key == "audit_seq")
    return (int(seq_row.value) if seq_row else 0), row.value


def append(actor: str, action: str, *, touched: Iterable[tuple[type[Model], Any]] = (),
           **detail: Any) -> None:
    """Record one state change; call inside the write transaction that makes it.

    ``touched`` names the audited rows (model, primary key) the change made,
    altered or deleted: their digests go into the record so that verify can
    tell a later change made outside pingyi (see pingyi.records.digests).
    """
    refs = list(touched)
    if refs:
        from pingyi.records import digests

        detail["digests"] = digests.touched(refs)
    seq, prev = _head()
    seq += 1
    at = clock.now()
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    h = _digest(prev, seq, at, actor, action, text)
    m.AuditEvent.create(seq=seq, at=at, actor=actor, action=action, detail=text, prev=prev, hash=h)
    m.Meta.update(value=h).where(m.Meta.key == "audit_head").execute()
    m.Meta.insert(key="audit_seq", value=str(seq)).on_conflict(
        conflict_target=[m.Meta.key], update={m.Meta.value: str(seq)}
    ).execute()


@dataclass(frozen=True)
class Head:
    """The newest record of the chain: printed on sheets, notices and exports so that a
    rewritten or truncated chain is caught by any paper that carries an older head."""

    seq: int
    hash: str

    def words(self) -> str:
        """「审计链 第N条 HASH前16位」 as printed on documents (DESIGN §11)."""
        return f"审计链 第{self.seq}条 {self.hash[:16]}"


@read
def head() -> Head:
    """The current head; seq 0 and the genesis hash on an empty log."""
    row = m.Meta.get_or_none(m.Meta.key == "audit_head")
    seq_row = m.Meta.get_or_none(m.Meta.key == "audit_seq")
    return Head(int(seq_row.value) if seq_row else 0, row.value if row else GENESIS)


@dataclass(frozen=True)
class Event:
    seq: int
    at: str
    actor: str
    action: str
    detail: dict[str, Any]   # the JSON the event was logged with
    # group key -> the group's name, for the per-group counts in ``detail`` (audit_words.summary's ``names``)
    names: Mapping[str, str] = field(default_factory=dict)


@read
def events(limit: int = 200, offset: int = 0) -> list[Event]:
    q = m.AuditEvent.select().order_by(m.AuditEvent.seq.desc()).limit(limit).offset(offset)
    rows = [(e.seq, e.at, e.actor, e.action, json.loads(e.detail)) for e in q]
    names = _group_names([detail for *_, detail in rows])
    return [Event(seq, at, actor, action, detail, names(detail)) for seq, at, actor, action, detail in rows]


def _groups(spec_json: str) -> dict[str, str]:
    """Group key -> name from a stored scheme (a room's frozen copy or the scheme itself)."""
    try:
        groups = json.loads(spec_json).get("groups", [])
        return {str(g["key"]): str(g["name"]) for g in groups}
    except (ValueError, AttributeError, KeyError, TypeError):
        return {}


def _group_names(details: Sequence[dict[str, Any]]) -> Callable[[dict[str, Any]], Mapping[str, str]]:
    """For each event that counts something per group (a room's quotas and paper forms), the names of
    its room's groups: the room's frozen scheme; for a room deleted since, the scheme the event names,
    else the group names all schemes agree on. Two queries at most, and none for a page without such events."""
    grouped = [d for d in details if any(isinstance(d.get(k), dict) and d[k] for k in GROUPED)]
    if not grouped:
        return lambda detail: {}
    rooms = {str(d["room"]) for d in grouped if d.get("room")}
    by_room = {r.id: _groups(r.spec) for r in m.Room.select(m.Room.id, m.Room.spec).where(m.Room.id.in_(rooms))} \
        if rooms else {}
    by_scheme: dict[str, dict[str, str]] = {}
    agreed: dict[str, str] = {}
    if any(str(d.get("room")) not in by_room for d in grouped):
        by_scheme = {s.name: _groups(s.spec) for s in m.Scheme.select(m.Scheme.name, m.Scheme.spec)}
        seen: dict[str, set[str]] = {}
        for groups in by_scheme.values():
            for key, name in groups.items():
                seen.setdefault(key, set()).add(name)
        agreed = {key: next(iter(called)) for key, called in seen.items() if len(called) == 1}

    def names(detail: dict[str, Any]) -> Mapping[str, str]:
        if not any(isinstance(detail.get(k), dict) for k in GROUPED):
            return {}
        room = by_room.get(str(detail.get("room")))
        return room if room is not None else by_scheme.get(str(detail.get("scheme")), agreed)

    return names


@read
def count() -> int:
    """How many events the log holds (for paging)."""
    return m.AuditEvent.select().count()


@read
def verify(heads: Sequence[tuple[int, str]] = ()) -> list[str]:
    """Everything the log vouches for (DESIGN §11): one Chinese line per finding, empty when all holds.

    ``heads`` are (seq, hash) pairs printed earlier on sheets, notices or exports:
    the chain must still hold each of them.
    """
    from pingyi.records import checks

    return checks.verify(heads)


def verify_chain() -> list[str]:
    """Problems found in the chain alone (call inside a session)."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    for e in m.AuditEvent.select().order_by(m.AuditEvent.seq).iterator():
        if e.seq != expected_seq:
            problems.append(f"第 {expected_seq} 条至第 {e.seq - 1} 条记录缺失（被删除）")
        if e.prev != prev:
            problems.append(f"第 {e.seq} 条记录与前一条不衔接（记录被删除、插入或改动）")
        if _digest(e.prev, e.seq, e.at, e.actor, e.action, e.detail) != e.hash:
            problems.append(f"第 {e.seq} 条记录内容被改动（{e.action}）")
        prev = e.hash
        expected_seq = e.seq + 1
    head = m.Meta.get_or_none(m.Meta.key == "audit_head")
    seq_row = m.Meta.get_or_none(m.Meta.key == "audit_seq")
    if head is not None and head.value != prev:
        problems.append("日志末尾与记录的链头不一致（最后的记录被删除或改动）")
    if seq_row is not None and int(seq_row.value) != expected_seq - 1:
        problems.append(f"日志应有 {seq_row.value} 条记录，实有 {expected_seq - 1} 条")
    return problems
