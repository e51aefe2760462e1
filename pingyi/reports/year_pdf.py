"""Year-end summary PDF: the year in figures, the rooms, the units rolled up
and the persons that need attention (bottoms, warnings, flags, talks)."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pingyi.reports.yearbook import level_name
from pingyi.rules.numbers import fmt2, tenths_str

if TYPE_CHECKING:
    from pingyi.reports.yearend import YearExport


def _pts(tenths: int | None) -> str:
    """Points as the desk and the CLI print them (6, 1.5); the workbook keeps its exact numbers."""
    return "" if tenths is None else tenths_str(tenths)


def write_year_pdf(path: str | os.PathLike[str], export: YearExport) -> int:
    """Write the summary of ``export`` (a YearExport); returns the page count."""
    from pingyi.reports import base

    Paragraph = base.paragraph
    st = base.styles()
    esc = base.esc
    width = base.content_width(landscape=True)
    title = f"{export.year} 年度评议考核汇总"
    persons = export.persons
    flagged = [p for p in persons if p.flagged]
    story = [Paragraph(esc(title), st.title),
             Paragraph(esc(f"生成时间：{export.generated_words()}　会场：{len(export.rooms)} 个　"
                           f"人员：{len(persons)} 人　单位：{len(export.units)} 个"), st.subtitle)]
    warn_total = sum(p.warning_count() for p in persons) + sum(len(u.unit_warnings) for u in export.units)
    facts = [
        f"倒数第一 {sum(p.bottoms for p in persons)} 人次（{sum(1 for p in persons if p.bottoms)} 人）",
        f"已签发预警 {warn_total} 份",
        f"不得评优 {sum(p.not_excellent for p in persons)} 人",
        f"追责 {sum(p.accountability for p in persons)} 人",
        f"待廉政谈话 {sum(p.talk == '待谈话' for p in persons)} 人",
    ]
    story.append(Paragraph(esc("；".join(facts) + "。"), st.body))
    if export.missing:
        story.append(Paragraph(esc("未包含：" + "、".join(export.missing) + "（相应内容留空）。"), st.note))

    story.append(Paragraph("一、测评会场", st.heading))
    # the round in a column of its own: in the series' cell it broke as 「第」 / 「1轮」
    rows = [[r.room, r.title, r.date, r.scheme, r.series or "", f"第{r.round}轮" if r.round else "", r.rated]
            for r in export.rooms]
    head = ["会场", "名称", "结束日期", "方案", "系列", "轮次", "参评人数"]
    story.append(base.data_table(head, rows,
                                 base.fit_widths(head, (0.09, 0.29, 0.1, 0.2, 0.2, 0.06, 0.06), width),
                                 right={6}, center={5}, wrap={1, 3, 4}))

    story.append(Paragraph("二、单位汇总", st.heading))
    rows = [[u.unit, u.persons, u.rated, u.bottoms, u.warnings["blue"], u.warnings["yellow"], u.warnings["red"],
             u.talks_pending, u.not_excellent, u.accountability, _pts(u.ledger_points), level_name(u.ledger_level),
             "、".join(w.number or "" for w in u.unit_warnings)] for u in export.units]
    head = ["单位", "人数", "参评", "倒数第一", "蓝色预警", "黄色预警", "红色预警", "待谈话", "不得评优", "追责",
            "单位扣分", "单位等级", "单位预警"]
    story.append(Paragraph("各色预警份数包括单位本身受到的预警。", st.lead))
    story.append(base.data_table(
        head, rows, base.fit_widths(head, (0.19, 0.05, 0.05, 0.065, 0.065, 0.065, 0.065, 0.06, 0.065, 0.05, 0.065,
                                           0.065, 0.15), width, 8.5),
        right=set(range(1, 11)), center={11}, wrap={0, 12}, font_size=8.5))

    story.append(Paragraph("三、需关注人员", st.heading))
    story.append(Paragraph("有倒数第一、预警、台账等级、不得评优、追责、廉洁指数不合格或廉政谈话记录的人员。", st.lead))
    rows, marked = [], []
    for i, p in enumerate(flagged):
        if p.accountability or p.not_excellent:
            marked.append(i)
        rows.append([p.code, p.name, p.unit, p.bottoms, p.longest_streak, fmt2(p.integrity), p.integrity_band,
                     _pts(p.ledger_points), level_name(p.ledger_level),
                     "、".join(w.number or "" for w in p.warnings), p.rectification, p.talk,
                     "是" if p.not_excellent else "", "是" if p.accountability else ""])
    if rows:
        head = ["编号", "姓名", "单位", "倒数第一", "最长连续", "廉洁指数", "指数结果", "扣分", "台账等级",
                "预警文号", "整改", "谈话", "不得评优", "追责"]
        story.append(base.data_table(
            head, rows, base.fit_widths(head, (0.07, 0.07, 0.14, 0.055, 0.055, 0.06, 0.06, 0.045, 0.055, 0.15,
                                               0.06, 0.06, 0.05, 0.04), width, 8),
            right={3, 4, 5, 7}, center={6, 8, 12, 13}, wrap={1, 2, 9, 10, 11}, marked=marked, font_size=8))
    else:
        story.append(Paragraph("无。", st.small))

    story.append(Paragraph("四、规则说明", st.heading))
    rules = [Paragraph(f"【{esc(topic)}】{esc(text)}", st.small) for topic, text in export.rules]
    # the signatures keep the last rules with them: never a page of signatures alone
    from reportlab.platypus import KeepTogether, Spacer

    story += rules[:-3]
    story.append(KeepTogether([*rules[-3:], Spacer(1, 6 * base.MM),
                               base.signature_table(["制表人", "审核人", "负责人"], width)]))
    return base.build(path, story, title=title, header_right=f"{export.year} 年度", landscape=True,
                      audit_words=export.audit_words)
