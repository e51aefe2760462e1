"""Year-end export commands."""
from __future__ import annotations

import click

from pingyi.cli.context import Context, out_path, pass_ctx


@click.group("export")
def export_grp() -> None:
    """导出（年终考核）。"""


@export_grp.command("year")
@click.argument("year", type=click.IntRange(1900, 9999))
@click.option("--xlsx", "xlsx", required=True, type=click.Path(dir_okay=False), help="年终考核工作簿 .xlsx")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False), help="同时输出汇总 PDF")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), help="同时输出 CSV 文件到此目录（供其他系统导入）")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
@pass_ctx
def export_year(ctx: Context, year: int, xlsx: str, pdf: str | None, csv_dir: str | None, force: bool) -> None:
    """导出某年度年终考核：每人一行（各会场得分名次、倒数第一、廉洁指数、扣分、预警、整改、谈话、评优和追责），单位汇总和规则说明。"""
    from pingyi.reports.year_export import export_year as run

    actor = ctx.actor("commission")
    r = run(actor, year, xlsx=out_path(xlsx, force=force), pdf=out_path(pdf, force=force) if pdf else None,
            csv_dir=csv_dir)
    click.echo(f"{year} 年度：会场 {r.rooms} 个，人员 {r.persons} 人，单位 {r.units} 个。")
    if not r.rooms:
        click.echo(f"注意：{year} 年没有已结束的测评会场，各会场列为空。", err=True)
    click.echo(f"工作簿：{r.xlsx}")
    if r.pdf:
        from pingyi.cli.engine import _font_notice

        click.echo(f"汇总 PDF：{r.pdf}（{r.pdf_pages} 页）")
        _font_notice()
    if r.csv:
        click.echo("CSV：" + "、".join(str(f) for f in r.csv))
    if r.missing:
        click.echo("注意：未包含 " + "、".join(r.missing) + "（相应列留空）。", err=True)


COMMANDS: list[click.Command] = [export_grp]
