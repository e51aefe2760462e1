"""The organizer's Textual app and the one factory the CLI, tests and
benchmarks share (``make_app``)."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pingyi.screens import nav
from pingyi.screens.login import LoginScreen, SignedIn
from pingyi.screens.work import Done, Failed, request, show_failure
from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from pingyi.common.vocab import Role

THEMES = ("textual-dark", "textual-light")


def db_label(url: str, width: int = 32) -> str:
    """Where the data lives, short enough for the header; never a password."""
    from urllib.parse import urlparse

    if "://" in url and not url.startswith("sqlite:///"):
        u = urlparse(url)
        host = u.hostname or "localhost"
        user = u.username + "@" if u.username else ""
        port = f":{u.port}" if u.port else ""
        return f"{u.scheme}://{user}{host}{port}{u.path}"
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
    return path if len(path) <= width else "…" + path[-(width - 1):]


if TYPE_CHECKING:
    from pingyi.people.accounts import Actor

Reopen = Callable[["Actor"], "Screen[Any] | None"]
"""A screen made afresh for the account signed in after a switch of account."""


class StoreOpened(Done[str]):
    """The database is open and up to date (the URL it was opened at)."""


class PingyiApp(App[None]):
    """Login, then the home dashboard; every other screen is reached from ``nav.NAV``."""

    CSS_PATH = "app.tcss"
    TITLE = "pingyi 评议"
    BINDINGS = [
        Binding("ctrl+p", "command_palette", "命令", priority=True, show=False),
        Binding("ctrl+t", "toggle_theme", "明暗", show=False),
        Binding("ctrl+q", "quit", "退出", priority=True),
        Binding("f1", "help", "帮助", show=False),
        Binding("question_mark", "help", "帮助", show=False),
        # priority: a clerk at the paper form is in a text field, whose own Ctrl+U would
        # only clear the line (check_action lets the login fields keep it)
        Binding("ctrl+u", "switch_user", "切换账号", show=False, priority=True),
        # priority: the focus moves when the App reads Tab, not when the field it was sent to gets
        # round to it, so keys after Tab in one burst (a paste, a fast typist) go to the next field
        Binding("tab", "app.focus_next", "下一项", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "上一项", show=False, priority=True),
    ]

    def __init__(self, db_url: str, *, user: str | None = None, password: str | None = None,
                 actor: Actor | None = None, theme: str = "textual-dark", start: str | None = None,
                 open_db: bool = False, demo_accounts: list[tuple[str, str, str]] | None = None,
                 demo_note: str = "") -> None:
        super().__init__()
        from pingyi.screens.widgets import chinese_select_keys

        chinese_select_keys()
        self._demo = (demo_accounts or [], demo_note)
        self.db_url = db_url
        # The database is opened (and upgraded) by a worker after the first
        # paint, never on the UI thread; services are called once it is open.
        self.store_ready = not open_db
        self.actor = actor
        self._login = (user, password)
        self._start = start
        # After a switch of account: the screens above home, bottom first, made again for the new one
        self._reopen: list[Reopen] = []
        self.theme = theme
        self.sub_title = f"数据库：{db_label(db_url)}"

    async def on_event(self, event: events.Event) -> None:
        # The login screen may move the focus as a key is read, before Textual routes the key
        # to the focused widget (LoginScreen.before_key); a handler on the widget would be too late.
        if isinstance(event, events.Key) and isinstance(self.screen, LoginScreen):
            self.screen.before_key(event)
        await super().on_event(event)

    def get_default_screen(self) -> Screen[Any]:
        return LoginScreen(self._login[0], ready=self.store_ready, demo=self._demo[0], demo_note=self._demo[1])

    def on_mount(self) -> None:
        if self.store_ready:
            self._store_open(self.db_url)
        else:
            self.call_after_refresh(self._open_store)

    def _open_store(self) -> None:
        from pingyi.common.store import open_store

        request(self, StoreOpened, open_store, self.db_url)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        """A failure no screen handled; the database failing to open ends the app."""
        if event.call is StoreOpened:
            from rich.text import Text

            # The database cannot be used: leave with the same line and code as the CLI.
            self.exit(return_code=4, message=Text(f"错误：{event.error}"))
        else:
            show_failure(self, event)

    @on(StoreOpened)
    def _store_opened(self) -> None:
        self._store_open(self.db_url)

    def _store_open(self, _url: str) -> None:
        self.store_ready = True
        login = self.screen_stack[0]
        if isinstance(login, LoginScreen):
            login.store_ready()
        user, password = self._login
        if self.actor is not None:
            self.signed_in(self.actor)
        elif user and password is not None:
            from pingyi.people.accounts import authenticate

            request(self, SignedIn, authenticate, user, password)

    @on(SignedIn)
    def _signed_in(self, event: SignedIn) -> None:
        """From the login screen, or from credentials given on the command line."""
        self.signed_in(event.result)

    def signed_in(self, actor: Actor) -> None:
        """After login: home on top of the login screen (the base), then ``start`` if given."""
        from pingyi.people.accounts import ROLE_NAMES

        self.actor = actor
        self.sub_title = f"{db_label(self.db_url)} · {actor.name}（{ROLE_NAMES[actor.role]}）"
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(nav.find("h").make(actor))
        reopen, self._reopen = self._reopen, []
        again = [make(actor) for make in reopen]
        screens = [s for s in again if s is not None]
        if screens and len(screens) == len(again):
            for screen in screens:   # the stack as it was before the switch (home → room → paper form)
                self.push_screen(screen)
            return
        start = self._start or ("w" if actor.role == Role.COMMISSION else None)   # 纪委 works at the desk
        if start and start != "h":
            self.go(start)

    def go(self, key: str) -> None:
        """Open a registered screen on top of home (home is always the base)."""
        item = nav.find(key)
        if self.actor is None or not self.actor.can(item.role):
            self.notify("当前账号无权打开此页面。", severity="warning")
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if key != "h":
            self.push_screen(item.make(self.actor))

    def action_go(self, key: str) -> None:
        self.go(key)

    @on(nav.Go)
    def _go(self, event: nav.Go) -> None:
        self.go(event.key)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every toast is literal: messages quote names, titles and file lines (DESIGN §11)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        """F1 / ?: the keys of the screen in front, in Chinese."""
        from pingyi.screens.help import HelpScreen, keys_of

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(*keys_of(self, self.screen)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_user":
            return self.actor is not None
        return True

    def action_switch_user(self) -> None:
        """Back to the login screen without restarting (a second clerk, the approver)."""
        if self.actor is None:
            return
        unsaved = [s for s in self.screen_stack if getattr(s, "unsaved", lambda: False)()]
        reopen = self._comeback()
        from pingyi.screens.dialogs import Confirm

        body = (f"当前账号：{self.actor.name}。切换后回到登录页，打开的页面将关闭"
                + ("；新账号登录后回到本页。" if reopen else "。")
                + ("\n\n有未保存的录入内容，切换后会丢失。" if unsaved else ""))
        self.push_screen(Confirm("切换账号", body, ok="切换账号", danger=bool(unsaved)),
                         lambda ok: self.sign_out(reopen) if ok else None)

    def _comeback(self) -> list[Reopen]:
        """What comes back after a switch of account, bottom first: nothing, unless the screen in
        front has ``reopen(actor)`` (paper entry); then also the screens between it and home, by
        their ``rebuild(actor)``, so that leaving it lands where it did (the room)."""
        reopen: Reopen | None = getattr(self.screen, "reopen", None)
        if reopen is None:
            return []
        below: list[Reopen | None] = [getattr(s, "rebuild", None) for s in self.screen_stack[2:-1]]
        return [*(make for make in below if make is not None), reopen]

    async def action_quit(self) -> None:
        """Ctrl+Q: ask first when a screen holds typed values that would be lost."""
        if not any(getattr(s, "unsaved", lambda: False)() for s in self.screen_stack):
            self.exit()
            return
        from pingyi.screens.dialogs import Confirm

        self.push_screen(Confirm("退出", "有未保存的录入，确定离开？", ok="退出", danger=True),
                         lambda ok: self.exit() if ok else None)

    def action_backup(self) -> None:
        """Admin: the same backup as ``pingyi backup FILE``."""
        import datetime as dt
        from pathlib import Path

        from pingyi.screens.dialogs import Ask

        from pingyi.records.backup import backup_to

        actor = self.actor
        if actor is None:
            return
        default = str(Path.cwd() / f"pingyi-备份-{dt.date.today():%Y%m%d}.db")
        self.push_screen(Ask("备份数据库", "备份到（新文件）：", default, ok="备份",
                             run=lambda path: backup_to(actor, path)),
                         lambda path: self.notify(f"已备份到 {path}") if path else None)

    def sign_out(self, reopen: Sequence[Reopen] = ()) -> None:
        name = self.actor.name if self.actor else ""
        self.actor = None
        self._start = None
        self._reopen = list(reopen)
        self.sub_title = f"数据库：{db_label(self.db_url)}"
        while len(self.screen_stack) > 1:
            self.pop_screen()
        login = self.screen_stack[0]
        if isinstance(login, LoginScreen):
            login.signed_out(name)

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder="输入命令或页面名称…", id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterator[SystemCommand]:
        if self.actor is not None:
            for item in nav.allowed(self.actor):
                yield SystemCommand(f"打开：{item.label}", item.help, lambda k=item.key: self.go(k))
            if self.actor.can("admin"):
                yield SystemCommand("备份数据库", "在线备份到一个新文件（不覆盖已有文件）", self.action_backup)
            yield SystemCommand("切换账号", "回到登录页，以另一个账号登录（Ctrl+U）", self.action_switch_user)
        yield SystemCommand("帮助：本页按键", "列出当前页面的按键（F1 或 ?）", self.action_help)
        yield SystemCommand("切换明暗主题", "在深色与浅色之间切换", self.action_toggle_theme)
        yield SystemCommand("退出", "退出 pingyi", self.action_quit)


def make_app(db_url: str, *, user: str | None = None, password: str | None = None, actor: Actor | None = None,
             theme: str = "textual-dark", start: str | None = None, open_db: bool = True,
             demo_accounts: list[tuple[str, str, str]] | None = None, demo_note: str = "") -> PingyiApp:
    """The app on ``db_url``. ``user``+``password`` sign in without the login
    screen; ``actor`` skips authentication (tests, benchmarks). With ``open_db``
    the app opens the database itself, in a worker after its first paint."""
    return PingyiApp(db_url, user=user, password=password, actor=actor, theme=theme, start=start,
                     open_db=open_db, demo_accounts=demo_accounts, demo_note=demo_note)
