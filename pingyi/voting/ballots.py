"""Ballots: kiosk/browser submission with a one-time code, atomic CSV import,
and paper double entry. Ballots get random ids and no timestamp."""
from __future__ import annotations

import json
import random
import secrets
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pingyi.common.errors import InputError, PingyiError
from pingyi.common.limits import clean, problem, shown
from pingyi.common.vocab import BallotStatus, CodeStatus, PaperStatus, RoomStatus
from pingyi.db import models as m
from pingyi.db.connection import database, is_sqlite, kept_checkpoint, kept_write, read, session, write
from pingyi.people.accounts import Actor, require
from pingyi.records import audit
from pingyi.rules.numbers import parse_tenths, tenths_str
from pingyi.rules.spec import Indicator, Rules, SchemeSpec
from pingyi.rules.tally import classify, classify_counts
from pingyi.voting import codes
from pingyi.voting.rooms import Places, places_of, room_row, spec_of

Values = Sequence[str] | None  # per indicator, as typed; None = abstain


class EntryParser:
    """Turns typed cells into tenths for one scheme, caching repeated cells."""

    def __init__(self, spec: SchemeSpec, columns: bool = False):
        self.spec = spec
        self.columns = columns  # a file's problems also name the column (its header is the key)
        self._cache: list[dict[str, int | None]] = [{} for _ in spec.indicators]
        self._entries: dict[tuple[str, ...], tuple[list[int] | None, list[str]]] = {}

    def value(self, i: int, text: str) -> int | None:
        cache = self._cache[i]
        try:
            return cache[text]
        except KeyError:
            pass
        ind = self.spec.indicators[i]
        t = parse_tenths(text)
        if t is None:
            t = self.spec.grade_tenths(text.strip(), ind)
        elif t > ind.max:
            t = None
        cache[text] = t
        return t

    def entry(self, cells: Sequence[str]) -> tuple[list[int] | None, list[str]]:
        """(values in tenths or None for abstain, problems per indicator); cached per cell tuple."""
        key = tuple(cells)
        hit = self._entries.get(key)
        if hit is None:
            hit = self._entries[key] = self.judge(key)
        return hit

    def judge(self, cells: Sequence[str]) -> tuple[list[int] | None, list[str]]:
        """What :meth:`entry` returns, without keeping it (for callers with a cache of their own)."""
        if not any(c.strip() for c in cells):
            return None, []
        problems: list[str] = []
        vals: list[int] = []
        for i, (ind, cell) in enumerate(zip(self.spec.indicators, cells, strict=False)):
            if not cell.strip():
                problems.append(f"{self.label(ind)}为空（部分填写：要么全部填写，要么全部留空表示弃权）")
                continue
            v = self.value(i, cell)
            if v is None:
                problems.append(self.explain(ind, cell))
            else:   # with a problem, vals is dropped anyway
                vals.append(v)
        return (vals if not problems else None), problems

    def label(self, ind: Indicator) -> str:
        """An indicator as voters and clerks know it: by name; a file's problems add the column."""
        return f"指标「{ind.name}」（列 {ind.key}）" if self.columns else f"指标「{ind.name}」"

    def explain(self, ind: Indicator, cell: str) -> str:
        t = parse_tenths(cell)
        if t is not None:
            return f"{self.label(ind)}的分值 {shown(cell)} 超出 0–{tenths_str(ind.max)}"
        if cell.strip().lstrip("-").replace(".", "", 1).isdigit():
            return (f"{self.label(ind)}的分值 {shown(cell)} 不合规"
                    f"（应为 0–{tenths_str(ind.max)}，最多一位小数）")
        labels = "、".join(label for label, _ in self.spec.grades) or "无"
        return f"{self.label(ind)}的值「{shown(cell)}」既不是分数也不是等次（可用等次：{labels}）"


# Ids and storage order come from here; tests swap in a seeded ``random.Random``.
_random: random.Random = secrets.SystemRandom()


def _new_id() -> int:
    return _random.getrandbits(62) + 1


COUNT_BALLOTS = ('INSERT INTO ballot_count (room_id, "group", n) VALUES ({q}, {q}, {q}) '
                 'ON CONFLICT (room_id, "group") DO UPDATE SET n = ballot_count.n + {q}')


def count_ballots(room_id: str, adding: Mapping[str, int]) -> None:
    """Add to the ballots pingyi took per group, in the transaction that stores them: verify
    compares an open room's ballots with this count (DESIGN §11). A count, nothing per ballot."""
    sql = COUNT_BALLOTS.format(q=database.param)
    for group, n in adding.items():
        database.execute_sql(sql, (room_id, group, n, n))


def _insert(room_id: str, ballots: list[tuple[str, str | None, list[tuple[int, list[int] | None]]]],
            rules: Rules) -> dict[str, int]:
    """Bulk insert (group, serial, [(person id, values)]) ballots; returns counts by status."""
    counts = {"valid": 0, "invalid": 0, "blank": 0}
    ballot_rows = []
    entry_rows = []
    for group, serial, entries in ballots:
        bid = _new_id()
        totals = [None if v is None else sum(v) for _, v in entries]
        status = classify(rules, totals)
        counts[status] += 1
        ballot_rows.append((bid, room_id, group, status, serial))
        for (pid, vals), total in zip(entries, totals, strict=True):
            entry_rows.append((bid, pid, total, None if vals is None else ",".join(map(str, vals))))
    # Shuffle so that physical order says nothing about who voted when.
    _random.shuffle(ballot_rows)
    _bulk("ballot", 'id, room_id, "group", status, serial', ballot_rows)
    _bulk("entry", "ballot_id, person, total, vals", entry_rows)
    m.Room.update(version=m.Room.version + 1).where(m.Room.id == room_id).execute()
    per_group: dict[str, int] = {}
    for group, _, _ in ballots:
        per_group[group] = per_group.get(group, 0) + 1
    count_ballots(room_id, per_group)
    return counts


def _bulk(table: str, columns: str, rows: Sequence[tuple[object, ...]]) -> None:
    """Many rows at once: executemany on SQLite (peewee's insert_many spends its
    time building SQL), COPY on PostgreSQL."""
    if not rows:
        return
    cur = database.cursor()
    if is_sqlite():
        cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(rows[0]))})", rows)
        return
    import io

    def cell(v: object) -> str:
        if v is None:
            return "\\N"
        return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    buf = io.StringIO("".join("\t".join(map(cell, r)) + "\n" for r in rows))
    cur.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buf)


def _room_persons(room_id: str) -> dict[str, int]:
    q = (m.Person.select(m.Person.code, m.Person.id)
         .join(m.RoomPerson, on=(m.RoomPerson.person == m.Person.id))
         .where(m.RoomPerson.room == room_id).tuples())
    return dict(cast(Iterable[tuple[str, int]], q))


def _paper_cast(room_id: str) -> dict[str, int]:
    """Paper ballots already counted, per group."""
    return dict(cast(Iterable[tuple[str, int]], m.Ballot.select(m.Ballot.group, m.fn.COUNT(m.Ballot.id)).where(
        (m.Ballot.room == room_id) & m.Ballot.serial.is_null(False)).group_by(m.Ballot.group).tuples()))


def _paper_refusals(room_id: str, spec: SchemeSpec, adding: Mapping[str, int],
                    places: Places | None = None) -> list[str]:
    """Why ``adding`` paper ballots per group would break the room's places (DESIGN §6); [] if they fit.

    A room that declares no places at all takes paper ballots without a limit."""
    places = places or places_of(room_id)
    if not places.declared:
        return []
    have = _paper_cast(room_id)
    out = []
    for key, n in adding.items():
        g = spec.group(key)
        name = g.name if g else key
        limit = places.paper.get(key, 0)
        if limit == 0:
            out.append(f"代表类别「{name}」在本会场没有纸质选票名额（--paper），不能计入纸质选票")
        elif have.get(key, 0) + n > limit:
            out.append(f"代表类别「{name}」纸质选票名额 {limit} 张，已计入 {have.get(key, 0)} 张，"
                       f"再计入 {n} 张将超出名额")
    return out


def restore_shuffled(room_id: str) -> None:
    """Re-store a room's ballots and entries under fresh random ids, in random order.

    Called in the closing transaction: every row is written anew by that one
    transaction, so neither row versions, transaction ids, physical order nor
    ids still follow the order of casting (DESIGN §6).
    """
    ballots = list(cast(Iterable[tuple[int, str, str, str | None]],
                        m.Ballot.select(m.Ballot.id, m.Ballot.group, m.Ballot.status, m.Ballot.serial)
                        .where(m.Ballot.room == room_id).tuples()))
    if not ballots:
        return
    p = database.param
    entries: dict[int, list[tuple[int, int | None, str | None]]] = {}
    cur = database.execute_sql(
        f"SELECT e.ballot_id, e.person, e.total, e.vals FROM entry e JOIN ballot b ON b.id = e.ballot_id "
        f"WHERE b.room_id = {p}", (room_id,))
    for bid, person, total, vals in cur.fetchall():
        entries.setdefault(bid, []).append((person, total, vals))
    database.execute_sql(f"DELETE FROM entry WHERE ballot_id IN (SELECT id FROM ballot WHERE room_id = {p})",
                         (room_id,))
    m.Ballot.delete().where(m.Ballot.room == room_id).execute()
    _random.shuffle(ballots)
    fresh: set[int] = set()
    ballot_rows: list[tuple[object, ...]] = []
    entry_rows: list[tuple[object, ...]] = []
    for old, group, status, serial in ballots:
        bid = _new_id()
        while bid in fresh:
            bid = _new_id()
        fresh.add(bid)
        ballot_rows.append((bid, room_id, group, status, serial))
        # Entries follow their ballot (in person order): the ballot order is what is random.
        rows = entries.get(old, [])
        entry_rows.extend((bid, person, total, vals) for person, total, vals in rows)
    _bulk("ballot", 'id, room_id, "group", status, serial', ballot_rows)
    _bulk("entry", "ballot_id, person, total, vals", entry_rows)


def _open_room(room_id: str) -> m.Room:
    room = room_row(room_id)
    if room.status != RoomStatus.OPEN:
        state = {"draft": "尚未开启", "closed": "已结束"}[room.status]
        raise PingyiError(f"会场 {room_id} {state}，不能投票或录入选票。")
    return room


@dataclass(frozen=True)
class ImportResult:
    cast: int
    valid: int
    invalid: int
    blank: int


IMPORT_CHUNK = 20_000  # entry rows per executemany / COPY while importing


@write
def import_csv(actor: Actor, room_id: str, path: str | Path) -> ImportResult:
    """All or nothing: every error is listed with its line number.

    The file is streamed: rows are checked and inserted in chunks inside the
    one transaction, so memory stays bounded by the number of ballots, not
    entries. After the first error nothing more is inserted, the rest of the
    file is still checked so that every error is listed, and the transaction
    rolls back.
    """
    require(actor, "organizer")
    room = _open_room(room_id)
    spec = spec_of(room)
    p = Path(path)
    if not p.exists():
        raise InputError(f"文件不存在：{p}")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with database.atomic():  # a savepoint: a file that turns out not to be UTF-8 is read again
                result = _import_stream(room_id, spec, p, encoding)
            break
        except UnicodeDecodeError:
            continue
        except OSError as exc:
            raise InputError(f"无法读取 {p}：{exc.strerror}") from None
    else:
        raise InputError(f"{p.name}：无法识别文件编码（请存为 UTF-8 或 GBK 编码的 CSV）。")
    audit.append(actor.name, "ballots.import", room=room_id, file=p.name, cast=result.cast,
                 valid=result.valid, invalid=result.invalid, blank=result.blank)
    return result


def _import_stream(room_id: str, spec: SchemeSpec, p: Path, encoding: str) -> ImportResult:
    """One streaming pass over the file: check every row, insert while there is no error."""
    import csv

    with p.open(encoding=encoding, newline="") as f:
        reader = csv.reader(f)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise InputError(f"{p.name}：文件是空的。") from None
        except csv.Error as exc:
            raise InputError(f"{p.name}：CSV 格式错误：{exc}") from None
        keys = [i.key for i in spec.indicators]
        if [h.lower() for h in header[:3]] != ["ballot", "group", "person"]:
            raise InputError(f"{p.name}：表头应以 ballot,group,person 开头，然后是指标列 {','.join(keys)}")
        ind_cols = header[3:]
        unknown = [h for h in ind_cols if h not in keys]
        missing = [k for k in keys if k not in ind_cols]
        if unknown or missing:
            raise InputError(f"{p.name}：指标列不对" + (f"，未知列：{','.join(unknown)}" if unknown else "")
                             + (f"，缺少列：{','.join(missing)}" if missing else ""))
        order = [ind_cols.index(k) + 3 for k in keys]
        # person code -> (person id, slot in a ballot's bytearray of rated persons)
        persons = {code: (pid, k) for k, (code, pid) in enumerate(_room_persons(room_id).items())}
        parser = EntryParser(spec, columns=True)
        rules = spec.rules
        excellent_at = rules.excellent_at if rules.max_excellent_ratio is not None else None
        # A file repeats few distinct cells: each column caches cell -> (tenths, its text),
        # or () for anything but a plain valid value (empty, a grade, an error), which
        # goes the slower way through the parser (cached per cell tuple).
        columns: list[dict[str, tuple[int, str] | tuple[()]]] = [{} for _ in order]
        excellent_at = excellent_at if excellent_at is not None else 1 << 62

        def fill(i: int, cell: str) -> tuple[int, str] | tuple[()]:
            t = parser.value(i, cell) if cell.strip() else None
            out: tuple[int, str] | tuple[()] = () if t is None else (t, str(t))
            columns[i][cell] = out
            return out

        cells_seen: dict[tuple[str, ...], tuple[int | None, str | None, list[str] | None, int, bool]] = {}

        def slow(cells: list[str]) -> tuple[int | None, str | None, list[str] | None, int, bool]:
            key = tuple(cells)
            hit = cells_seen.get(key)
            if hit is None:
                vals, problems = parser.entry(key)
                if vals is None:
                    hit = (None, None, problems or None, 0, False)
                else:
                    total = sum(vals)
                    hit = (total, ",".join(map(str, vals)), None, 1, total >= excellent_at)
                cells_seen[key] = hit
            return hit

        two = len(order) == 2
        o0, o1 = (order + order)[:2]
        get0, get1 = columns[0].get, columns[-1].get
        groups = {}
        for g in spec.groups:
            groups[g.key] = groups[g.name] = g.key
        group_names = {g.key: g.name for g in spec.groups}    # for messages: the name, as on the paper form
        existing = {s for (s,) in cast(Iterable[tuple[str]], m.Ballot.select(m.Ballot.serial).where(
            (m.Ballot.room == room_id) & m.Ballot.serial.is_null(False)).tuples())}
        # serial -> _Seen: what later rows of the same ballot are checked against
        seen: dict[str, _Seen] = {}
        errors: list[str] = []
        new_ballots: list[tuple[int, str, str, str, str]] = []
        rows: list[tuple[int, int, int | None, str | None]] = []
        ncols = len(header)
        # The loop keeps the current ballot in locals (rows of one ballot usually
        # follow each other) and switches ballots only when the ballot or group
        # cell changes; per-ballot state lives in ``seen`` between switches.
        b: _Seen | None = None
        last: tuple[str | None, str | None] = (None, None)   # (ballot, group) cells of the current ballot
        # one row's entry: total and values text (None: abstain or wrong), problems, complete, excellent
        total: int | None
        text: str | None
        problems: list[str] | None
        mask = bytearray()
        complete = excellent = 0
        ok = True
        persons_get, append = persons.get, rows.append
        try:
            for line, row in enumerate(reader, 2):
                if len(row) != ncols:
                    if any(c.strip() for c in row):
                        errors.append(f"第 {line} 行：应有 {ncols} 列，实有 {len(row)} 列")
                        ok = False
                    continue
                if two:
                    a = get0(row[o0]) or fill(0, row[o0])
                    c = get1(row[o1]) or fill(1, row[o1])
                    if a and c:
                        total = a[0] + c[0]
                        text = a[1] + "," + c[1]
                        problems, is_complete, is_excellent = None, 1, total >= excellent_at
                    else:
                        total, text, problems, is_complete, is_excellent = slow([row[i] for i in order])
                else:
                    total, text, problems, is_complete, is_excellent = slow([row[i] for i in order])
                who = persons_get(row[2]) or persons_get(row[2].strip())
                if (row[0], row[1]) != last or b is None:
                    if b is not None:
                        b.complete, b.excellent = complete, excellent
                    b, last = None, (None, None)
                    serial = row[0].strip()
                    group = groups.get(row[1]) or groups.get(row[1].strip())
                    if not serial or group is None or who is None or problems:
                        errors.extend(_row_errors(line, row, serial, group, who, problems))
                        ok = False
                        continue
                    found = seen.get(serial)
                    if found is None:
                        wrong = problem(serial, "serial")[1]
                        if wrong:
                            errors.append(f"第 {line} 行（ballot 列）：{wrong}")
                            ok = False
                            continue
                        if serial in existing:
                            errors.append(f"第 {line} 行：选票编号 {serial} 已在本会场录入过")
                            ok = False
                            continue
                        found = seen[serial] = _Seen(_new_id(), group, line, bytearray(len(persons)))
                        new_ballots.append((found.id, room_id, group, "valid", serial))
                    elif found.group != group:
                        errors.append(f"第 {line} 行（选票 {serial}）：同一张选票的代表类别不一致"
                                      f"（第 {found.line} 行为 {group_names[found.group]}）")
                        ok = False
                        continue
                    b, last = found, (row[0], row[1])
                    mask, complete, excellent, bid = b.persons, b.complete, b.excellent, b.id
                    if ok and len(rows) >= IMPORT_CHUNK:
                        _flush(new_ballots, rows)
                elif who is None or problems:
                    errors.extend(_row_errors(line, row, row[0].strip(), b.group, who, problems))
                    ok = False
                    continue
                pid, k = who
                if mask[k]:
                    errors.append(f"第 {line} 行（选票 {row[0].strip()}，人员 {row[2].strip()}）："
                                  "同一张选票重复评价同一人")
                    ok = False
                    continue
                mask[k] = 1
                complete += is_complete
                excellent += is_excellent
                if ok:
                    append((bid, pid, total, text))
            if b is not None:
                b.complete, b.excellent = complete, excellent
        except csv.Error as exc:
            errors.append(f"CSV 格式错误：{exc}")
    if errors:
        raise InputError(f"{p.name}：有 {len(errors)} 处错误，整个文件未导入。", errors)
    if not seen:
        raise InputError(f"{p.name}：没有选票数据。")
    adding: dict[str, int] = {}
    for b in seen.values():
        adding[b.group] = adding.get(b.group, 0) + 1
    refused = _paper_refusals(room_id, spec, adding)
    if refused:  # the transaction rolls back what was inserted
        raise InputError(f"{p.name}：超出本会场的纸质选票名额，整个文件未导入。", refused)
    _flush(new_ballots, rows)
    count_ballots(room_id, adding)
    counts = {"valid": 0, "invalid": 0, "blank": 0}
    changed = []
    for b in seen.values():
        status = classify_counts(rules, b.complete, b.excellent)
        counts[status] += 1
        if status != BallotStatus.VALID:
            changed.append((status, b.id))
    if changed:
        database.cursor().executemany(
            f"UPDATE ballot SET status = {database.param} WHERE id = {database.param}", changed)
    m.Room.update(version=m.Room.version + 1).where(m.Room.id == room_id).execute()
    return ImportResult(len(seen), counts["valid"], counts["invalid"], counts["blank"])


def _row_errors(line: int, row: list[str], serial: str, group: str | None, who: tuple[int, int] | None,
                problems: list[str] | None) -> list[str]:
    """What is wrong with one imported row (a missing ballot number, group, person or a bad value)."""
    person = shown(row[2].strip())
    if not serial:
        return [f"第 {line} 行：缺少选票编号 ballot"] if any(c.strip() for c in row) else []
    where = f"第 {line} 行（选票 {shown(serial)}，人员 {person or '?'}）"
    out = []
    if group is None:
        out.append(f"{where}：未知代表类别「{shown(row[1].strip())}」")
    if who is None:
        out.append(f"{where}：人员 {person} 不在本会场的测评名单中")
    out.extend(f"{where}：{msg}" for msg in problems or ())
    return out


@dataclass(slots=True)
class _Seen:
    """A ballot met earlier in an imported file."""
    id: int
    group: str
    line: int
    persons: bytearray  # 1 where the room's person (by slot) is already rated on it
    complete: int = 0   # entries with a total (not abstentions)
    excellent: int = 0  # ... at or above the scheme's excellent mark


def _flush(ballots: list[tuple[int, str, str, str, str]], rows: list[tuple[int, int, int | None, str | None]]) -> None:
    """Insert the ballots met so far (before their entries: foreign keys), then the entries."""
    if ballots:
        _random.shuffle(ballots)
        _bulk("ballot", 'id, room_id, "group", status, serial', ballots)
        ballots.clear()
    _bulk("entry", "ballot_id, person, total, vals", rows)
    rows.clear()


def _validate_entries(room_id: str, spec: SchemeSpec,
                      entries: Mapping[str, Values]) -> list[tuple[int, list[int] | None]]:
    persons = _room_persons(room_id)
    parser = EntryParser(spec)
    out: list[tuple[int, list[int] | None]] = []
    errors: list[str] = []
    for code, cells in entries.items():
        pid = persons.get(code)
        if pid is None:
            errors.append(f"人员 {code} 不在本会场的测评名单中")
            continue
        if cells is None:
            out.append((pid, None))
            continue
        if len(cells) != len(spec.indicators):
            errors.append(f"人员 {code}：应有 {len(spec.indicators)} 项指标")
            continue
        vals, problems = parser.entry([str(c) for c in cells])
        errors.extend(f"人员 {code}：{msg}" for msg in problems)
        out.append((pid, vals))
    if errors:
        raise InputError(f"选票有 {len(errors)} 处错误，未提交。", errors)
    return out


class CodeRefused(InputError):
    """The code is unknown, used or void; ``reason`` is one of those words."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def submit(room_id: str, code: str, entries: Mapping[str, Values]) -> str:
    """One ballot with a one-time code, in one transaction; returns the ballot status.

    The hot path of every kiosk and browser ballot. The room's frozen scheme
    and persons are loaded once per open room and kept (:func:`_prepared`);
    the code's form and the entries are checked in plain Python before the
    write lock is taken; the write is a few prepared statements on the
    process's kept connection in one transaction (``IMMEDIATE`` on SQLite):
    the room must still be open with the same frozen contents, the code is
    marked used by a conditional update that must touch exactly one row, the
    group's code places are checked, and the ballot and its entries are
    inserted. A failure anywhere rolls back and leaves the code unused.
    """
    room = _prepared(room_id)
    canon = codes.normalise(code)
    if canon is None:
        raise CodeRefused("票码格式不对，请核对票码条上的 10 位字符。", "unknown")
    rows, status = room.ballot(entries)
    digest = codes.digest(room.salt, canon)
    q = room.param
    frozen = f"frozen_hash = {q}" if room.frozen_hash is not None else f"frozen_hash IS NULL AND {q} IS NULL"
    count_sql = COUNT_BALLOTS.format(q=q)

    def work(cur: Any) -> str | None:
        # The room lock first: it serialises the room's ballots on PostgreSQL too,
        # so the places count below cannot race another ballot of the group.
        cur.execute(f"UPDATE room SET version = version + 1 WHERE id = {q} AND status = 'open' AND {frozen}",
                    (room_id, room.frozen_hash))
        if cur.rowcount != 1:
            return None
        cur.execute(f"UPDATE ballot_code SET status = 'used' WHERE hash = {q} AND room_id = {q} "
                    f"AND status = 'unused' RETURNING \"group\"", (digest, room_id))
        hit = cur.fetchone()
        if hit is None:
            cur.execute(f"SELECT status FROM ballot_code WHERE hash = {q} AND room_id = {q}", (digest, room_id))
            raise _refusal(cur.fetchone())
        group = hit[0]
        cur.execute(f'SELECT (SELECT count FROM quota WHERE room_id = {q} AND "group" = {q}), '
                    f"(SELECT COUNT(*) FROM ballot_code WHERE room_id = {q} AND \"group\" = {q} "
                    f"AND status = 'used')", (room_id, group, room_id, group))
        limit, used = cur.fetchone()
        if used > (limit or 0):
            raise PlacesFull(f"本类别的票码名额（{limit or 0} 张）已满，这张选票未计入。请联系会务人员。")
        bid = _new_id()
        cur.execute(f'INSERT INTO ballot (id, room_id, "group", status, serial) VALUES ({q}, {q}, {q}, {q}, NULL)',
                    (bid, room_id, group, status))
        if q == "?":
            cur.executemany("INSERT INTO entry (ballot_id, person, total, vals) VALUES (?, ?, ?, ?)",
                            [(bid, *row) for row in rows])
        else:  # psycopg2's executemany is a round trip per row; one statement carries them all
            from psycopg2.extras import execute_values

            execute_values(cur, "INSERT INTO entry (ballot_id, person, total, vals) VALUES %s",
                           [(bid, *row) for row in rows], page_size=1000)
        cur.execute(count_sql, (room_id, group, 1, 1))  # what verify holds an open room's ballots to
        return status

    stored = kept_write(work)
    if stored is None:  # closed (or reopened with other contents) since it was prepared
        forget_room(room_id)
        _prepared(room_id)  # raises the room's state in words
        raise PingyiError(f"会场 {room_id} 的测评内容已变化，请重新投票。")
    kept_checkpoint()  # keep the WAL from holding the order of casting (DESIGN §6)
    return stored


def _refusal(row: tuple[str] | None) -> CodeRefused:
    if row is None:
        return CodeRefused("票码无效：本会场没有这个票码。", "unknown")
    if row[0] == "used":
        return CodeRefused("这个票码已经投过票，不能重复使用。", "used")
    return CodeRefused("这个票码已作废，请向会务人员领取新票码。", "void")


@dataclass
class _Prepared:
    """What submitting to one open room needs, loaded once: frozen while the room is open."""
    db: object  # the database it was loaded from (the proxy's object at the time)
    room_id: str
    salt: str
    frozen_hash: str | None
    spec: SchemeSpec
    persons: dict[str, int]  # person code -> person id
    parser: EntryParser
    param: str  # the driver's placeholder
    _rows: dict[tuple[object, ...], tuple[int | None, str | None, tuple[str, ...]]] = field(default_factory=dict)

    def ballot(self, entries: Mapping[str, Values]) -> tuple[list[tuple[int, int | None, str | None]], str]:
        """Entry rows (person id, total, values) and the ballot's status, or InputError listing every problem."""
        rows: list[tuple[int, int | None, str | None]] = []
        errors: list[str] = []
        persons, known, cell_row = self.persons, self._rows, self._cell_row
        complete = excellent = 0
        excellent_at = self.spec.rules.excellent_at
        for code, cells in entries.items():
            pid = persons.get(code)
            if pid is None:
                errors.append(f"人员 {code} 不在本会场的测评名单中")
                continue
            if cells is None:
                rows.append((pid, None, None))
                continue
            try:
                key = tuple(cells)
                hit = known.get(key)
            except TypeError:  # an unhashable cell (hostile JSON): judged by its text
                key = tuple(map(str, cells))
                hit = known.get(key)
            if hit is None:
                hit = cell_row(key)
            total, stored, problems = hit
            if problems:
                errors.extend(f"人员 {code}：{msg}" for msg in problems)
                continue
            rows.append((pid, total, stored))
            if total is not None:
                complete += 1
                excellent += total >= excellent_at
        if errors:
            raise InputError(f"选票有 {len(errors)} 处错误，未提交。", errors)
        return rows, classify_counts(self.spec.rules, complete, excellent)

    def _cell_row(self, cells: tuple[object, ...]) -> tuple[int | None, str | None, tuple[str, ...]]:
        """One person's cells → (total, stored values, problems); kept, since a room's ballots repeat them."""
        n = len(self.spec.indicators)
        if len(cells) != n:
            hit: tuple[int | None, str | None, tuple[str, ...]] = (None, None, (f"应有 {n} 项指标",))
        else:
            vals, problems = self.parser.judge([str(c) for c in cells])  # kept below, bounded
            if problems:
                hit = (None, None, tuple(problems))
            elif vals is None:
                hit = (None, None, ())  # every cell empty: an abstention
            else:
                hit = (sum(vals), ",".join(map(str, vals)), ())
        # Kept only for text cells (what the kiosk and the phone page send): True == 1 as a dict key,
        # so a non-text cell must never share a verdict with another. Bounded for a long-running server.
        if len(self._rows) < ROW_CACHE_LIMIT and all(type(c) is str for c in cells):
            self._rows[cells] = hit
        return hit


# Distinct cell tuples kept per open room: two 0–50 indicators in tenths have 250,000.
ROW_CACHE_LIMIT = 50_000


_rooms: dict[str, _Prepared] = {}
_rooms_lock = threading.Lock()


def _prepared(room_id: str) -> _Prepared:
    """The room's prepared data, loaded on first use while it is open.

    Kept per database and room; dropped by :func:`forget_room` (the room's
    state changed: ``submit`` finds that in its transaction and says why).
    """
    hit = _rooms.get(room_id)
    if hit is not None and hit.db is database.obj:
        return hit
    with session():
        room = _open_room(room_id)
        spec = spec_of(room)
        prepared = _Prepared(database.obj, room_id, room.salt, room.frozen_hash, spec, _room_persons(room_id),
                             EntryParser(spec), "?" if is_sqlite() else "%s")
    with _rooms_lock:
        _rooms[room_id] = prepared
    return prepared


def forget_room(room_id: str | None = None) -> None:
    """Drop the prepared data of a room (or of every room)."""
    with _rooms_lock:
        for key in [k for k in _rooms if room_id is None or k == room_id]:
            del _rooms[key]


class PlacesFull(InputError):
    """A ballot beyond its group's places; nothing was stored."""


@read
def check_code(room_id: str, code: str) -> str:
    """The group key of an unused code (before rating), or CodeRefused."""
    room = _open_room(room_id)
    canon = codes.normalise(code)
    if canon is None:
        raise CodeRefused("票码格式不对，请核对票码条上的 10 位字符。", "unknown")
    bc = m.BallotCode.get_or_none((m.BallotCode.hash == codes.digest(room.salt, canon))
                                  & (m.BallotCode.room == room_id))
    if bc is None:
        raise CodeRefused("票码无效：本会场没有这个票码。", "unknown")
    if bc.status == CodeStatus.USED:
        raise CodeRefused("这个票码已经投过票，不能重复使用。", "used")
    if bc.status == CodeStatus.VOID:
        raise CodeRefused("这个票码已作废，请向会务人员领取新票码。", "void")
    return bc.group


# ---- paper ballots, typed twice ------------------------------------------------

@dataclass(frozen=True)
class PaperConflict:
    serial: str
    group_a: str
    group_b: str
    a: dict[str, list[str] | None]  # person code -> values or None
    b: dict[str, list[str] | None]
    differences: list[str]   # in words, e.g. 「代表类别：群众代表 ≠ 人大代表」「王伟：40/40 ≠ 40/41」


def _paper_content(entries: Mapping[str, Values]) -> dict[str, list[str] | None]:
    return {code: (None if cells is None or not any(str(c).strip() for c in cells)
                   else [str(c).strip() for c in cells]) for code, cells in entries.items()}


@dataclass(frozen=True)
class PaperPass:
    """Which typing of a paper ballot an account would make now (the account rule decides it).

    ``clerk`` is "A" (第一遍) or "B" (第二遍), or "" when this account may not type the
    ballot (``refusal`` says why); ``other`` is who made the other typing, if anyone;
    ``again`` says this account already typed this pass (typing it again replaces it).
    """
    serial: str
    clerk: str
    other: str
    refusal: str = ""
    again: bool = False

    @property
    def label(self) -> str:
        return PASS_LABELS.get(self.clerk, "")


PASS_LABELS = {"A": "第一遍（录入员 A）", "B": "第二遍（录入员 B）"}


def _paper_pass(room_id: str, serial: str, operator: str) -> PaperPass:
    """The account rule: two typings by two different accounts. An account that typed one
    of them re-types its own (a correction); otherwise the first free of A and B."""
    if m.Ballot.select().where((m.Ballot.room == room_id) & (m.Ballot.serial == serial)).exists():
        return PaperPass(serial, "", "", f"选票 {serial} 已计入，不能重复录入。")
    typed = {e.clerk: e.operator for e in m.PaperEntry.select().where(
        (m.PaperEntry.room == room_id) & (m.PaperEntry.serial == serial)
        & (m.PaperEntry.status == PaperStatus.PENDING))}
    for clerk, other in (("A", "B"), ("B", "A")):
        if typed.get(clerk) == operator:
            return PaperPass(serial, clerk, typed.get(other, ""), again=True)
    if "A" not in typed:
        return PaperPass(serial, "A", typed.get("B", ""))
    if "B" not in typed:
        return PaperPass(serial, "B", typed["A"])
    return PaperPass(serial, "", typed["A"],
                     f"选票 {serial} 已由 {typed['A']} 和 {typed['B']} 各录入一次且不一致："
                     "请由其中一位对照纸质选票重新录入，或作废这张选票。")


@read
def paper_pass(room_id: str, serial: str, operator: str) -> PaperPass:
    """Which typing of ballot ``serial`` the account ``operator`` would make (nothing stored)."""
    serial = clean(serial, "serial", "选票编号")
    room_row(room_id)
    return _paper_pass(room_id, serial, operator)


@write
def paper_enter(actor: Actor, room_id: str, serial: str, clerk: str | None, group: str,
                entries: Mapping[str, Values]) -> str:
    """Record one clerk's typing; returns 'waiting', 'counted' or 'mismatch'.

    ``clerk`` None: the account rule picks the typing (:func:`paper_pass`)."""
    require(actor, "organizer")
    room = _open_room(room_id)
    spec = spec_of(room)
    serial = clean(serial, "serial", "选票编号")
    if not serial:
        raise InputError("请填写纸质选票上的编号。")
    if clerk is None:
        decided = _paper_pass(room_id, serial, actor.name)
        if decided.refusal:
            raise PingyiError(decided.refusal)
        clerk = decided.clerk
    if clerk not in ("A", "B"):
        raise InputError("录入员应为 A 或 B。")
    g = spec.group(group)
    if g is None:
        raise InputError(f"未知代表类别：{group}")
    if m.Ballot.select().where((m.Ballot.room == room_id) & (m.Ballot.serial == serial)).exists():
        raise InputError(f"选票 {serial} 已计入，不能重复录入。")
    refused = _paper_refusals(room_id, spec, {g.key: 1})
    if refused:
        raise PlacesFull(f"选票 {serial} 未录入：{refused[0]}。")
    content = _paper_content(entries)
    _validate_entries(room_id, spec, content)
    other = m.PaperEntry.get_or_none((m.PaperEntry.room == room_id) & (m.PaperEntry.serial == serial)
                                     & (m.PaperEntry.clerk != clerk) & (m.PaperEntry.status == PaperStatus.PENDING))
    if other is not None and other.operator == actor.name:
        raise PingyiError("两次录入须由不同的人完成：这张选票的另一次录入也是您。")
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    m.PaperEntry.insert(room=room_id, serial=serial, clerk=clerk, operator=actor.name, group=g.key,
                        content=text, status="pending").on_conflict(
        conflict_target=[m.PaperEntry.room, m.PaperEntry.serial, m.PaperEntry.clerk],
        update={m.PaperEntry.content: text, m.PaperEntry.group: g.key, m.PaperEntry.operator: actor.name,
                m.PaperEntry.status: "pending"},
    ).execute()
    if other is None:
        return "waiting"
    if other.group != g.key or json.loads(other.content) != content:
        return "mismatch"
    rows = _validate_entries(room_id, spec, content)
    _insert(room_id, [(g.key, serial, rows)], spec.rules)
    m.PaperEntry.delete().where((m.PaperEntry.room == room_id) & (m.PaperEntry.serial == serial)).execute()
    return "counted"


@read
def paper_conflicts(room_id: str) -> tuple[list[PaperConflict], list[str]]:
    """(ballots whose two typings differ, serials still waiting for a second typing)."""
    by_serial: dict[str, dict[str, m.PaperEntry]] = {}
    for e in m.PaperEntry.select().where((m.PaperEntry.room == room_id) & (m.PaperEntry.status == PaperStatus.PENDING)):
        by_serial.setdefault(e.serial, {})[e.clerk] = e
    conflicts, waiting = [], []
    groups = {g.key: g.name for g in spec_of(room_row(room_id)).groups}
    names = dict(cast(Iterable[tuple[str, str]], m.Person.select(m.Person.code, m.Person.name).join(
        m.RoomPerson, on=(m.RoomPerson.person == m.Person.id)).where(m.RoomPerson.room == room_id).tuples()))
    for serial in sorted(by_serial):
        pair = by_serial[serial]
        if len(pair) < 2:
            waiting.append(serial)
            continue
        a, b = json.loads(pair["A"].content), json.loads(pair["B"].content)
        ga, gb = pair["A"].group, pair["B"].group
        diffs = [f"代表类别：{groups.get(ga, ga)} ≠ {groups.get(gb, gb)}"] if ga != gb else []
        for code in sorted(set(a) | set(b)):   # in words: names and groups, never keys
            if a.get(code, "缺") != b.get(code, "缺"):
                diffs.append(f"{names.get(code, code)}：{_cells(a.get(code, '缺'))} ≠ {_cells(b.get(code, '缺'))}")
        conflicts.append(PaperConflict(serial, pair["A"].group, pair["B"].group, a, b, diffs))
    return conflicts, waiting


def _cells(v: list[str] | str | None) -> str:   # values, None (abstain) or 缺 (not typed)
    if v is None:
        return "弃权"
    if v == "缺":
        return "未录入"
    return "/".join(v)


@write
def paper_void(actor: Actor, room_id: str, serial: str, reason: str) -> None:
    require(actor, "organizer")
    reason = clean(reason, "reason", "作废原因")
    _open_room(room_id)
    n = m.PaperEntry.update(status="void").where(
        (m.PaperEntry.room == room_id) & (m.PaperEntry.serial == serial) & (m.PaperEntry.status == PaperStatus.PENDING)
    ).execute()
    if not n:
        raise InputError(f"没有待核对的纸质选票 {serial}。")
    audit.append(actor.name, "paper.void", room=room_id, serial=serial, reason=reason)
