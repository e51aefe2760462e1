"""`pingyi demo` builds a county whose series already proposes a blue warning for 刘某."""
from __future__ import annotations

import os
import subprocess
import sys


def test_demo_builds_streak_proposal_for_liu(tmp_path):
    env = {**os.environ, "PINGYI_DB": str(tmp_path / "unused.db")}
    out = subprocess.run([sys.executable, "-c", "from pingyi.cli import main; main()", "demo", "--no-ui",
                          "--path", str(tmp_path / "d")], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    db_path = tmp_path / "d" / "pingyi-demo.db"
    assert f"演示数据库：{db_path}" in out.stdout
    assert "huiwu / demo-huiwu-2026 / 会务" in out.stdout

    from pingyi import proposals
    from pingyi.common.store import close_store, open_store
    from pingyi.people import accounts, roster
    from pingyi.voting import rooms, series

    open_store(str(db_path))
    try:
        assert accounts.authenticate("jiwei1", "demo-jiwei1-2026").role == "commission"
        liu = roster.get_person("WHJC05")
        assert (liu.name, liu.unit) == ("刘某", "文化稽查大队")
        assert roster.count_persons() == 120 and len(roster.list_units()) == 10
        pending = proposals.list_proposals("pending")
        assert [(p.source, p.level, p.target, p.round) for p in pending] == [("streak", "blue", "WHJC05", 2)]
        assert pending[0].recipient == liu.supervisor
        view = series.show("2026年度科股长双定双评")
        assert [r for r, _ in view.rounds] == [1, 2]
        assert next(p for p in view.persons if p.person == "WHJC05").bottoms == [1, 2]
        room = rooms.get_room("R2603")
        assert room.status == "open" and len(room.spec.groups) == 5 and room.spec.rules.trim == 1
        t = rooms.turnout("R2603")
        assert t.groups["masses"] == (7, 12) and t.cast == 20
        assert rooms.code_counts("R2603")["masses"] == {"unused": 5, "used": 7, "void": 0}
        from pingyi.records import audit

        assert audit.verify() == []  # everything the demo made is vouched for by its audit log
    finally:
        close_store()


def test_demo_is_deterministic(tmp_path):
    from pingyi import demo
    from pingyi.common.store import close_store
    from pingyi.people import roster
    from pingyi.voting import tally

    a = demo.build(str(tmp_path / "a"), seed=7)
    first = ([p.name for p in roster.list_persons()], tally.get_tally("R2601").to_json()["results"])
    close_store()
    demo.build(str(tmp_path / "b"), seed=7)
    second = ([p.name for p in roster.list_persons()], tally.get_tally("R2601").to_json()["results"])
    close_store()
    assert first == second
    assert a.liu == "WHJC05"
