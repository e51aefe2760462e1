"""Commands of the warnings desk: proposals, warnings, ledger, integrity (DESIGN §7, §8)."""
from __future__ import annotations

import click

from pingyi.cli.context import emit_json, format_option, pass_ctx


@click.group("warnings")
def warnings_grp():
    """预警：建议、起草、审批、通知书、整改。"""


@warnings_grp.command("proposals")
@click.option("--all", "show_all", is_flag=True, help="包括已处理的建议")
@format_option("table", "json")
@pass_ctx
def warnings_proposals(ctx, show_all, fmt):
    """列出待处理的预警建议。"""
    from pingyi import proposals
    from pingyi.series import LEVEL_NAMES
    from pingyi.textfmt import table

    ctx.actor("organizer")
    items = proposals.list_proposals(None if show_all else "pending")
    if fmt == "json":
        emit_json([p.to_json() for p in items])
        return
    click.echo(table(["编号", "来源", "等级", "对象", "送达", "事由"],
                     [[p.id, p.source, LEVEL_NAMES[p.level], p.target, p.recipient, p.reason] for p in items]))


COMMANDS = [warnings_grp]
