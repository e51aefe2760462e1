"""`audit verify`: everything the audit log vouches for (DESIGN §11).

The chain itself; heads printed outside the database; every audited row
against the digest of the newest record about it; every closed room's stored
tally against its hash, its close record and a recomputation from its ballots;
the ballots of a closed room against the digest recorded at close; an open
room's ballots against the count pingyi kept while taking them; ballots beyond
a group's places. One Chinese line per finding.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pingyi.common.vocab import RoomStatus
from pingyi.db import models as m
from pingyi.db.connection import database
from pingyi.records import audit, digests


@dataclass
class _Log:
    """What the records say, newest record winning."""

    rows: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    closes: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    ballots: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)


def _read_log() -> _Log:
    log = _Log()
    q = m.AuditEvent.select(m.AuditEvent.seq, m.AuditEvent.action, m.AuditEvent.detail).order_by(m.AuditEvent.seq)
    for seq, action, text in q.tuples().iterator():
        try:
            detail = json.loads(text)
        except ValueError:
            continue  # the chain check names it
        if not isinstance(detail, dict):
            continue
        for kind, rows in (detail.get("digests") or {}).items():
            for pk, digest in rows.items():
                log.rows[(kind, pk)] = (digest, seq)
        if action == "room.close":
            log.closes[str(detail.get("room"))] = (seq, detail)
            if "ballots" in detail:
                log.ballots[str(detail.get("room"))] = (seq, detail["ballots"])
        elif action == "audit.baseline":
            for room, groups in (detail.get("ballots") or {}).items():
                log.ballots[room] = (seq, groups)
    return log


def check_heads(heads: Sequence[tuple[int, str]]) -> list[str]:
    """Each head printed on paper must still be in the chain with the same hash."""
    out = []
    for seq, h in heads:
        row = m.AuditEvent.get_or_none(m.AuditEvent.seq == seq)
        shown = h[:16]
        if row is None:
            out.append(f"审计链已没有第 {seq} 条记录（外部留存的链头为 第{seq}条 {shown}）：日志被截断、删除或重写")
        elif not row.hash.startswith(h.lower()):
            out.append(f"审计链第 {seq} 条的哈希为 {row.hash[:16]}，与外部留存的 {shown} 不符：日志被重写")
    return out


def check_rows(log: _Log) -> list[str]:
    out = []
    for kind in digests.KINDS:
        now = digests.current(kind)
        for pk, (digest, label) in now.items():
            rec = log.rows.get((kind.key, pk))
            if rec is None:
                out.append(f"{kind.name} {label} 没有任何审计记录（在 pingyi 之外插入）")
            elif rec[0] == digests.DELETED:
                out.append(f"{kind.name} {label} 按审计第 {rec[1]} 条已删除，却仍在库中（在 pingyi 之外插入）")
            elif rec[0] != digest:
                out.append(f"{kind.name} {label} 与审计第 {rec[1]} 条记录的内容不符（在 pingyi 之外被改动）")
        for (key, pk), (digest, seq) in log.rows.items():
            if key == kind.key and digest != digests.DELETED and pk not in now:
                out.append(f"{kind.name} 编号 {pk} 已不在库中，审计第 {seq} 条记录了它（在 pingyi 之外被删除）")
    return out


def _group_name(spec: Any, key: str) -> str:
    g = spec.group(key) if spec is not None else None
    return f"{g.name}（{key}）" if g is not None else key


def _projection(body: dict[str, Any]) -> dict[str, Any]:
    """The numbers of a tally: what a recomputation must reproduce (names may change in the roster)."""
    return {
        "ballots": body.get("ballots"),
        "ballots_by_group": body.get("ballots_by_group"),
        "results": [{k: r.get(k) for k in ("person", "score", "rank", "bottom", "groups")}
                    for r in body.get("results", [])],
    }


def _tally_problems(room: m.Room, log: _Log) -> list[str]:
    from pingyi.voting import tally as tally_service

    name = f"会场 {room.id}「{room.title}」"
    if not room.tally:
        return [f"{name} 已结束，但库中没有它的结果（结果被删除）"]
    out = []
    if hashlib.sha256(room.tally.encode()).hexdigest() != room.tally_hash:
        out.append(f"{name} 存储的结果与其哈希不符（结果被改动）")
    close = log.closes.get(room.id)
    if close is None:
        out.append(f"{name} 已结束，但审计日志中没有它的结束记录")
    elif close[1].get("tally_hash") != room.tally_hash:
        out.append(f"{name} 的结果哈希与审计第 {close[0]} 条结束记录不符（结果被改动）")
    try:
        stored = json.loads(room.tally)
    except ValueError:
        return out + [f"{name} 存储的结果无法读取（结果被改动）"]
    recomputed = tally_service.compute(room, status="closed").to_json()
    a, b = _projection(stored), _projection(recomputed)
    if a != b:
        if a["ballots"] != b["ballots"] or a["ballots_by_group"] != b["ballots_by_group"]:
            what = "选票统计"
        else:
            olds = {r["person"]: r for r in a["results"]}
            diff = [r["person"] for r in b["results"] if olds.get(r["person"]) != r]
            what = f"{'、'.join(diff[:3])}{' 等' if len(diff) > 3 else ''} {len(diff)} 人的得分或名次"
        out.append(f"{name} 存储的结果与按库中选票重算的不符（{what}不同）")
    return out


def _channel_counts(room: m.Room) -> dict[tuple[str, bool], int]:
    """(group, paper?) → ballots: a paper ballot carries its form's serial, a code ballot none."""
    cur = database.execute_sql(
        f'SELECT "group", serial IS NOT NULL, COUNT(*) FROM ballot WHERE room_id = {database.param} '
        f'GROUP BY "group", serial IS NOT NULL', (room.id,))
    return {(g, bool(p)): n for g, p, n in cur.fetchall()}


def _places_problems(room: m.Room, spec: Any, name: str) -> list[str]:
    """More ballots in a group and channel than its places (DESIGN §6)."""
    from pingyi.voting.rooms import places_of

    places = places_of(room.id)
    if not places.declared:
        return []
    out = []
    for (g, paper), n in sorted(_channel_counts(room).items()):
        cap = (places.paper if paper else places.codes).get(g, 0)
        if n > cap:
            what = "纸质选票" if paper else "凭票码投入的选票"
            out.append(f"{name} {_group_name(spec, g)} 有{what} {n} 张，超过名额 {cap} 个")
    return out


def _used_codes(room: m.Room) -> dict[str, int]:
    """Group → codes used: from the hashes while open, from the counts kept at close."""
    p = database.param
    if room.status == RoomStatus.CLOSED:
        sql = f"SELECT \"group\", count FROM code_count WHERE room_id = {p} AND status = 'used'"
    else:
        sql = (f"SELECT \"group\", COUNT(*) FROM ballot_code WHERE room_id = {p} AND status = 'used' "
               f'GROUP BY "group"')
    return {g: n for g, n in database.execute_sql(sql, (room.id,)).fetchall()}


def _codes_problems(room: m.Room, spec: Any, name: str) -> list[str]:
    """Every code ballot used one code, in the same transaction: the two counts are equal."""
    used = _used_codes(room)
    cast = {g: n for (g, paper), n in _channel_counts(room).items() if not paper}
    out = []
    for g in sorted(set(used) | set(cast)):
        if used.get(g, 0) != cast.get(g, 0):
            out.append(f"{name} {_group_name(spec, g)} 有凭票码投入的选票 {cast.get(g, 0)} 张，"
                       f"已用票码却是 {used.get(g, 0)} 个（选票或票码在 pingyi 之外被改动）")
    return out


def _ballot_counts(room: m.Room) -> dict[str, int]:
    cur = database.execute_sql(
        f'SELECT "group", COUNT(*) FROM ballot WHERE room_id = {database.param} GROUP BY "group"', (room.id,))
    return {g: n for g, n in cur.fetchall()}


def check_rooms(log: _Log) -> list[str]:
    from pingyi.voting.rooms import spec_of

    out = []
    kept = {(r, g): n for r, g, n in database.execute_sql('SELECT room_id, "group", n FROM ballot_count').fetchall()}
    for room in m.Room.select().order_by(m.Room.id):
        name = f"会场 {room.id}「{room.title}」"
        try:
            spec = spec_of(room)
        except (ValueError, KeyError, TypeError):
            spec = None
            out.append(f"{name} 冻结的方案无法读取（被改动）")
        counts = _ballot_counts(room)
        if room.status == RoomStatus.CLOSED:
            if spec is not None:
                out += _tally_problems(room, log)
            rec = log.ballots.get(room.id)
            if rec is not None:
                seq, then = rec
                now = digests.ballots(room.id)
                for g in sorted(set(then) | set(now)):
                    n0 = then.get(g, {}).get("n", 0)
                    n1 = now.get(g, {}).get("n", 0)
                    if n0 != n1:
                        out.append(f"{name} {_group_name(spec, g)} 结束时有 {n0} 张选票（审计第 {seq} 条），"
                                   f"现有 {n1} 张（结束后增删了选票）")
                    elif then.get(g, {}).get("digest") != now.get(g, {}).get("digest"):
                        out.append(f"{name} {_group_name(spec, g)} 的选票与结束时（审计第 {seq} 条）不符"
                                   f"（结束后改动了选票）")
        elif room.status == RoomStatus.OPEN:
            for g in sorted(set(counts) | {g for (r, g) in kept if r == room.id}):
                n, k = counts.get(g, 0), kept.get((room.id, g), 0)
                if n != k:
                    out.append(f"{name}（进行中）{_group_name(spec, g)} 库中有 {n} 张选票，经 pingyi 投入的是 {k} 张"
                               f"（在 pingyi 之外{'插入' if n > k else '删除'}了选票）")
        if room.status != RoomStatus.DRAFT:
            out += _places_problems(room, spec, name)
            out += _codes_problems(room, spec, name)
    return out


def verify(heads: Sequence[tuple[int, str]] = ()) -> list[str]:
    """All findings, chain first (call inside a session)."""
    log = _read_log()
    return audit.verify_chain() + check_heads(heads) + check_rows(log) + check_rooms(log)
