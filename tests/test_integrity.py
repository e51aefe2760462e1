"""Integrity index service on the §5 example room: hand-computed indexes, a
threshold tie, a veto, talks and proposals for those who fail."""
from decimal import Decimal

import pytest

from pingyi.common.errors import InputError
from tests.conftest import PASSWORD


@pytest.fixture
def leaders(contract_room, admin, monkeypatch):
    from pingyi.desk import integrity, ledger
    from pingyi.people import accounts

    monkeypatch.setenv("PINGYI_TODAY", "2026-12-20")
    wang = accounts.add_user(admin, "wang", "commission", PASSWORD)
    for code, manual, grade in [("A01", "90", "优秀"), ("A02", "80", "称职"), ("A03", "67.6", "基本称职"),
                                ("A04", "70", "称职"), ("A05", "95", "优秀")]:
        integrity.set_inputs(wang, code, 2026, manual=manual, grade=grade)
    integrity.set_inputs(wang, "A05", 2026, veto="受到党内警告处分")
    ledger.deduct(wang, "A02", "2", "迟到")
    return wang


def test_compute_hand_checked(leaders, contract_room):
    from pingyi import proposals
    from pingyi.desk import integrity, talks

    got = {i.person: i for i in integrity.compute(leaders, 2026, [contract_room])}
    # room 0.4 · score + 0.2 · 述职述廉 + 0.2 · grade + 0.2 · (100 − 5 · points)
    assert got["A01"].value == Decimal("93.04") and got["A01"].passed      # 35.04 + 18 + 20 + 20
    assert got["A02"].value == Decimal("85.52") and got["A02"].parts["ledger"] == "90.00"
    assert got["A03"].value == Decimal("80.00") and got["A03"].passed      # 32.48 + 13.52 + 14 + 20: a tie passes
    assert got["A04"].value == Decimal("77.40") and got["A04"].passed is False
    assert got["A05"].value == Decimal("90.40") and got["A05"].passed is False and got["A05"].veto
    due = talks.list_talks(2026, "pending")
    assert [(t.person, t.reason) for t in due] == [
        ("A04", "廉洁指数 77.40 分，低于 80 分"), ("A05", "廉洁指数一票否决：受到党内警告处分")]
    assert [(p.source, p.target, p.reason) for p in proposals.list_proposals()] == [
        ("integrity", "A04", "文化稽查大队刘某2026年度廉洁指数 77.40 分，低于 80 分"),
        ("integrity", "A05", "国土资源局陈静2026年度廉洁指数一票否决：受到党内警告处分")]
    assert {i.person: i.talk for i in integrity.year_summary(2026)}["A04"] == "pending"


def test_recompute_withdraws_pending_talk_and_records(leaders, contract_room, tmp_path):
    from pingyi.desk import integrity, talks
    from pingyi.records import audit
    from pingyi.reports.notice import write_talk
    from tests.reports_util import pdf_text

    integrity.compute(leaders, 2026, [contract_room])
    integrity.set_inputs(leaders, "A04", 2026, manual="90")              # 25.4 + 18 + 18 + 20 = 81.40
    res = {i.person: i for i in integrity.compute(leaders, 2026, [contract_room])}
    assert res["A04"].value == Decimal("81.40") and res["A04"].talk is None
    (t,) = talks.list_talks(2026, "pending")
    with pytest.raises(InputError, match="谈话人"):
        talks.record(leaders, t.id, date="2026-12-19", talked_by=" ")
    with pytest.raises(InputError, match="晚于今天"):
        talks.record(leaders, t.id, date="2026-12-21", talked_by="书记")
    done = talks.record(leaders, t.id, date="2026-12-19", talked_by="纪委书记周某", notes="指出问题", pledge=True)
    assert (done.status, done.pledge) == ("done", True)
    with pytest.raises(InputError, match="不能重复"):
        talks.record(leaders, t.id, date="2026-12-19", talked_by="x")
    write_talk(tmp_path / "talk.pdf", done, "中共某县纪律检查委员会")
    text = pdf_text(tmp_path / "talk.pdf")
    for needle in ("廉政谈话记录", "陈静", "纪委书记周某", "廉政承诺书", "2026年12月19日"):
        assert needle in text
    wanted = {"integrity.compute", "talk.record", "talk.withdrawn", "integrity.input"}
    assert wanted <= {e.action for e in audit.events()}


def test_input_refusals(leaders, contract_room):
    from pingyi.desk import integrity

    with pytest.raises(InputError, match="述职述廉"):
        integrity.set_inputs(leaders, "A01", 2026, manual="100.5")
    with pytest.raises(InputError, match="等次"):
        integrity.set_inputs(leaders, "A01", 2026, grade="良好")
    with pytest.raises(InputError, match="单位"):
        integrity.set_inputs(leaders, "财政局", 2026, manual="90")
    with pytest.raises(InputError, match="请指定测评会"):
        integrity.compute(leaders, 2026, [])      # DEMO1 is a 双定双评 room, not an integrity one
    missing = integrity.compute(leaders, 2027, [contract_room])            # no inputs for 2027
    assert all(i.value is None and "report" in i.missing and i.passed is None for i in missing)


def test_integrity_kind_rooms_are_the_default(leaders, admin, tmp_path):
    from pingyi.desk import integrity
    from pingyi.voting import ballots, rooms, schemes
    from tests.conftest import DATA

    text = (DATA / "scheme.toml").read_text(encoding="utf-8")
    src = tmp_path / "lz.toml"
    src.write_text(text.replace('kind = "shuangding"', 'kind = "integrity"').replace(
        'name = "示例双定双评"', 'name = "廉洁指数测评"'), encoding="utf-8")
    schemes.import_scheme(admin, src)
    rooms.create_room(admin, "廉洁指数测评", "民主评廉", "LZ1", persons="all")
    rooms.open_room(admin, "LZ1")
    ballots.import_csv(admin, "LZ1", DATA / "ballots.csv")
    rooms.close_room(admin, "LZ1")
    closed_year = int(rooms.get_room("LZ1").closed_at[:4])
    assert integrity.integrity_rooms(closed_year) == ["LZ1"]
