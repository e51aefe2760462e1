"""Commands that start the Textual app (imported lazily: plain commands stay fast)."""
from __future__ import annotations

import click


def run_ui(ctx) -> None:
    raise click.ClickException("终端界面尚未实现。")


COMMANDS: list = []
