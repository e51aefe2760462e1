"""Year-end export commands."""
from __future__ import annotations

import click

from pingyi.cli.context import out_path, pass_ctx


@click.group("export")
def export_grp():
    """导出（年终考核）。"""


@export_grp.command("year")
@click.argument("year", type=click.IntRange(1900, 9999))
@click.option("--xlsx", "xlsx", required=True, type=click.Path(dir_okay=False), help="年终考核工作簿 .xlsx")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False), help="同时输出汇总 PDF")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), help="同时输出 CSV 文件到此目录（供其他系统导入）")
@pass_ctx
def export_year(ctx, year, xlsx, pdf, csv_dir):
    """导出某年度年终考核：每人一行（各会场得分名次、倒数第一、廉洁指数、扣分、预警、整改、谈话、评优和追责），单位汇总和规则说明。"""
    from pingyi import yearend
    from pingyi.reports import yearbook

    actor = ctx.actor("commission")
    xlsx_path = out_path(xlsx)
    pdf_path = out_path(pdf) if pdf else None
    data = yearend.gather(actor, year)
    yearbook.write_xlsx(xlsx_path, data)
    click.echo(f"{year} 年度：会场 {len(data.rooms)} 个，人员 {len(data.persons)} 人，单位 {len(data.units)} 个。")
    click.echo(f"工作簿：{xlsx_path}")
    if pdf_path:
        from pingyi.reports import base, year_pdf

        pages = year_pdf.write_year_pdf(pdf_path, data)
        click.echo(f"汇总 PDF：{pdf_path}（{pages} 页）")
        notice = base.font_notice()
        if notice:
            click.echo(notice, err=True)
    if csv_dir:
        files = yearbook.write_csv(csv_dir, data)
        click.echo("CSV：" + "、".join(str(f) for f in files))
    if data.missing:
        click.echo("注意：未包含 " + "、".join(data.missing) + "（相应列留空）。", err=True)


COMMANDS: list = [export_grp]
