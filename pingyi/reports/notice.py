"""Official-document PDFs of the warnings desk (DESIGN §10): the 预警通知书 and
整改通知书 in the 公文 layout of GB/T 9704 (see ``official``), with a 回执 for
the 整改通知书, and the 廉政谈话 record. reportlab is imported inside the writers only."""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from pingyi.common.vocab import Measure, TalkStatus

if TYPE_CHECKING:
    from reportlab.platypus import Flowable, Paragraph  # no stubs: Any to mypy

    from pingyi.desk.alerts import AlertInfo
    from pingyi.desk.policy import DeskPolicy
    from pingyi.desk.talks import TalkInfo

RED = (0.80, 0.0, 0.0)


def _cn_date(iso: str | None) -> str:
    from pingyi.reports.official import cn_date

    return cn_date(iso)


def notice_kind(alert: AlertInfo, kind: str = "auto") -> str:
    """``rectify`` for a 整改通知书 (measure 责令整改 or that delivery form), else ``warning``."""
    if kind != "auto":
        return kind
    if alert.measure == Measure.RECTIFY or ("整改通知书" in alert.forms and "预警通知书" not in alert.forms):
        return "rectify"
    return "warning"


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+|[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])")


def official_facts(alert: AlertInfo) -> str:
    """The facts as a notice states them: no internal person codes, no 「2026年度周期」 bookkeeping
    words, no spaces between Chinese and numbers; ends without a full stop (the sentence adds it)."""
    text = " ".join((alert.facts or "").split()).strip().rstrip("。；;.")
    key = alert.target
    if alert.target_kind == "person" and key:
        text = text.replace(f"（{key}，", "（").replace(f"（{key}）", "").replace(f"({key})", "")
    text = re.sub(r"在?\d{4}年度周期内?", "本年度内", text)
    return _CJK_SPACE.sub("", text)


def document_target(alert: AlertInfo) -> str:
    """How the body names the target: 「财政局王伟同志」 for a person, the unit's name for a unit."""
    if alert.target_kind == "unit":
        return alert.target_name
    return f"{alert.target_unit}{alert.target_name}同志"


def _you(alert: AlertInfo) -> str:
    return "请你单位" if alert.target_kind == "unit" else "请你"


def write_notice(path: str | os.PathLike[str], alert: AlertInfo, kind: str = "auto", *,
                 policy: DeskPolicy | None = None, audit_words: str | None = None) -> int:
    """The 预警通知书 or 整改通知书 of one warning as a 公文 (GB/T 9704 layout); an unissued draft says
    so where the 文号 goes. Refuses while the issuing organ is not set. Returns the page count."""
    from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

    from pingyi.desk import policy as desk_policy
    from pingyi.reports import base, official
    from pingyi.voting.series import LEVEL_NAMES

    pol = policy if policy is not None else desk_policy.current()
    organ = desk_policy.require_organ(pol)
    if audit_words is None:
        from pingyi.records import audit

        audit_words = audit.head().words()
    kind = notice_kind(alert, kind)
    s = official.styles()
    esc = base.esc
    P = base.paragraph
    level_words = f"{LEVEL_NAMES[alert.level]}预警"
    doc_name = "整改通知书" if kind == Measure.RECTIFY else f"{level_words}通知书"
    number = alert.number or "（草稿，未签发，无文号）"
    issued = alert.issued_on if alert.number else None
    facts = official_facts(alert)
    you = _you(alert)
    rectify = kind == Measure.RECTIFY or bool(alert.deadline)

    story: list[Flowable] = [
        official.organ_mark(organ),
        Spacer(1, official.PITCH * 0.7),
        P(esc(number), s["number"]),
        official.red_rule(),
        official.title(doc_name, space_before=official.PITCH * 0.6, space_after=official.PITCH * 0.3),
        P(f"{esc(alert.recipient)}：", s["flush"]),
        P(f"经查，{esc(facts)}。", s["body"]),
        P(f"根据腐败风险预警分级管理有关规定，经研究，决定对{esc(document_target(alert))}予以"
          f"{esc(level_words)}，并采取{esc(alert.measure_name)}措施。", s["body"]),
    ]
    if rectify:
        deadline = f"{_cn_date(alert.deadline)}前" if alert.deadline else "收到本通知之日起三十日内"
        owner = "单位主要负责人签字并加盖公章" if alert.target_kind == "unit" else "本人签字"
        story.append(P(f"{you}高度重视，认真查找问题根源，制定切实可行的整改措施，于{esc(deadline)}完成整改，"
                      f"并将整改情况书面报送{esc(organ)}。书面报告应当写明问题原因、整改措施、整改结果和责任人，"
                      f"由{owner}。逾期未整改或者整改不到位的，将提高预警等级；同一年度内受到两次以上预警的，"
                      "依规依纪追究责任。", s["body"]))
    else:
        story.append(P(f"{you}接到本通知后引起警觉，对照有关规定认真自查自纠，切实防止问题发生。", s["body"]))
    closing = [P("特此通知。", s["body"])]
    if kind == Measure.RECTIFY:
        closing.append(P("附件：回执", s["body"]))
    # 发文机关署名 and 成文日期 under the seal space; the date keeps four characters from the right edge.
    sign = Table([[P(esc(organ), s["center"])], [P(esc(_cn_date(issued)), s["center"])]],
                 colWidths=[min(official.WIDTH, max(official.WIDTH * 0.5, (len(organ) + 3) * official.BODY_PT))],
                 hAlign="RIGHT", rowHeights=[official.PITCH, official.PITCH])
    sign.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1),
                                                                     2 * official.BODY_PT),
                              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    from reportlab.platypus import KeepTogether

    # The seal presses on the signature and date, so one line of room above them is enough; the
    # signature never goes to a page of its own: it keeps the closing lines with it.
    story.append(KeepTogether(closing + [Spacer(1, official.PITCH * 1.2), sign]))
    story.append(official.imprint(pol.cc, pol.printed_by, _cn_date(issued)))
    if kind == Measure.RECTIFY:
        story += [PageBreak()] + _receipt(alert, organ, number, s)
    return official.build(path, story, title=f"{doc_name}（{number}）", audit_words=audit_words,
                          subject=doc_name)


def _receipt(alert: AlertInfo, organ: str, number: str, s: dict[str, Any]) -> list[Flowable]:
    """回执: a ruled form whose every line stands alone (签收人签字 and 签收日期 on rows of their own)."""
    from reportlab.platypus import Spacer, Table, TableStyle

    from pingyi.reports import base, official

    esc, P = base.esc, base.paragraph
    label_w = 46 * official.MM
    rows = [
        ("通知书文号", number),
        ("通知书名称", "整改通知书"),
        ("收件单位（人）", alert.recipient),
        ("整改对象", alert.target_name if alert.target_kind == "unit"
         else f"{alert.target_unit}{alert.target_name}"),
        ("签收人（签字）", ""),
        ("签收日期", official.BLANK_DATE),
        ("备注", ""),
    ]
    data = [[P(esc(k), s["cell_center"]), P(esc(v), s["cell_right"] if k == "签收日期" else s["cell"])]
            for k, v in rows]
    t = Table(data, colWidths=[label_w, official.WIDTH - label_w],
              rowHeights=[14 * official.MM, 12 * official.MM, 14 * official.MM, 14 * official.MM,
                          22 * official.MM, 14 * official.MM, 24 * official.MM])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.8, (0, 0, 0)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
    return [
        P("附件", s["flush"]),
        official.title("回　执", space_before=official.PITCH * 0.5, space_after=official.PITCH * 0.5),
        P(f"{esc(organ)}：", s["flush"]),
        P(f"你委{esc(number)}整改通知书已收到，我们将按期整改并书面报送整改情况。", s["body"]),
        Spacer(1, 6),
        t,
        Spacer(1, 8),
        P("请于收到通知书之日起三个工作日内将本回执送回发文机关。", s["small"]),
    ]


def write_talk(path: str | os.PathLike[str], talk: TalkInfo, organ: str | None = None, *,
               policy: DeskPolicy | None = None, audit_words: str | None = None) -> int:
    """The 廉政谈话记录 of one talk: who, when, where, what was said, the person's 表态 and signatures;
    a pending talk prints the same form with room to write by hand. Returns the page count."""
    from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

    from pingyi.reports import base, official

    if organ is None:
        from pingyi.desk import policy as desk_policy

        organ = desk_policy.require_organ(policy if policy is not None else desk_policy.current())
    if audit_words is None:
        from pingyi.records import audit

        audit_words = audit.head().words()
    s = official.styles()
    esc, P = base.esc, base.paragraph
    done = talk.status == TalkStatus.DONE
    mm = official.MM
    when = ""
    if done and talk.talk_date:
        when = official.cn_date(talk.talk_date)
        if getattr(talk, "talk_time", None):
            when += f" {talk.talk_time}"
    gap = "\u00a0" * 7
    blank_when = f"年{gap}月{gap}日{gap}时{gap}分"
    person = f"{talk.name}"
    post = getattr(talk, "post", "") or ""
    unit = talk.unit or ""
    label_w = 30 * mm
    half = (official.WIDTH - 2 * label_w) / 2

    def lab(text: str) -> Paragraph:
        return P(esc(text), s["cell_center"])

    def val(text: str) -> Paragraph:
        return P(esc(text), s["cell"])

    recorder = getattr(talk, "recorder", None) or ""
    rows = [
        [lab("时　　间"), val(when) if when else P(blank_when, s["cell_blank"]), "", ""],
        [lab("地　　点"), val(getattr(talk, "place", "") or ""), "", ""],
        [lab("谈 话 人"), val(talk.talked_by or "" if done else ""), lab("记 录 人"), val(recorder if done else "")],
        [lab("谈话对象"), val(person), lab("职　　务"), val(post)],
        [lab("单　　位"), val(unit), "", ""],
        [lab("谈话事由"), val(talk.reason), "", ""],
    ]
    heights: list[float | None] = [12 * mm] * 5 + [None]
    head = Table(rows, colWidths=[label_w, half, label_w, half], rowHeights=heights)
    head.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.8, (0, 0, 0)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("SPAN", (1, 0), (3, 0)), ("SPAN", (1, 1), (3, 1)), ("SPAN", (1, 4), (3, 4)), ("SPAN", (1, 5), (3, 5)),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))

    def block(label: str, text: str, blank_mm: float) -> Flowable:
        """A titled box: the recorded text, then ruled writing lines up to ``blank_mm`` of height
        (a pending talk gets only the lines: room to write by hand)."""
        inner: list[Flowable] = []
        used = 0.0
        for line in text.strip().splitlines():
            if line.strip():
                para = P(esc(line.strip()), s["record"])
                used += para.wrap(official.WIDTH - 12, 10_000)[1]
                inner.append(para)
        n = max(1 if inner else 3, int((blank_mm * mm - used) // (10 * mm)))
        lines = Table([[""]] * n, colWidths=[official.WIDTH - 12], rowHeights=[10 * mm] * n)
        lines.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, (0.6, 0.6, 0.6)),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        inner.append(lines)
        t = Table([[P(esc(label), s["cell"])], [inner]], colWidths=[official.WIDTH])
        t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, (0, 0, 0)),
                               ("LINEBELOW", (0, 0), (0, 0), 0.4, (0, 0, 0)),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
        return t

    notes = talk.notes if done else ""
    stance = (getattr(talk, "statement", "") or "") if done else ""
    if done and not stance and talk.pledge:
        stance = "本人已提交廉政承诺书。"
    signers = Table([[P("谈话对象签字：", s["cell"]), "", P("谈话人签字：", s["cell"]), ""],
                     [P("记录人签字：", s["cell"]), "", "", ""]],
                    colWidths=[38 * mm, 40 * mm, 34 * mm, 44 * mm], rowHeights=[12 * mm] * 2)
    signers.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, -1), 0.6, (0, 0, 0)),
                                 ("LINEBELOW", (3, 0), (3, 0), 0.6, (0, 0, 0)),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    # A record kept on file, not a document sent out: the organ heads it in plain type, no red 版头.
    story: list[Flowable] = [
        P(esc(organ), s["center"]),
        official.title("廉政谈话记录", space_before=official.PITCH * 0.2, space_after=official.PITCH * 0.3),
        head,
        Spacer(1, 4 * mm),
        KeepTogether([block("谈话内容：", notes, 40 if done else 90)]),
        Spacer(1, 4 * mm),
        # the signatures stay on the page of the 表态 they sign
        KeepTogether([block("本人表态：", stance, 20 if done else 70), Spacer(1, 3 * mm), signers]),
    ]
    return official.build(path, story, title=f"廉政谈话记录（{talk.name}，{talk.year}年）",
                          audit_words=audit_words, subject="廉政谈话记录")

