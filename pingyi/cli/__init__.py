"""The ``pingyi`` command line (click). One shared context opens the database
and authenticates lazily; every error becomes one Chinese line and a non-zero
exit. Commands that start the TUI or write PDFs import those libraries
inside themselves, so plain commands start fast."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

import click

from pingyi.cli.context import Context, pass_ctx  # noqa: F401  (re-exported for command modules)

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class ChineseHelpFormatter(click.HelpFormatter):
    """Click's own words in help pages (usage line, headings, option notes) in Chinese."""

    HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}
    NOTES = (("default: ", "默认："), ("env var: ", "环境变量："), ("required", "必填"))

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[选项]").replace("COMMAND", "命令").replace("[ARGS]...", "[参数]...")
        super().write_usage(prog, args, "用法：")

    # click aligns by characters, not display width: placeholders stay ASCII so the columns line up
    METAVARS = {"INTEGER RANGE": "N", "INTEGER": "N", "FLOAT RANGE": "X", "FLOAT": "X", "FILENAME": "FILE"}

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{self.HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(self._term(term), self._notes(text)) for term, text in rows], col_max, col_spacing)

    def _term(self, term: str) -> str:
        for english, short in self.METAVARS.items():
            if term.endswith(" " + english):
                return term[: -len(english)] + short
        return term

    def _notes(self, text: str) -> str:
        """The ``[default: 2026; required]`` click appends to an option's help."""
        head, bracket, notes = text.rpartition("  [") if text.endswith("]") else (text, "", "")
        if not bracket and text.startswith("[") and text.endswith("]"):
            head, bracket, notes = "", "[", text[1:]
        if not bracket:
            return text
        for english, chinese in self.NOTES:
            notes = notes.replace(english, chinese)
        return f"{head}{'  [' if head else '['}{notes}"


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


class Group(click.Group):
    """Commands in the order they were added; every error one Chinese line.

    Handling errors in ``main`` (not only in the console script) makes the
    CLI behave the same under click's CliRunner in tests.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> NoReturn:
        """Always exits; ``standalone_mode`` is ignored (errors are handled here either way)."""
        try:
            _refuse_control_characters(args if args is not None else sys.argv[1:])
            super().main(args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                         **extra)
        except click.exceptions.Abort:
            click.echo("已取消。", err=True)
            sys.exit(1)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            click.echo(f"错误：{_usage_message(exc)}", err=True)
            path = exc.ctx.command_path if exc.ctx else "pingyi"
            click.echo(f"用 {path} --help 查看用法。", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"错误：{exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except (KeyboardInterrupt, Exception) as exc:  # refusals, and the last line of defence: no traceback
            from pingyi.launch import failure

            said = failure(exc)
            if said is None:  # PINGYI_DEBUG
                raise
            lines, code = said
            for line in lines:
                click.echo(line, err=True)
            sys.exit(code)
        sys.exit(0)


@click.group(cls=Group, context_settings=CONTEXT_SETTINGS, invoke_without_command=True)
@click.option("--db", "db_url", metavar="URL", help="数据库：文件路径、sqlite:///路径 或 postgresql://…"
              "（默认取 PINGYI_DB 或用户数据目录）")
@click.option("--user", "user", metavar="NAME", help="以哪个账号操作（默认取 PINGYI_USER）")
@click.version_option(package_name="pingyi", message="pingyi %(version)s", help="显示版本并退出")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, user: str | None) -> None:
    """pingyi 评议：双定双评、廉洁指数与预警管理。

    不带子命令运行时打开终端界面。
    """
    ctx.obj = Context(db_url, user)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from pingyi.cli.app import run_ui

        run_ui(ctx.obj)


def _register() -> None:
    from pingyi.cli import app, desk, engine, exports, kiosk

    for module in (engine, desk, exports, app, kiosk):
        for command in module.COMMANDS:
            cli.add_command(command)
    _chinese_help(cli)


def _chinese_help(command: click.Command) -> None:
    """Click's own help option says "Show this message and exit."; give every
    command a Chinese one, built once as click itself caches it."""
    option = click.Option(["-h", "--help"], is_flag=True, expose_value=False, is_eager=True,
                          help="显示本帮助并退出", callback=_show_help)
    if hasattr(command, "_help_option"):
        command._help_option = option
    command.context_class = ChineseContext
    for sub in getattr(command, "commands", {}).values():
        _chinese_help(sub)


def _show_help(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


_register()


def _usage_message(exc: click.UsageError) -> str:
    """Click's usage errors in Chinese (the common ones; others keep click's text)."""
    if isinstance(exc, click.MissingParameter):
        hint = exc.param.get_error_hint(exc.ctx) if exc.param is not None and exc.ctx else ""
        return f"缺少参数 {hint}".strip()
    if isinstance(exc, click.NoSuchOption):
        return f"没有这个选项：{exc.option_name}"
    if isinstance(exc, click.BadParameter):
        hint = exc.param.get_error_hint(exc.ctx) if exc.param is not None and exc.ctx else ""
        return f"参数 {hint} 的值不对：{exc.message}"
    if isinstance(exc, click.BadOptionUsage) and "requires" in exc.message:
        return f"选项 {exc.option_name} 后面缺少值"
    if isinstance(exc, click.BadOptionUsage) and "does not take a value" in exc.message:
        return f"选项 {exc.option_name} 不带值"
    if exc.message.startswith("No such command"):
        return f"没有这个命令：{exc.message.split(' ', 3)[-1].strip('.')}"
    if exc.message.startswith("Got unexpected extra argument"):
        return f"多余的参数：{exc.message.partition('(')[2].rstrip(')')}"
    if exc.message == "Missing command.":
        return "缺少命令"
    return exc.format_message()


def _refuse_control_characters(args: Sequence[str]) -> None:
    """NUL and control characters in an argument are refused before anything runs, naming the option."""
    from pingyi.common.errors import InputError
    from pingyi.common.limits import shown
    from pingyi.launch import control_char

    for i, arg in enumerate(args):
        bad = control_char(arg)
        if bad is not None:
            after_option = i and args[i - 1].startswith("--") and "=" not in args[i - 1]
            option = args[i - 1] if after_option else f"第 {i + 1} 个参数"
            what = "空字符（NUL）" if bad == "\x00" else f"控制字符 U+{ord(bad):04X}"
            raise InputError(f"{option}「{shown(arg)}」含{what}，不允许。")


def main(argv: list[str] | None = None) -> None:
    """The click CLI (the console script, ``pingyi.launch.main``, starts the app itself when that is all)."""
    cli.main(args=argv, prog_name="pingyi")
