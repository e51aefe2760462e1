"""`pingyi roster disable|enable` and `pingyi room delete`, run as the installed command
(a subprocess: real exit codes, real standard input, a terminal or none)."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, PASSWORD

PINGYI = str(Path(sys.executable).parent / "pingyi")


@pytest.fixture
def cli(tmp_path: Path) -> Any:
    env = {**os.environ, "PINGYI_DB": str(tmp_path / "cli.db"), "PINGYI_USER": "admin",
           "PINGYI_PASSWORD": PASSWORD, "HOME": str(tmp_path)}

    def run(*args: object, code: int = 0) -> subprocess.CompletedProcess[str]:
        res = subprocess.run([PINGYI, *map(str, args)], capture_output=True, text=True, env=env,
                             stdin=subprocess.DEVNULL, timeout=120)
        assert res.returncode == code, (res.returncode, res.stdout, res.stderr)
        assert "Traceback" not in res.stderr
        return res

    run("init", "--admin", "admin", "--organ", "中共某县纪律检查委员会")
    run("roster", "import", DATA / "roster.csv")
    run("scheme", "import", DATA / "scheme.toml")
    run.env = env  # type: ignore[attr-defined]
    return run


def test_disable_enable_and_what_import_says(cli: Any, tmp_path: Path) -> None:
    out = cli("roster", "disable", "A03", "A04").stdout
    assert "已停用：A03 张强、A04 刘某" in out
    assert "原已停用，未改动：A03 张强" in cli("roster", "disable", "A03").stdout
    err = cli("roster", "disable", "A01", "ZZ9", code=1).stderr
    assert "名单中没有这些编号：ZZ9，未作任何修改" in err
    table = cli("roster", "list").stdout
    assert "停用" in table and "共 5 人，其中停用 2 人" in table
    listed = json.loads(cli("roster", "list", "--status", "inactive", "--format", "json").stdout)
    assert [(p["code"], p["status"], p["active"]) for p in listed] == [("A03", "inactive", False),
                                                                        ("A04", "inactive", False)]
    # a new room leaves them out
    last = cli("room", "create", "--scheme", "示例双定双评", "--title", "新会场", "--id", "NEW1").stdout
    assert "被测评 3 人" in last
    # re-importing the file keeps them 停用 and says so
    out = cli("roster", "import", DATA / "roster.csv").stdout
    assert "A03、A04 已停用，导入不改变停用状态" in out and "pingyi roster enable" in out
    assert "已启用：A03 张强" in cli("roster", "enable", "A03").stdout
    help_text = cli("roster", "import", "--help").stdout
    assert "仍保持停用" in help_text
    assert "审计日志完整" in cli("audit", "verify").stdout


def test_room_delete_asks_or_wants_yes(cli: Any) -> None:
    cli("room", "create", "--scheme", "示例双定双评", "--title", "建错了", "--id", "OOPS1")
    err = cli("room", "delete", "OOPS1", code=2).stderr
    assert "删除会场 OOPS1「建错了」须确认：请加 --yes" in err
    # at a terminal it asks; the default is no
    assert _at_terminal(cli.env, ["room", "delete", "OOPS1"], "\n") == (1, True)
    assert _at_terminal(cli.env, ["room", "delete", "OOPS1"], "y\n") == (0, True)
    err = cli("room", "delete", "OOPS1", code=1).stderr
    assert "没有这个会场：OOPS1" in err
    cli("room", "create", "--scheme", "示例双定双评", "--title", "再建", "--id", "OOPS2")
    assert "已删除草稿会场 OOPS2「再建」" in cli("room", "delete", "OOPS2", "--yes").stdout
    # an opened room is refused before anything is asked
    cli("room", "create", "--scheme", "示例双定双评", "--title", "开了", "--id", "OPEN1")
    cli("room", "open", "OPEN1")
    err = cli("room", "delete", "OPEN1", "--yes", code=1).stderr
    assert "只能删除从未开启的草稿会场" in err
    log = cli("audit", "log").stdout
    assert "删除草稿会场" in log and "room.delete" not in log     # in words; raw keys only in --format json
    assert any(e["action"] == "room.delete" for e in json.loads(cli("audit", "log", "--format", "json").stdout))
    assert "审计日志完整" in cli("audit", "verify").stdout


def _at_terminal(env: dict[str, str], args: list[str], answer: str) -> tuple[int, bool]:
    """(exit code, whether it asked) with standard input a terminal that types ``answer``."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([PINGYI, *args], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, text=True)
        os.write(master, answer.encode())
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(master)
        os.close(slave)
    assert "Traceback" not in err
    return proc.returncode, "删除后不能恢复" in err
