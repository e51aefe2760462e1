"""Evaluator commands: the kiosk terminal and the browser ballot server."""
from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pingyi.cli.context import Context, pass_ctx
from pingyi.common.vocab import RoomStatus

if TYPE_CHECKING:
    from pingyi.voting.rooms import RoomInfo


def _open_room(room_id: str) -> RoomInfo:
    from pingyi.common.errors import PingyiError
    from pingyi.voting.rooms import get_room

    room = get_room(room_id)
    if room.status != RoomStatus.OPEN:
        hint = (f"请先运行 pingyi room open {room_id}。" if room.status == RoomStatus.DRAFT
                else "已结束的会场不能再投票。")
        raise PingyiError(f"会场 {room_id} {room.status_name}，不能投票。{hint}")
    return room


@click.command("kiosk")
@click.argument("room_id", metavar="ID")
@pass_ctx
def kiosk(ctx: Context, room_id: str) -> None:
    """评议代表投票终端：输入票码 → 评分 → 核对 → 提交，界面锁定。

    启动需要会务人员账号（--user 或 PINGYI_USER，密码取 PINGYI_PASSWORD 或提示输入）；
    评议代表投票不需要登录。会务人员按 Ctrl+O 并输入账号密码可退出终端。
    """
    ctx.actor("organizer")
    _open_room(room_id)
    from pingyi.screens.kiosk.app import KioskApp

    KioskApp(room_id).run()


@click.command("serve")
@click.argument("room_id", metavar="ID")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；让会场局域网内的手机和电脑访问请用 0.0.0.0")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--show-results", is_flag=True, help="会场结束后在大屏上公布测评排名")
@click.option("--url", metavar="URL", help="打印并在大屏二维码上显示的投票地址（默认为本机局域网地址）")
@click.option("--max-per-address", default=20, show_default=True, type=click.IntRange(1, 10_000),
              help="同一网络地址同时进行中的选票上限；手机经路由器转换地址（NAT）后才连到本机时调大")
@pass_ctx
def serve(ctx: Context, room_id: str, host: str, port: int, show_results: bool, url: str | None,
          max_per_address: int) -> None:
    """手机/浏览器投票和大屏页面：在会场局域网上提供投票网页（无需互联网）。

    启动需要会务人员账号。评议代表用手机或电脑浏览器打开打印出的地址，输入票码投票；
    投影仪打开 /screen 显示各类代表的投票进度。默认只允许本机访问，会场 Wi-Fi 请加 --host 0.0.0.0。
    """
    from pingyi.voting.rooms import get_room
    from pingyi.web.serve import serve as run

    ctx.actor("organizer")
    run(get_room(room_id), host, port, show_results=show_results, url=url, per_address=max_per_address,
        echo=click.echo)


COMMANDS: list[click.Command] = [kiosk, serve]
