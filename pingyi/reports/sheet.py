"""Result sheet PDF — placeholder until the reports work lands."""
from __future__ import annotations


def write_sheet(path, report, public: bool = False, streaks: dict | None = None) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 14)
    y = 800
    c.drawString(50, y, f"{report.title} 测评结果")
    c.setFont("STSong-Light", 10)
    for r in report.results:
        y -= 16
        if y < 50:
            c.showPage()
            c.setFont("STSong-Light", 10)
            y = 800
        c.drawString(50, y, f"{r.rank or '-'}  {r.name}  {r.unit}  {'' if r.score is None else f'{r.score:.2f}'}")
    c.save()
