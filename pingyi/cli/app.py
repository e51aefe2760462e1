"""Commands that start the Textual app (imported lazily: plain commands stay fast)."""
from __future__ import annotations

import sys

import click

from pingyi.cli.context import Context, pass_ctx


def run_ui(ctx: Context, start: str | None = None) -> None:
    """The organizer app on the context's database; login unless the account is given."""
    from pingyi.launch import run_ui as start_app

    code = start_app(ctx._db_url, ctx._user, start)
    if code:  # the database could not be opened (the app says why)
        sys.exit(code)


@click.command("ui")
@pass_ctx
def ui(ctx: Context) -> None:
    """打开终端界面（与不带子命令运行 pingyi 相同）。"""
    run_ui(ctx)


@click.command("demo")
@click.option("--path", "path", metavar="DIR", help="演示数据库放在哪个目录"
              "（默认新建临时目录；目录中已有的演示数据库会重建）")
@click.option("--no-ui", is_flag=True, help="只生成演示数据库，不打开界面")
@click.option("--seed", type=int, default=2026, show_default=True, help="随机种子（同一种子生成同样的数据）")
@pass_ctx
def demo(ctx: Context, path: str | None, no_ui: bool, seed: int) -> None:
    """生成一个演示数据库（某县 10 个单位、120 名科股长、两轮已结束的双定双评和一个进行中的会场），然后打开界面。"""
    from pingyi import demo as demo_data
    from pingyi.people.accounts import ROLE_NAMES

    result = demo_data.build(path, seed=seed)
    click.echo(f"演示数据库：{result.db_path}")
    sample = result.codes[0][1] if result.codes else "无"
    room = f"进行中的会场：{result.open_room}（未用票码 {len(result.codes)} 张，示例票码：{sample}）"
    if no_ui:
        click.echo("演示账号（账号 / 密码 / 角色）：")
        for name, password, role in result.accounts:
            click.echo(f"  {name} / {password} / {ROLE_NAMES[role]}")
        click.echo(room)
        return
    from pingyi.screens.app import make_app

    # The login screen lists the demo accounts and what each may do (not printed behind the TUI).
    make_app(result.db_path, demo_accounts=result.accounts, demo_note=room).run()
    click.echo(f"演示数据库：{result.db_path}（再次打开：pingyi --db {result.db_path}）")


COMMANDS: list[click.Command] = [ui, demo]
