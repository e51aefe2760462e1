"""The 廉政谈话记录 as filed: 时间, 地点, 谈话人, 记录人, 谈话对象 and 职务, 谈话内容, 本人表态 and
signatures; a pending talk prints ruled writing space; fields recorded through the service and CLI."""
from __future__ import annotations

import pytest

from tests.desk_support import people
from tests.reports_util import page_texts, pdf_text, placed_text
from tests.test_alerts_notice import ORGAN, assert_breaks_well, assert_fonts_embedded_or_said, assert_no_software_name

LABELS = ("时", "地", "谈话人", "记录人", "谈话对象", "职", "谈话内容", "本人表态", "谈话对象签字", "谈话人签字",
          "记录人签字")


@pytest.fixture
def pending(sqlite_db, tmp_path, monkeypatch):
    from pingyi.db import models as m

    from pingyi.common import clock
    from pingyi.desk import policy
    from pingyi.people import accounts
    from tests.conftest import PASSWORD

    monkeypatch.setenv("PINGYI_TODAY", "2026-11-26")
    admin = accounts.init_admin("admin", PASSWORD)
    _, wang, _li = people(admin, tmp_path)
    policy.set_header(admin, organ=ORGAN)
    t = m.Talk.create(person="A04", year=2026, reason="2026年度廉洁指数低于80分", created_at=clock.now())
    return t.id, wang


def test_pending_talk_prints_writing_space(pending, tmp_path):
    from pingyi.desk import talks
    from pingyi.reports.notice import write_talk

    tid, _ = pending
    path = tmp_path / "pending.pdf"
    write_talk(path, talks.get(tid))
    text = "".join(pdf_text(path).split())
    for label in LABELS:
        assert label in text, label
    assert "刘某" in text and "队长" in text and "文化稽查大队" in text and ORGAN in text
    assert "年月日时分" in text  # the time is left to be written in
    # the signatures share their page with the 本人表态 box they sign
    for page in page_texts(path):
        if "记录人签字" in page:
            assert "本人表态" in page
    assert_no_software_name(path)
    assert_fonts_embedded_or_said(path)


def test_recorded_talk_fields_and_record(pending, tmp_path):
    from pingyi.common.errors import InputError
    from pingyi.desk import talks
    from pingyi.reports.notice import write_talk

    tid, wang = pending
    with pytest.raises(InputError, match="时:分"):
        talks.record(wang, tid, date="2026-11-20", talked_by="纪委副书记周某", time="25:00")
    with pytest.raises(InputError, match="太长"):
        talks.record(wang, tid, date="2026-11-20", talked_by="周某", place="地" * 61)
    t = talks.record(wang, tid, date="2026-11-20", talked_by="纪委副书记周某", time="9：30",
                     place="县纪委第一谈话室",
                     notes="指出其所在单位执法检查记录不全的问题，要求认真反思，落实“一岗双责”。",
                     statement="完全接受组织谈话提醒，认真整改，按期报告。", pledge=True)
    assert (t.talk_time, t.place, t.recorder, t.post) == ("09:30", "县纪委第一谈话室", "wang", "队长")
    path = tmp_path / "done.pdf"
    assert write_talk(path, t) == 1  # a held talk fits one page
    text = pdf_text(path).replace("\n", "")
    for needle in ("2026年11月20日 09:30", "县纪委第一谈话室", "纪委副书记周某", "wang", "刘某", "队长",
                   "落实“一岗双责”", "完全接受组织谈话提醒", "审计链 第"):
        assert needle in text, needle
    runs = placed_text(path)[0]
    y = {label: next(yy for _x, yy, t in runs if label in t) for label in ("谈话内容", "本人表态", "记录人签字")}
    assert y["谈话内容"] > y["本人表态"] > y["记录人签字"]
    assert_breaks_well(path)


def test_cli_talk_record_with_new_fields(pending, sqlite_db, tmp_path):
    from click.testing import CliRunner

    from pingyi.cli import cli
    from tests.conftest import PASSWORD

    tid, _ = pending
    env = {"PINGYI_DB": sqlite_db, "PINGYI_USER": "wang", "PINGYI_PASSWORD": PASSWORD, "PINGYI_TODAY": "2026-11-26"}
    pdf = tmp_path / "t.pdf"
    args = ["talks", "record", str(tid), "--by", "周某", "--date", "2026-11-20", "--time", "15:05",
            "--place", "谈话室", "--recorder", "李某", "--statement", "接受提醒", "--pdf", str(pdf)]
    out = CliRunner().invoke(cli, args, env=env)
    assert out.exit_code == 0, out.output
    text = pdf_text(pdf)
    assert "15:05" in text and "谈话室" in text and "李某" in text and "接受提醒" in text


def test_recorder_defaults_to_the_display_name(pending, tmp_path):
    """Documents print a person's name, not a login: the recorder is the account's display name."""
    from pingyi.desk import talks
    from pingyi.people import accounts
    from pingyi.people.accounts import Actor
    from pingyi.reports.notice import write_talk
    from tests.conftest import PASSWORD

    tid, _ = pending
    zhao = accounts.add_user(Actor("admin", "admin"), "zhao", "commission", PASSWORD, display_name="赵某")
    t = talks.record(zhao, tid, date="2026-11-20", talked_by="纪委副书记周某")
    assert t.recorder == "赵某"
    write_talk(tmp_path / "t.pdf", t)
    text = pdf_text(tmp_path / "t.pdf")
    assert "赵某" in text and "zhao" not in text
