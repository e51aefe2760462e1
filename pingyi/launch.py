"""The ``pingyi`` console script. A command line that only starts the organizer
app (``pingyi``, ``pingyi --db URL``, ``pingyi --user NAME``, each option at
most once, ``--opt=VALUE`` too, optionally followed by ``ui``) starts it here
without importing click: click and the registration of every command cost
16-30 ms before the first paint (docs/performance.md). Any other command line —
another word or option, ``--help``, a repeated option, a value that starts with
``-`` or holds a control character — goes to the click CLI (``pingyi.cli.main``)
untouched, so its options, errors and help stay click's.

``run_ui`` is the one way both paths start the app (``make_app`` the one factory).
"""
from __future__ import annotations

import os
import sys
from typing import NamedTuple

# The click group's options that also apply to the app (tests/test_launch.py checks they are the group's).
UI_OPTIONS = ("--db", "--user")


class UiArgs(NamedTuple):
    db_url: str | None
    user: str | None


def ui_args(argv: list[str]) -> UiArgs | None:
    """What to start the app with, or None when the click CLI should handle ``argv``."""
    if any(control_char(arg) is not None for arg in argv):
        return None  # the CLI refuses it, naming the option
    args = argv[:-1] if argv[-1:] == ["ui"] else argv
    values: dict[str, str] = {}
    i = 0
    while i < len(args):
        name, eq, value = args[i].partition("=")
        if name not in UI_OPTIONS or name in values:
            return None
        if not eq:
            if i + 1 == len(args):
                return None
            i += 1
            value = args[i]
        if value.startswith("-"):
            return None
        values[name] = value
        i += 1
    return UiArgs(values.get("--db"), values.get("--user"))


def control_char(arg: str) -> str | None:
    """The first NUL or control character in an argument (the CLI refuses it, naming the option)."""
    return next((c for c in arg if (ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F), None)


def run_ui(db_url: str | None, user: str | None, start: str | None = None) -> int:
    """The organizer app on ``db_url`` (default: ``PINGYI_DB`` or the user data
    directory); signed in when the account (``--user`` or ``PINGYI_USER``) and
    ``PINGYI_PASSWORD`` are given, else the login screen. Returns the exit code."""
    from pingyi.db.errors import default_url
    from pingyi.screens.app import make_app

    user = user or os.environ.get("PINGYI_USER")
    password = os.environ.get("PINGYI_PASSWORD") if user else None
    app = make_app(db_url or default_url(), user=user, password=password, start=start)
    app.run()
    return app.return_code or 0  # 4: the database could not be opened (the app said why)


def failure(exc: BaseException) -> tuple[list[str], int] | None:
    """The lines and exit code for an error that is not click's (shared with the
    click CLI); None under ``PINGYI_DEBUG`` for an unexpected one (re-raise it)."""
    from pingyi.common.errors import PingyiError, as_refusal
    from pingyi.db.errors import DatabaseError

    if isinstance(exc, PingyiError):
        flags = "、".join("--" + f.replace("_", "-") for f in exc.fields)
        lines = [f"错误：{exc.message}" + (f"（{flags}）" if flags else "")]
        lines += [f"  {line}" for line in exc.errors[:200]]
        if len(exc.errors) > 200:
            lines.append(f"  ……另有 {len(exc.errors) - 200} 处错误未列出")
        return lines, exc.exit_code
    if isinstance(exc, DatabaseError):
        return [f"错误：{exc}"], 4
    if isinstance(exc, KeyboardInterrupt):
        return ["已中断。"], 130
    if os.environ.get("PINGYI_DEBUG"):
        return None
    refusal = as_refusal(exc)
    if refusal is not None:
        return [f"错误：{refusal.message}"], refusal.exit_code
    return [f"错误：意外故障（{exc.__class__.__name__}: {exc}）。设置 PINGYI_DEBUG=1 可查看详情。"], 70


def main(argv: list[str] | None = None) -> None:
    """Console entry point: the app without click, or the click CLI."""
    request = ui_args(sys.argv[1:] if argv is None else argv)
    if request is None:
        from pingyi.cli import main as cli_main

        cli_main(argv)
        return
    try:
        code = run_ui(*request)
    except (KeyboardInterrupt, Exception) as exc:
        said = failure(exc)
        if said is None:
            raise
        lines, code = said
        print("\n".join(lines), file=sys.stderr, flush=True)
    sys.exit(code)
