"""`pingyi serve`: the browser kiosk starts on 127.0.0.1, serves a page that
loads nothing from the internet, and opens a kiosk per connection without
asking for a password."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from tests.conftest import PASSWORD
from tests.test_kiosk import make_room
from tests.ui_support import ui_admin  # noqa: F401


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(ui_admin, sqlite_db, tmp_path):
    make_room(ui_admin, tmp_path)
    port = _free_port()
    env = {**os.environ, "PINGYI_USER": "admin", "PINGYI_PASSWORD": PASSWORD}
    env.pop("PINGYI_DB", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from pingyi.cli import main; main()", "--db", sqlite_db, "serve", "K1",
         "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(x.startswith("投票地址") for x in lines) and proc.poll() is None:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):  # the URL is printed just before the socket listens
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield url, lines, proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_serve_page_is_offline_and_kiosk_starts(server):
    url, lines, proc = server
    assert f"投票地址：{url}" in "".join(lines), (lines, proc.stderr and proc.poll())
    html = urllib.request.urlopen(url, timeout=10).read().decode()
    assert "评议投票 · 会场K1" in html
    assert re.findall(r"https?://", html) == []  # nothing fetched from the internet, not even a font
    assert "fonts.googleapis" not in html
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html) + re.findall(r'url\("(/static/[^"]+)"\)', html):
        with urllib.request.urlopen(url.rstrip("/") + asset, timeout=10) as r:
            assert r.status == 200, asset
    assert 'data-session-websocket-url="ws://127.0.0.1:' in html

    import asyncio

    import aiohttp

    async def first_screen() -> bytes:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(url + "ws?width=80&height=24") as ws:
                buf = b""
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline and "票码".encode() not in buf:
                    try:
                        msg = await ws.receive(timeout=1)
                    except TimeoutError:
                        continue
                    if msg.type != aiohttp.WSMsgType.BINARY:
                        break
                    buf += msg.data
                return buf

    # One kiosk per connection, started by the server without any password prompt.
    assert "票码".encode() in asyncio.run(first_screen())
    assert proc.poll() is None


def test_serve_refuses_a_busy_port(ui_admin, sqlite_db, tmp_path, monkeypatch, capsys):
    from pingyi.cli import main

    make_room(ui_admin, tmp_path)
    monkeypatch.setenv("PINGYI_PASSWORD", PASSWORD)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(SystemExit) as exc:
            main(["--db", sqlite_db, "--user", "admin", "serve", "K1", "--port", str(port)])
    assert exc.value.code != 0
    assert "端口可能已被占用" in capsys.readouterr().err


def test_grant_checks_room_and_token(tmp_path, monkeypatch):
    from pingyi.common.errors import AuthError
    from pingyi.web import serve

    env = serve.create_grant(tmp_path, "K1", "admin")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert serve.check_grant("K1") == "admin"
    with pytest.raises(AuthError):
        serve.check_grant("K2")
    monkeypatch.setenv(serve.ENV_TOKEN, "forged")
    with pytest.raises(AuthError):
        serve.check_grant("K1")
    assert oct((tmp_path / "grant.json").stat().st_mode & 0o777) == "0o600"


def test_urls_for_wildcard_hosts():
    from pingyi.web.serve import urls

    assert urls("127.0.0.1", 8000) == ["http://127.0.0.1:8000/"]
    assert urls("0.0.0.0", 9000)[-1] == "http://127.0.0.1:9000/"


def test_served_sessions_from_one_address_share_the_throttle(tmp_path, monkeypatch):
    from pingyi.web import serve

    for k, v in serve.create_grant(tmp_path, "K1", "admin").items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv(serve.ENV_CLIENT, "192.168.1.23")
    first = serve.client_throttle()
    for _ in range(3):
        first.refused()
    assert first.remaining() > 1
    again = serve.client_throttle()  # a reloaded page: a new kiosk process, same address
    assert again.failures == 3 and again.remaining() > 1
    monkeypatch.setenv(serve.ENV_CLIENT, "192.168.1.24")
    assert serve.client_throttle().remaining() == 0
    again.accepted()
    monkeypatch.setenv(serve.ENV_CLIENT, "192.168.1.23")
    assert serve.client_throttle().failures == 0
