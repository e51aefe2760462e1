"""Code slips PDF — placeholder until the reports work lands."""
from __future__ import annotations


def write_slips(path, room, issued, url=None) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from pingyi.codes import display

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    names = {g.key: g.name for g in room.spec.groups}
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for group, code in issued:
        if y < 60:
            c.showPage()
            y = 800
        c.setFont("STSong-Light", 11)
        c.drawString(50, y, f"{room.title}  {names.get(group, group)}  票码：{display(code)}")
        y -= 24
    c.save()
