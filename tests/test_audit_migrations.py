"""The hash-chained audit log and numbered migrations."""
import sqlite3

import pytest
from pingyi.db import migrations
from pingyi.db.connection import SchemaTooNew, close_database, open_database


def test_audit_verify_detects_edits_deletions_insertions(sqlite_url, tmp_path):
    from pingyi.people import accounts
    from pingyi.records import audit

    open_database(sqlite_url)
    admin = accounts.init_admin("admin", "test-pass-123")
    for i in range(3):
        accounts.add_user(admin, f"u{i}", "organizer", "test-pass-123")
    assert audit.verify() == []
    close_database()
    con = sqlite3.connect(sqlite_url)
    con.execute("UPDATE audit_event SET detail = replace(detail, 'u1', 'u9') WHERE seq = 3")
    con.commit()
    open_database(sqlite_url)
    assert any("第 3 条" in p for p in audit.verify())
    close_database()
    con.execute("UPDATE audit_event SET detail = replace(detail, 'u9', 'u1') WHERE seq = 3")
    con.execute("DELETE FROM audit_event WHERE seq = 2")
    con.commit()
    open_database(sqlite_url)
    assert any("缺失" in p for p in audit.verify())
    close_database()
    con.execute("DELETE FROM audit_event WHERE seq = 4")  # the last one
    con.commit()
    con.close()
    open_database(sqlite_url)
    assert any("末尾" in p or "应有" in p for p in audit.verify())
    close_database()


def test_old_schema_upgrades_and_newer_is_refused(sqlite_url):
    from pingyi.db.connection import session

    open_database(sqlite_url, migrate=False)
    with session():
        assert migrations.upgrade(target=1) == 1
        assert migrations.current_version() == 1
    close_database()
    open_database(sqlite_url)  # upgrades to the latest
    with session():
        assert migrations.current_version() == migrations.LATEST
    close_database()
    con = sqlite3.connect(sqlite_url)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(migrations.LATEST + 1),))
    con.commit()
    con.close()
    with pytest.raises(SchemaTooNew, match="升级 pingyi"):
        open_database(sqlite_url)
    close_database()


def test_layers_do_not_import_textual_or_heavy_libraries():
    import subprocess
    import sys

    code = ("import sys, pingyi.cli, pingyi.voting.tally, pingyi.voting.rooms, pingyi.voting.ballots, pingyi.db.models;"
            "bad = [m for m in ('textual', 'reportlab', 'openpyxl', 'pingyi.screens') if m in sys.modules];"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_no_textual_import_in_core_sources():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]

    def imports(path, names):
        pattern = re.compile(rf"^\s*(from|import)\s+({'|'.join(names)})\b", re.M)
        return bool(pattern.search(path.read_text(encoding="utf-8")))

    # the CLI may start the UI lazily, inside its commands, and so may the console script (pingyi/launch.py)
    core = [p for d in ("pingyi", "db") for p in (root / d).rglob("*.py")
            if "cli" not in p.parts and p != root / "pingyi" / "launch.py"]
    assert [p for p in core if imports(p, ["textual", r"pingyi\.screens"])] == []
    assert [p for p in (root / "screens").rglob("*.py") if imports(p, ["peewee", r"pingyi\.db"])] == []
