"""What every command shares: the database URL, the account, output helpers."""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from pingyi.common.errors import AuthError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from pingyi.people.accounts import Actor

Decorated = TypeVar("Decorated", bound=Callable[..., object])   # what an option decorator hands back


class Context:
    def __init__(self, db_url: str | None, user: str | None) -> None:
        self._db_url = db_url
        self._user = user
        self._opened = False
        self._actor: Actor | None = None
        self._session: AbstractContextManager[None]

    @property
    def db_url(self) -> str:
        from pingyi.db.errors import default_url

        return self._db_url or default_url()

    def open(self) -> None:
        """Open (and upgrade) the database once per process."""
        if self._opened:
            return
        from pingyi.db.connection import open_database, session

        open_database(self.db_url)
        self._session = session()
        self._session.__enter__()
        self._opened = True

    def close(self) -> None:
        if self._opened:
            self._session.__exit__(None, None, None)
            from pingyi.db.connection import close_database

            close_database()
            self._opened = False

    def actor(self, role: str | None = None) -> Actor:
        """The authenticated account; ``role`` is the least role the command needs."""
        if self._actor is None:
            self.open()
            from pingyi.people import accounts

            if not accounts.has_users():
                raise AuthError(f"数据库 {self.db_url} 还没有账号：请先运行 pingyi init --admin 账号名。")
            name = self._user or os.environ.get("PINGYI_USER")
            if not name:
                raise AuthError("请用 --user 或环境变量 PINGYI_USER 指定操作账号。")
            password = os.environ.get("PINGYI_PASSWORD")
            if password is None:
                password = click.prompt(f"账号 {name} 的密码", hide_input=True, err=True)
            self._actor = accounts.authenticate(name, password)
        if role:
            from pingyi.people.accounts import require

            require(self._actor, role)
        return self._actor


pass_ctx = click.make_pass_decorator(Context)


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def format_option(*choices: str) -> Callable[[Decorated], Decorated]:
    choices = choices or ("table", "json")
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                        help="输出格式")


def out_path(path: str, force: bool = False) -> Path:
    """Where a command writes; an existing file is refused unless ``force``."""
    from pingyi.common.errors import InputError

    p = Path(path)
    if p.parent and not p.parent.exists():
        raise InputError(f"目录不存在：{p.parent}")
    if p.exists() and not force:
        raise InputError(f"文件已存在：{p}（加 --force 覆盖）")
    return p
