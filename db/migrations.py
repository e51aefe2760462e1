"""Numbered schema migrations, recorded in the ``meta`` table.

Each migration runs once, in order, in one transaction. A database whose
version is newer than the code knows is refused rather than touched.

The rule (for everyone adding a migration):

- A migration is frozen: it creates or alters exactly the schema of its
  time, written out as DDL in this file (see ``_CORE``), never from the live
  models (no ``create_tables(models)``, no ``Model._schema``), because the
  models move on and a fresh install must build the same schema, step by
  step, as a database that was upgraded through every version.
- Write the statements once with the four placeholders ``{serial}``,
  ``{bigint}``, ``{boolean}`` and ``{without_rowid}`` for what differs between
  SQLite and PostgreSQL (see ``_DIALECT``), and run them with ``_run``; or
  write two texts when the dialects differ more (e.g. ``ALTER TABLE``).
- Append a new ``(number, function)`` to ``MIGRATIONS``; earlier migrations
  never change. Change the model in ``models.py`` in the same commit:
  ``tests/test_migrations.py`` builds a database by migrations and compares
  it with the models (columns, types, nullability, primary keys, indexes) on
  SQLite and PostgreSQL, so a migration that does not match fails there.
"""
from __future__ import annotations

from collections.abc import Callable

from pingyi.db import models as m
from pingyi.db.connection import SchemaTooNew, database, is_sqlite, transaction

# What differs between the dialects in the DDL below.
_DIALECT = {
    "sqlite": {"serial": "INTEGER", "bigint": "INTEGER", "boolean": "INTEGER", "without_rowid": " WITHOUT ROWID"},
    "postgresql": {"serial": "SERIAL", "bigint": "BIGINT", "boolean": "BOOLEAN", "without_rowid": ""},
}


def dialect() -> str:
    return "sqlite" if is_sqlite() else "postgresql"


def _run(ddl: str) -> None:
    """Execute ``;``-separated statements, placeholders filled for this database."""
    text = ddl.format(**_DIALECT[dialect()])
    for statement in text.split(";\n"):
        if statement.strip():
            database.execute_sql(statement.strip().rstrip(";"))


# --- Migration 1 (core: accounts, roster, schemes, rooms, codes, ballots, proposals, audit) ---
_CORE = """
CREATE TABLE "meta" (
    "key" VARCHAR(64) NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);
CREATE TABLE "user" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "name" VARCHAR(64) NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "password_hash" TEXT NOT NULL,
    "active" {boolean} NOT NULL,
    "created_at" VARCHAR(32) NOT NULL
);
CREATE UNIQUE INDEX "user_name" ON "user" ("name");
CREATE TABLE "unit" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "name" VARCHAR(128) NOT NULL
);
CREATE UNIQUE INDEX "unit_name" ON "unit" ("name");
CREATE TABLE "person" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "code" VARCHAR(64) NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "post" VARCHAR(128) NOT NULL,
    "category" VARCHAR(64) NOT NULL,
    "supervisor" VARCHAR(128) NOT NULL,
    FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "person_code" ON "person" ("code");
CREATE INDEX "person_unit_id" ON "person" ("unit_id");
CREATE INDEX "person_category" ON "person" ("category");
CREATE TABLE "scheme" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "name" VARCHAR(128) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "spec" TEXT NOT NULL,
    "spec_hash" VARCHAR(64) NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" VARCHAR(32) NOT NULL
);
CREATE UNIQUE INDEX "scheme_name" ON "scheme" ("name");
CREATE TABLE "room" (
    "id" VARCHAR(32) NOT NULL PRIMARY KEY,
    "title" VARCHAR(256) NOT NULL,
    "scheme_name" VARCHAR(128) NOT NULL,
    "spec" TEXT NOT NULL,
    "spec_hash" VARCHAR(64) NOT NULL,
    "series" VARCHAR(128),
    "round" INTEGER,
    "status" VARCHAR(8) NOT NULL,
    "salt" VARCHAR(64) NOT NULL,
    "frozen_hash" VARCHAR(64),
    "tally" TEXT,
    "tally_hash" VARCHAR(64),
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" VARCHAR(32) NOT NULL,
    "opened_at" VARCHAR(32),
    "closed_at" VARCHAR(32),
    "version" INTEGER NOT NULL
);
CREATE INDEX "room_series" ON "room" ("series");
CREATE INDEX "room_series_round" ON "room" ("series", "round");
CREATE TABLE "room_person" (
    "room_id" VARCHAR(32) NOT NULL,
    "person_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    PRIMARY KEY ("room_id",
    "person_id"),
    FOREIGN KEY ("room_id") REFERENCES "room" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE RESTRICT
);
CREATE INDEX "room_person_room_id" ON "room_person" ("room_id");
CREATE INDEX "room_person_person_id" ON "room_person" ("person_id");
CREATE TABLE "quota" (
    "room_id" VARCHAR(32) NOT NULL,
    "group" VARCHAR(64) NOT NULL,
    "count" INTEGER NOT NULL,
    PRIMARY KEY ("room_id",
    "group"),
    FOREIGN KEY ("room_id") REFERENCES "room" ("id") ON DELETE CASCADE
);
CREATE INDEX "quota_room_id" ON "quota" ("room_id");
CREATE TABLE "ballot_code" (
    "hash" VARCHAR(64) NOT NULL PRIMARY KEY,
    "room_id" VARCHAR(32) NOT NULL,
    "group" VARCHAR(64) NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    FOREIGN KEY ("room_id") REFERENCES "room" ("id") ON DELETE CASCADE
);
CREATE INDEX "ballot_code_room_id" ON "ballot_code" ("room_id");
CREATE INDEX "ballot_code_room_id_group_status" ON "ballot_code" ("room_id", "group", "status");
CREATE TABLE "ballot" (
    "id" {bigint} NOT NULL PRIMARY KEY,
    "room_id" VARCHAR(32) NOT NULL,
    "group" VARCHAR(64) NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "serial" VARCHAR(64),
    FOREIGN KEY ("room_id") REFERENCES "room" ("id") ON DELETE CASCADE
);
CREATE INDEX "ballot_room_id" ON "ballot" ("room_id");
CREATE UNIQUE INDEX "ballot_room_id_serial" ON "ballot" ("room_id", "serial");
CREATE INDEX "ballot_room_id_status_group" ON "ballot" ("room_id", "status", "group");
CREATE TABLE "entry" (
    "ballot_id" {bigint} NOT NULL,
    "person" INTEGER NOT NULL,
    "total" INTEGER,
    "vals" TEXT,
    PRIMARY KEY ("ballot_id",
    "person"),
    FOREIGN KEY ("ballot_id") REFERENCES "ballot" ("id") ON DELETE CASCADE
){without_rowid};
CREATE TABLE "paper_entry" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "room_id" VARCHAR(32) NOT NULL,
    "serial" VARCHAR(64) NOT NULL,
    "clerk" VARCHAR(1) NOT NULL,
    "operator" VARCHAR(64) NOT NULL,
    "group" VARCHAR(64) NOT NULL,
    "content" TEXT NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    FOREIGN KEY ("room_id") REFERENCES "room" ("id") ON DELETE CASCADE
);
CREATE INDEX "paper_entry_room_id" ON "paper_entry" ("room_id");
CREATE UNIQUE INDEX "paper_entry_room_id_serial_clerk" ON "paper_entry" ("room_id", "serial", "clerk");
CREATE TABLE "proposal" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "source" VARCHAR(16) NOT NULL,
    "level" VARCHAR(8) NOT NULL,
    "target_kind" VARCHAR(8) NOT NULL,
    "target" VARCHAR(128) NOT NULL,
    "recipient" VARCHAR(128) NOT NULL,
    "reason" TEXT NOT NULL,
    "series" VARCHAR(128),
    "round" INTEGER,
    "dedupe" VARCHAR(256) NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" VARCHAR(32) NOT NULL
);
CREATE UNIQUE INDEX "proposal_dedupe" ON "proposal" ("dedupe");
CREATE TABLE "audit_event" (
    "seq" INTEGER NOT NULL PRIMARY KEY,
    "at" VARCHAR(32) NOT NULL,
    "actor" VARCHAR(64) NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "detail" TEXT NOT NULL,
    "prev" VARCHAR(64) NOT NULL,
    "hash" VARCHAR(64) NOT NULL
)
"""


# --- Migration 2 (warnings desk: policy, ledger, warnings, feedback, integrity, talks) ---
_DESK = """
CREATE TABLE "policy" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "source" TEXT NOT NULL,
    "spec" TEXT NOT NULL,
    "spec_hash" VARCHAR(64) NOT NULL,
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" VARCHAR(32) NOT NULL
);
CREATE TABLE "deduction" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "target_kind" VARCHAR(8) NOT NULL,
    "target" VARCHAR(128) NOT NULL,
    "cycle" INTEGER NOT NULL,
    "points" INTEGER NOT NULL,
    "item" VARCHAR(32) NOT NULL,
    "reason" TEXT NOT NULL,
    "source" VARCHAR(64) NOT NULL,
    "date" VARCHAR(10) NOT NULL,
    "reverses" INTEGER,
    "policy_hash" VARCHAR(64) NOT NULL,
    "entered_by" VARCHAR(64) NOT NULL,
    "created_at" VARCHAR(32) NOT NULL
);
CREATE UNIQUE INDEX "deduction_reverses" ON "deduction" ("reverses");
CREATE INDEX "deduction_target_cycle" ON "deduction" ("target", "cycle");
CREATE TABLE "alert" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "proposal" INTEGER,
    "level" VARCHAR(8) NOT NULL,
    "target_kind" VARCHAR(8) NOT NULL,
    "target" VARCHAR(128) NOT NULL,
    "recipient" VARCHAR(128) NOT NULL,
    "measure" VARCHAR(8) NOT NULL,
    "forms" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "deadline" VARCHAR(10),
    "status" VARCHAR(10) NOT NULL,
    "cycle" INTEGER,
    "number_year" INTEGER,
    "number_seq" INTEGER,
    "number" VARCHAR(32),
    "drafted_by" VARCHAR(64) NOT NULL,
    "drafted_at" VARCHAR(32) NOT NULL,
    "approved_by" VARCHAR(64),
    "approved_at" VARCHAR(32),
    "issued_on" VARCHAR(10),
    "closed_note" TEXT NOT NULL
);
CREATE UNIQUE INDEX "alert_number" ON "alert" ("number");
CREATE UNIQUE INDEX "alert_number_year_number_seq" ON "alert" ("number_year", "number_seq");
CREATE INDEX "alert_target_cycle" ON "alert" ("target", "cycle");
CREATE TABLE "alert_counter" (
    "year" INTEGER NOT NULL PRIMARY KEY,
    "last" INTEGER NOT NULL
);
CREATE TABLE "feedback" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "alert_id" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "date" VARCHAR(10) NOT NULL,
    "entered_by" VARCHAR(64) NOT NULL,
    "created_at" VARCHAR(32) NOT NULL,
    "outcome" VARCHAR(10) NOT NULL,
    "judged_by" VARCHAR(64),
    "note" TEXT NOT NULL,
    FOREIGN KEY ("alert_id") REFERENCES "alert" ("id") ON DELETE CASCADE
);
CREATE INDEX "feedback_alert_id" ON "feedback" ("alert_id");
CREATE TABLE "integrity_input" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "person" VARCHAR(64) NOT NULL,
    "year" INTEGER NOT NULL,
    "manual" INTEGER,
    "grade" VARCHAR(8),
    "veto" TEXT,
    "entered_by" VARCHAR(64) NOT NULL,
    "updated_at" VARCHAR(32) NOT NULL
);
CREATE UNIQUE INDEX "integrity_input_person_year" ON "integrity_input" ("person", "year");
CREATE TABLE "integrity_result" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "person" VARCHAR(64) NOT NULL,
    "year" INTEGER NOT NULL,
    "value" VARCHAR(16),
    "parts" TEXT NOT NULL,
    "missing" TEXT NOT NULL,
    "veto" TEXT,
    "passed" {boolean},
    "rooms" TEXT NOT NULL,
    "policy_hash" VARCHAR(64) NOT NULL,
    "computed_by" VARCHAR(64) NOT NULL,
    "computed_at" VARCHAR(32) NOT NULL
);
CREATE UNIQUE INDEX "integrity_result_person_year" ON "integrity_result" ("person", "year");
CREATE TABLE "talk" (
    "id" {serial} NOT NULL PRIMARY KEY,
    "person" VARCHAR(64) NOT NULL,
    "year" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "talk_date" VARCHAR(10),
    "talked_by" VARCHAR(128),
    "notes" TEXT NOT NULL,
    "pledge" {boolean} NOT NULL,
    "recorded_by" VARCHAR(64),
    "created_at" VARCHAR(32) NOT NULL
);
CREATE UNIQUE INDEX "talk_person_year" ON "talk" ("person", "year")
"""


def _m1_core() -> None:
    _run(_CORE)
    m.Meta.insert(key="audit_head", value="0" * 64).on_conflict_ignore().execute()


def _m2_desk() -> None:
    """Warnings desk: policy versions, ledger, warnings and their numbering, integrity, talks."""
    _run(_DESK)


# --- Migration 3 (places per group and channel; code counts that outlive the code hashes) ---
_PLACES = """
ALTER TABLE "quota" ADD COLUMN "paper" INTEGER NOT NULL DEFAULT 0;
CREATE TABLE "code_count" (
    "room_id" VARCHAR(32) NOT NULL,
    "group" VARCHAR(64) NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "count" INTEGER NOT NULL,
    PRIMARY KEY ("room_id",
    "group",
    "status"),
    FOREIGN KEY ("room_id") REFERENCES "room" ("id") ON DELETE CASCADE
);
CREATE INDEX "code_count_room_id" ON "code_count" ("room_id");
INSERT INTO "code_count" ("room_id", "group", "status", "count")
    SELECT "room_id", "group", "status", COUNT(*) FROM "ballot_code"
    WHERE "room_id" IN (SELECT "id" FROM "room" WHERE "status" = 'closed')
    GROUP BY "room_id", "group", "status";
DELETE FROM "ballot_code" WHERE "room_id" IN (SELECT "id" FROM "room" WHERE "status" = 'closed')
"""


def _m3_places() -> None:
    """Paper forms per group beside the codes (DESIGN §6); closed rooms keep code counts, not hashes."""
    _run(_PLACES)


# --- Migration 4 (廉政谈话记录: place, time of day, recorder, the person's 表态) ---
_TALK_RECORD = """
ALTER TABLE "talk" ADD COLUMN "place" VARCHAR(128) NOT NULL DEFAULT '';
ALTER TABLE "talk" ADD COLUMN "talk_time" VARCHAR(5);
ALTER TABLE "talk" ADD COLUMN "recorder" VARCHAR(64);
ALTER TABLE "talk" ADD COLUMN "statement" TEXT NOT NULL DEFAULT ''
"""


def _m4_talk_record() -> None:
    """A real 谈话记录 needs where it was held, the hour, who kept the record and what the person said."""
    _run(_TALK_RECORD)


# --- Migration 5 (ballots pingyi took per room and group: verify finds ballots inserted outside it) ---
_BALLOT_COUNT = """
CREATE TABLE "ballot_count" (
    "room_id" VARCHAR(32) NOT NULL,
    "group" VARCHAR(64) NOT NULL,
    "n" INTEGER NOT NULL,
    PRIMARY KEY ("room_id",
    "group"),
    FOREIGN KEY ("room_id") REFERENCES "room" ("id") ON DELETE CASCADE
);
CREATE INDEX "ballot_count_room_id" ON "ballot_count" ("room_id");
INSERT INTO "ballot_count" ("room_id", "group", "n")
    SELECT "room_id", "group", COUNT(*) FROM "ballot" GROUP BY "room_id", "group";
INSERT INTO "meta" ("key", "value")
    SELECT 'audit_baseline', 'pending' WHERE EXISTS (SELECT 1 FROM "user")
"""


def _m5_ballot_count() -> None:
    """Ballot counts per room and group; a database with accounts gets an audit baseline
    (see ``_baseline``) once every migration has run."""
    _run(_BALLOT_COUNT)


# --- Migration 6 (accounts: a printed name, and wrong passwords slowed per account across restarts) ---
_ACCOUNTS = """
ALTER TABLE "user" ADD COLUMN "display_name" VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE "user" ADD COLUMN "failed_logins" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "user" ADD COLUMN "locked_until" VARCHAR(32);
"""


def _m6_accounts() -> None:
    """The name documents print for an account, and the per-account count of wrong
    passwords with the time before which the next attempt is refused (DESIGN §11)."""
    _run(_ACCOUNTS)


# --- Migration 7 (roster: a person taken off new work is kept, marked 停用, never deleted) ---
_PERSON_INACTIVE = """
ALTER TABLE "person" ADD COLUMN "inactive_since" VARCHAR(32)
"""


def _m7_person_inactive() -> None:
    """When a person was deactivated (NULL: in use). No audit baseline needed: a person's
    digest leaves the column out while it is NULL (pingyi.records.digests ``optional``)."""
    _run(_PERSON_INACTIVE)


def _baseline() -> None:
    """One audit record vouching for the audited rows and closed rooms' ballots as they are,
    on a database made before audit records carried digests (DESIGN §11). Runs after the
    last migration, with the models matching the schema."""
    from pingyi.records import audit, digests  # the record format lives with the log

    closed = [r for (r,) in database.execute_sql("SELECT id FROM room WHERE status = 'closed'").fetchall()]
    audit.append("system", "audit.baseline", digests=digests.everything(),
                 ballots={r: digests.ballots(r) for r in closed})
    m.Meta.delete().where(m.Meta.key == "audit_baseline").execute()


MIGRATIONS: list[tuple[int, Callable[[], None]]] = [
    (1, _m1_core),
    (2, _m2_desk),
    (3, _m3_places),
    (4, _m4_talk_record),
    (5, _m5_ballot_count),
    (6, _m6_accounts),
    (7, _m7_person_inactive),
]

LATEST = MIGRATIONS[-1][0]


def current_version() -> int:
    if not database.table_exists("meta"):
        return 0
    row = m.Meta.get_or_none(m.Meta.key == "schema_version")
    return int(row.value) if row else 0


def upgrade(target: int | None = None) -> int:
    """Apply the missing migrations; return the resulting version."""
    target = LATEST if target is None else target
    version = current_version()  # a plain read: an up-to-date database takes no write lock
    if LATEST >= version >= target:
        return version
    with transaction():
        version = current_version()
        if version > LATEST:
            raise SchemaTooNew(
                f"数据库结构版本为 {version}，高于本程序支持的 {LATEST}：请升级 pingyi 后再打开。"
            )
        for number, step in MIGRATIONS:
            if version < number <= target:
                step()
                m.Meta.insert(key="schema_version", value=str(number)).on_conflict(
                    conflict_target=[m.Meta.key], update={m.Meta.value: str(number)}
                ).execute()
                version = number
        if version == LATEST and m.Meta.get_or_none(m.Meta.key == "audit_baseline") is not None:
            _baseline()
    return version
