"""Result sheet PDF of one room (DESIGN §10): how scores were computed, ballot
counts, the ranked table with bottom and streak marks, a score distribution
chart, the room's hashes and signature lines. ``public=True`` gives the
publication variant (rank and name only) for posting."""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING

from pingyi.rules.numbers import fmt2, tenths_str

if TYPE_CHECKING:
    # reportlab has no stubs: its names are Any to mypy and say what a value is.
    from reportlab.graphics.shapes import Drawing
    from reportlab.platypus import Flowable, Paragraph, Table

    from pingyi.reports.base import Styles
    from pingyi.rules.tally import PersonResult
    from pingyi.voting.rooms import Turnout
    from pingyi.voting.tally import TallyReport

MIN_BROKEN_OUT = 3  # a group with fewer ballots for a person is not broken out (§6)
SIGNERS = ("计票人", "监票人", "负责人")


def mark_text(bottom: bool, streak: int) -> str:
    """倒数第一 / 连续N次倒数第一 for the marks column."""
    if not bottom:
        return ""
    return f"连续{streak}次倒数第一" if streak >= 2 else "倒数第一"


def group_cell(result: PersonResult, key: str) -> str:
    """A person's group mean, or "—" when the group is absent or has fewer than 3 ballots."""
    g = result.groups.get(key)
    if g is None or g.n < MIN_BROKEN_OUT:
        return "—"
    return fmt2(g.mean)


def distribution(scores: list[Decimal], width: int | None = None) -> tuple[list[str], list[int]]:
    """Histogram bins (label, count) of displayed scores; the bin width adapts to the spread."""
    if not scores:
        return [], []
    lo, hi = int(min(scores)), int(max(scores))
    if width is None:
        spread = hi - lo
        width = 1 if spread <= 10 else 2 if spread <= 24 else 5 if spread <= 60 else 10
    start = lo // width * width
    counts = Counter(int(s) // width * width for s in scores)
    labels: list[str] = []
    values: list[int] = []
    for b in range(start, hi + 1, width):
        labels.append(f"{b}" if width == 1 else f"{b}–{min(b + width, 100)}")
        values.append(counts.get(b, 0))
    return labels, values


def _chart(report: TallyReport, width: float) -> Drawing | None:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    from pingyi.reports.base import styles

    font = styles().font
    labels, values = distribution([r.score for r in report.results if r.score is not None])
    if not labels:
        return None
    height = 100
    d = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 36, 30, width - 50, height - 50
    chart.data = [values]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    if len(labels) > 12:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max(values)
    step = max(1, -(-top // 5))
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = step * (-(-top // step))
    chart.bars[0].fillColor = colors.Color(0.35, 0.5, 0.75)
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabelFormat = lambda v: str(int(v)) if v else ""
    chart.barLabels.nudge = 6
    d.add(chart)
    d.add(String(0, height - 10, "人数", fontName=font, fontSize=8))
    d.add(String(width - 10, 4, "得分", fontName=font, fontSize=8, textAnchor="end"))
    return d


def _state(report: TallyReport) -> str:
    return "临时结果（会场进行中）" if report.provisional else "最终结果"


def _local_time(stamp: str) -> str:
    """An ISO timestamp as the office reads it: local time, 2026年3月1日 17:30."""
    import datetime as dt

    try:
        t = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if t.tzinfo is not None:
        t = t.astimezone()
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"


def subtitle_fields(report: TallyReport) -> list[tuple[str, str]]:
    """The labelled facts under the title: 会场, 方案, 轮次, 时间 (and the state of the result)."""
    fields = [("会场", report.room), ("方案", report.scheme)]
    if report.series:
        fields.append(("轮次", f"{report.series} 第{report.round}轮"))
    if report.closed_at:
        fields.append(("时间", f"{_local_time(report.closed_at)} 结束"))
    if report.provisional:
        fields.append(("状态", _state(report)))
    return fields


def _subtitle(report: TallyReport) -> str:
    return "　".join(f"{k}：{v}" for k, v in subtitle_fields(report))


def _hash_lines(report: TallyReport, st: Styles) -> list[Paragraph]:
    from reportlab.platypus import Paragraph

    from pingyi.reports.base import esc

    def line(label: str, digest: str | None, missing: str) -> Paragraph:
        value = f'<font name="Courier" size="7">{esc(digest)}</font>' if digest else missing
        return Paragraph(f"{label}（SHA-256）：{value}", st.note)

    return [
        line("方案冻结哈希", report.frozen_hash, "（会场未开启，无）"),
        line("计票哈希", report.tally_hash, "（会场未结束，无）"),
    ]


def _counts_table(report: TallyReport, width: float) -> Table:
    from pingyi.reports.base import data_table

    spec = report.spec
    rows: list[list[object]] = []
    for g in spec.groups:
        c = report.group_counts.get(g.key)
        if c is None:
            continue
        w = g.weight
        rows.append([g.name, format(w.numerator / w.denominator, "g"), c.cast, c.valid, c.invalid, c.blank])
    c = report.counts
    rows.append(["合计", "", c.cast, c.valid, c.invalid, c.blank])
    widths = [width * 0.3, width * 0.14] + [width * 0.14] * 4
    return data_table(["代表类别", "权重", "收回", "有效", "无效", "空白"], rows, widths,
                      right={1, 2, 3, 4, 5}, zebra=False, marked=[len(rows) - 1])


def _results_table(report: TallyReport, streaks: dict[str, int], width: float) -> Table:
    from pingyi.reports.base import data_table

    groups = list(report.spec.groups)
    fixed = {"rank": 30, "name": 54, "score": 40, "mark": 78}
    rest = width - sum(fixed.values())
    gw = min(50.0, max(34.0, rest * 0.45 / max(1, len(groups)))) if groups else 0
    text = rest - gw * len(groups)
    unit_w, post_w = text * 0.58, text * 0.42
    header = ["名次", "姓名", "单位", "职务", "得分", *[g.name for g in groups], "标记"]
    widths = [fixed["rank"], fixed["name"], unit_w, post_w, fixed["score"], *[gw] * len(groups), fixed["mark"]]
    rows: list[list[object]] = []
    marked: list[int] = []
    for i, r in enumerate(report.results):
        post = r.post or report.posts.get(r.person, "")
        mark = mark_text(r.bottom, streaks.get(r.person, 0))
        if r.bottom:
            marked.append(i)
        rows.append([r.rank if r.rank is not None else "—", r.name, r.unit, post,
                     fmt2(r.score) if r.score is not None else "未评",
                     *[group_cell(r, g.key) for g in groups], mark])
    n = len(groups)
    return data_table(header, rows, widths, right={0, 4, *range(5, 5 + n)}, wrap={1, 2, 3, 5 + n},
                      center={5 + n}, marked=marked, font_size=8.5)


def _public_table(report: TallyReport, width: float) -> Table:
    """One table in rank order: 名次, 姓名, 单位, 职务 (no scores: the posted list ranks, it does not grade)."""
    from pingyi.reports.base import data_table

    rows = [[r.rank if r.rank is not None else "—", r.name, r.unit, r.post or report.posts.get(r.person, "")]
            for r in report.results]
    return data_table(["名次", "姓名", "单位", "职务"], rows,
                      [width * 0.1, width * 0.18, width * 0.4, width * 0.32],
                      center={0}, wrap={1, 2, 3}, zebra=True, font_size=10)


def _issuer_block(organ: str, day: str, width: float) -> Table:
    """The issuing organ and the date at the right, with room above for the seal."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Table, TableStyle

    from pingyi.reports import base

    st = base.styles()
    style = ParagraphStyle("sheet-issuer", parent=st.body, fontSize=12, leading=20, alignment=TA_CENTER)
    w = min(width, max(width * 0.42, (len(organ) + 2) * 12.5))
    t = Table([[""], [base.paragraph(base.esc(organ), style)], [base.paragraph(base.esc(day), style)]],
              colWidths=[w], rowHeights=[18 * base.MM, None, None], hAlign="RIGHT")
    t.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 12)]))
    return t


def write_sheet(path: str | os.PathLike[str], report: TallyReport, public: bool = False,
                streaks: dict[str, int] | None = None, *, organ: str | None = None,
                issued_on: str | dt.date | None = None, audit_words: str | None = None,
                turnout: Turnout | None = None) -> int:
    """Write the result sheet of ``report`` (a TallyReport) to ``path``; returns the page count.

    The public sheet carries the issuing organ (``organ``, else the policy's: refused while unset), the
    date (``issued_on``, else today) and the audit head (``audit_words``, else the current head).
    ``turnout`` (rooms.Turnout) adds issued and returned ballots per group and channel, or 「未设名额」.
    A provisional report gets a 「临时结果」 watermark and no signature lines, and has no public
    variant (DESIGN §5)."""
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

    from pingyi.common.errors import PingyiError
    from pingyi.reports import base
    from pingyi.voting.describe import rules_in_words, turnout_lines

    if public and report.provisional:
        raise PingyiError(f"会场 {report.room} 尚未结束，不能生成公布版结果。")
    returned = turnout_lines(report.spec, turnout) if turnout is not None else []

    Paragraph = base.paragraph
    st = base.styles()
    streaks = streaks or {}
    groups = list(report.spec.groups)
    landscape = not public and len(groups) > 4
    width = base.content_width(landscape)
    esc = base.esc
    title = f"{report.title} 测评结果" + ("公布" if public else "")
    story = [Paragraph(esc(title), st.title), Paragraph(esc(_subtitle(report)), st.subtitle)]
    if audit_words is None:
        audit_words = _head_words()

    if public:
        from pingyi.reports.official import cn_date

        if organ is None:
            from pingyi.desk import policy

            organ = policy.require_organ(policy.current())
        if issued_on is None:
            from pingyi.common import clock

            issued_on = clock.today()
        c = report.counts
        story.append(Paragraph(f"收回选票 {c.cast} 张，有效 {c.valid} 张。"
                               "按综合得分从高到低排列，同分同名次。", st.small))
        if returned:
            story.append(Paragraph(esc("发出与收回：" + "；".join(returned) + "。"), st.small))
        story.append(Spacer(1, 4))
        story.append(_public_table(report, width))
        story.append(Spacer(1, 6))
        # the organ, the date and the seal place stay with the end of the list and the hashes
        story.append(KeepTogether([*_hash_lines(report, st), Spacer(1, 4), _issuer_block(organ, cn_date(issued_on),
                                                                                          width)]))
    else:
        story.append(Paragraph("一、计分规则", st.heading))
        ind = "，".join(f"{i.name}（满分 {tenths_str(i.max)}）" for i in report.spec.indicators)
        story.append(Paragraph(esc(f"测评指标：{ind}。"), st.small))
        for line in rules_in_words(report.spec):
            story.append(Paragraph(esc(line), st.small))
        story.append(Paragraph(f"某类别对某人的有效评价少于 {MIN_BROKEN_OUT} 票时，"
                               "该类别平均分不单独列出（表中为“—”），但仍计入综合得分。", st.small))
        story.append(Paragraph("二、选票统计", st.heading))
        story.append(_counts_table(report, width))
        if returned:
            story.append(Spacer(1, 4))   # the line under the table, not touching its last row
            story.append(Paragraph(esc("发出与收回：" + "；".join(returned) + "。"), st.small))
        # The ranked table starts on this page when a few rows fit (no page left two-thirds empty):
        # the heading goes with the table's first rows, not with the whole table.
        story.append(CondPageBreak(40 * base.MM))
        story.append(Paragraph("三、测评结果", st.heading_free))
        story.append(_results_table(report, streaks, width))
        chart = _chart(report, width)
        tail: list[Flowable] = [Paragraph("四、得分分布", st.heading), chart] if chart is not None else []
        # The signatures keep the chart and the hashes above them on their page: never signatures alone.
        # Nobody signs a result that is not final: a provisional sheet has no signature lines.
        signatures = [] if report.provisional else [Spacer(1, 5 * base.MM), base.signature_table(SIGNERS, width)]
        story.append(KeepTogether([*tail, Spacer(1, 6), *_hash_lines(report, st), *signatures]))
    right = f"{report.room}　{_state(report)}"
    return base.build(path, story, title=title, header_right=right, landscape=landscape,
                      subject=f"{report.room} {report.title}", audit_words=audit_words or "",
                      watermark="临时结果" if report.provisional else "")


def _head_words() -> str:
    """The audit head when the sheet is made (DESIGN §11), for the footer of every variant:
    a later rewrite or truncation of the chain is caught with `audit verify --head`."""
    import peewee

    from pingyi.db.connection import database
    from pingyi.records import audit

    if database.obj is None:  # a sheet drawn without a database (previews, tests)
        return ""
    try:
        return audit.head().words()
    except peewee.DatabaseError:  # a report built from a database no longer there
        return ""
