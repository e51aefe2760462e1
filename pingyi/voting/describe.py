"""Text renderings shared by the CLI and the TUI: schemes in words, tally tables, CSV."""
from __future__ import annotations

import io
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from pingyi.common.cells import SafeWriter
from pingyi.common.textfmt import table
from pingyi.rules.numbers import fmt2, tenths_str
from pingyi.rules.spec import SchemeSpec

if TYPE_CHECKING:
    from pingyi.voting.rooms import Turnout
    from pingyi.voting.tally import TallyReport

NO_PLACES = "未设名额"  # a room that declares no places: paper ballots without a limit (DESIGN §6)


def _frac(f: Fraction) -> str:
    return format(f.numerator / f.denominator, "g") if f.denominator != 1 else str(f.numerator)


def rules_in_words(spec: SchemeSpec) -> list[str]:
    """How the scores were computed, for result sheets and screens."""
    r = spec.rules
    lines = [
        "每张选票对每位被测评人的各项指标分值相加为该票总分（满分 100）；各项全空为弃权。",
    ]
    if r.max_excellent_ratio is not None:
        lines.append(f"一张选票中总分达到 {tenths_str(r.excellent_at)} 分（优秀）的人数占比超过 "
                     f"{_frac(r.max_excellent_ratio)} 的，该票无效；没有任何完整评价的为空白票。无效票和空白票不计分。")
    else:
        lines.append("没有任何完整评价的选票为空白票，不计分。")
    if r.trim:
        lines.append(f"按代表类别分别计算平均分：某类别有效评价不少于 {2 * r.trim + 1} 个时，去掉 {r.trim} 个最高分和 "
                     f"{r.trim} 个最低分后平均；少于此数则不去掉。")
    else:
        lines.append("按代表类别分别计算平均分，不去掉最高分和最低分。")
    weights = "，".join(f"{g.name} {_frac(g.weight)}" for g in spec.groups)
    lines.append(f"综合得分为各类别平均分的加权平均（权重：{weights}），只计对该人有评价的类别，权重按实有类别重新归一。")
    lines.append("全程精确计算，最后一次四舍五入保留两位小数；名次按得分从高到低，同分同名次。")
    lines.append(f"得分最低的 {r.bottom_n} 个名次（含并列）为倒数第一；全部同分时不认定。"
                 f"同一系列中连续 {r.streak} 次倒数第一，提出蓝色预警建议。")
    return lines


def describe_scheme(spec: SchemeSpec) -> str:
    kinds = {"shuangding": "双定双评", "integrity": "廉洁指数"}
    out = [f"方案：{spec.name}（{kinds.get(spec.kind, spec.kind)}）", ""]
    out.append(table(["代码", "指标", "满分"], [[i.key, i.name, tenths_str(i.max)] for i in spec.indicators],
                     right={2}))
    if spec.grades:
        out += ["", table(["等次", "比例"] + [i.name for i in spec.indicators],
                          [[label, _frac(f)] + [tenths_str(int(f * i.max)) for i in spec.indicators]
                           for label, f in spec.grades])]
    out += ["", table(["代码", "代表类别", "权重"], [[g.key, g.name, _frac(g.weight)] for g in spec.groups], right={2})]
    out += ["", "规则："] + [f"  {line}" for line in rules_in_words(spec)]
    return "\n".join(out)


def tally_table(report: TallyReport) -> str:
    spec = report.spec
    c = report.counts
    state = "临时结果（会场进行中）" if report.provisional else "最终结果"
    head = [f"{report.room}  {report.title}  {state}",
            f"选票：收回 {c.cast}，有效 {c.valid}，无效 {c.invalid}，空白 {c.blank}"]
    groups = [g for g in spec.groups]
    rows = []
    for r in report.results:
        rows.append([r.rank or "—", r.person, r.name, r.unit, fmt2(r.score) or "未评",
                     *[fmt2(r.groups[g.key].mean) if g.key in r.groups else "" for g in groups],
                     "倒数第一" if r.bottom else ""])
    body = table(["名次", "编号", "姓名", "单位", "得分", *[g.name for g in groups], "标记"], rows,
                 right={0, 4, *range(5, 5 + len(groups))})
    return "\n".join(head + [body])


BOM = "\ufeff"   # every CSV pingyi writes starts with it: Excel on Chinese Windows then reads UTF-8


def tally_csv(report: TallyReport, headers: str = "zh") -> str:
    """The results as CSV: Chinese headers and 是/否 for people (the default), or
    ``headers="en"`` for scripts (keys as headers, 1/0)."""
    buf = io.StringIO()
    w = SafeWriter(buf, lineterminator="\n")
    groups = list(report.spec.groups)
    en = headers == "en"
    if en:
        w.writerow(["rank", "person", "name", "unit", "score", "bottom",
                    *[f"{g.key}_mean" for g in groups], *[f"{g.key}_n" for g in groups]])
    else:
        w.writerow(["名次", "编号", "姓名", "单位", "得分", "倒数第一",
                    *[f"{g.name}平均分" for g in groups], *[f"{g.name}评价数" for g in groups]])
    for r in report.results:
        bottom = int(r.bottom) if en else ("是" if r.bottom else "否")
        w.writerow([r.rank or "", r.person, r.name, r.unit, fmt2(r.score), bottom,
                    *[fmt2(r.groups[g.key].mean) if g.key in r.groups else "" for g in groups],
                    *[r.groups[g.key].n if g.key in r.groups else 0 for g in groups]])
    return BOM + buf.getvalue()


def turnout_table(title: str, spec: SchemeSpec, t: Turnout) -> str:
    """Turnout of a room that is not closed: issued and returned per group and channel, no scores."""
    state = {"draft": "尚未开启", "open": "进行中", "closed": "已结束"}.get(t.status, t.status)
    head = [f"{t.room}  {title}  {state}：只显示投票进度，不显示得分"]
    names = {g.key: g.name for g in spec.groups}
    if t.limited:
        rows = [[names.get(k, k), c.codes_issued, c.codes_returned, c.paper_issued, c.paper_returned]
                for k, c in t.channels.items()]
        body = table(["代表类别", "票码发出", "票码收回", "纸质发出", "纸质收回"], rows, right={1, 2, 3, 4})
        tail = f"合计收回 {t.cast} 张 / 发出 {t.places} 张"
    else:
        rows = [[names.get(k, k), c.returned] for k, c in t.channels.items()]
        body = table(["代表类别", "收回"], rows, right={1})
        tail = f"{NO_PLACES}：合计收回 {t.cast} 张"
    extra = [f"待核对纸质选票 {t.pending_paper} 张"] if t.pending_paper else []
    return "\n".join([*head, body, tail, *extra])


def turnout_json(title: str, t: Turnout) -> dict[str, Any]:
    """The JSON of an open room's turnout (no results: DESIGN §5)."""
    return {
        "room": t.room, "title": title, "status": t.status, "provisional": True, "places": t.limited,
        "ballots": {"cast": t.cast},
        "turnout": {k: {"codes_issued": c.codes_issued, "codes_returned": c.codes_returned,
                        "paper_issued": c.paper_issued, "paper_returned": c.paper_returned}
                    for k, c in t.channels.items()},
        "pending_paper": t.pending_paper,
    }


def turnout_csv(spec: SchemeSpec, t: Turnout, headers: str = "zh") -> str:
    """An open room's turnout as CSV: each group by its name under Chinese headers (the default), by
    its key under ``headers="en"`` (for scripts)."""
    buf = io.StringIO()
    w = SafeWriter(buf, lineterminator="\n")
    en = headers == "en"
    names = {} if en else {g.key: g.name for g in spec.groups}
    if en:
        w.writerow(["group", "codes_issued", "codes_returned", "paper_issued", "paper_returned"])
    else:
        w.writerow(["代表类别", "票码发出", "票码收回", "纸质发出", "纸质收回"])
    for k, c in t.channels.items():
        w.writerow([names.get(k, k), c.codes_issued, c.codes_returned, c.paper_issued, c.paper_returned])
    return BOM + buf.getvalue()


def turnout_lines(spec: SchemeSpec, t: Turnout) -> list[str]:
    """Issued and returned per group and channel, in words, for `room show`, sheets and dialogs."""
    if not t.limited:
        head = f"{NO_PLACES}：收回选票 {t.cast} 张"
        return [head] + [f"{g.name}：收回 {t.groups.get(g.key, (0, 0))[0]} 张" for g in spec.groups]
    lines = []
    for g in spec.groups:
        c = t.channels.get(g.key)
        if c is None:
            continue
        parts = []
        if c.codes_issued or c.codes_returned:
            parts.append(f"票码 发出 {c.codes_issued} 收回 {c.codes_returned}")
        if c.paper_issued or c.paper_returned:
            parts.append(f"纸质 发出 {c.paper_issued} 收回 {c.paper_returned}")
        lines.append(f"{g.name}：" + ("，".join(parts) if parts else "无名额"))
    return lines
