"""Canonical digests of the rows the audit log vouches for (DESIGN §11).

Each audit record carries, under ``digests``, the digest of every audited row
its change touched (or ``"-"`` for a deleted row); verify recomputes the
current digests and compares them with the newest record about each row, so a
row changed, inserted or deleted outside pingyi is found. A *kind* is one
audited object: a row plus, for rooms and warnings, its child rows (a room's
persons and places, a warning's feedback). Columns that change without an audit
record by design (a room's turnout counter) are left out.

Any service that changes an audited table must pass the touched rows to
``audit.append(..., touched=[(m.Model, pk), ...])`` in the same transaction.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from pingyi.db import models as m
from pingyi.db.connection import database

DELETED = "-"
_CHUNK = 500  # keeps IN (...) lists under SQLite's variable limit


@dataclass(frozen=True)
class Kind:
    """One audited object: its table, its Chinese name, and how to name a row of it."""

    key: str
    name: str
    model: type[pw.Model]
    label: Callable[[dict[str, Any]], str]
    exclude: frozenset[str] = frozenset()
    children: tuple[tuple[type[pw.Model], str], ...] = field(default=())
    # Columns a later migration added as NULL: left out of the digest while NULL, so the rows
    # that never used them keep the digests older records hold (no new baseline needed).
    optional: frozenset[str] = frozenset()


def _kinds() -> list[Kind]:
    return [
        # the login counters change at every attempt, the printed name with its own audit record
        Kind("user", "账号", m.User, lambda r: f"{r['name']}（{r['role']}）",
             exclude=frozenset({"display_name", "failed_logins", "locked_until"})),
        Kind("unit", "单位", m.Unit, lambda r: str(r["name"])),
        Kind("person", "名单人员", m.Person, lambda r: f"{r['code']} {r['name']}",
             optional=frozenset({"inactive_since"})),
        Kind("scheme", "方案", m.Scheme, lambda r: str(r["name"])),
        Kind("room", "会场", m.Room, lambda r: f"{r['id']}「{r['title']}」",
             exclude=frozenset({"version"}), children=((m.RoomPerson, "room"), (m.Quota, "room"))),
        Kind("deduction", "台账扣分", m.Deduction,
             lambda r: f"第 {r['id']} 条（{r['target']}，{r['date']}）"),
        Kind("alert", "预警", m.Alert, lambda r: f"{r['id']}" + (f"（{r['number']}）" if r.get("number") else ""),
             children=((m.Feedback, "alert"),)),
        Kind("policy", "政策版本", m.Policy, lambda r: f"第 {r['id']} 版"),
    ]


KINDS: list[Kind] = _kinds()
BY_MODEL: dict[type[pw.Model], Kind] = {k.model: k for k in KINDS}
BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}


def _pk(model: type[pw.Model]) -> Any:
    return model._meta.primary_key


def _columns(model: type[pw.Model], exclude: frozenset[str] = frozenset()) -> list[pw.Field]:
    return [f for f in model._meta.sorted_fields if f.name not in exclude]


def _canon(kind: Kind, row: dict[str, Any], children: dict[str, list[str]]) -> str:
    body = [kind.key, sorted((k, v) for k, v in row.items()
                             if k not in kind.exclude and not (v is None and k in kind.optional)), children]
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _child_rows(kind: Kind, pks: list[Any] | None) -> dict[Any, dict[str, list[str]]]:
    """Per parent key: per child table, the sorted canonical child rows."""
    out: dict[Any, dict[str, list[str]]] = {}
    for model, fk in kind.children:
        fk_field = model._meta.fields[fk]
        cols = _columns(model)
        q = model.select(*cols)
        if pks is not None:
            q = q.where(fk_field.in_(pks))
        for row in q.dicts().iterator():
            parent = row[fk]
            text = json.dumps(sorted((k, v) for k, v in row.items() if k != fk), ensure_ascii=False,
                              separators=(",", ":"), default=str)
            out.setdefault(parent, {}).setdefault(model._meta.table_name, []).append(text)
    for tables in out.values():
        for rows in tables.values():
            rows.sort()
    return out


def _rows(kind: Kind, pks: list[Any] | None) -> Iterable[dict[str, Any]]:
    q = kind.model.select(*_columns(kind.model, kind.exclude))
    if pks is not None:
        q = q.where(_pk(kind.model).in_(pks))
    return q.dicts().iterator()


def current(kind: Kind, pks: list[Any] | None = None) -> dict[str, tuple[str, str]]:
    """Row key → (digest, label) for the given primary keys, or for every row of the kind."""
    out: dict[str, tuple[str, str]] = {}
    chunks = [None] if pks is None else [pks[i:i + _CHUNK] for i in range(0, len(pks), _CHUNK)]
    pk_name = _pk(kind.model).name
    for chunk in chunks:
        if chunk is not None and not chunk:
            continue
        children = _child_rows(kind, chunk) if kind.children else {}
        for row in _rows(kind, chunk):
            pk = row[pk_name]
            out[str(pk)] = (_canon(kind, row, children.get(pk, {})), kind.label(row))
    return out


def touched(refs: Iterable[tuple[type[pw.Model], Any]]) -> dict[str, dict[str, str]]:
    """Kind key → row key → digest (or DELETED) of the given (model, primary key) pairs."""
    wanted: dict[str, list[Any]] = {}
    for model, pk in refs:
        kind = BY_MODEL.get(model)
        if kind is None:
            raise ValueError(f"{model.__name__} is not an audited kind")
        keys = wanted.setdefault(kind.key, [])
        if pk not in keys:
            keys.append(pk)
    out: dict[str, dict[str, str]] = {}
    for key, pks in wanted.items():
        found = current(BY_KEY[key], pks)
        out[key] = {str(pk): found[str(pk)][0] if str(pk) in found else DELETED for pk in pks}
    return out


def everything() -> dict[str, dict[str, str]]:
    """The digest of every audited row (a baseline for databases made before digests)."""
    return {k.key: {pk: d for pk, (d, _) in current(k).items()} for k in KINDS}


def ballots(room_id: str) -> dict[str, dict[str, Any]]:
    """Group → {"n": ballots, "digest": digest of the group's ballots as a set}.

    A ballot is its status, its paper serial and its entries; not its id nor its
    place in storage, so re-storing ballots in a new random order keeps the digest.
    """
    p = database.param
    cur = database.execute_sql(
        'SELECT b.id, b."group", b.status, b.serial, e.person, e.total, e.vals '
        f"FROM ballot b LEFT JOIN entry e ON e.ballot_id = b.id WHERE b.room_id = {p}", (room_id,))
    per: dict[Any, tuple[str, str, list[tuple[int, int | None, str | None]]]] = {}
    for bid, group, status, serial, person, total, vals in cur.fetchall():
        b = per.get(bid)
        if b is None:
            b = per[bid] = (group, f"{status}|{serial!r}", [])
        if person is not None:
            b[2].append((person, total, vals))
    groups: dict[str, list[str]] = {}
    for group, head, entries in per.values():
        entries.sort(key=lambda e: e[0])  # one entry per person on a ballot
        # repr() quotes the text fields, so no two different ballots read the same
        groups.setdefault(group, []).append(head + "|" + ";".join(f"{p},{t},{v!r}" for p, t, v in entries))
    out: dict[str, dict[str, Any]] = {}
    for group, texts in sorted(groups.items()):
        texts.sort()
        h = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:32]
        out[group] = {"n": len(texts), "digest": h}
    return out
