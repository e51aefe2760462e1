"""Evaluator terminal commands: the kiosk and the browser kiosk."""
from __future__ import annotations

import click

from pingyi.cli.context import pass_ctx


def _open_room(room_id: str):
    from pingyi.common.errors import PingyiError
    from pingyi.voting.rooms import get_room

    room = get_room(room_id)
    if room.status != "open":
        hint = f"请先运行 pingyi room open {room_id}。" if room.status == "draft" else "已结束的会场不能再投票。"
        raise PingyiError(f"会场 {room_id} {room.status_name}，不能投票。{hint}")
    return room


@click.command("kiosk")
@click.argument("room_id", metavar="ID")
@click.option("--served", is_flag=True, hidden=True, help="由 pingyi serve 为每个浏览器连接启动")
@pass_ctx
def kiosk(ctx, room_id: str, served: bool) -> None:
    """评议代表投票终端：输入票码 → 评分 → 核对 → 提交，界面锁定。

    启动需要会务人员账号（--user 或 PINGYI_USER，密码取 PINGYI_PASSWORD 或提示输入）；
    评议代表投票不需要登录。会务人员按 Ctrl+O 并输入账号密码可退出终端。
    """
    throttle = None
    if served:
        from pingyi.web.serve import check_grant, client_throttle

        ctx.open()
        check_grant(room_id)
        throttle = client_throttle()
    else:
        ctx.actor("organizer")
    _open_room(room_id)
    from pingyi.screens.kiosk.app import KioskApp

    KioskApp(room_id, served=served, throttle=throttle).run()


@click.command("serve")
@click.argument("room_id", metavar="ID")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；让会场局域网内的手机和电脑访问请用 0.0.0.0 或本机局域网 IP")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口")
@pass_ctx
def serve(ctx, room_id: str, host: str, port: int) -> None:
    """在浏览器中投票：把投票终端发布到会场局域网（textual-serve，无需互联网）。

    启动需要会务人员账号；每个浏览器连接各自运行一个锁定的投票终端。
    """
    actor = ctx.actor("organizer")
    room = _open_room(room_id)
    from pingyi.web.serve import serve_kiosk

    serve_kiosk(ctx.db_url, room, actor, host, port, echo=click.echo)


COMMANDS: list = [kiosk, serve]
