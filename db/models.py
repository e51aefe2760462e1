"""peewee models. Times are ISO strings in UTC; points are integer tenths.

Ballots and entries carry nothing that links them to a code, a terminal, an
operator or a time: ballots have random ids, entries live in a WITHOUT ROWID
table keyed by (ballot, person), so storage order does not follow submission.
"""
from __future__ import annotations

import peewee as pw
from peewee import fn as fn  # re-exported for services (the alias makes the export explicit to mypy)
from pingyi.db.connection import database


class BaseModel(pw.Model):
    """A model without its own primary key spells out ``id = pw.AutoField()``: the column
    peewee would add by itself, written down so that the type checker knows ``.id``."""

    class Meta:
        database = database
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about the database itself (schema version, audit head)."""
    key = pw.CharField(primary_key=True, max_length=64)
    value = pw.TextField()


class User(BaseModel):
    id = pw.AutoField()
    name = pw.CharField(unique=True, max_length=64)
    role = pw.CharField(max_length=16)  # organizer | commission | admin
    password_hash = pw.TextField()
    active = pw.BooleanField(default=True)
    created_at = pw.CharField(max_length=32)
    display_name = pw.CharField(max_length=64, default="")   # printed on documents; '' = the login
    failed_logins = pw.IntegerField(default=0)                # wrong passwords since the last success
    locked_until = pw.CharField(max_length=32, null=True)     # no attempt before this time (ISO, UTC)


class Unit(BaseModel):
    id = pw.AutoField()
    name = pw.CharField(unique=True, max_length=128)


class Person(BaseModel):
    id = pw.AutoField()
    code = pw.CharField(unique=True, max_length=64)
    name = pw.CharField(max_length=64)
    unit = pw.ForeignKeyField(Unit, backref="persons", on_delete="RESTRICT")
    post = pw.CharField(max_length=128, default="")
    category = pw.CharField(max_length=64, default="", index=True)
    supervisor = pw.CharField(max_length=128, default="")
    # migration 7: when the person was taken off new work (停用, ISO UTC); None = in use.
    # Kept in history: old rooms, tallies, the ledger and the year-end export still show them.
    inactive_since = pw.CharField(max_length=32, null=True)


class Scheme(BaseModel):
    id = pw.AutoField()
    name = pw.CharField(unique=True, max_length=128)
    kind = pw.CharField(max_length=16)
    spec = pw.TextField()        # canonical JSON of the validated scheme
    spec_hash = pw.CharField(max_length=64)
    source = pw.TextField()      # the TOML as imported
    created_at = pw.CharField(max_length=32)


class Room(BaseModel):
    id = pw.CharField(primary_key=True, max_length=32)
    title = pw.CharField(max_length=256)
    scheme_name = pw.CharField(max_length=128)
    spec = pw.TextField()        # the scheme frozen into the room
    spec_hash = pw.CharField(max_length=64)
    series = pw.CharField(max_length=128, null=True, index=True)
    round = pw.IntegerField(null=True)
    status = pw.CharField(max_length=8, default="draft")  # draft | open | closed
    salt = pw.CharField(max_length=64)
    frozen_hash = pw.CharField(max_length=64, null=True)  # scheme + persons + quotas at open
    tally = pw.TextField(null=True)                       # canonical JSON, stored at close
    tally_hash = pw.CharField(max_length=64, null=True)
    created_by = pw.CharField(max_length=64)
    created_at = pw.CharField(max_length=32)
    opened_at = pw.CharField(max_length=32, null=True)
    closed_at = pw.CharField(max_length=32, null=True)
    version = pw.IntegerField(default=0)  # bumped by every ballot write: cheap turnout polling

    class Meta:
        indexes = ((("series", "round"), False),)


class RoomPerson(BaseModel):
    room = pw.ForeignKeyField(Room, backref="persons", on_delete="CASCADE")
    person = pw.ForeignKeyField(Person, on_delete="RESTRICT")
    position = pw.IntegerField()

    class Meta:
        primary_key = pw.CompositeKey("room", "person")


class Quota(BaseModel):
    """A group's places in a room: ``count`` ballot codes (kiosk and browser), ``paper`` forms."""
    room = pw.ForeignKeyField(Room, backref="quotas", on_delete="CASCADE")
    group = pw.CharField(max_length=64)
    count = pw.IntegerField()
    paper = pw.IntegerField(default=0)  # migration 3

    class Meta:
        primary_key = pw.CompositeKey("room", "group")


class BallotCode(BaseModel):
    """A one-time code, stored as a salted hash; never linked to its ballot."""
    hash = pw.CharField(primary_key=True, max_length=64)
    room = pw.ForeignKeyField(Room, backref="codes", on_delete="CASCADE")
    group = pw.CharField(max_length=64)
    status = pw.CharField(max_length=8, default="unused")  # unused | used | void

    class Meta:
        indexes = ((("room", "group", "status"), False),)


class CodeCount(BaseModel):
    """How many codes a closed room had per group and state; the code hashes are dropped at close."""
    room = pw.ForeignKeyField(Room, on_delete="CASCADE")
    group = pw.CharField(max_length=64)
    status = pw.CharField(max_length=8)  # used | void
    count = pw.IntegerField()

    class Meta:
        primary_key = pw.CompositeKey("room", "group", "status")


class BallotCount(BaseModel):
    """Ballots pingyi took per room and group, bumped in the same transaction as
    the ballots: verify finds ballots inserted or deleted outside pingyi while a
    room is open. A count only: nothing in it follows one ballot's content."""
    room = pw.ForeignKeyField(Room, on_delete="CASCADE")
    group = pw.CharField(max_length=64)
    n = pw.IntegerField(default=0)

    class Meta:
        primary_key = pw.CompositeKey("room", "group")


class Ballot(BaseModel):
    id = pw.BigIntegerField(primary_key=True)  # random, see pingyi.ballots
    room = pw.ForeignKeyField(Room, backref="ballots", on_delete="CASCADE")
    group = pw.CharField(max_length=64)
    status = pw.CharField(max_length=8)        # valid | invalid | blank
    serial = pw.CharField(max_length=64, null=True)  # paper serial, if any

    class Meta:
        indexes = (
            (("room", "serial"), True),
            (("room", "status", "group"), False),
        )


class Entry(BaseModel):
    """One rated person on one ballot; ``total`` is NULL for an abstention."""
    ballot = pw.ForeignKeyField(Ballot, backref="entries", on_delete="CASCADE", index=False)
    person = pw.IntegerField()   # Person.id; a plain column keeps the hot path join-free
    total = pw.IntegerField(null=True)  # tenths of a point
    vals = pw.TextField(null=True)  # tenths per indicator, comma-separated; NULL for abstain

    class Meta:
        primary_key = pw.CompositeKey("ballot", "person")
        without_rowid = True


class PaperEntry(BaseModel):
    """One clerk's typing of one paper ballot, kept until both clerks agree."""
    id = pw.AutoField()
    room = pw.ForeignKeyField(Room, on_delete="CASCADE")
    serial = pw.CharField(max_length=64)
    clerk = pw.CharField(max_length=1)  # A | B
    operator = pw.CharField(max_length=64)
    group = pw.CharField(max_length=64)
    content = pw.TextField()   # JSON {person_code: [values…] | null}
    status = pw.CharField(max_length=8, default="pending")  # pending | void

    class Meta:
        indexes = ((("room", "serial", "clerk"), True),)


class Proposal(BaseModel):
    id = pw.AutoField()
    source = pw.CharField(max_length=16)  # streak | ledger | integrity | overdue | yellow_twice
    level = pw.CharField(max_length=8)
    target_kind = pw.CharField(max_length=8, default="person")  # person | unit
    target = pw.CharField(max_length=128)
    recipient = pw.CharField(max_length=128, default="")
    reason = pw.TextField()
    series = pw.CharField(max_length=128, null=True)
    round = pw.IntegerField(null=True)
    dedupe = pw.CharField(max_length=256, unique=True)  # once per source, target and occasion
    status = pw.CharField(max_length=12, default="pending")  # pending | dismissed | drafted
    note = pw.TextField(default="")
    created_at = pw.CharField(max_length=32)


class AuditEvent(BaseModel):
    seq = pw.IntegerField(primary_key=True)
    at = pw.CharField(max_length=32)
    actor = pw.CharField(max_length=64)
    action = pw.CharField(max_length=64)
    detail = pw.TextField()
    prev = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64)


CORE_MODELS = [
    Meta, User, Unit, Person, Scheme, Room, RoomPerson, Quota, BallotCode, Ballot, Entry,
    PaperEntry, Proposal, AuditEvent, CodeCount, BallotCount,
]


# --- Warnings desk (migration 2): policy, ledger, warnings, integrity, talks ---


class Policy(BaseModel):
    """One imported version of the desk policy (TOML); the newest row is in force."""
    id = pw.AutoField()
    source = pw.TextField()
    spec = pw.TextField()         # canonical JSON of the validated policy
    spec_hash = pw.CharField(max_length=64)
    created_by = pw.CharField(max_length=64)
    created_at = pw.CharField(max_length=32)


class Deduction(BaseModel):
    """A ledger entry. Never edited: a correction is a reversing entry (negative points)."""
    id = pw.AutoField()
    target_kind = pw.CharField(max_length=8)   # person | unit
    target = pw.CharField(max_length=128)      # person code or unit name
    cycle = pw.IntegerField()                  # the year the cycle starts in
    points = pw.IntegerField()                 # tenths; negative for a reversal
    item = pw.CharField(max_length=32, default="")  # preset table item, if any
    reason = pw.TextField()
    source = pw.CharField(max_length=64, default="")
    date = pw.CharField(max_length=10)
    reverses = pw.IntegerField(null=True, unique=True)  # Deduction.id this entry reverses
    policy_hash = pw.CharField(max_length=64)  # the policy in force, frozen
    entered_by = pw.CharField(max_length=64)
    created_at = pw.CharField(max_length=32)

    class Meta:
        indexes = ((("target", "cycle"), False),)


class Alert(BaseModel):
    """A warning (预警). ``Warning`` would shadow the builtin, hence the name."""
    id = pw.AutoField()
    proposal = pw.IntegerField(null=True)
    level = pw.CharField(max_length=8)         # blue | yellow | red
    target_kind = pw.CharField(max_length=8)
    target = pw.CharField(max_length=128)
    recipient = pw.CharField(max_length=128)
    measure = pw.CharField(max_length=8)       # remind | admonish | rectify
    forms = pw.TextField()                     # JSON list of delivery forms
    facts = pw.TextField()
    deadline = pw.CharField(max_length=10, null=True)
    status = pw.CharField(max_length=10, default="draft")  # draft | issued | rectified | closed
    cycle = pw.IntegerField(null=True)         # cycle of the issue date
    number_year = pw.IntegerField(null=True)
    number_seq = pw.IntegerField(null=True)
    number = pw.CharField(max_length=32, null=True, unique=True)
    drafted_by = pw.CharField(max_length=64)
    drafted_at = pw.CharField(max_length=32)
    approved_by = pw.CharField(max_length=64, null=True)
    approved_at = pw.CharField(max_length=32, null=True)
    issued_on = pw.CharField(max_length=10, null=True)
    closed_note = pw.TextField(default="")

    class Meta:
        indexes = ((("number_year", "number_seq"), True), (("target", "cycle"), False))


class AlertCounter(BaseModel):
    """The last notice number per year; bumped by a row-locking update on approval."""
    year = pw.IntegerField(primary_key=True)
    last = pw.IntegerField(default=0)


class Feedback(BaseModel):
    """One rectification report on a warning and what the commission made of it."""
    id = pw.AutoField()
    alert = pw.ForeignKeyField(Alert, backref="feedback", on_delete="CASCADE")
    alert_id: int   # the raw key peewee's accessor reads without loading the warning (no stub for it)
    text = pw.TextField()
    date = pw.CharField(max_length=10)
    entered_by = pw.CharField(max_length=64)
    created_at = pw.CharField(max_length=32)
    outcome = pw.CharField(max_length=10, default="pending")  # pending | verified | returned
    judged_by = pw.CharField(max_length=64, null=True)
    note = pw.TextField(default="")


class IntegrityInput(BaseModel):
    """Manually entered integrity facts for one leader and year."""
    id = pw.AutoField()
    person = pw.CharField(max_length=64)
    year = pw.IntegerField()
    manual = pw.IntegerField(null=True)        # 述职述廉 score, tenths
    grade = pw.CharField(max_length=8, null=True)  # 优秀 | 称职 | 基本称职 | 不称职
    veto = pw.TextField(null=True)             # why the index fails whatever the score
    entered_by = pw.CharField(max_length=64)
    updated_at = pw.CharField(max_length=32)

    class Meta:
        indexes = ((("person", "year"), True),)


class IntegrityResult(BaseModel):
    """The computed index of one leader and year (recomputing replaces it)."""
    id = pw.AutoField()
    person = pw.CharField(max_length=64)
    year = pw.IntegerField()
    value = pw.CharField(max_length=16, null=True)  # rounded, e.g. "85.35"; NULL when incomplete
    parts = pw.TextField()                      # JSON component key -> exact value as text
    missing = pw.TextField(default="[]")
    veto = pw.TextField(null=True)
    passed = pw.BooleanField(null=True)
    rooms = pw.TextField(default="[]")
    policy_hash = pw.CharField(max_length=64)
    computed_by = pw.CharField(max_length=64)
    computed_at = pw.CharField(max_length=32)

    class Meta:
        indexes = ((("person", "year"), True),)


class Talk(BaseModel):
    """A 廉政谈话: pending when an index fails, done once recorded."""
    id = pw.AutoField()
    person = pw.CharField(max_length=64)
    year = pw.IntegerField()
    reason = pw.TextField()
    status = pw.CharField(max_length=8, default="pending")  # pending | done
    talk_date = pw.CharField(max_length=10, null=True)
    talked_by = pw.CharField(max_length=128, null=True)
    notes = pw.TextField(default="")
    pledge = pw.BooleanField(default=False)
    recorded_by = pw.CharField(max_length=64, null=True)
    created_at = pw.CharField(max_length=32)
    place = pw.CharField(max_length=128, default="")        # migration 4
    talk_time = pw.CharField(max_length=5, null=True)       # HH:MM
    recorder = pw.CharField(max_length=64, null=True)       # 记录人 as printed
    statement = pw.TextField(default="")                    # 被谈话人表态

    class Meta:
        indexes = ((("person", "year"), True),)


DESK_MODELS = [Policy, Deduction, Alert, AlertCounter, Feedback, IntegrityInput, IntegrityResult, Talk]
