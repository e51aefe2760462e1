"""Notice PDFs read back with pypdf as a county 纪委 would file them (GB/T 9704 layout): the 文号 between
the red 发文机关标志 and the red rule, one title, 主送, a body without internal codes, the organ and a
Chinese date over the seal place, 抄送 and 印发 lines, 「— N —」 page numbers, no software name, Chinese
line-breaking, the audit head; the 整改通知书's 回执; the refusal while no organ is set."""
from __future__ import annotations

import pytest

from tests.desk_support import people
from tests.reports_util import filled_rects, page_texts, pdf_text, placed_text

ORGAN = "中共某某县纪律检查委员会"


@pytest.fixture(autouse=True)
def _fresh_font():
    from pingyi.reports import fonts

    fonts.reset()
    yield
    fonts.reset()


@pytest.fixture
def issued(sqlite_db, tmp_path, monkeypatch):
    from pingyi.desk import alerts, policy
    from pingyi.people import accounts
    from tests.conftest import PASSWORD

    monkeypatch.setenv("PINGYI_TODAY", "2026-08-15")
    admin = accounts.init_admin("admin", PASSWORD)
    _, wang, li = people(admin, tmp_path)
    policy.set_header(admin, organ=ORGAN, cc="县委组织部、县委巡察办")
    blue = alerts.draft(wang, target="A04", level="blue", reason="刘某（A04，文化稽查大队）在2026年度周期内"
                        "连续两次倒数第一，群众反映“执法检查不规范”", recipient="县新闻出版局分管副局长孙某",
                        deadline="2026-09-30")
    red = alerts.draft(wang, target="财政局", level="red", reason="违规采购中央空调设备", measure="rectify")
    alerts.approve(li, blue.id)
    return alerts.get(blue.id), alerts.get(red.id), li


def _lines(path) -> list[str]:
    return [ln.strip() for page in page_texts(path) for ln in page.splitlines() if ln.strip()]


def assert_breaks_well(path) -> None:
    """No line starts with a closing mark or ends with an opening one (the Chinese line-breaking rules)."""
    for line in _lines(path):
        assert line[0] not in "，。；：、）」』】〕》”", line
        assert line[-1] not in "（「『【〔《“", line


def assert_fonts_embedded_or_said(path) -> None:
    """Every font is embedded (TrueType subsets), or the fallback notice is there for the user to read."""
    from pingyi.reports import fonts

    data = path.read_bytes()
    if b"STSong-Light" in data:
        assert fonts.fallback_warning() and "STSong-Light" in fonts.fallback_warning()
    else:
        assert b"FontFile2" in data


def assert_no_software_name(path) -> None:
    from pypdf import PdfReader

    text = pdf_text(path)
    assert "pingyi" not in text.lower() and "评议 ·" not in text
    meta = PdfReader(str(path)).metadata or {}
    assert not any("pingyi" in str(v).lower() for k, v in meta.items() if k != "/Producer")


def test_warning_notice_layout(issued, tmp_path):
    from pingyi.reports.notice import write_notice

    blue, _, _ = issued
    path = tmp_path / "blue.pdf"
    pages = write_notice(path, blue)
    assert pages <= 2
    first = placed_text(path)[0]

    def y_of(needle: str) -> float:
        return next(y for _x, y, t in first if needle in t)

    (rule,) = [r for r in filled_rects(path)[0] if r[0] == (0.8, 0.0, 0.0)]
    rule_y = rule[2]
    assert rule[3] > 400  # the full 156 mm 版心 width
    assert y_of(ORGAN) > y_of("预警〔2026〕1号") > rule_y > y_of("蓝色预警通知书") > y_of("分管副局长孙某：")
    text = pdf_text(path).replace("\n", "")
    assert text.count("通知书") == 1 and "蓝色预警 预警" not in text  # one title, said once
    for needle in ("经查，刘某（文化稽查大队）本年度内连续两次倒数第一", "文化稽查大队刘某同志予以蓝色预警",
                   "警示提醒", "于2026年9月30日前完成整改", "请你高度重视", "特此通知。", "2026年8月15日",
                   "抄送：县委组织部、县委巡察办。", f"{ORGAN}办公室", "2026年8月15日印发", "— 1 —", "审计链 第"):
        assert needle in text, needle
    for banned in ("A04", "周期", "请你单位（你）", "2026-08-15", "wang", "li"):
        assert banned not in text, banned
    assert_no_software_name(path)
    assert_breaks_well(path)
    assert_fonts_embedded_or_said(path)
    # the organ's signature and the date stand on the page of the closing words, at the right
    for page in placed_text(path):
        signed = [x for x, _y, t in page if t.strip() == ORGAN and x > 200]
        if signed:
            assert any("特此通知" in t for _x, _y, t in page)
            break
    else:
        raise AssertionError("no signature")


def test_rectify_notice_receipt_and_draft_marker(issued, tmp_path):
    from pingyi.desk import alerts
    from pingyi.reports.notice import write_notice

    _, red, li = issued
    write_notice(tmp_path / "draft.pdf", red)
    text = pdf_text(tmp_path / "draft.pdf")
    assert "草稿" in text and "整改通知书" in text and "红色预警" in text
    red = alerts.approve(li, red.id)
    path = tmp_path / "red.pdf"
    write_notice(path, red)
    texts = page_texts(path)
    assert "预警〔2026〕2号" in texts[0] and "财政局：" in texts[0] and "整改通知书" in texts[0]
    body = "".join(texts).replace("\n", "")
    assert "请你单位高度重视" in body and "收到本通知之日起三十日内完成整改" in body and "附件：回执" in body
    receipt = placed_text(path)[-1]
    def y_of(needle: str) -> float:
        return next(y for _x, y, t in receipt if needle in t)

    assert "回" in "".join(t for _x, _y, t in receipt) and "执" in "".join(t for _x, _y, t in receipt)
    # the signature and the date are rows of their own, clearly apart
    assert y_of("签收人") - y_of("签收日期") > 30
    assert_breaks_well(path)
    assert_no_software_name(path)
    write_notice(tmp_path / "as-warning.pdf", red, "warning")
    assert "红色预警通知书" in page_texts(tmp_path / "as-warning.pdf")[0]


def test_notice_refused_until_the_organ_is_set(sqlite_db, tmp_path, monkeypatch):
    from pingyi.common.errors import InputError
    from pingyi.desk import alerts, policy
    from pingyi.people import accounts
    from pingyi.reports.notice import write_notice
    from tests.conftest import PASSWORD

    admin = accounts.init_admin("admin", PASSWORD)
    _, wang, li = people(admin, tmp_path)
    a = alerts.draft(wang, target="财政局", level="blue", reason="违规发放津贴")
    with pytest.raises(InputError, match="尚未设置发文机关.*pingyi policy organ"):
        write_notice(tmp_path / "n.pdf", alerts.get(a.id))
    assert not (tmp_path / "n.pdf").exists()
    with pytest.raises(Exception, match="管理员"):
        policy.set_header(li, organ=ORGAN)
    policy.set_header(admin, organ=ORGAN)
    assert policy.current().organ == ORGAN and policy.current().printed_by == f"{ORGAN}办公室"
    assert "organ = \"中共某某县纪律检查委员会\"" in policy.current_source()
    write_notice(tmp_path / "n.pdf", alerts.get(a.id))
    assert ORGAN in pdf_text(tmp_path / "n.pdf")


def test_policy_with_keys_keeps_the_rest():
    from pingyi.desk import policy

    text = policy.with_keys(policy.DEFAULT_TOML, {"organ": "中共\"某\"县纪委", "issuer": "县纪委办"})
    p = policy.parse(text)
    assert (p.organ, p.issuer, p.cc) == ("中共\"某\"县纪委", "县纪委办", "县委组织部")
    assert p.points == policy.default().points
    assert policy.default().organ == ""


def test_fallback_font_prints_no_missing_glyph(issued, tmp_path, monkeypatch):
    """With STSong-Light (not embedded) 「·」 has no glyph: it is printed as 「・」; the notice is said."""
    from pingyi.desk import alerts
    from pingyi.reports import base, fonts
    from pingyi.reports.notice import write_notice

    monkeypatch.delenv("PINGYI_FONT", raising=False)
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    monkeypatch.setattr(fonts, "OFFICIAL_CANDIDATES", ())
    fonts.reset()
    blue, _, _ = issued
    a = alerts.get(blue.id)
    import dataclasses

    a = dataclasses.replace(a, recipient="买买提·艾力")
    write_notice(tmp_path / "n.pdf", a)
    text = pdf_text(tmp_path / "n.pdf")
    assert "买买提・艾力" in text and "·" not in text
    assert "STSong-Light" in (base.font_notice() or "")


def test_cli_notice_says_the_font_notice(issued, sqlite_db, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pingyi.cli import cli
    from pingyi.reports import fonts
    from tests.conftest import PASSWORD

    monkeypatch.delenv("PINGYI_FONT", raising=False)
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    fonts.reset()
    blue, _, _ = issued
    env = {"PINGYI_DB": sqlite_db, "PINGYI_USER": "wang", "PINGYI_PASSWORD": PASSWORD}
    out = CliRunner().invoke(cli, ["warnings", "notice", str(blue.id), "--pdf", str(tmp_path / "n.pdf")], env=env)
    assert out.exit_code == 0, out.output
    assert "STSong-Light" in out.output and "已生成" in out.output


def test_official_facts_of_the_reasons_proposals_write():
    """A draft from a proposal carries the proposal's reason: the notice states it without the code
    (present only for a shared name) and without 「2026年度周期」 bookkeeping."""
    from types import SimpleNamespace

    from pingyi.reports.notice import official_facts

    def facts(text):
        return official_facts(SimpleNamespace(facts=text, target="A01", target_kind="person"))

    assert facts("财政局王伟在2026年度周期内累计扣分 4 分，达到蓝色预警线（3 分）") == \
        "财政局王伟本年度内累计扣分4分，达到蓝色预警线（3分）"
    assert facts("财政局王伟（A01）在2026年度周期内已两次受到黄色预警") == "财政局王伟本年度内已两次受到黄色预警"


def test_banxin_is_156_by_225_mm_and_holds_22_lines(tmp_path):
    """GB/T 9704: the 版心 is 156 × 225 mm and holds 22 lines of 3号 text. reportlab's default frame
    padding took 6 pt off each side: 21 lines a page, the text narrower than the red rule's 版心."""
    from pingyi.reports import base, official

    s = official.styles()
    line = "字" * 27                                           # 27 × 16 pt = 432 pt: one line in 156 mm
    assert official.build(tmp_path / "22.pdf", [base.paragraph(line, s["flush"]) for _ in range(22)],
                          title="版心") == 1
    lines = [x for x in page_texts(tmp_path / "22.pdf")[0].splitlines() if line in x]
    assert len(lines) == 22
    assert official.build(tmp_path / "23.pdf", [base.paragraph(line, s["flush"]) for _ in range(23)],
                          title="版心") == 2
    official.build(tmp_path / "rule.pdf", [official.red_rule()], title="版心")
    ((_fill, x, _y, width, _h),) = filled_rects(tmp_path / "rule.pdf")[0]
    assert x == pytest.approx(official.LEFT, abs=0.5) and width == pytest.approx(official.WIDTH, abs=0.5)
