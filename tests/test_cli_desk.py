"""The desk CLI end to end (DESIGN §8 contracts) with click's CliRunner,
including every refusal listed in the issue: clear Chinese, non-zero exit,
nothing changed."""
import json

import pytest
from click.testing import CliRunner

from pingyi.cli import cli
from tests.conftest import DATA, PASSWORD

WANG = {"PINGYI_USER": "wang"}
LI = {"PINGYI_USER": "li"}


@pytest.fixture
def run(db_url, monkeypatch):
    monkeypatch.setenv("PINGYI_DB", db_url)
    monkeypatch.setenv("PINGYI_USER", "admin")
    monkeypatch.setenv("PINGYI_PASSWORD", PASSWORD)
    monkeypatch.setenv("PINGYI_NEW_PASSWORD", PASSWORD)
    monkeypatch.setenv("PINGYI_TODAY", "2026-03-02")

    def invoke(*args, ok=True, env=None):
        result = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        else:
            assert result.exit_code != 0, result.output
            assert result.output.startswith("错误：") and "Traceback" not in result.output
        return result

    invoke("init", "--admin", "admin", "--organ", "中共某某县纪律检查委员会")
    invoke("roster", "import", DATA / "roster.csv")
    for name, role in (("wang", "commission"), ("li", "commission"), ("org", "organizer")):
        invoke("user", "add", name, "--role", role)
    return invoke


def _json(result):
    return json.loads(result.output)


def _state(run):
    """What a refusal must leave as it was (each command's own login record aside)."""
    import re

    log = [line for line in run("audit", "log").output.splitlines() if not re.search(r"\s登录(失败)?\s", line)]
    return (run("warnings", "list", "--format", "json").output, run("ledger", "show", "--format", "json").output,
            run("warnings", "proposals", "--all", "--format", "json").output, log)


def test_ledger_to_notice_flow(run, tmp_path):
    out = run("ledger", "deduct", "A01", "2.5", "--reason", "上班时间打牌", "--source", "明查暗访", env=WANG).output
    assert out.strip().splitlines()[-1] == "1"
    run("ledger", "deduct", "A01", "书面检查", "--reason", "迟到", "--date", "2026-03-01", env=WANG)
    shown = _json(run("ledger", "show", "A01", "--format", "json"))
    assert [(t["points"], t["level"], t["excellent_eligible"]) for t in shown] == [(4, "blue", True)]
    assert [e["item"] for e in shown[0]["entries"]] == [None, "书面检查"]
    props = _json(run("warnings", "proposals", "--format", "json", env={"PINGYI_USER": "org"}))
    assert props == [{"id": 1, "source": "ledger", "level": "blue", "target": "A01", "recipient": "副局长赵某",
                      "reason": "财政局王伟在2026年度周期内累计扣分 4 分，达到蓝色预警线（3 分）",
                      "series": None, "round": None}]
    table = run("warnings", "proposals", env={"PINGYI_USER": "org"}).output.splitlines()
    assert table[0].split() == ["编号", "来源", "等级", "对象", "送达", "事由", "状态"]
    assert table[2].split() == ["1", "扣分达线", "蓝色", "王伟", "副局长赵某",
                                "财政局王伟在2026年度周期内累计扣分", "4", "分，达到蓝色预警线（3", "分）", "待处理"]
    assert "A01" not in "\n".join(table)
    run("ledger", "deduct", "财政局", "1", "--reason", "违规采购", env=WANG)
    ledger = run("ledger", "show").output.splitlines()
    assert ledger[0].split()[:4] == ["编号", "名称", "单位", "周期"]
    assert [line.split()[:3] for line in ledger[2:]] == [["A01", "王伟", "财政局"], ["财政局", "2026", "1"]]
    out = run("warnings", "draft", "--proposal", 1, "--deadline", "2026-03-31", env=WANG).output
    wid = out.strip().splitlines()[-1]
    assert wid == "1"
    number = run("warnings", "approve", wid, env=LI).output.strip().splitlines()[-1]
    assert number == "预警〔2026〕1号"
    listed = _json(run("warnings", "list", "--format", "json"))
    assert listed == [{"id": 1, "number": "预警〔2026〕1号", "level": "blue", "target": "A01",
                       "recipient": "副局长赵某", "status": "issued", "drafted_by": "wang", "approved_by": "li",
                       "deadline": "2026-03-31"}]
    pdf = tmp_path / "n.pdf"
    run("warnings", "notice", wid, "--pdf", pdf)
    from tests.reports_util import pdf_text

    text = pdf_text(pdf)
    assert "预警〔2026〕1号" in text and "副局长赵某" in text and "蓝色预警" in text
    run("warnings", "feedback", wid, "--text", "已深刻检查", "--date", "2026-03-02", env=WANG)
    run("warnings", "verify", wid, env=LI)
    assert _json(run("warnings", "list", "--format", "json"))[0]["status"] == "rectified"
    assert "审计日志完整" in run("audit", "verify").output


def test_hand_draft_overdue_escalation_and_two_yellows(run, monkeypatch):
    approvals = []
    for _ in range(2):
        wid = run("warnings", "draft", "--target", "财政局", "--level", "yellow", "--reason", "违规采购",
                  "--deadline", "2026-03-10", env=WANG).output.strip().splitlines()[-1]
        approvals.append(run("warnings", "approve", wid, env=LI).output)
    assert "应启动追责" not in approvals[0] and "应启动追责" in approvals[1]
    assert "【追责】" in run("warnings", "show", 2).output
    table = run("warnings", "list").output
    assert "追责" in table
    monkeypatch.setenv("PINGYI_TODAY", "2026-03-10")
    assert [w["status"] for w in _json(run("warnings", "list", "--format", "json"))] == ["issued", "issued"]
    monkeypatch.setenv("PINGYI_TODAY", "2026-03-11")
    assert [w["status"] for w in _json(run("warnings", "list", "--format", "json"))] == ["overdue", "overdue"]
    listed = run("warnings", "proposals")        # listing writes nothing: it says what refresh would add
    assert "另有 2 份预警已逾期" in listed.output
    assert [p["source"] for p in _json(run("warnings", "proposals", "--format", "json"))] == ["yellow_twice"]
    assert "新增逾期升级建议 2 条" in run("warnings", "refresh", env=LI).output
    assert "没有新的逾期预警" in run("warnings", "refresh", env=LI).output
    props = _json(run("warnings", "proposals", "--format", "json"))
    assert sorted((p["source"], p["level"]) for p in props) == [("overdue", "red"), ("overdue", "red"),
                                                                ("yellow_twice", "red")]
    pid = props[0]["id"]
    run("warnings", "dismiss", pid, "--reason", "已另案处理", env=LI)
    assert pid not in [p["id"] for p in _json(run("warnings", "proposals", "--format", "json"))]


REFUSALS = [
    (("ledger", "deduct", "NOPE", "1", "--reason", "x"), WANG, "未知对象"),
    (("ledger", "deduct", "A01", "0", "--reason", "x"), WANG, "大于 0"),
    (("ledger", "deduct", "--reason", "x", "--", "A01", "-2"), WANG, "数字"),
    (("ledger", "deduct", "A01", "12.5", "--reason", "x"), WANG, "不超过 12"),
    (("ledger", "deduct", "A01", "2.55", "--reason", "x"), WANG, "最多一位小数"),
    (("ledger", "deduct", "A01", "1", "--reason", "x"), {"PINGYI_USER": "org"}, "无权"),
    (("warnings", "draft", "--target", "A01", "--level", "blue", "--reason", "x", "--deadline", "2026-03-01"),
     WANG, "不能早于今天"),
    (("warnings", "draft", "--target", "NOPE", "--level", "blue", "--reason", "x"), WANG, "未知对象"),
    (("warnings", "draft", "--target", "A01"), WANG, "--level"),
    (("warnings", "approve", 1), WANG, "不能审批自己起草"),
    (("warnings", "approve", 2), LI, "不能重复审批"),
    (("warnings", "feedback", 1, "--text", "x"), WANG, "尚未签发"),
    (("warnings", "edit", 2, "--deadline", "2026-05-01"), WANG, "已签发"),
    (("warnings", "verify", 2), LI, "没有待验收"),
    (("warnings", "approve", 99), LI, "没有这份预警"),
    (("ledger", "reverse", 99, "--reason", "x"), WANG, "没有这条扣分"),
]


def test_refusals_change_nothing(run):
    """Each refusal of the issue: one Chinese line, non-zero exit, database and audit log unchanged."""
    run("warnings", "draft", "--target", "A01", "--level", "blue", "--reason", "x", env=WANG)   # 1: a draft
    wid = run("warnings", "draft", "--target", "A02", "--level", "blue", "--reason", "y",
              env=WANG).output.strip().splitlines()[-1]
    run("warnings", "approve", wid, env=LI)                                                        # 2: issued
    before = _state(run)
    for args, env, needle in REFUSALS:
        r = run(*args, ok=False, env=env)
        assert needle in r.output and len(r.output.strip().splitlines()) == 1, (args, r.output)
    assert _state(run) == before


def test_policy_integrity_and_talks_commands(run, tmp_path):
    run("scheme", "import", DATA / "scheme.toml")
    run("room", "create", "--scheme", "示例双定双评", "--title", "评廉", "--id", "DEMO1", "--persons", "all")
    run("room", "open", "DEMO1")
    run("ballots", "import", "DEMO1", DATA / "ballots.csv")
    run("room", "close", "DEMO1")
    shown = run("policy", "show").output
    assert "[levels]" in shown and '"诫勉" = 2.5' in shown
    p = tmp_path / "p.toml"
    p.write_text(shown.replace("threshold = 80", "threshold = 85"), encoding="utf-8")
    run("policy", "import", p, ok=False, env=WANG)
    assert "已导入政策" in run("policy", "import", p).output
    said = [run("integrity", "score", code, "--year", 2026, "--manual", "88", "--grade", "称职", env=WANG).output
            for code in ("A01", "A04")]
    assert said[1] == "已录入文化稽查大队刘某 2026 年：述职述廉 88，考核 称职\n"        # the name, not A04
    res = _json(run("integrity", "compute", 2026, "--room", "DEMO1", "--format", "json", env=WANG))
    # A01: 0.4·87.6 + 0.2·88 + 0.2·90 + 0.2·100 = 90.64; A04: 0.4·63.5 + 17.6 + 18 + 20 = 81.00 < 85
    got = {r["person"]: (r["index"], r["passed"], r["talk"]) for r in res if r["person"] in ("A01", "A04")}
    assert got == {"A01": (90.64, True, None), "A04": (81.0, False, "pending")}
    assert "缺项" in run("integrity", "list", 2026).output                 # A02 has no inputs
    talks = _json(run("talks", "list", "--pending", "--format", "json"))
    tid = [t["id"] for t in talks if t["person"] == "A04"][0]
    pdf = tmp_path / "talk.pdf"
    run("talks", "record", tid, "--by", "纪委书记", "--date", "2026-03-01", "--pledge", "--pdf", pdf, env=LI)
    assert pdf.exists()
    assert [t["status"] for t in _json(run("talks", "list", "--format", "json")) if t["id"] == tid] == ["done"]


def test_warnings_name_a_shared_name_with_its_code(run, tmp_path):
    """Two active 王伟: every line that names a warning's target adds the code (targets.named), as the
    proposals table does; JSON keeps the code alone (DESIGN §8)."""
    wid = run("warnings", "draft", "--target", "A01", "--level", "blue", "--reason", "迟到",
              env=WANG).output.strip().splitlines()[-1]
    assert run("warnings", "list").output.splitlines()[2].split()[:4] == ["1", "蓝色", "王伟", "副局长赵某"]
    assert "对象：财政局王伟  送达" in run("warnings", "show", wid).output
    more = tmp_path / "more.csv"
    more.write_text("编号,姓名,单位,职务\nB07,王伟,民政局,科员\n", encoding="utf-8")
    run("roster", "import", more)
    drafted = run("warnings", "draft", "--target", "A01", "--level", "blue", "--reason", "再迟到",
                  env=WANG).output.splitlines()
    assert drafted[0].startswith("已起草蓝色预警：王伟（A01），送达 副局长赵某")
    approved = run("warnings", "approve", 2, env=LI).output.splitlines()
    assert approved[0] == "已签发蓝色预警：王伟（A01）（起草 wang，审批 li）"
    approved = run("warnings", "approve", 1, env=LI).output.splitlines()
    assert approved[1] == "注意：王伟（A01） 本周期已受到两次以上预警，应启动追责。"
    table = run("warnings", "list").output.splitlines()
    assert [line.split()[3] for line in table[2:]] == ["王伟（A01）", "王伟（A01）"]
    assert "对象：财政局王伟（A01）  送达" in run("warnings", "show", 1).output
    assert [w["target"] for w in _json(run("warnings", "list", "--format", "json"))] == ["A01", "A01"]
