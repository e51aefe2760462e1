"""Official-document PDFs of the warnings desk (DESIGN §10): the 预警通知书 and
整改通知书 (red-header 公文 layout: organ, number, level in words and colour,
recipient, facts, measure, deadline, feedback instructions, date, seal space)
and the 廉政谈话 record. reportlab is imported inside the writers only."""
from __future__ import annotations

import datetime as dt

LEVEL_RGB = {"blue": (0.05, 0.28, 0.75), "yellow": (0.80, 0.58, 0.0), "red": (0.80, 0.0, 0.0)}
RED = (0.80, 0.0, 0.0)


def _cn_date(iso: str | None) -> str:
    d = dt.date.fromisoformat(iso) if iso else None
    return f"{d.year}年{d.month}月{d.day}日" if d else "　　年　月　日"


def notice_kind(alert, kind: str = "auto") -> str:
    """``rectify`` for a 整改通知书 (measure 责令整改 or that delivery form), else ``warning``."""
    if kind != "auto":
        return kind
    if alert.measure == "rectify" or ("整改通知书" in alert.forms and "预警通知书" not in alert.forms):
        return "rectify"
    return "warning"


def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    from pingyi.reports import base

    st = base.styles()
    body = ParagraphStyle("notice-body", parent=st.body, fontSize=12, leading=22, firstLineIndent=24)
    return st, {
        "organ": ParagraphStyle("notice-organ", parent=st.body, fontSize=22, leading=30, alignment=TA_CENTER,
                                textColor=RED),
        "number": ParagraphStyle("notice-number", parent=st.body, fontSize=12, leading=18, alignment=TA_CENTER),
        "title": ParagraphStyle("notice-title", parent=st.body, fontSize=20, leading=30, alignment=TA_CENTER,
                                spaceBefore=6, spaceAfter=10),
        "to": ParagraphStyle("notice-to", parent=st.body, fontSize=12, leading=22),
        "body": body,
        "right": ParagraphStyle("notice-right", parent=st.body, fontSize=12, leading=22, alignment=TA_RIGHT),
        "small": ParagraphStyle("notice-small", parent=st.body, fontSize=9.5, leading=15),
    }


def _red_line(width: float):
    from reportlab.platypus import HRFlowable

    return HRFlowable(width=width, thickness=1.6, color=RED, spaceBefore=2, spaceAfter=8)


def write_notice(path, alert, kind: str = "auto") -> int:
    """The notice of one warning (an unissued draft is marked as such); returns the page count."""
    from reportlab.platypus import Paragraph, Spacer

    from pingyi.reports import base
    from pingyi.voting.series import LEVEL_NAMES

    st, s = _styles()
    kind = notice_kind(alert, kind)
    esc = base.esc
    width = base.content_width()
    level_words = f"{LEVEL_NAMES[alert.level]}预警"
    doc_name = "整改通知书" if kind == "rectify" else "预警通知书"
    target = alert.target_name + (f"（{alert.target_unit}）" if alert.target_unit else "")
    number = alert.number or "（草稿，未签发，无编号）"
    hex_colour = "#" + "".join(f"{int(c * 255):02x}" for c in LEVEL_RGB[alert.level])

    story = [
        Paragraph(esc(alert.organ), s["organ"]),
        _red_line(width),
        Paragraph(esc(number), s["number"]),
        Spacer(1, 4),
        Paragraph(f'<font color="{hex_colour}">{esc(level_words)}</font>　{esc(doc_name)}', s["title"]),
        Paragraph(f"{esc(alert.recipient)}：", s["to"]),
        Paragraph(f"经查，{esc(alert.facts.rstrip('。'))}。", s["body"]),
        Paragraph(
            f"根据腐败风险预警分级管理的有关规定，经研究，决定对{esc(target)}发出"
            f'<font color="{hex_colour}">{esc(level_words)}</font>，'
            f"采取“{esc(alert.measure_name)}”措施（送达方式：{esc('、'.join(alert.forms))}）。", s["body"]),
    ]
    if kind == "rectify" or alert.deadline:
        deadline = _cn_date(alert.deadline) if alert.deadline else "收到本通知之日起三十日内"
        story.append(Paragraph(
            f"请你单位（你）高度重视，认真查找问题根源，制定切实可行的整改措施，"
            f"于{esc(deadline)}前完成整改，并将整改情况书面报送{esc(alert.organ)}。"
            f"逾期未整改或整改不到位的，将提高预警等级；一个周期内受到两次以上预警的，依规追究责任。",
            s["body"]))
    else:
        story.append(Paragraph(
            "请接到本通知后引起警觉，对照有关规定认真自查自纠，防止问题发生。", s["body"]))
    story.append(Paragraph(
        "整改反馈要求：书面报告应写明问题原因、整改措施、整改结果和责任人，由单位主要负责人签字并加盖公章。",
        s["body"]))
    story += [
        Spacer(1, 18),
        Paragraph("（盖　章）", s["right"]),
        Spacer(1, 20),
        Paragraph(esc(alert.organ), s["right"]),
        Paragraph(esc(_cn_date(alert.issued_on)), s["right"]),
        Spacer(1, 16),
        _red_line(width),
        Paragraph(f"预警对象：{esc(target)}　　预警等级：{esc(level_words)}　　措施：{esc(alert.measure_name)}",
                  s["small"]),
        Paragraph(f"起草：{esc(alert.drafted_by)}　　审批：{esc(alert.approved_by or '（待审批）')}"
                  f"　　整改期限：{esc(alert.deadline or '无')}", s["small"]),
    ]
    if kind == "rectify":
        story += [Spacer(1, 10), Paragraph("- - - - - - - - - - - - 回　执 - - - - - - - - - - - -", s["number"]),
                  Paragraph(f"{esc(alert.organ)}：{esc(number)}{esc(doc_name)}已收到，将按期整改并报送整改情况。",
                            s["small"]),
                  base.signature_row(["签收人"], width=width / 2)]
    title = f"{number} {level_words}{doc_name}"

    return base.build(path, story, title=title, header=None, footer=f"pingyi 评议 · {title}",
                      subject=level_words)


def write_talk(path, talk, organ: str) -> int:
    """The record of one 廉政谈话 (blank lines where it is still pending)."""
    from reportlab.platypus import Paragraph, Spacer

    from pingyi.reports import base

    st, s = _styles()
    esc = base.esc
    width = base.content_width()
    rows = [
        ("谈话对象", f"{talk.name}（{talk.person}）"), ("单位", talk.unit or "—"),
        ("年度", f"{talk.year}年"), ("谈话事由", talk.reason),
        ("谈话日期", _cn_date(talk.talk_date) if talk.talk_date else ""),
        ("谈话人", talk.talked_by or ""), ("谈话要点", talk.notes or ""),
        ("廉政承诺书", "已收到" if talk.pledge else ("未收到" if talk.status == "done" else "")),
    ]
    table = base.data_table(["项目", "内容"], rows, [32 * base.MM, width - 32 * base.MM], wrap=[1], zebra=False)
    story = [
        Paragraph(esc(organ), s["organ"]), _red_line(width),
        Paragraph("廉政谈话记录", s["title"]), table, Spacer(1, 8),
        Paragraph("被谈话人应正确对待谈话提醒，认真查找原因，提出整改措施，并签订廉政承诺书。", s["small"]),
        base.signature_row(["谈话人", "被谈话人", "记录人"]),
    ]
    return base.build(path, story, title=f"廉政谈话记录 {talk.name} {talk.year}年", header=None)
