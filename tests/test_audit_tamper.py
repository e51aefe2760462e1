"""`audit verify` against an insider with the database in hand (issue 9, DESIGN §11).

Each test tampers with raw SQL, as someone with the SQLite file or a PostgreSQL
login would, and checks that verify names what was done. Runs on both backends.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import PG_URL, load_contract_room


@contextlib.contextmanager
def raw(url: str) -> Iterator[Any]:
    """A DB-API cursor outside pingyi; committed on exit."""
    from pingyi.db.connection import close_database

    close_database()
    if url.startswith("postgresql://"):
        import psycopg2

        schema = parse_qs(urlparse(url).query)["schema"][-1]
        con = psycopg2.connect(PG_URL, options=f"-c search_path={schema}")
    else:
        import sqlite3

        con = sqlite3.connect(url)
    try:
        yield con.cursor()
        con.commit()
    finally:
        con.close()


def q(url: str, sql: str) -> str:
    """``?`` placeholders in SQL for either driver."""
    return sql.replace("?", "%s") if url.startswith("postgresql://") else sql


def run(url: str, sql: str, *args: Any) -> list[tuple]:
    with raw(url) as cur:
        cur.execute(q(url, sql), args)
        return cur.fetchall() if cur.description else []


def findings(heads: list[tuple[int, str]] | None = None) -> list[str]:
    from pingyi.records import audit

    return audit.verify(heads or [])


def has(problems: list[str], *words: str) -> bool:
    return any(all(w in p for w in words) for p in problems)


@pytest.fixture
def world(admin: Any) -> dict[str, Any]:
    """A closed room, an open room with kiosk ballots, a ledger entry and a draft warning; all verified clean."""
    from pingyi.desk import alerts, ledger
    from pingyi.people import accounts
    from pingyi.records import audit
    from pingyi.voting import ballots, rooms

    load_contract_room(admin)
    accounts.add_user(admin, "zhao", "organizer", "test-pass-123")
    rooms.create_room(admin, "示例双定双评", "进行中的会场", "OPEN1", persons="all", quotas={"masses": 3})
    rooms.open_room(admin, "OPEN1")
    issued = rooms.issue_codes(admin, "OPEN1")
    for _, code in issued[:2]:
        ballots.submit("OPEN1", code, {"A01": ["40", "40"], "A02": None})
    d = ledger.deduct(admin, "A01", "1", "会议迟到", source="明查暗访")
    w = alerts.draft(admin, target="A02", level="blue", reason="连续两轮测评靠后")
    assert findings() == []
    return {"admin": admin, "deduction": d.entry.id, "warning": w.id, "head": audit.head()}


def _rehash_all(url: str) -> None:
    """Recompute every hash of the chain and the head, as an insider covering an edit would."""
    from pingyi.records.audit import GENESIS, _digest

    rows = run(url, "SELECT seq, at, actor, action, detail FROM audit_event ORDER BY seq")
    prev = GENESIS
    with raw(url) as cur:
        for seq, at, actor, action, detail in rows:
            h = _digest(prev, seq, at, actor, action, detail)
            cur.execute(q(url, "UPDATE audit_event SET prev = ?, hash = ? WHERE seq = ?"), (prev, h, seq))
            prev = h
        cur.execute(q(url, "UPDATE meta SET value = ? WHERE key = 'audit_head'"), (prev,))
        cur.execute(q(url, "UPDATE meta SET value = ? WHERE key = 'audit_seq'"), (str(len(rows)),))


# ---- the chain ---------------------------------------------------------------------------


def test_edited_record(db: str, world: dict) -> None:
    run(db, "UPDATE audit_event SET actor = 'mallory' WHERE seq = 2")
    assert has(findings(), "第 2 条记录内容被改动")


def test_inserted_record(db: str, world: dict) -> None:
    run(db, "UPDATE audit_event SET seq = seq + 1000 WHERE seq > 3")
    run(db, "UPDATE audit_event SET seq = seq - 999 WHERE seq > 1000")
    run(db, "INSERT INTO audit_event (seq, at, actor, action, detail, prev, hash) VALUES (4, ?, 'x', 'x', '{}', ?, ?)",
        "2026-01-01T00:00:00+00:00", "0" * 64, "0" * 64)
    assert has(findings(), "第 4 条")


def test_reordered_records(db: str, world: dict) -> None:
    run(db, "UPDATE audit_event SET seq = -1 WHERE seq = 2")
    run(db, "UPDATE audit_event SET seq = 2 WHERE seq = 3")
    run(db, "UPDATE audit_event SET seq = 3 WHERE seq = -1")
    assert has(findings(), "不衔接")


def test_deleted_last_record_caught_by_head(db: str, world: dict) -> None:
    head = world["head"]
    (prev,) = run(db, "SELECT prev FROM audit_event WHERE seq = ?", head.seq)[0]
    run(db, "DELETE FROM audit_event WHERE seq = ?", head.seq)
    run(db, "UPDATE meta SET value = ? WHERE key = 'audit_head'", prev)
    run(db, "UPDATE meta SET value = ? WHERE key = 'audit_seq'", str(head.seq - 1))
    assert has(findings([(head.seq, head.hash)]), f"已没有第 {head.seq} 条")


def test_deleted_whole_log(db: str, world: dict) -> None:
    head = world["head"]
    run(db, "DELETE FROM audit_event")
    run(db, "UPDATE meta SET value = ? WHERE key = 'audit_head'", "0" * 64)
    run(db, "UPDATE meta SET value = '0' WHERE key = 'audit_seq'")
    problems = findings([(head.seq, head.hash[:16])])
    assert has(problems, f"已没有第 {head.seq} 条")
    assert has(problems, "账号 admin", "没有任何审计记录")


def test_every_hash_recomputed_caught_by_head(db: str, world: dict) -> None:
    head = world["head"]
    run(db, "UPDATE audit_event SET at = '2020-01-01T00:00:00+00:00' WHERE seq = 3")
    _rehash_all(db)
    assert findings() == []  # the chain alone holds: only the anchor outside tells
    assert has(findings([(head.seq, head.hash)]), f"第 {head.seq} 条的哈希", "不符")


# ---- closed rooms ---------------------------------------------------------------------------


def test_closed_room_tally_edited(db: str, world: dict) -> None:
    (text,) = run(db, "SELECT tally FROM room WHERE id = 'DEMO1'")[0]
    body = json.loads(text)
    first, last = body["results"][0], body["results"][-1]
    first["score"], last["score"] = last["score"], first["score"]
    forged = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(forged.encode()).hexdigest()  # the insider fixes the room's own hash too
    run(db, "UPDATE room SET tally = ?, tally_hash = ? WHERE id = 'DEMO1'", forged, digest)
    problems = findings()
    assert has(problems, "DEMO1", "按库中选票重算的不符")
    assert has(problems, "DEMO1", "结束记录不符")


def test_ballot_changed_after_close(db: str, world: dict) -> None:
    (bid, person) = run(db, "SELECT e.ballot_id, e.person FROM entry e JOIN ballot b ON b.id = e.ballot_id "
                            "WHERE b.room_id = 'DEMO1' AND e.total > 0 ORDER BY e.ballot_id, e.person")[0]
    run(db, "UPDATE entry SET total = 0, vals = '0,0' WHERE ballot_id = ? AND person = ?", bid, person)
    assert has(findings(), "DEMO1", "结束后改动了选票")


def test_ballot_added_after_close(db: str, world: dict) -> None:
    (pid,) = run(db, "SELECT person_id FROM room_person WHERE room_id = 'DEMO1' ORDER BY position")[0]
    run(db, "INSERT INTO ballot (id, room_id, \"group\", status, serial) VALUES (77, 'DEMO1', 'masses', 'valid', NULL)")
    run(db, "INSERT INTO entry (ballot_id, person, total, vals) VALUES (77, ?, 1000, '500,500')", pid)
    problems = findings()
    assert has(problems, "DEMO1", "结束后增删了选票")
    assert has(problems, "DEMO1", "按库中选票重算的不符")


def test_ballot_deleted_after_close(db: str, world: dict) -> None:
    (bid,) = run(db, "SELECT id FROM ballot WHERE room_id = 'DEMO1' ORDER BY id")[0]
    run(db, "DELETE FROM entry WHERE ballot_id = ?", bid)
    run(db, "DELETE FROM ballot WHERE id = ?", bid)
    assert has(findings(), "DEMO1", "结束后增删了选票")


# ---- open rooms and places ------------------------------------------------------------------


def test_ballots_inserted_into_open_room(db: str, world: dict) -> None:
    (pid,) = run(db, "SELECT person_id FROM room_person WHERE room_id = 'OPEN1' ORDER BY position")[0]
    for bid in (11, 12):
        run(db, "INSERT INTO ballot (id, room_id, \"group\", status, serial) "
                "VALUES (?, 'OPEN1', 'masses', 'valid', NULL)", bid)
        run(db, "INSERT INTO entry (ballot_id, person, total, vals) VALUES (?, ?, 1000, '500,500')", bid, pid)
    problems = findings()
    assert has(problems, "OPEN1", "库中有 4 张选票", "插入")
    assert has(problems, "OPEN1", "凭票码投入的选票 4 张，已用票码却是 2 个")
    assert has(problems, "OPEN1", "凭票码投入的选票 4 张，超过名额 3 个")


def test_ballots_inserted_into_open_room_with_the_count_kept_too(db: str, world: dict) -> None:
    """An insider who also bumps pingyi's count is still caught by the codes the ballots did not use."""
    (pid,) = run(db, "SELECT person_id FROM room_person WHERE room_id = 'OPEN1' ORDER BY position")[0]
    run(db, "INSERT INTO ballot (id, room_id, \"group\", status, serial) VALUES (13, 'OPEN1', 'masses', 'valid', NULL)")
    run(db, "INSERT INTO entry (ballot_id, person, total, vals) VALUES (13, ?, 1000, '500,500')", pid)
    run(db, "UPDATE ballot_count SET n = n + 1 WHERE room_id = 'OPEN1'")
    problems = findings()
    assert not has(problems, "库中有")
    assert has(problems, "OPEN1", "凭票码投入的选票 3 张，已用票码却是 2 个")


def test_kiosk_ballots_keep_the_count(db: str, world: dict) -> None:
    from pingyi.db import models as m
    from pingyi.db.connection import session

    with session():
        assert m.BallotCount.get((m.BallotCount.room == "OPEN1") & (m.BallotCount.group == "masses")).n == 2


# ---- audited rows ---------------------------------------------------------------------------


TAMPERS: dict[str, tuple[Callable[[str, dict], None], tuple[str, ...]]] = {
    "role": (lambda url, w: run(url, "UPDATE \"user\" SET role = 'admin' WHERE name = 'zhao'"),
             ("账号 zhao（admin）", "被改动")),
    "ledger deleted": (lambda url, w: run(url, "DELETE FROM deduction WHERE id = ?", w["deduction"]),
                       ("台账扣分", "编号 {deduction}", "被删除")),
    "roster": (lambda url, w: run(url, "UPDATE person SET name = '替身' WHERE code = 'A01'"),
               ("名单人员 A01 替身", "被改动")),
    "scheme": (lambda url, w: run(url, "UPDATE scheme SET source = source || ' ' "), ("方案 示例双定双评", "被改动")),
    "room": (lambda url, w: run(url, "UPDATE quota SET count = 30 WHERE room_id = 'OPEN1'"), ("会场 OPEN1", "被改动")),
    "room title": (lambda url, w: run(url, "UPDATE room SET title = '改名' WHERE id = 'DEMO1'"),
                   ("会场 DEMO1「改名」", "被改动")),
    "warning": (lambda url, w: run(url, "UPDATE alert SET level = 'red' WHERE id = ?", w["warning"]),
                ("预警", "被改动")),
    "account inserted": (lambda url, w: run(
        url, "INSERT INTO \"user\" (name, role, password_hash, active, created_at) VALUES ('eve', 'admin', 'x', ?, '')",
        True), ("账号 eve", "没有任何审计记录")),
}


@pytest.mark.parametrize("name", list(TAMPERS))
def test_rows_changed_outside_pingyi(db: str, world: dict, name: str) -> None:
    tamper, words = TAMPERS[name]
    tamper(db, world)
    problems = findings()
    assert has(problems, *(w.format(**world) for w in words)), problems


# ---- the head, printed outside the database ----------------------------------------------------


def test_sheet_footer_carries_the_head_and_verify_accepts_it(contract_room: str, tmp_path: Any) -> None:
    from pingyi.records import audit
    from pingyi.reports import sheet
    from pingyi.voting import tally
    from tests.reports_util import page_texts

    head = audit.head()
    path = tmp_path / "sheet.pdf"
    sheet.write_sheet(path, tally.get_tally(contract_room))
    pages = page_texts(path)
    assert all(head.words() in page for page in pages)
    assert audit.verify([(head.seq, head.hash[:16])]) == []
    assert has(audit.verify([(head.seq, "f" * 16)]), f"第 {head.seq} 条的哈希")


def test_cli_head_and_verify_head(db: str, world: dict, monkeypatch: Any) -> None:
    from click.testing import CliRunner

    from pingyi.cli import cli as main

    monkeypatch.setenv("PINGYI_USER", "admin")
    monkeypatch.setenv("PINGYI_PASSWORD", "test-pass-123")
    runner = CliRunner()
    out = runner.invoke(main, ["--db", db, "audit", "head"])
    assert out.exit_code == 0, out.output
    seq, h = out.output.strip().splitlines()[-1].split()
    assert int(seq) == world["head"].seq + 1          # the newest record: this command's own login
    ok = runner.invoke(main, ["--db", db, "audit", "verify", "--head", f"{seq}:{h}"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(main, ["--db", db, "audit", "verify", "--head", f"{int(seq) + 5}:{h}"])
    assert bad.exit_code != 0
    assert f"已没有第 {int(seq) + 5} 条" in bad.output
    run(db, "UPDATE person SET post = 'x' WHERE code = 'A02'")
    bad = runner.invoke(main, ["--db", db, "audit", "verify"])
    assert bad.exit_code != 0 and "名单人员 A02" in bad.output
    assert runner.invoke(main, ["--db", db, "audit", "verify", "--head", "12"]).exit_code != 0


# ---- a database made before audit records carried digests ----------------------------------------


def test_upgrade_vouches_for_rows_as_they_were_then_catches_later_tampering(db: str, world: dict) -> None:
    from pingyi.db.connection import open_database

    rows = run(db, "SELECT seq, detail FROM audit_event")
    with raw(db) as cur:
        for seq, text in rows:  # records as the previous version wrote them
            detail = json.loads(text)
            detail.pop("digests", None)
            detail.pop("ballots", None)
            cur.execute(q(db, "UPDATE audit_event SET detail = ? WHERE seq = ?"),
                        (json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str), seq))
        cur.execute("DROP TABLE ballot_count")
        for column in ("display_name", "failed_logins", "locked_until"):   # added by migration 6
            cur.execute(f'ALTER TABLE "user" DROP COLUMN "{column}"')
        cur.execute('ALTER TABLE "person" DROP COLUMN "inactive_since"')   # added by migration 7
        cur.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")  # before ballot_count
    _rehash_all(db)
    open_database(db)
    assert findings() == []
    assert run(db, "SELECT action FROM audit_event ORDER BY seq DESC")[0] == ("audit.baseline",)
    assert run(db, "SELECT n FROM ballot_count WHERE room_id = 'OPEN1'") == [(2,)]
    open_database(db)
    run(db, "UPDATE person SET name = '替身' WHERE code = 'A01'")
    run(db, "DELETE FROM entry WHERE ballot_id = (SELECT MIN(id) FROM ballot WHERE room_id = 'DEMO1')")
    problems = findings()
    assert has(problems, "名单人员 A01 替身", "被改动")
    assert has(problems, "DEMO1", "结束后改动了选票")
