"""Audit log screen: events listed newest first in Chinese, paging, and the
chain check reporting intact, then the one row changed behind its back."""
from __future__ import annotations

import sqlite3

from tests.ui_support import make, ui_admin, ui_contract  # noqa: F401


def _verify_text(screen) -> str:
    return str(screen.query_one("#audit-verify").render())


async def test_audit_lists_events_and_verifies_then_finds_tampering(sqlite_db, ui_contract, ui_admin):
    from pingyi.screens.audit import AuditScreen
    from pingyi.screens.work import settle

    from pingyi.records import audit

    total = audit.count()
    app = make(sqlite_db, actor=ui_admin, start="a")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        table = screen.query_one("#audit")
        assert table.row_count == total >= 7
        assert [str(table.get_row_at(i)[0]) for i in (0, total - 1)] == [str(total), "1"]
        rows = {table.get_row_at(i)[3]: table.get_row_at(i) for i in range(total)}
        assert rows["初始化"][2] == "admin" and rows["初始化"][4] == "管理员 admin"
        assert str(rows["结束会场"][4]).startswith("会场 DEMO1；")
        assert str(rows["导入名单"][4]).startswith("文件 roster.csv；")
        assert "；票数 群众代表 0，人大代表 0" in str(rows["新建会场"][4])        # group names, not keys
        assert f"共 {total} 条  第 1/1 页" in str(screen.query_one("#audit-status").render())

        await pilot.press("v")
        await settle(pilot)
        assert screen.problems == [] and "校验结果：完整" in _verify_text(screen)

        sqlite3.connect(sqlite_db).execute("UPDATE audit_event SET actor = 'mallory' WHERE seq = 2").connection.commit()
        await pilot.press("v")
        await settle(pilot)
        assert len(screen.problems) == 1
        text = _verify_text(screen)
        assert "发现 1 处问题" in text and "第 2 条记录内容被改动" in text
        assert any("发现 1 处问题" in n.message for n in app._notifications)


async def test_audit_pages_and_shows_the_highlighted_event_in_full(sqlite_db, ui_admin):
    from pingyi.db.connection import write
    from pingyi.screens.audit import PAGE
    from pingyi.screens.work import settle

    from pingyi.records import audit

    @write
    def many():
        for i in range(PAGE + 20):
            audit.append("admin", "user.password", user=f"u{i}")

    many()
    total = PAGE + 21                               # init + the passwords
    app = make(sqlite_db, actor=ui_admin, start="a")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#audit")
        assert table.row_count == PAGE and str(table.get_row_at(0)[0]) == str(total)
        assert "第 121 条 修改密码：账号 u119" in str(screen.query_one("#audit-detail").render())
        await pilot.press("pagedown")
        await settle(pilot)
        assert table.row_count == 21 and str(table.get_row_at(20)[0]) == "1"
        assert "第 2/2 页" in str(screen.query_one("#audit-status").render())
        await pilot.press("down")
        assert "第 20 条" in str(screen.query_one("#audit-detail").render())


def test_summary_words():
    from pingyi.records.audit_words import action_name, summary

    assert action_name("warning.approve") == "签发预警" and action_name("x.unknown") == "x.unknown"
    detail = {"hash": "ab" * 32, "level": "yellow", "number": "预警〔2026〕1号", "target": "A04", "x": [1, 2]}
    assert summary(detail) == "对象 A04；等级 黄色；文号 预警〔2026〕1号；x 1、2"
    assert summary(detail, full=True).endswith("；哈希 " + "ab" * 8 + "…；x 1、2")


def test_summary_names_groups_and_codes_in_words():
    """Group keys inside the per-group counts read as the scheme's group names (passed in: the words are
    pure); a key the map lacks stays; codes of an action read as words, typed text stays as typed."""
    from pingyi.records.audit_words import summary

    names = {"masses": "群众代表", "npc": "人大代表"}
    quotas = {"room": "R1", "quotas": {"masses": 4, "npc": 2}, "paper": {"clients": 0, "masses": 1}}
    assert summary(quotas, names=names) == "会场 R1；票数 群众代表 4，人大代表 2；纸质票数 clients 0，群众代表 1"
    assert summary(quotas) == "会场 R1；票数 masses 4，npc 2；纸质票数 clients 0，masses 1"
    assert summary({"x": {"masses": 1}}, names=names) == "x masses 1"          # only per-group counts
    edit = {"id": 3, "measure": "admonish", "forms": '["预警通知书", "内部通报"]', "facts": "违规采购"}
    assert summary(edit) == "编号 3；措施 诫勉纠错；送达方式 预警通知书、内部通报；事实与理由 违规采购"
    failed = {"user": "wang", "reason": "password", "failures": 3}
    assert summary(failed, action="login.failed") == "账号 wang；理由 密码错误；连续错误次数 3"
    assert summary({"reason": "password"}, action="ledger.deduct") == "理由 password"       # typed by a user
    dismissed = {"proposal": 2, "source": "yellow_twice", "target": "A02", "reason": "已另案处理"}
    assert summary(dismissed, action="proposal.dismiss") == "对象 A02；理由 已另案处理；建议 2；来源 两次黄色预警"
    assert summary({"source": "ledger"}, action="ledger.deduct") == "来源 ledger"
    assert summary({"person": "A04", "year": 2026, "manual": 675}) == "人员 A04；年度 2026；述职述廉 67.5"   # tenths


def test_events_carry_the_group_names_of_their_room(admin, tmp_path):
    """The service looks the names up: the room's frozen scheme; for a deleted room the scheme the event
    names, else the names all schemes agree on (a key two schemes name differently stays a key)."""
    from pingyi.records import audit
    from pingyi.records.audit_words import summary
    from pingyi.voting import rooms, schemes
    from tests.helpers import SCHEME, setup_scheme, write

    setup_scheme(admin, tmp_path, "甲方案")
    other = SCHEME.format(name="乙方案", trim=0).replace('name = "群众代表"', 'name = "服务对象"')
    schemes.import_scheme(admin, write(tmp_path, "b.toml", other))
    rooms.create_room(admin, "甲方案", "一会场", "R1", quotas={"masses": 4, "npc": 2}, paper={"npc": 3})
    rooms.create_room(admin, "乙方案", "二会场", "R2", quotas={"masses": 1})
    rooms.set_quotas(admin, "R2", {"masses": 5, "npc": 1})
    rooms.delete_room(admin, "R2")
    said = {(e.action, e.detail.get("room")): summary(e.detail, names=e.names, action=e.action)
            for e in audit.events()}
    assert "票数 群众代表 4，人大代表 2" in said[("room.create", "R1")]
    assert "纸质票数 群众代表 0，人大代表 3" in said[("room.create", "R1")]
    assert "票数 服务对象 1，人大代表 0" in said[("room.create", "R2")]       # R2 is gone: its scheme's names
    assert said[("room.quotas", "R2")] == "会场 R2；票数 masses 5，人大代表 1"    # no scheme named: only agreed names
    raw = next(e for e in audit.events() if e.action == "room.create" and e.detail["room"] == "R1")
    assert raw.detail["quotas"] == {"masses": 4, "npc": 2}                       # the record itself keeps keys
    assert audit.events()[0].names == {}                                          # nothing per group: no lookup


async def test_audit_verify_names_rows_and_rooms_changed_behind_its_back(sqlite_db, ui_contract, ui_admin):
    """The screen shows the same findings as `pingyi audit verify`, and the head when all holds."""
    from pingyi.screens.work import settle

    from pingyi.records import audit

    app = make(sqlite_db, actor=ui_admin, start="a")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("v")
        await settle(pilot)
        assert screen.problems == [] and audit.head().words() in _verify_text(screen)

        con = sqlite3.connect(sqlite_db)
        con.execute("UPDATE person SET name = '[b]替身[/b]' WHERE code = 'A01'")
        con.execute("DELETE FROM entry WHERE ballot_id = (SELECT MIN(id) FROM ballot WHERE room_id = 'DEMO1')")
        con.commit()
        con.close()
        await pilot.press("v")
        await settle(pilot)
        assert screen.problems == audit.verify()
        text = _verify_text(screen)
        assert "名单人员 A01 [b]替身[/b]" in text and "被改动" in text
        assert "DEMO1" in text and "结束后改动了选票" in text


async def test_audit_names_the_program_in_chinese(sqlite_db, ui_admin):
    """Entries the program makes by itself (a refused login of an unknown account) show 「系统」,
    not the stored 「system」."""
    import contextlib

    from pingyi.screens.work import settle

    from pingyi.common.errors import PingyiError
    from pingyi.people import accounts

    with contextlib.suppress(PingyiError):   # refused: an unknown account
        accounts.authenticate("nobody", "wrong-password")
    app = make(sqlite_db, actor=ui_admin, start="a")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#audit")
        row = table.get_row_at(0)
        assert row[3] == "登录失败" and row[2] == "系统"
        assert all(table.get_row_at(i)[2] != "system" for i in range(table.row_count))
