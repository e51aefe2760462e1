"""Browser voting (``pingyi serve``): the kiosk served with textual-serve.

textual-serve starts one kiosk process per browser connection. Those
processes must not ask for a password, so the organizer signs in once in the
parent, which writes a launch grant (room, account, hash of a random token)
into a private directory and hands the token to its children through the
environment; ``pingyi kiosk ID --served`` accepts only a live grant for its
room. The page is our own copy of textual-serve's template with nothing
fetched from the internet (its upstream page loads a Google web font), and
its URLs follow the address the browser used, so phones on the LAN work
whatever the bind address.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import shlex
import shutil
import socket
import sys
import tempfile
from pathlib import Path

from pingyi.common.errors import AuthError, PingyiError

ENV_GRANT = "PINGYI_SERVE_GRANT"
ENV_TOKEN = "PINGYI_SERVE_TOKEN"
ENV_CLIENT = "PINGYI_SERVE_CLIENT"  # the browser's address, for the wrong-code slow-down
TEMPLATES = Path(__file__).parent.parent / "data"
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_grant(directory: Path, room_id: str, actor_name: str) -> dict[str, str]:
    """Write the grant; returns the environment the kiosk children need."""
    import secrets

    token = secrets.token_urlsafe(32)
    path = directory / "grant.json"
    path.write_text(json.dumps({"room": room_id, "by": actor_name, "token": _digest(token)}))
    path.chmod(0o600)
    return {ENV_GRANT: str(path), ENV_TOKEN: token}


def check_grant(room_id: str) -> str:
    """The organizer who started the server, or AuthError for a process it did not start."""
    refused = AuthError("浏览器投票终端只能由正在运行的 pingyi serve 启动。")
    path, token = os.environ.get(ENV_GRANT), os.environ.get(ENV_TOKEN)
    if not path or not token:
        raise refused
    try:
        grant = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        raise refused from None
    if grant.get("room") != room_id or not hmac.compare_digest(grant.get("token", ""), _digest(token)):
        raise refused
    return grant["by"]


def client_throttle():
    """A served kiosk's wrong-code throttle, shared by every session from the same address."""
    from pingyi.voting.throttle import SharedThrottle

    grant, client = os.environ.get(ENV_GRANT), os.environ.get(ENV_CLIENT)
    if not grant or not client:
        return None
    return SharedThrottle(Path(grant).parent / f"throttle-{_digest(client)[:16]}.json")


def urls(host: str, port: int) -> list[str]:
    """Where browsers reach the server: the bind address, or every IPv4 address of this machine."""
    if host not in WILDCARD_HOSTS:
        shown = f"[{host}]" if ":" in host else host
        return [f"http://{shown}:{port}/"]
    found = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    lan = sorted(a for a in found if not a.startswith("127."))
    return [f"http://{a}:{port}/" for a in lan] + [f"http://127.0.0.1:{port}/"]


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host or "0.0.0.0", port))
        except OSError as exc:
            raise PingyiError(f"无法在 {host}:{port} 上提供服务（{exc.strerror or exc}）："
                              "端口可能已被占用，请换一个 --port。") from None


def kiosk_command(room_id: str) -> str:
    """The shell command textual-serve runs per connection (no secrets in it)."""
    return shlex.join([sys.executable, "-c", "from pingyi.cli import main; main()", "kiosk", room_id, "--served"])


class _WithCommand:
    """The server as seen by one connection: the same in all but the command."""

    def __init__(self, server, command: str):
        self._server = server
        self.command = command

    def __getattr__(self, name):
        return getattr(self._server, name)


def make_server(command: str, host: str, port: int, title: str):
    import aiohttp_jinja2
    from textual_serve.server import Server, to_int

    class KioskServer(Server):
        """textual-serve with our offline page and no English start-up banner."""

        def initialize_logging(self) -> None:
            import logging

            logging.basicConfig(level="DEBUG" if self.debug else "WARNING", format="%(message)s")

        async def on_startup(self, app) -> None:
            return None

        async def handle_index(self, request):
            ws = "wss" if request.secure else "ws"
            context = {
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": f"{ws}://{request.host}/ws",
                "config": {"static": {"url": "/static/"}},
                "application": {"name": self.title},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        async def handle_websocket(self, request):
            """Upstream's handler, with the browser's address handed to its kiosk process."""
            command = f"{ENV_CLIENT}={shlex.quote(request.remote or 'unknown')} {self.command}"
            return await Server.handle_websocket(_WithCommand(self, command), request)

    return KioskServer(command, host=host, port=port, title=title, templates_path=TEMPLATES)


def serve_kiosk(db_url: str, room, actor, host: str, port: int, echo=print) -> None:
    """Serve ``room`` until Ctrl+C; the children read the database URL and grant from the environment."""
    _check_port(host, port)
    private = Path(tempfile.mkdtemp(prefix="pingyi-serve-"))
    try:
        os.environ.update(create_grant(private, room.id, actor.name))
        os.environ["PINGYI_DB"] = db_url
        os.environ.pop("PINGYI_PASSWORD", None)  # children never need the organizer's password
        server = make_server(kiosk_command(room.id), host, port, f"评议投票 · {room.title}")
        echo(f"会场 {room.id}「{room.title}」的浏览器投票已启动（账号 {actor.name}）。")
        for url in urls(host, port):
            echo(f"投票地址：{url}")
        if host in ("127.0.0.1", "localhost", "::1"):
            echo("只有本机可以访问；要让会场局域网内的手机和电脑访问，请用 --host 0.0.0.0 或本机局域网 IP。")
        echo("按 Ctrl+C 停止。")
        server.serve()
        echo("浏览器投票已停止。")
    finally:
        shutil.rmtree(private, ignore_errors=True)
