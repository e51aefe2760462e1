"""Commands of the warnings desk: proposals, warnings, ledger, policy, integrity
and talks (DESIGN §7, §8; the extra names are documented in docs/desk.md)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from pingyi.cli.context import Context, Decorated, emit_json, format_option, out_path, pass_ctx
from pingyi.rules.numbers import tenths_str

if TYPE_CHECKING:
    from pingyi.desk.alerts import AlertInfo
    from pingyi.desk.integrity import IndexInfo
    from pingyi.desk.talks import TalkInfo
    from pingyi.desk.targets import Target

_LEVEL = click.Choice(["blue", "yellow", "red"])


def _level_name(level: str) -> str:
    from pingyi.voting.series import LEVEL_NAMES

    return LEVEL_NAMES[level]


def _targets(items: Sequence[AlertInfo]) -> dict[tuple[str, str], Target]:
    """The warnings' targets as tables and messages name them: 王伟, or 王伟（A01） when another active
    person shares the name (targets.named, the rule the proposals table follows)."""
    from pingyi.desk.targets import named

    return named((a.target_kind, a.target) for a in items)


def _target(a: AlertInfo) -> Target:
    return _targets([a])[(a.target_kind, a.target)]


# --- warnings -----------------------------------------------------------------

@click.group("warnings")
def warnings_grp() -> None:
    """预警：建议、起草、审批、通知书、整改。"""


@warnings_grp.command("proposals")
@click.option("--all", "show_all", is_flag=True, help="包括已处理的建议")
@format_option("table", "json")
@pass_ctx
def warnings_proposals(ctx: Context, show_all: bool, fmt: str) -> None:
    """列出待处理的预警建议（会务人员也可查看）。"""
    from pingyi import proposals
    from pingyi.common.textfmt import table
    from pingyi.desk import alerts
    from pingyi.desk.targets import named

    ctx.actor("organizer")
    items = proposals.list_proposals(None if show_all else "pending")
    if fmt == "json":       # codes stay codes for scripts (DESIGN §8)
        emit_json([dict(p.to_json(), **({"status": p.status} if show_all else {})) for p in items])
        return
    who = named((p.target_kind, p.target) for p in items)     # 王伟; 王伟（A01） when the name is shared
    click.echo(table(["编号", "来源", "等级", "对象", "送达", "事由", "状态"],
                     [[p.id, proposals.SOURCE_NAMES.get(p.source, p.source), _level_name(p.level),
                       who[(p.target_kind, p.target)].short, p.recipient, p.reason,
                       proposals.STATUS_NAMES.get(p.status, p.status)] for p in items]))
    waiting = alerts.counts().overdue_unproposed
    if waiting:
        click.echo(f"另有 {waiting} 份预警已逾期、尚未生成升级建议：运行 pingyi warnings refresh。", err=True)


@warnings_grp.command("refresh")
@pass_ctx
def warnings_refresh(ctx: Context) -> None:
    """为已逾期的预警生成升级建议（每份预警一次）；列表和查看从不改动数据。"""
    from pingyi.desk import alerts

    made = alerts.refresh_overdue(ctx.actor("commission"))
    click.echo(f"新增逾期升级建议 {made} 条。" if made else "没有新的逾期预警。")


@warnings_grp.command("dismiss")
@click.argument("pid", type=int)
@click.option("--reason", required=True, help="不予预警的理由")
@pass_ctx
def warnings_dismiss(ctx: Context, pid: int, reason: str) -> None:
    """不予预警：驳回一条建议，须写明理由。"""
    from pingyi import proposals

    proposals.dismiss(ctx.actor("commission"), pid, reason)
    click.echo(f"已驳回预警建议 {pid}。")


def _forms_option(f: Decorated) -> Decorated:
    return click.option("--form", "forms", multiple=True,
                        help="送达方式（可重复）：谈话提醒、预警通知书、整改通知书、内部通报、媒体公开、预警参阅信息")(f)


@warnings_grp.command("draft")
@click.option("--proposal", type=int, metavar="PID", help="由这条预警建议起草")
@click.option("--target", metavar="CODE|UNIT", help="手工起草：人员编号或单位名称")
@click.option("--level", type=_LEVEL, help="预警等级：blue 蓝色、yellow 黄色、red 红色")
@click.option("--reason", metavar="TEXT", help="事实与理由")
@click.option("--recipient", metavar="TEXT", help="送达对象（默认：分管领导，单位则为单位本身）")
@click.option("--deadline", metavar="YYYY-MM-DD", help="整改期限（默认按政策天数）")
@click.option("--measure", type=click.Choice(["remind", "admonish", "rectify"]),
              help="预警措施：remind 警示提醒、admonish 诫勉纠错、rectify 责令整改（默认随等级）")
@_forms_option
@pass_ctx
def warnings_draft(ctx: Context, proposal: int | None, target: str | None, level: str | None, reason: str | None,
                   recipient: str | None, deadline: str | None, measure: str | None, forms: tuple[str, ...]) -> None:
    """起草预警（由建议或手工）；最后一行输出预警编号。"""
    from pingyi.common.errors import InputError
    from pingyi.desk import alerts

    if proposal is None and not (target and level and reason):
        raise InputError("请指定 --proposal PID，或同时给出 --target、--level、--reason 手工起草。")
    if proposal is not None and target:
        raise InputError("--proposal 与 --target 只能二选一。")
    a = alerts.draft(ctx.actor("commission"), proposal=proposal, target=target, level=level, reason=reason,
                     recipient=recipient, deadline=deadline, measure=measure, forms=list(forms))
    click.echo(f"已起草{a.level_name}：{_target(a).short}，送达 {a.recipient}，整改期限 {a.deadline or '无'}；"
               f"须由起草人以外的纪委人员审批。")
    click.echo(a.id)


@warnings_grp.command("edit")
@click.argument("wid", type=int)
@click.option("--level", type=_LEVEL)
@click.option("--recipient", metavar="TEXT")
@click.option("--deadline", metavar="YYYY-MM-DD")
@click.option("--measure", type=click.Choice(["remind", "admonish", "rectify"]))
@click.option("--facts", metavar="TEXT", help="事实与理由")
@_forms_option
@pass_ctx
def warnings_edit(ctx: Context, wid: int, level: str | None, recipient: str | None, deadline: str | None,
                  measure: str | None, facts: str | None, forms: tuple[str, ...]) -> None:
    """修改预警草稿（仅起草人；已签发的预警不能修改）。"""
    from pingyi.desk import alerts

    alerts.edit(ctx.actor("commission"), wid, level=level, recipient=recipient, deadline=deadline,
                measure=measure, forms=list(forms) or None, facts=facts)
    click.echo(f"已修改预警草稿 {wid}。")


@warnings_grp.command("approve")
@click.argument("wid", type=int)
@pass_ctx
def warnings_approve(ctx: Context, wid: int) -> None:
    """审批签发预警（须为起草人以外的纪委人员）；最后一行输出通知书编号。"""
    from pingyi.desk import alerts

    a = alerts.approve(ctx.actor("commission"), wid)
    who = _target(a).short
    click.echo(f"已签发{a.level_name}：{who}（起草 {a.drafted_by}，审批 {a.approved_by}）")
    if a.accountability:
        click.echo(f"注意：{who} 本周期已受到两次以上预警，应启动追责。")
    click.echo(a.number)


@warnings_grp.command("notice")
@click.argument("wid", type=int)
@click.option("--pdf", "pdf", required=True, metavar="FILE", help="输出 PDF 文件")
@click.option("--kind", type=click.Choice(["auto", "warning", "rectify"]), default="auto", show_default=True,
              help="warning 预警通知书；rectify 整改通知书；auto 按措施与送达方式")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
@pass_ctx
def warnings_notice(ctx: Context, wid: int, pdf: str, kind: str, force: bool) -> None:
    """生成预警通知书或整改通知书 PDF。"""
    from pingyi.cli.engine import _font_notice
    from pingyi.desk import alerts
    from pingyi.reports.notice import write_notice

    ctx.actor("commission")
    a = alerts.get(wid)
    write_notice(out_path(pdf, force=force), a, kind)
    _font_notice()
    click.echo(f"已生成：{pdf}")


@warnings_grp.command("feedback")
@click.argument("wid", type=int)
@click.option("--text", required=True, help="整改情况")
@click.option("--date", metavar="YYYY-MM-DD", help="反馈日期（默认今天）")
@pass_ctx
def warnings_feedback(ctx: Context, wid: int, text: str, date: str | None) -> None:
    """登记整改反馈（仅限已签发的预警），待验收。"""
    from pingyi.desk import alerts

    alerts.feedback(ctx.actor("commission"), wid, text, date)
    click.echo(f"已登记预警 {wid} 的整改反馈，待验收。")


@warnings_grp.command("verify")
@click.argument("wid", type=int)
@click.option("--note", default="", help="验收意见")
@pass_ctx
def warnings_verify(ctx: Context, wid: int, note: str) -> None:
    """验收整改反馈：预警转为已整改。"""
    from pingyi.desk import alerts

    alerts.verify(ctx.actor("commission"), wid, note)
    click.echo(f"预警 {wid} 整改已验收。")


@warnings_grp.command("return")
@click.argument("wid", type=int)
@click.option("--reason", required=True, help="退回理由")
@pass_ctx
def warnings_return(ctx: Context, wid: int, reason: str) -> None:
    """退回整改反馈，要求继续整改（期限照旧）。"""
    from pingyi.desk import alerts

    alerts.send_back(ctx.actor("commission"), wid, reason)
    click.echo(f"已退回预警 {wid} 的整改反馈。")


@warnings_grp.command("close")
@click.argument("wid", type=int)
@click.option("--note", default="", help="办结说明")
@pass_ctx
def warnings_close(ctx: Context, wid: int, note: str) -> None:
    """办结：已整改的预警，或无整改期限的已签发预警。"""
    from pingyi.desk import alerts

    alerts.close(ctx.actor("commission"), wid, note)
    click.echo(f"预警 {wid} 已办结。")


@warnings_grp.command("list")
@click.option("--status", type=click.Choice(["draft", "issued", "rectified", "overdue", "closed"]))
@click.option("--target", metavar="CODE|UNIT")
@format_option("table", "json")
@pass_ctx
def warnings_list(ctx: Context, status: str | None, target: str | None, fmt: str) -> None:
    """列出预警及整改状态；逾期的标出，两次以上预警的对象标“追责”。"""
    from pingyi.common.textfmt import table
    from pingyi.desk import alerts

    ctx.actor("commission")
    items = alerts.list_alerts(status=status, target=target)
    if fmt == "json":
        emit_json([a.to_json() for a in items])     # codes stay codes for scripts (DESIGN §8)
        return
    who = _targets(items)
    click.echo(table(["编号", "文号", "等级", "对象", "送达", "状态", "起草", "审批", "整改期限", "追责"],
                     [[a.id, a.number or "", _level_name(a.level), who[(a.target_kind, a.target)].short,
                       a.recipient, a.status_name, a.drafted_by, a.approved_by or "", a.deadline or "",
                       "追责" if a.accountability else ""]
                      for a in items]))


@warnings_grp.command("show")
@click.argument("wid", type=int)
@pass_ctx
def warnings_show(ctx: Context, wid: int) -> None:
    """显示一份预警的全部内容与整改记录。"""
    from pingyi.desk import alerts

    ctx.actor("commission")
    a = alerts.get(wid)
    click.echo(f"预警 {a.id}  {a.number or '（草稿）'}  {a.level_name}  {a.status_name}"
               + ("  【追责】" if a.accountability else ""))
    t = _target(a)          # as a document names one: 财政局王伟, 财政局王伟（A01） when the name is shared
    click.echo(f"对象：{t.unit}{t.short}  送达：{a.recipient}")
    click.echo(f"措施：{a.measure_name}  送达方式：{'、'.join(a.forms)}  整改期限：{a.deadline or '无'}")
    click.echo(f"起草：{a.drafted_by}  审批：{a.approved_by or '—'}  签发日期：{a.issued_on or '—'}")
    click.echo(f"事实与理由：{a.facts}")
    for f in a.feedback:
        click.echo(f"整改反馈（{f.date}，{f.entered_by}）：{f.text}  —— {f.outcome_name}"
                   + (f"（{f.judged_by}：{f.note}）" if f.judged_by and f.note else ""))


# --- ledger -------------------------------------------------------------------

@click.group("ledger")
def ledger_grp() -> None:
    """12分制扣分台账。"""


@ledger_grp.command("deduct")
@click.argument("target")
@click.argument("points")
@click.option("--reason", required=True, help="扣分事由")
@click.option("--source", default="", help="来源：双定双评、明查暗访、信访举报、专项检查……")
@click.option("--date", metavar="YYYY-MM-DD", help="扣分日期（默认今天；决定所属周期）")
@pass_ctx
def ledger_deduct(ctx: Context, target: str, points: str, reason: str, source: str, date: str | None) -> None:
    """扣分：TARGET 为人员编号或单位名称，POINTS 为分值（最多一位小数）或扣分标准名称（如 诫勉）。"""
    from pingyi.desk import ledger

    r = ledger.deduct(ctx.actor("commission"), target, points, reason, source, date)
    t = r.total
    click.echo(f"已扣分：{t.name} {tenths_str(r.entry.points)} 分（{r.entry.date}），"
               f"{t.cycle} 年度累计 {t.points_text} 分{'，' + t.level_name if t.level else ''}"
               f"{'，当年不得评为优秀' if not t.excellent_eligible else ''}")
    if r.proposal_level:
        click.echo(f"已提出{_level_name(r.proposal_level)}预警建议。")
    click.echo(r.entry.id)


@ledger_grp.command("reverse")
@click.argument("entry_id", type=int)
@click.option("--reason", required=True, help="冲销理由")
@pass_ctx
def ledger_reverse(ctx: Context, entry_id: int, reason: str) -> None:
    """冲销一条扣分（原记录不改，另记一条负分记录）。"""
    from pingyi.desk import ledger

    e = ledger.reverse(ctx.actor("commission"), entry_id, reason)
    click.echo(f"已冲销第 {entry_id} 条扣分。")
    click.echo(e.id)


@ledger_grp.command("show")
@click.argument("target", required=False)
@click.option("--year", type=int, help="周期（起始年份；默认本周期，指定对象时默认全部）")
@format_option("table", "json")
@pass_ctx
def ledger_show(ctx: Context, target: str | None, year: int | None, fmt: str) -> None:
    """显示扣分台账：每个对象的累计分值与预警等级；指定对象时列出明细。"""
    from pingyi.common.textfmt import table
    from pingyi.common.vocab import TargetKind
    from pingyi.desk import ledger

    ctx.actor("commission")
    items = ledger.show(target, year)
    if fmt == "json":
        emit_json([t.to_json() for t in items])
        return
    click.echo(table(["编号", "名称", "单位", "周期", "累计扣分", "预警等级", "评优", "追责"],
                     [[t.target if t.target_kind == TargetKind.PERSON else "", t.name, t.unit, t.cycle,
                       t.points_text, t.level_name,
                       "可" if t.excellent_eligible else "不得评优", "追责" if t.accountability else ""]
                      for t in items], right={4}))
    for t in items:
        if t.entries:
            click.echo("")
            click.echo(table(["序号", "日期", "分值", "标准", "事由", "来源", "录入", "备注"],
                             [[e.id, e.date, tenths_str(e.points), e.item, e.reason, e.source, e.entered_by,
                               f"冲销第 {e.reverses} 条" if e.reverses else
                               (f"已被第 {e.reversed_by} 条冲销" if e.reversed_by else "")]
                              for e in t.entries], right={2}))


# --- policy -------------------------------------------------------------------

@click.group("policy")
def policy_grp() -> None:
    """预警与廉洁指数政策（TOML）。"""


@policy_grp.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_ctx
def policy_import(ctx: Context, file: str) -> None:
    """导入新版政策（管理员）；此后的扣分和指数计算按新版执行。"""
    from pingyi.desk import policy

    p = policy.import_policy(ctx.actor("admin"), file)
    click.echo(f"已导入政策：{p.name}（{p.hash[:12]}）")


@policy_grp.command("organ")
@click.argument("organ", required=False)
@click.option("--issuer", metavar="TEXT", help="印发机关（默认：发文机关 + 办公室）")
@click.option("--cc", metavar="TEXT", help="通知书默认抄送机关，多个用顿号分隔")
@pass_ctx
def policy_organ(ctx: Context, organ: str | None, issuer: str | None, cc: str | None) -> None:
    """设置公文版头：发文机关全称、印发机关、抄送（管理员；生成一个新版政策）。"""
    from pingyi.common.errors import InputError
    from pingyi.desk import policy

    if organ is None and issuer is None and cc is None:
        raise InputError("请给出发文机关名称，如：pingyi policy organ 中共某某县纪律检查委员会")
    p = policy.set_header(ctx.actor("admin"), organ=organ, issuer=issuer, cc=cc)
    click.echo(f"发文机关：{p.organ or '（未设置）'}；印发机关：{p.printed_by or '（未设置）'}；抄送：{p.cc or '无'}")


@policy_grp.command("show")
@pass_ctx
def policy_show(ctx: Context) -> None:
    """显示现行政策（TOML，可复制修改后导入）。"""
    from pingyi.desk import policy

    ctx.actor("organizer")
    click.echo(policy.current_source().rstrip("\n"))


# --- integrity ----------------------------------------------------------------

@click.group("integrity")
def integrity_grp() -> None:
    """廉洁指数：录入、计算、查看。"""


@integrity_grp.command("score")
@click.argument("person")
@click.option("--year", type=int, required=True)
@click.option("--manual", metavar="N", help="述职述廉得分（0–100，最多一位小数）")
@click.option("--grade", help="年度考核等次：优秀、称职、基本称职、不称职")
@click.option("--veto", metavar="TEXT", help="一票否决事由（如当年受到处分）")
@click.option("--clear-veto", is_flag=True, help="撤销一票否决")
@pass_ctx
def integrity_score(ctx: Context, person: str, year: int, manual: str | None, grade: str | None, veto: str | None,
                    clear_veto: bool) -> None:
    """为一名领导干部录入述职述廉得分、考核等次或否决事由。"""
    from pingyi.desk import integrity

    i = integrity.set_inputs(ctx.actor("commission"), person, year, manual=manual, grade=grade, veto=veto,
                             clear_veto=clear_veto)
    click.echo(f"已录入{i.unit}{i.name} {i.year} 年：述职述廉 {i.manual or '—'}，考核 {i.grade or '—'}"
               f"{'，否决：' + i.veto if i.veto else ''}")


@integrity_grp.command("compute")
@click.argument("year", type=int)
@click.option("--room", "rooms", multiple=True, metavar="ID", help="民主评廉测评会"
              "（可重复；默认取当年结束的廉洁指数类测评会）")
@click.option("--person", "persons", multiple=True, metavar="CODE", help="只计算这些人员（可重复）")
@format_option("table", "json")
@pass_ctx
def integrity_compute(ctx: Context, year: int, rooms: tuple[str, ...], persons: tuple[str, ...], fmt: str) -> None:
    """计算年度廉洁指数；低于阈值或被否决者列入廉政谈话并提出预警建议。"""
    from pingyi.desk import integrity

    items = integrity.compute(ctx.actor("commission"), year, list(rooms), list(persons) or None)
    _integrity_out(items, fmt)


@integrity_grp.command("list")
@click.argument("year", type=int)
@format_option("table", "json")
@pass_ctx
def integrity_list(ctx: Context, year: int, fmt: str) -> None:
    """列出年度廉洁指数。"""
    from pingyi.desk import integrity

    ctx.actor("commission")
    _integrity_out(integrity.list_results(year), fmt)


def _integrity_out(items: Sequence[IndexInfo], fmt: str) -> None:
    from pingyi.common.textfmt import table
    from pingyi.desk import integrity
    from pingyi.desk.talks import STATUS_NAMES

    if fmt == "json":
        emit_json([i.to_json() for i in items])
        return
    comps = integrity.components()
    click.echo(table(["编号", "姓名", "单位"] + [c.name for c in comps] + ["廉洁指数", "结果", "谈话"],
                     [[i.person, i.name, i.unit] + [i.parts.get(c.key, "缺") for c in comps]
                      + [i.value_text, i.result_name + (f"（{i.veto}）" if i.veto else ""),
                         STATUS_NAMES.get(i.talk, "") if i.talk else ""] for i in items]))


# --- talks --------------------------------------------------------------------

@click.group("talks")
def talks_grp() -> None:
    """廉政谈话。"""


@talks_grp.command("list")
@click.option("--year", type=int)
@click.option("--pending", is_flag=True, help="只列待谈话的")
@format_option("table", "json")
@pass_ctx
def talks_list(ctx: Context, year: int | None, pending: bool, fmt: str) -> None:
    """列出廉政谈话。"""
    from pingyi.common.textfmt import table
    from pingyi.desk import talks

    ctx.actor("commission")
    items = talks.list_talks(year, "pending" if pending else None)
    if fmt == "json":
        emit_json([t.to_json() for t in items])
        return
    click.echo(table(["序号", "年度", "编号", "姓名", "单位", "事由", "状态", "谈话日期", "谈话人", "承诺书"],
                     [[t.id, t.year, t.person, t.name, t.unit, t.reason, t.status_name, t.talk_date or "",
                       t.talked_by or "", "已收" if t.pledge else ""] for t in items]))


@talks_grp.command("record")
@click.argument("talk_id", type=int)
@click.option("--by", "talked_by", required=True, help="谈话人")
@click.option("--date", metavar="YYYY-MM-DD", help="谈话日期（默认今天）")
@click.option("--time", "hour", metavar="HH:MM", help="谈话时间，如 09:30")
@click.option("--place", default="", help="谈话地点")
@click.option("--recorder", default="", help="记录人（默认为本账号的姓名）")
@click.option("--notes", default="", help="谈话内容")
@click.option("--statement", default="", help="被谈话人本人表态")
@click.option("--pledge", is_flag=True, help="已收到廉政承诺书")
@click.option("--pdf", metavar="FILE", help="同时生成谈话记录 PDF")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
@pass_ctx
def talks_record(ctx: Context, talk_id: int, talked_by: str, date: str | None, hour: str | None, place: str,
                 recorder: str, notes: str, statement: str, pledge: bool, pdf: str | None, force: bool) -> None:
    """记录已进行的廉政谈话（时间、地点、谈话人、记录人、谈话内容、本人表态）。"""
    from pingyi.desk import talks

    t = talks.record(ctx.actor("commission"), talk_id, date=date, talked_by=talked_by, notes=notes, pledge=pledge,
                     time=hour, place=place, recorder=recorder, statement=statement)
    click.echo(f"已记录 {t.name} 的廉政谈话（{t.talk_date}，谈话人 {t.talked_by}）。")
    if pdf:
        _talk_pdf(t, pdf, force)


@talks_grp.command("pdf")
@click.argument("talk_id", type=int)
@click.option("--pdf", required=True, metavar="FILE", help="输出 PDF 文件")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
@pass_ctx
def talks_pdf(ctx: Context, talk_id: int, pdf: str, force: bool) -> None:
    """生成廉政谈话记录 PDF。"""
    from pingyi.desk import talks

    ctx.actor("commission")
    _talk_pdf(talks.get(talk_id), pdf, force)


def _talk_pdf(t: TalkInfo, pdf: str, force: bool = False) -> None:
    from pingyi.cli.engine import _font_notice
    from pingyi.reports.notice import write_talk

    write_talk(out_path(pdf, force=force), t)
    _font_notice()
    click.echo(f"已生成：{pdf}")


COMMANDS: list[click.Command] = [warnings_grp, ledger_grp, policy_grp, integrity_grp, talks_grp]
