"""Commands of the engine: database, accounts, roster, schemes, rooms, ballots,
tally, series, audit and backup (DESIGN §8)."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from pingyi.cli.context import Context, emit_json, format_option, out_path, pass_ctx
from pingyi.common.errors import InputError, PingyiError
from pingyi.common.vocab import RoomStatus

if TYPE_CHECKING:
    from pingyi.people.accounts import Actor


def _new_password(prompt: str) -> str:
    pw = os.environ.get("PINGYI_NEW_PASSWORD")
    if pw is None:
        pw = click.prompt(prompt, hide_input=True, confirmation_prompt="再输入一次", err=True)
    return pw


@click.command("init")
@click.option("--admin", metavar="NAME", help="首次运行时创建的管理员账号名（默认 admin）")
@click.option("--organ", metavar="TEXT", help="发文机关全称（印在通知书上），如 中共某某县纪律检查委员会")
@pass_ctx
def init_cmd(ctx: Context, admin: str | None, organ: str | None) -> None:
    """创建或升级数据库；首次运行时创建管理员（密码取 PINGYI_PASSWORD 或提示输入）。"""
    from pingyi.db.migrations import current_version
    from pingyi.people import accounts

    ctx.open()
    if accounts.has_users():
        if admin:
            click.echo(f"数据库已有账号，未创建 {admin}。", err=True)
        if organ:
            click.echo("数据库已有账号：发文机关请由管理员用 pingyi policy organ 设置。", err=True)
    else:
        name = admin or ctx._user or os.environ.get("PINGYI_USER") or "admin"
        pw = os.environ.get("PINGYI_PASSWORD")
        if pw is None:
            pw = click.prompt(f"为管理员 {name} 设置密码", hide_input=True, confirmation_prompt="再输入一次", err=True)
        created = accounts.init_admin(name, pw)
        click.echo(f"已创建管理员账号：{name}")
        _init_organ(created, organ)
    click.echo(f"数据库：{ctx.db_url}（结构版本 {current_version()}）")


def _init_organ(admin: Actor, organ: str | None) -> None:
    """Ask for the issuing organ on a new database (a terminal only); notices refuse until it is set."""
    import sys

    from pingyi.desk import policy

    if organ is None and sys.stdin.isatty():
        organ = click.prompt("发文机关全称（印在通知书上，如 中共某某县纪律检查委员会；可留空以后再设）",
                             default="", show_default=False, err=True)
    if organ and organ.strip():
        p = policy.set_header(admin, organ=organ)
        click.echo(f"发文机关：{p.organ}")
    else:
        click.echo("尚未设置发文机关；生成通知书前请运行 pingyi policy organ 名称。")


@click.group("user")
def user_grp() -> None:
    """账号管理（管理员）。"""


@user_grp.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["organizer", "commission", "admin"]), required=True,
              help="organizer 会务；commission 纪委；admin 管理员")
@click.option("--display-name", "display_name", metavar="姓名", default="",
              help="使用人的姓名，印在通知书、谈话记录等文书上（默认用账号名）")
@pass_ctx
def user_add(ctx: Context, name: str, role: str, display_name: str) -> None:
    """添加账号，新密码取 PINGYI_NEW_PASSWORD 或提示输入。"""
    from pingyi.people import accounts

    actor = ctx.actor("admin")
    accounts.add_user(actor, name, role, _new_password(f"账号 {name} 的新密码"), display_name=display_name)
    shown = f"，姓名 {display_name.strip()}" if display_name.strip() else ""
    click.echo(f"已添加账号：{name}（{accounts.ROLE_NAMES[role]}{shown}）")


@user_grp.command("disable")
@click.argument("name")
@pass_ctx
def user_disable(ctx: Context, name: str) -> None:
    """停用账号（管理员）：停用后不能登录，记录保留。"""
    from pingyi.people import accounts

    accounts.set_active(ctx.actor("admin"), name, False)
    click.echo(f"已停用账号：{name}")


@user_grp.command("enable")
@click.argument("name")
@pass_ctx
def user_enable(ctx: Context, name: str) -> None:
    """重新启用账号（管理员），并清除密码错误计数。"""
    from pingyi.people import accounts

    accounts.set_active(ctx.actor("admin"), name, True)
    click.echo(f"已启用账号：{name}")


@user_grp.command("passwd")
@click.argument("name", required=False)
@pass_ctx
def user_passwd(ctx: Context, name: str | None) -> None:
    """修改密码（自己的，或管理员修改他人的）；新密码取 PINGYI_NEW_PASSWORD 或提示输入。"""
    from pingyi.people import accounts

    actor = ctx.actor()
    name = name or actor.name
    accounts.set_password(actor, name, _new_password(f"账号 {name} 的新密码"))
    click.echo(f"已修改账号 {name} 的密码。")


@user_grp.command("list")
@pass_ctx
def user_list(ctx: Context) -> None:
    """列出账号。"""
    from pingyi.common.textfmt import table
    from pingyi.people import accounts

    ctx.actor("admin")
    rows = [[a.name, a.display_name, a.role_name, "启用" if a.active else "停用", a.failed_logins or ""]
            for a in accounts.list_accounts()]
    click.echo(table(["账号", "姓名", "角色", "状态", "密码错误"], rows, right={4}))


@click.group("roster")
def roster_grp() -> None:
    """人员名单。"""


@roster_grp.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="只显示将要发生的变化，不导入")
@pass_ctx
def roster_import(ctx: Context, file: str, dry_run: bool) -> None:
    """导入名单（.csv 或 .xlsx；列：编号、姓名、单位、职务、类别、分管领导），按编号新增或更新。

    名单中已有、文件中没有的人员保留不动；人员从不删除。已停用的人员即使出现在文件中，
    导入也只更新其信息，仍保持停用（不进入新会场），并列出这些编号；需要时用
    pingyi roster enable 编号 重新启用。
    """
    from pingyi.people import roster

    actor = ctx.actor("organizer")
    s = roster.preview(file) if dry_run else roster.import_roster(actor, file)
    verb = "将" if dry_run else "已"
    click.echo(f"{verb}新增 {s.added} 人，更新 {s.updated} 人，未变 {s.unchanged} 人，新单位 {s.new_units} 个。")
    note = s.inactive_note("用 pingyi roster enable 编号 重新启用")
    if note:
        click.echo(note)


@roster_grp.command("list")
@click.option("--search", default="", help="按编号、姓名、单位或职务筛选")
@click.option("--unit", help="只列此单位")
@click.option("--status", "status", type=click.Choice(["all", "active", "inactive"]), default="all",
              show_default=True, help="all 全部；active 只列启用的；inactive 只列停用的")
@format_option("table", "json")
@pass_ctx
def roster_list(ctx: Context, search: str, unit: str | None, status: str, fmt: str) -> None:
    """列出名单（含已停用的人员，状态一列标明）。"""
    from pingyi.common.textfmt import table
    from pingyi.people import roster

    ctx.actor("organizer")
    persons = roster.list_persons(search, unit, status=None if status == "all" else status)
    if fmt == "json":
        emit_json([{**p.__dict__, "status": p.status.value} for p in persons])
        return
    click.echo(table(["编号", "姓名", "单位", "职务", "类别", "分管领导", "状态"],
                     [[p.code, p.name, p.unit, p.post, p.category, p.supervisor, "" if p.active else p.status.label]
                      for p in persons]))
    stopped = sum(1 for p in persons if not p.active)
    click.echo(f"共 {len(persons)} 人" + (f"，其中停用 {stopped} 人" if stopped else ""))


def _status_change(ctx: Context, codes: tuple[str, ...], active: bool) -> None:
    from pingyi.people import roster

    change = roster.set_active(ctx.actor("organizer"), codes, active)
    verb = "启用" if active else "停用"
    if change.changed:
        click.echo(f"已{verb}：{roster.codes_of(change.changed)}")
    if change.already:
        click.echo(f"原已{verb}，未改动：{roster.codes_of(change.already)}")
    if change.drafts:
        click.echo(f"注意：草稿会场 {'、'.join(change.drafts)} 仍含停用的人员；开启前请在会场中调整人员"
                   "（或删除该草稿后重建）。")


@roster_grp.command("disable")
@click.argument("codes", metavar="编号...", nargs=-1, required=True)
@pass_ctx
def roster_disable(ctx: Context, codes: tuple[str, ...]) -> None:
    """停用人员（可给多个编号）：不再进入新建会场（全部人员、按单位、按类别），
    也不出现在选择人员处；已有会场、结果、台账和年终考核照旧保留。可随时重新启用。

    \b
    pingyi roster disable A03 A07
    """
    _status_change(ctx, codes, False)


@roster_grp.command("enable")
@click.argument("codes", metavar="编号...", nargs=-1, required=True)
@pass_ctx
def roster_enable(ctx: Context, codes: tuple[str, ...]) -> None:
    """重新启用已停用的人员（可给多个编号）：此后新建的会场可以再选到他们。"""
    _status_change(ctx, codes, True)


@click.group("scheme")
def scheme_grp() -> None:
    """测评方案。"""


@scheme_grp.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_ctx
def scheme_import(ctx: Context, file: str) -> None:
    """导入测评方案（TOML 文件），输出方案名称。

    \b
    文件格式见带中文注释的示例：
      pingyi scheme example > 我的方案.toml
    修改后导入即可；示例本身也可以直接导入。有错误时逐条指出字段，不导入。
    """
    from pingyi.voting import schemes

    actor = ctx.actor("organizer")
    click.echo(schemes.import_scheme(actor, file))


@scheme_grp.command("example")
@click.option("--out", "out", type=click.Path(dir_okay=False), metavar="FILE",
              help="写入文件（默认输出到屏幕）")
@click.option("--force", is_flag=True, help="文件已存在时覆盖")
def scheme_example(out: str | None, force: bool) -> None:
    """输出一个带中文注释的示例方案（TOML），可以直接导入。

    \b
    pingyi scheme example > 我的方案.toml
    pingyi scheme import 我的方案.toml
    """
    from pingyi.voting import schemes

    text = schemes.example_text()
    if out is None:
        click.echo(text, nl=False)
        return
    path = out_path(out, force=force)
    path.write_text(text, encoding="utf-8")
    click.echo(f"已写入：{path}", err=True)


@scheme_grp.command("list")
@pass_ctx
def scheme_list(ctx: Context) -> None:
    """列出测评方案。"""
    from pingyi.common.textfmt import table
    from pingyi.voting import schemes

    ctx.actor("organizer")
    rows = [[s.name, schemes.KINDS[s.kind], len(s.spec.indicators), len(s.spec.groups), s.spec_hash[:12]]
            for s in schemes.list_schemes()]
    click.echo(table(["方案", "类型", "指标数", "代表类别数", "内容摘要"], rows))


@scheme_grp.command("show")
@click.argument("name")
@pass_ctx
def scheme_show(ctx: Context, name: str) -> None:
    """显示方案的指标、等次、代表类别、权重和规则。"""
    from pingyi.voting import schemes
    from pingyi.voting.describe import describe_scheme

    ctx.actor("organizer")
    click.echo(describe_scheme(schemes.get(name).spec))


@click.group("room")
def room_grp() -> None:
    """测评会场：创建、开启、结束、票码。"""


@room_grp.command("create")
@click.option("--scheme", required=True, help="测评方案名称")
@click.option("--title", required=True, help="会场名称")
@click.option("--id", "room_id", help="会场编号（默认自动生成，如 R7K2Q）")
@click.option("--series", help="系列名称（用于连续倒数第一的判定）")
@click.option("--round", "round_", type=int, help="本会场在系列中的轮次")
@click.option("--persons", default="all", show_default=True,
              help="被测评人员：all、unit:单位名、category:类别、codes:编号,编号")
@click.option("--codes", "codes_", multiple=True, metavar="GROUP=COUNT",
              help="某代表类别的票码名额（投票终端和网页投票，一人一码），可重复")
@click.option("--paper", "paper", multiple=True, metavar="GROUP=COUNT",
              help="某代表类别发放的纸质选票张数，可重复；都不设则纸质选票不限数量（未设名额）")
@pass_ctx
def room_create(ctx: Context, scheme: str, title: str, room_id: str | None, series: str | None, round_: int | None,
                persons: str, codes_: tuple[str, ...], paper: tuple[str, ...]) -> None:
    """创建会场（草稿），最后一行输出会场编号。"""
    from pingyi.voting import rooms

    actor = ctx.actor("organizer")
    rid = rooms.create_room(actor, scheme, title, room_id, series, round_, persons,
                            rooms.parse_quota_args(codes_), rooms.parse_quota_args(paper, "--paper"))
    info = rooms.get_room(rid)
    click.echo(f"已创建会场「{info.title}」，被测评 {info.persons} 人。")
    click.echo(rid)


@room_grp.command("open")
@click.argument("room_id", metavar="ID")
@pass_ctx
def room_open(ctx: Context, room_id: str) -> None:
    """开启会场：冻结方案、人员和名额，开始投票。"""
    from pingyi.voting import rooms

    info = rooms.open_room(ctx.actor("organizer"), room_id)
    assert info.frozen_hash is not None  # opening froze the room
    click.echo(f"会场 {info.id} 已开启（冻结摘要 {info.frozen_hash[:12]}）。")


@room_grp.command("close")
@click.argument("room_id", metavar="ID")
@pass_ctx
def room_close(ctx: Context, room_id: str) -> None:
    """结束会场：计票并冻结结果，未用票码作废。"""
    from pingyi.voting import rooms, tally

    info = rooms.close_room(ctx.actor("organizer"), room_id)
    c = tally.get_tally(room_id).counts
    click.echo(f"会场 {info.id} 已结束：收回选票 {c.cast} 张，有效 {c.valid}，无效 {c.invalid}，空白 {c.blank}。")
    click.echo(f"计票摘要 {info.tally_hash}")


@room_grp.command("delete")
@click.argument("room_id", metavar="ID")
@click.option("--yes", "yes", is_flag=True, help="不再询问，直接删除（脚本中使用）")
@pass_ctx
def room_delete(ctx: Context, room_id: str, yes: bool) -> None:
    """删除从未开启的草稿会场（未发过票码、没有选票），例如建错了的会场。

    在终端中会先询问；没有终端（脚本）时须加 --yes。开启过、发过票码的会场不能删除。
    删除记入审计日志。
    """
    import sys

    from pingyi.voting import rooms

    actor = ctx.actor("organizer")
    info = rooms.check_deletable(room_id)      # refused before asking: only unused drafts
    if not yes:
        if not sys.stdin.isatty():
            raise InputError(f"删除会场 {room_id}「{info.title}」须确认：请加 --yes。")
        click.confirm(f"删除草稿会场 {room_id}「{info.title}」（被测评 {info.persons} 人）？删除后不能恢复",
                      default=False, abort=True, err=True)
    gone = rooms.delete_room(actor, room_id)
    click.echo(f"已删除草稿会场 {gone.id}「{gone.title}」。")


@room_grp.command("list")
@format_option("table", "json")
@pass_ctx
def room_list(ctx: Context, fmt: str) -> None:
    """列出会场。"""
    from pingyi.common.textfmt import table
    from pingyi.voting import rooms

    ctx.actor("organizer")
    items = rooms.list_rooms()
    if fmt == "json":
        emit_json([{"room": r.id, "title": r.title, "scheme": r.scheme, "status": r.status, "series": r.series,
                    "round": r.round, "persons": r.persons} for r in items])
        return
    click.echo(table(["编号", "会场", "方案", "状态", "系列", "轮次", "人数"],
                     [[r.id, r.title, r.scheme, r.status_name, r.series or "", r.round or "", r.persons]
                      for r in items]))


@room_grp.command("show")
@click.argument("room_id", metavar="ID")
@pass_ctx
def room_show(ctx: Context, room_id: str) -> None:
    """显示会场状态和各类别投票进度。"""
    from pingyi.common.textfmt import table
    from pingyi.voting import rooms
    from pingyi.voting.describe import NO_PLACES

    ctx.actor("organizer")
    info = rooms.get_room(room_id)
    t = rooms.turnout(room_id)
    codes = rooms.code_counts(room_id)
    click.echo(f"{info.id}  {info.title}  [{info.status_name}]  方案：{info.scheme}  被测评：{info.persons} 人")
    if info.series:
        click.echo(f"系列：{info.series} 第 {info.round} 轮")
    names = {g.key: g.name for g in info.spec.groups}
    rows: list[list[object]]
    if t.limited:
        rows = [[names[g], c.codes_issued, c.codes_returned, codes.get(g, {}).get("unused", 0),
                 c.paper_issued, c.paper_returned] for g, c in t.channels.items()]
        click.echo(table(["代表类别", "票码发出", "票码收回", "未用票码", "纸质发出", "纸质收回"], rows,
                         right={1, 2, 3, 4, 5}))
    else:
        rows = [[names[g], c.returned] for g, c in t.channels.items()]
        click.echo(f"{NO_PLACES}：纸质选票不限数量。")
        click.echo(table(["代表类别", "收回"], rows, right={1}))
    click.echo(f"合计收回 {t.cast} 张" + (f" / 发出 {t.places} 张" if t.limited else ""))
    if t.pending_paper:
        click.echo(f"待核对纸质选票：{t.pending_paper} 张")


@room_grp.command("codes")
@click.argument("room_id", metavar="ID")
@click.option("--pdf", "pdf", required=True, type=click.Path(dir_okay=False), help="票码条 PDF 文件")
@click.option("--url", help="印在票码条上（并印成二维码）的手机投票地址；"
              "默认为本机局域网地址上的 pingyi serve（端口 8000）")
@click.option("--no-url", is_flag=True, help="不印投票地址和二维码（只用投票终端或纸质选票时）")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
@pass_ctx
def room_codes(ctx: Context, room_id: str, pdf: str, url: str | None, no_url: bool, force: bool) -> None:
    """为未投票的名额发放新票码并输出票码条 PDF（此前未用的票码作废）。"""
    from pingyi.reports import slips
    from pingyi.voting import rooms
    from pingyi.web.addresses import default_vote_url

    actor = ctx.actor("organizer")
    path = out_path(pdf, force=force)
    info = rooms.get_room(room_id)
    issued = rooms.issue_codes(actor, room_id)
    if not issued:
        raise PingyiError("没有需要发放的票码：请先用 --codes 设置各类别名额。")
    if not url and not no_url:
        url = default_vote_url()
        if url is None:
            click.echo("没有找到本机的局域网地址，票码条上不印投票地址；连上会场 Wi-Fi 后重印，或用 --url 指定。",
                       err=True)
    slips.write_slips(path, info, issued, url=None if no_url else url)
    _font_notice()
    click.echo(f"已发放 {len(issued)} 个票码，票码条：{path}")
    if url and not no_url:
        click.echo(f"票码条上的投票地址：{url}（投票时请用 pingyi serve {room_id} --host 0.0.0.0 启动，地址须一致）")


def _font_notice() -> None:
    """Say once per process that PDFs use the non-embedded fallback font (DESIGN §10)."""
    from pingyi.reports.base import font_notice

    text = font_notice()
    if text:
        click.echo(text, err=True)


@click.group("ballots")
def ballots_grp() -> None:
    """选票录入。"""


@ballots_grp.command("import")
@click.argument("room_id", metavar="ID")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_ctx
def ballots_import(ctx: Context, room_id: str, file: str) -> None:
    """导入纸质选票 CSV（表头 ballot,group,person,指标…）；有任何错误则整个文件不导入。"""
    from pingyi.voting import ballots

    r = ballots.import_csv(ctx.actor("organizer"), room_id, file)
    click.echo(f"已导入选票 {r.cast} 张：有效 {r.valid}，无效 {r.invalid}，空白 {r.blank}。")


@click.command("tally")
@click.argument("room_id", metavar="ID")
@format_option("table", "json", "csv")
@click.option("--pdf", type=click.Path(dir_okay=False), help="同时输出结果表 PDF")
@click.option("--public", is_flag=True, help="PDF 用公布版（只含名次和姓名；只限已结束的会场）")
@click.option("--provisional", is_flag=True,
              help="进行中的会场：显示临时得分（仅会务人员，记入审计日志；PDF 带「临时结果」水印、无签字栏）")
@click.option("--headers", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="CSV 表头：zh 中文（倒数第一写 是/否）；en 英文键名（写 1/0，供脚本使用）")
@click.option("--force", is_flag=True, help="PDF 文件已存在时覆盖")
@pass_ctx
def tally_cmd(ctx: Context, room_id: str, fmt: str, pdf: str | None, public: bool, provisional: bool, headers: str,
              force: bool) -> None:
    """计票结果；进行中的会场只显示投票进度，除非加 --provisional。"""
    from pingyi.voting import rooms, tally
    from pingyi.voting.describe import tally_csv, tally_table, turnout_csv, turnout_json, turnout_table

    actor = ctx.actor("organizer")
    info = rooms.get_room(room_id)
    if info.status != RoomStatus.CLOSED and public:
        raise PingyiError(f"会场 {room_id} 尚未结束，不能生成公布版结果。")
    if info.status != RoomStatus.CLOSED and not provisional:
        if pdf:
            raise PingyiError(f"会场 {room_id} 尚未结束，没有结果表；确需临时结果表请加 --provisional。")
        t = rooms.turnout(room_id)
        if fmt == "json":
            emit_json(turnout_json(info.title, t))
        elif fmt == "csv":
            click.echo(turnout_csv(info.spec, t, headers), nl=False)
        else:
            click.echo(turnout_table(info.title, info.spec, t))
            click.echo(f"得分在会场结束后公布；会务人员确需查看临时得分：pingyi tally {room_id} --provisional",
                       err=True)
        return
    report = tally.provisional(actor, room_id) if info.status != RoomStatus.CLOSED else tally.get_tally(room_id)
    if pdf:
        from pingyi.reports import sheet
        from pingyi.voting import series

        path = out_path(pdf, force=force)
        streaks = series.streak_marks(report.series, report.round) if report.series else {}
        sheet.write_sheet(path, report, public=public, streaks=streaks, turnout=rooms.turnout(room_id))
        _font_notice()
        click.echo(f"结果表：{path}", err=fmt != "table")
    if fmt == "json":
        emit_json(report.to_json())
    elif fmt == "csv":
        click.echo(tally_csv(report, headers), nl=False)
    else:
        click.echo(tally_table(report))


@click.group("series")
def series_grp() -> None:
    """系列（多轮测评）与连续倒数第一。"""


@series_grp.command("show")
@click.argument("name")
@format_option("table", "json")
@pass_ctx
def series_show(ctx: Context, name: str, fmt: str) -> None:
    """显示系列各轮及每人的倒数第一记录和连续次数。"""
    from pingyi.common.textfmt import table
    from pingyi.voting import series

    ctx.actor("organizer")
    view = series.show(name)
    if fmt == "json":
        emit_json(view.to_json())
        return
    click.echo(f"系列：{name}  已结束轮次：" + ("、".join(f"第{r}轮({room})" for r, room in view.rounds) or "无"))
    rows = [[p.person, view.names.get(p.person, ("", ""))[0], view.names.get(p.person, ("", ""))[1],
             "、".join(map(str, p.bottoms)), p.streak] for p in view.persons if p.bottoms]
    click.echo(table(["编号", "姓名", "单位", "倒数第一轮次", "当前连续"], rows, right={4}))


@series_grp.command("list")
@pass_ctx
def series_list(ctx: Context) -> None:
    """列出系列。"""
    from pingyi.voting import series

    ctx.actor("organizer")
    for name in series.list_series():
        click.echo(name)


@click.group("audit")
def audit_grp() -> None:
    """审计日志。"""


def _parse_head(value: str) -> tuple[int, str]:
    """'SEQ:HASH' as printed by `audit head` (or the 16 characters a sheet carries)."""
    import re

    match = re.fullmatch(r"\s*(?:第)?(\d+)(?:条)?\s*[:： ]\s*([0-9a-fA-F]{16,64})\s*", value)
    if match is None:
        raise InputError(f"链头写法不对：{value}（应为 序号:哈希，如 42:3f9a0c…，哈希至少 16 位）")
    return int(match.group(1)), match.group(2).lower()


@audit_grp.command("verify")
@click.option("--head", "heads", multiple=True, metavar="SEQ:HASH",
              help="在库外留存的链头（结果表、通知书、年度导出上印的），可重复；链中须仍有此条且哈希相同。")
@pass_ctx
def audit_verify(ctx: Context, heads: tuple[str, ...]) -> None:
    """校验审计日志记录在案的一切：哈希链、已结束会场的结果和选票、名额、账号名单方案会场台账预警等数据。"""
    from pingyi.records import audit

    anchors = [_parse_head(h) for h in heads]
    ctx.actor("organizer")
    problems = audit.verify(anchors)
    if problems:
        raise PingyiError(f"审计校验发现 {len(problems)} 处问题：", problems)
    click.echo("审计日志完整：哈希链首尾相接，结果、选票和各项数据与审计记录一致。")
    click.echo(audit.head().words())


@audit_grp.command("head")
@pass_ctx
def audit_head(ctx: Context) -> None:
    """打印审计链的链头（最后一行为 序号 哈希），请在库外留存，日后用 audit verify --head 核对。"""
    from pingyi.records import audit

    ctx.actor("organizer")
    h = audit.head()
    click.echo(h.words())
    click.echo(f"{h.seq} {h.hash}")


@audit_grp.command("log")
@click.option("--limit", default=50, show_default=True, help="显示最近多少条")
@format_option()
@pass_ctx
def audit_log(ctx: Context, limit: int, fmt: str) -> None:
    """最近的审计记录，用中文写明操作和内容（--format json 给出原始记录，供脚本使用）。"""
    from pingyi.common.textfmt import table
    from pingyi.records import audit
    from pingyi.records.audit_words import action_name, local_time, summary

    ctx.actor("organizer")
    events = audit.events(limit)
    if fmt == "json":
        emit_json([{"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "detail": e.detail}
                   for e in events])
        return

    def cut(text: str, n: int = 60) -> str:
        return text if len(text) <= n else text[:n - 1].rstrip() + "…"

    rows = [[e.seq, local_time(e.at), e.actor, action_name(e.action),
             cut(summary(e.detail, names=e.names, action=e.action))] for e in events]
    click.echo(table(["序号", "时间", "账号", "操作", "内容"], rows))


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_ctx
def backup_cmd(ctx: Context, file: str) -> None:
    """在线备份 SQLite 数据库到文件（PostgreSQL 请用 pg_dump）。"""
    from pingyi.records.backup import backup_to

    path = backup_to(ctx.actor("admin"), file)
    click.echo(f"已备份到 {path}")


COMMANDS: list[click.Command] = [init_cmd, user_grp, roster_grp, scheme_grp, room_grp, ballots_grp, tally_cmd,
                                 series_grp, audit_grp, backup_cmd]
