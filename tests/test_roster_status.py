"""Mistakes can be removed (issue 12): a roster person is deactivated (kept in history, out of new
rooms and pickers) and reactivated; a draft room that was never used is deleted. Both audited:
`audit verify` stays clean. Services on SQLite and PostgreSQL."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pingyi.common.errors import InputError, NotFound, PingyiError
from pingyi.common.vocab import RoomStatus
from pingyi.people import roster
from pingyi.people.accounts import Actor
from pingyi.records import audit
from pingyi.voting import ballots, rooms, schemes
from tests.conftest import DATA


@pytest.fixture
def loaded(admin: Actor) -> Actor:
    roster.import_roster(admin, DATA / "roster.csv")
    schemes.import_scheme(admin, DATA / "scheme.toml")
    return admin


def _codes(room_id: str) -> list[str]:
    return [p.code for p in rooms.room_persons(room_id)]


def test_deactivated_person_leaves_new_rooms_and_pickers_but_stays_in_old_rooms(loaded: Actor) -> None:
    rooms.create_room(loaded, "示例双定双评", "旧会场", "OLD1", persons="all")
    change = roster.set_active(loaded, ["A03"], False)
    assert [p.code for p in change.changed] == ["A03"] and not change.changed[0].active
    assert change.drafts == ("OLD1",)            # the draft that still lists A03 is named
    # history: the old room keeps the person
    assert "A03" in _codes("OLD1")
    # new rooms: all, unit: and category: leave them out
    rooms.create_room(loaded, "示例双定双评", "新会场", "NEW1", persons="all")
    assert _codes("NEW1") == ["A01", "A02", "A04", "A05"]
    with pytest.raises(InputError, match="按「unit:民政局」没有选到任何人员"):
        rooms.create_room(loaded, "示例双定双评", "民政", "NEW2", persons="unit:民政局")
    rooms.create_room(loaded, "示例双定双评", "服务类", "NEW3", persons="category:服务类")
    assert _codes("NEW3") == ["A01", "A02"]
    # naming an inactive person by code is refused with their name
    with pytest.raises(InputError, match="已停用.*A03 张强"):
        rooms.create_room(loaded, "示例双定双评", "手选", "NEW4", persons="codes:A01,A03")
    with pytest.raises(InputError, match="已停用"):
        rooms.set_persons(loaded, "NEW1", ["A01", "A03"])
    # pickers ask for persons in use; the roster view shows everyone with their state
    assert [p.code for p in roster.list_persons(status="active")] == ["A01", "A02", "A04", "A05"]
    assert [p.code for p in roster.list_persons(status="inactive")] == ["A03"]
    assert roster.count_persons() == 5 and roster.count_persons(status="inactive") == 1
    assert not roster.get_person("A03").active
    assert audit.verify() == []


def test_a_draft_listing_a_person_deactivated_since_does_not_open(loaded: Actor) -> None:
    rooms.create_room(loaded, "示例双定双评", "旧会场", "OLD1", persons="all")
    roster.set_active(loaded, ["A03"], False)
    with pytest.raises(InputError, match="已停用的：A03 张强"):
        rooms.open_room(loaded, "OLD1")
    assert rooms.get_room("OLD1").status == RoomStatus.DRAFT
    rooms.set_persons(loaded, "OLD1", ["A01", "A02", "A04", "A05"])
    rooms.open_room(loaded, "OLD1")
    assert rooms.get_room("OLD1").status == RoomStatus.OPEN


def test_reactivated_person_joins_new_rooms_again(loaded: Actor) -> None:
    roster.set_active(loaded, ["A03", "A04"], False)
    change = roster.set_active(loaded, ["A03"], True)
    assert [p.code for p in change.changed] == ["A03"] and change.changed[0].active and change.drafts == ()
    rooms.create_room(loaded, "示例双定双评", "新会场", "NEW1", persons="all")
    assert _codes("NEW1") == ["A01", "A02", "A03", "A05"]
    events = audit.events(3)
    assert [e.action for e in events[:3]] == ["room.create", "roster.enable", "roster.disable"]
    assert events[1].detail["codes"] == ["A03"] and events[2].detail["codes"] == ["A03", "A04"]
    assert audit.verify() == []


def test_set_active_is_all_or_nothing_and_says_what_was_already_so(loaded: Actor) -> None:
    with pytest.raises(NotFound, match="没有这些编号：ZZ9"):
        roster.set_active(loaded, ["A01", "ZZ9"], False)
    assert roster.get_person("A01").active                   # nothing changed
    with pytest.raises(InputError, match="请给出要停用的人员编号"):
        roster.set_active(loaded, [" "], False)
    roster.set_active(loaded, ["A01"], False)
    seq = audit.head().seq
    change = roster.set_active(loaded, ["A01"], False)
    assert change.changed == () and [p.code for p in change.already] == ["A01"]
    assert audit.head().seq == seq                            # nothing to record


def test_import_keeps_an_inactive_person_inactive_and_says_so(loaded: Actor, tmp_path: Path) -> None:
    roster.set_active(loaded, ["A02"], False)
    text = (DATA / "roster.csv").read_text(encoding="utf-8").replace("国库股股长", "国库科科长")
    path = tmp_path / "名单.csv"
    path.write_text(text, encoding="utf-8")
    preview = roster.preview(path)
    assert preview.inactive == ("A02",) and preview.updated == 1
    summary = roster.import_roster(loaded, path)
    assert summary.inactive == ("A02",)
    assert "A02 已停用，导入不改变停用状态" in summary.inactive_note("按 d 启用")
    p = roster.get_person("A02")
    assert p.post == "国库科科长" and not p.active           # updated, still 停用
    assert audit.verify() == []


def test_history_is_unchanged_by_deactivation(loaded: Actor) -> None:
    from pingyi.voting import tally

    rooms.create_room(loaded, "示例双定双评", "示例会场", "DEMO1", persons="all")
    rooms.open_room(loaded, "DEMO1")
    ballots.import_csv(loaded, "DEMO1", DATA / "ballots.csv")
    rooms.close_room(loaded, "DEMO1")
    before = tally.get_tally("DEMO1").to_json()
    roster.set_active(loaded, ["A01", "A05"], False)
    assert tally.get_tally("DEMO1").to_json() == before
    assert [p.code for p in rooms.room_persons("DEMO1")] == ["A01", "A02", "A03", "A04", "A05"]
    assert audit.verify() == []


def test_a_person_reactivated_outside_pingyi_is_found(loaded: Actor, db_url: str) -> None:
    roster.set_active(loaded, ["A03"], False)
    from pingyi.db import models as m

    m.Person.update(inactive_since=None).where(m.Person.code == "A03").execute()   # behind pingyi's back
    problems = audit.verify()
    assert any("名单人员 A03 张强" in p and "之外被改动" in p for p in problems), problems


# --- deleting a draft room ---

def test_a_draft_room_is_deleted_and_audited(loaded: Actor) -> None:
    rooms.create_room(loaded, "示例双定双评", "建错了", "OOPS1", series="2026双评", round=1, persons="all",
                      quotas={"masses": 5})
    gone = rooms.delete_room(loaded, "OOPS1")
    assert (gone.id, gone.title, gone.persons) == ("OOPS1", "建错了", 5)
    with pytest.raises(NotFound):
        rooms.get_room("OOPS1")
    e = audit.events(1)[0]
    assert e.action == "room.delete" and e.detail["room"] == "OOPS1" and e.detail["digests"]["room"] == {
        "OOPS1": "-"}
    # the series round and the id are free again
    rooms.create_room(loaded, "示例双定双评", "重建", "OOPS1", series="2026双评", round=1, persons="all")
    assert audit.verify() == []


def test_only_an_unused_draft_is_deleted(loaded: Actor) -> None:
    rooms.create_room(loaded, "示例双定双评", "发过票码", "CODES", persons="all", quotas={"masses": 2})
    rooms.issue_codes(loaded, "CODES")
    with pytest.raises(PingyiError, match="已发放过 2 个票码.*不能删除"):
        rooms.delete_room(loaded, "CODES")
    rooms.create_room(loaded, "示例双定双评", "开过", "OPENED", persons="all")
    rooms.open_room(loaded, "OPENED")
    with pytest.raises(PingyiError, match="会场 OPENED 进行中，只能删除从未开启的草稿会场"):
        rooms.delete_room(loaded, "OPENED")
    rooms.close_room(loaded, "OPENED")
    with pytest.raises(PingyiError, match="已结束，只能删除"):
        rooms.delete_room(loaded, "OPENED")
    with pytest.raises(NotFound, match="没有这个会场：NOPE"):
        rooms.delete_room(loaded, "NOPE")
    assert {r.id for r in rooms.list_rooms()} == {"CODES", "OPENED"}
    assert audit.verify() == []


def test_a_room_deleted_outside_pingyi_is_still_found(loaded: Actor, db_url: str) -> None:
    if db_url.startswith("postgresql"):
        pytest.skip("edits the SQLite file directly")
    from pingyi.db.connection import close_database, open_database

    rooms.create_room(loaded, "示例双定双评", "留着", "KEEP1", persons="all")
    close_database()
    con = sqlite3.connect(db_url)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("DELETE FROM room WHERE id = 'KEEP1'")
    con.commit()
    con.close()
    open_database(db_url)
    problems = audit.verify()
    assert any("KEEP1" in p and "之外被删除" in p for p in problems), problems


# --- the migration ---

def test_upgrading_to_the_inactive_column_keeps_audit_verify_clean(sqlite_url: str) -> None:
    """A database made before migration 7 (persons vouched for by older records) upgrades
    without a new baseline and without findings; a deactivation afterwards is vouched for too."""
    import dataclasses

    from pingyi.db import migrations
    from pingyi.db.connection import close_database, open_database, session
    from pingyi.db.connection import database as dbase

    from pingyi.people import accounts
    from pingyi.records import digests

    open_database(sqlite_url, migrate=False)
    with session():
        migrations.upgrade(target=6)
    admin = accounts.init_admin("admin", "test-pass-123")
    with session():
        dbase.execute_sql("INSERT INTO unit (name) VALUES ('财政局')")
        dbase.execute_sql("INSERT INTO person (code, name, unit_id, post, category, supervisor) "
                          "VALUES ('A01', '王伟', 1, '股长', '', '')")
        # the record version-6 pingyi wrote: digests of rows without the column
        v6 = {k: dataclasses.replace(digests.BY_KEY[k], exclude=frozenset({"inactive_since"}))
              for k in ("person", "unit")}
        audit.append(admin.name, "roster.import",
                     digests={k: {pk: d for pk, (d, _) in digests.current(kind).items()} for k, kind in v6.items()})
    close_database()
    open_database(sqlite_url)
    assert migrations.current_version() == migrations.LATEST
    cols = [r[1] for r in dbase.execute_sql("PRAGMA table_info(person)").fetchall()]
    assert "inactive_since" in cols
    assert "audit.baseline" not in [e.action for e in audit.events()]
    assert audit.verify() == []
    roster.set_active(admin, ["A01"], False)
    assert audit.verify() == []
    roster.set_active(admin, ["A01"], True)
    assert audit.verify() == []
