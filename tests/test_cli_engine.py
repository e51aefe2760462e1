"""The engine's CLI (DESIGN §8) through click's CliRunner, refusals included."""
import json
import re

import pytest
from click.testing import CliRunner

from pingyi.cli import cli
from tests.conftest import DATA, PASSWORD
from tests.helpers import ballots_csv, write


@pytest.fixture
def run(db_url, monkeypatch):
    monkeypatch.setenv("PINGYI_DB", db_url)
    monkeypatch.setenv("PINGYI_USER", "admin")
    monkeypatch.setenv("PINGYI_PASSWORD", PASSWORD)

    def invoke(*args, ok=True, env=None):
        result = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        else:
            assert result.exit_code != 0, result.output
            assert "Traceback" not in result.output
        return result

    invoke("init", "--admin", "admin")
    return invoke


def test_contract_flow_and_formats(run):
    run("roster", "import", DATA / "roster.csv")
    assert run("scheme", "import", DATA / "scheme.toml").output.strip() == "示例双定双评"
    out = run("room", "create", "--scheme", "示例双定双评", "--title", "示例", "--id", "DEMO1", "--persons", "all")
    assert out.output.strip().splitlines()[-1] == "DEMO1"
    run("room", "open", "DEMO1")
    assert "有效 5" in run("ballots", "import", "DEMO1", DATA / "ballots.csv").output
    provisional = json.loads(run("tally", "DEMO1", "--format", "json").output)
    assert provisional["provisional"] is True and provisional["status"] == "open"
    run("room", "close", "DEMO1")
    got = json.loads(run("tally", "DEMO1", "--format", "json").output)
    want = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
    assert got["ballots"] == want["ballots"]
    keys = ("person", "score", "rank", "bottom", "groups")
    assert [{k: r[k] for k in keys} for r in got["results"]] == want["results"]
    table = run("tally", "DEMO1").output
    assert "87.60" in table and "倒数第一" in table
    csv_out = run("tally", "DEMO1", "--format", "csv").output.splitlines()
    assert csv_out[0].startswith("\ufeff名次,编号,姓名,单位,得分,倒数第一,")      # BOM, Chinese headers
    assert csv_out[1].startswith("1,A01,王伟,财政局,87.60,否")
    en = run("tally", "DEMO1", "--format", "csv", "--headers", "en").output.splitlines()
    assert en[0].startswith("\ufeffrank,person,") and en[1].startswith("1,A01,王伟,财政局,87.60,0")
    assert "审计日志完整" in run("audit", "verify").output


def test_generated_room_id_is_last_line(run):
    run("roster", "import", DATA / "roster.csv")
    run("scheme", "import", DATA / "scheme.toml")
    out = run("room", "create", "--scheme", "示例双定双评", "--title", "自动编号", "--persons", "unit:财政局",
              "--codes", "masses=3", "--codes", "人大代表=2").output.strip().splitlines()
    rid = out[-1]
    assert rid.startswith("R") and len(rid) == 5
    assert "被测评 2 人" in out[0]
    shown = run("room", "show", rid).output
    assert "群众代表" in shown and "3" in shown
    log = [line for line in run("audit", "log").output.splitlines() if "新建会场" in line]
    assert len(log) == 1 and "；纸质票数 群众代表 0，人大代表 0；人数 2；票数 群众代表…" in log[0]   # names; cut marked
    raw = [e for e in json.loads(run("audit", "log", "--format", "json").output) if e["action"] == "room.create"]
    assert raw[0]["detail"]["quotas"] == {"masses": 3, "npc": 2}                    # JSON keeps the keys


def test_open_room_turnout_csv_names_the_groups(run):
    run("roster", "import", DATA / "roster.csv")
    run("scheme", "import", DATA / "scheme.toml")
    run("room", "create", "--scheme", "示例双定双评", "--title", "进度", "--id", "T1", "--codes", "masses=3",
        "--paper", "npc=2")
    run("room", "open", "T1")
    zh = run("tally", "T1", "--format", "csv").output.splitlines()
    assert zh == ["\ufeff代表类别,票码发出,票码收回,纸质发出,纸质收回", "群众代表,3,0,0,0", "人大代表,0,0,2,0"]
    en = run("tally", "T1", "--format", "csv", "--headers", "en").output.splitlines()
    assert en[1:] == ["masses,3,0,0,0", "npc,0,0,2,0"]


def test_users_and_roles(run, monkeypatch):
    run("user", "add", "org", "--role", "organizer", env={"PINGYI_NEW_PASSWORD": "org-pass-123"})
    r = run("user", "add", "x", "--role", "admin", ok=False,
            env={"PINGYI_USER": "org", "PINGYI_PASSWORD": "org-pass-123", "PINGYI_NEW_PASSWORD": "x-pass-1234"})
    assert "无权" in r.output
    r = run("roster", "list", ok=False, env={"PINGYI_PASSWORD": "wrong-password"})
    assert "账号或密码不对" in r.output
    r = run("roster", "list", ok=False, env={"PINGYI_USER": "nobody"})
    assert "账号或密码不对" in r.output


@pytest.mark.parametrize("args, needle", [
    (("room", "open", "NOPE"), "没有这个会场"),
    (("tally", "NOPE"), "没有这个会场"),
    (("room", "create", "--scheme", "没有", "--title", "t"), "没有这个测评方案"),
    (("series", "show", "没有"), "没有这个系列"),
    (("roster", "import", "/nonexistent.csv"), "文件不存在"),
    (("room", "create", "--scheme", "示例双定双评", "--title", "t", "--codes", "masses"), "票码数量写法不对"),
    (("room", "create", "--scheme", "示例双定双评", "--title", "t", "--persons", "unit:无此单位"), "没有选到"),
    (("room", "create", "--scheme", "示例双定双评", "--title", "t", "--series", "s"), "一起给出"),
])
def test_refusals_are_one_clear_line(run, args, needle):
    run("roster", "import", DATA / "roster.csv")
    run("scheme", "import", DATA / "scheme.toml")
    r = run(*args, ok=False)
    assert r.output.startswith("错误：") and needle in r.output


def test_import_errors_listed_with_line_numbers(run, tmp_path):
    run("roster", "import", DATA / "roster.csv")
    run("scheme", "import", DATA / "scheme.toml")
    run("room", "create", "--scheme", "示例双定双评", "--title", "t", "--id", "R1")
    r = run("ballots", "import", "R1", DATA / "ballots.csv", ok=False)
    assert "尚未开启" in r.output
    run("room", "open", "R1")
    bad = ballots_csv(tmp_path, ["1,masses,A01,40,", "2,masses,A02,60,1", "3,xx,A03,1,1"])
    r = run("ballots", "import", "R1", bad, ok=False)
    assert "整个文件未导入" in r.output
    for line in ("第 2 行", "第 3 行", "第 4 行"):
        assert line in r.output
    assert json.loads(run("tally", "R1", "--format", "json").output)["ballots"]["cast"] == 0
    bad_toml = write(tmp_path, "bad.toml", 'name = "x"\nkind = "shuangding"\n')
    r = run("scheme", "import", bad_toml, ok=False)
    assert "bad.toml：indicator" in r.output


def test_series_json_and_proposals(run, tmp_path):
    run("roster", "import", DATA / "roster.csv")
    run("scheme", "import", DATA / "scheme.toml")
    rows = ["1,masses,A01,45,45", "1,masses,A02,40,40", "1,masses,A03,35,35", "1,masses,A04,20,20",
            "1,masses,A05,30,30"]
    for rnd in (1, 2):
        run("room", "create", "--scheme", "示例双定双评", "--title", f"第{rnd}轮", "--id", f"S{rnd}",
            "--series", "双评", "--round", rnd)
        run("room", "open", f"S{rnd}")
        run("ballots", "import", f"S{rnd}", ballots_csv(tmp_path, rows, f"b{rnd}.csv"))
        run("room", "close", f"S{rnd}")
    view = json.loads(run("series", "show", "双评", "--format", "json").output)
    assert view["rounds"] == [{"round": 1, "room": "S1"}, {"round": 2, "room": "S2"}]
    assert {"person": "A04", "bottoms": [1, 2], "streak": 2} in view["persons"]
    props = json.loads(run("warnings", "proposals", "--format", "json").output)
    assert len(props) == 1
    p = props[0]
    assert {k: p[k] for k in ("source", "level", "target", "recipient", "series", "round")} == {
        "source": "streak", "level": "blue", "target": "A04", "recipient": "分管副局长孙某", "series": "双评",
        "round": 2}
    assert p["reason"] == "文化稽查大队刘某在「双评」中连续2次倒数第一（第1轮、第2轮）"        # unit and name, no code
    table = run("warnings", "proposals").output
    assert "  刘某  " in table and "A04" not in table
    run("roster", "import", write(tmp_path, "more.csv", "编号,姓名,单位,职务\nB01,刘某,民政局,科员\n"))
    run("room", "create", "--scheme", "示例双定双评", "--title", "第3轮", "--id", "S3", "--series", "双评",
        "--round", 3, "--persons", "codes:A01,A02,A03,A04,A05")
    run("room", "open", "S3")
    run("ballots", "import", "S3", ballots_csv(tmp_path, rows, "b3.csv"))
    run("room", "close", "S3")
    third = json.loads(run("warnings", "proposals", "--format", "json").output)[-1]
    assert (third["level"], third["reason"]) == ("yellow", "文化稽查大队刘某（A04）在「双评」中连续3次倒数第一"
                                                            "（第1轮、第2轮、第3轮）")   # a second 刘某: the code
    assert "刘某（A04）" in run("warnings", "proposals").output


def test_backup(run, tmp_path, db_url):
    if "postgresql" in db_url:
        assert "pg_dump" in run("backup", tmp_path / "b.db", ok=False).output
        return
    run("backup", tmp_path / "b.db")
    import sqlite3

    con = sqlite3.connect(tmp_path / "b.db")
    assert con.execute("SELECT name FROM user").fetchall() == [("admin",)]
    con.close()
    assert "已存在" in run("backup", tmp_path / "b.db", ok=False).output


def test_help_is_chinese_and_fast_import():
    r = CliRunner().invoke(cli, ["--help"])
    assert r.exit_code == 0 and "测评会场" in r.output
    r = CliRunner().invoke(cli, ["room", "create", "--help"])
    assert "会场名称" in r.output


@pytest.mark.parametrize("args, needle", [
    (("room", "create"), "缺少参数 '--scheme'"),
    (("room", "nope"), "没有这个命令"),
    (("tally", "X", "--format", "xml"), "参数 '--format' 的值不对"),
    (("--bogus",), "没有这个选项：--bogus"),
    (("--db",), "选项 --db 后面缺少值"),
    (("room", "list", "extra"), "多余的参数：extra"),
])
def test_usage_errors_in_chinese(args, needle):
    r = CliRunner().invoke(cli, list(args))
    assert r.exit_code == 2 and needle in r.output and "Usage:" not in r.output
    assert not re.search(r"Usage|Error|Try|Option|argument|Missing|Got|requires", r.output), r.output


def test_help_option_is_chinese_everywhere():
    def walk(cmd, path):
        yield path
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, path + [name])

    for path in walk(cli, []):
        r = CliRunner().invoke(cli, path + ["--help"])
        assert r.exit_code == 0 and "显示本帮助并退出" in r.output and "Show this message" not in r.output, path
        english = re.findall(r"Usage:|Options:|Commands:|default:|required\]|OPTIONS|COMMAND|ARGS", r.output)
        assert not english, (path, english)


def test_a_group_without_its_command_shows_its_help_in_chinese():
    r = CliRunner().invoke(cli, ["room"])
    assert r.exit_code == 2 and "用法：" in r.output and "\n命令：\n" in r.output and "Usage" not in r.output
