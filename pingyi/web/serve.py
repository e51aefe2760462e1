"""``pingyi serve``: the browser ballot and the projector page on the meeting LAN.

One asynchronous process (aiohttp) serves every phone and PC; it listens on
127.0.0.1 unless told otherwise, so nothing is exposed by accident, and it
says where to point browsers once the socket is bound.
"""
from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any

from pingyi.common.errors import PingyiError
from pingyi.common.vocab import RoomStatus
from pingyi.web.addresses import LOCAL_HOSTS, WILDCARD_HOSTS, serve_urls


def check_port(host: str, port: int) -> None:
    """Refuse a busy port with a Chinese line before anything starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host or "0.0.0.0", port))
        except OSError as exc:
            raise PingyiError(f"无法在 {host}:{port} 上提供服务（{exc.strerror or exc}）："
                              "端口可能已被占用，请换一个 --port。") from None


def announce(room: Any, host: str, port: int, url: str | None, echo: Callable[[str], None]) -> list[str]:
    """The lines printed once the server listens; returns the addresses printed."""
    urls = serve_urls(host, port)
    if url:
        urls = [url, *[u for u in urls if u != url]]
    echo(f"会场 {room.id}「{room.title}」的手机/浏览器投票已启动（{room.status_name}）。")
    for u in urls:
        echo(f"投票地址：{u}")
    echo(f"大屏（投影）页面：{urls[0]}screen" if urls[0].endswith("/") else f"大屏（投影）页面：{urls[0]}/screen")
    if host in LOCAL_HOSTS:
        echo("只有本机可以访问；要让会场局域网内的手机和电脑访问，请加 --host 0.0.0.0。")
    elif host in WILDCARD_HOSTS and len(urls) == 1:
        echo("没有找到本机的局域网地址：请确认已连上会场 Wi-Fi，或用 --url 指定手机可访问的地址。")
    if room.status != RoomStatus.OPEN:
        later = "尚未开启，开启后才能投票。" if room.status == RoomStatus.DRAFT else "已结束，页面只显示结果统计。"
        echo("注意：会场" + later)
    echo("按 Ctrl+C 停止。")
    return urls


def serve(room: Any, host: str, port: int, *, show_results: bool = False, url: str | None = None,
          per_address: int = 20, echo: Callable[[str], None] = print) -> None:
    """Serve ``room`` until Ctrl+C; the database is already open in this process."""
    from aiohttp import web

    from pingyi.web.app import Config, create_app

    check_port(host, port)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    public = url or serve_urls(host, port)[0]
    app = create_app(Config(room.id, show_results=show_results, public_url=public, per_address=per_address))
    def listening(*_: object) -> None:
        announce(room, host, port, url, echo)

    web.run_app(app, host=host or None, port=port, print=listening,
                access_log=None, shutdown_timeout=5, handle_signals=True)
    echo("浏览器投票已停止。")
