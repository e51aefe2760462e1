"""Code slips PDF (DESIGN §6, §10): a grid of cut-out slips per A4 page, each
with the room title, the evaluator group, the ballot code, short
instructions and, when the browser voting URL is known, its QR code.

Drawn straight on the canvas (no platypus): the page count is known up
front and 300 slips must take well under two seconds. The QR code is the
same on every slip, so it is drawn once as a form and reused."""
from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pingyi.reports.base import (  # shared text fitting; base imports no reportlab at module level
    fit,
    wrap,
)
from pingyi.reports.fonts import printable

if TYPE_CHECKING:
    from pingyi.voting.rooms import RoomInfo

COLUMNS, ROWS = 2, 5
INSTRUCTIONS = ("在评议终端或手机浏览器输入上方票码，逐人评分后提交。"
                "票码只能使用一次，请勿示人；提交后不能修改。")
_QR_FORM = "pingyiQR"


def _qr_form(canvas: Any, url: str, size: float) -> None:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    canvas.beginForm(_QR_FORM)
    renderPDF.draw(d, canvas, 0, 0)
    canvas.endForm()


def write_slips(path: str | os.PathLike[str], room: RoomInfo, issued: Sequence[tuple[str, str]],
                url: str | None = None) -> int:
    """Write slips for ``issued`` (group key, code) pairs of ``room`` (RoomInfo); returns pages."""
    from reportlab.pdfgen.canvas import Canvas

    from pingyi.reports import base
    from pingyi.voting.codes import display

    st = base.styles()
    font = st.font
    mm = base.MM
    w, h = base.page_size()
    margin_x, top, bottom = 10 * mm, 18 * mm, 16 * mm
    sw, sh = (w - 2 * margin_x) / COLUMNS, (h - top - bottom) / ROWS
    per_page = COLUMNS * ROWS
    total = max(1, -(-len(issued) // per_page))
    names = {g.key: g.name for g in room.spec.groups}
    qr = 25 * mm if url else 0

    c = Canvas(str(path), pagesize=(w, h))
    c.setTitle(f"{room.title} 票码条")
    c.setAuthor("pingyi")
    c.setCreator("pingyi 评议")
    if url:
        _qr_form(c, url, qr)
    instr = wrap(INSTRUCTIONS, font, 7.5, sw - 10 * mm - (qr + 3 * mm if url else 0))

    def page_frame(number: int) -> None:
        head, size = fit(printable(f"{room.title}（{room.id}）票码条　沿虚线剪开，每人一张"), font, 9, w - 2 * margin_x)
        c.setFont(font, size)
        c.drawString(margin_x, h - 11 * mm, head)
        c.setFont(font, 8.5)
        c.drawString(margin_x, 8 * mm, "pingyi 评议　票码只显示这一次，遗失须重新发放")
        c.drawRightString(w - margin_x, 8 * mm, f"第 {number} 页 共 {total} 页")
        c.setDash(4, 3)
        c.setLineWidth(0.5)
        c.setStrokeGray(0.45)
        for i in range(COLUMNS + 1):
            x = margin_x + i * sw
            c.line(x, bottom, x, h - top)
        for j in range(ROWS + 1):
            y = bottom + j * sh
            c.line(margin_x, y, w - margin_x, y)
        c.setDash()

    for i, (group, code) in enumerate(issued):
        slot = i % per_page
        if slot == 0:
            if i:
                c.showPage()
            page_frame(i // per_page + 1)
        col, row = slot % COLUMNS, slot // COLUMNS
        x = margin_x + col * sw + 5 * mm
        y = h - top - row * sh  # top edge of this slip
        text_w = sw - 10 * mm - (qr + 3 * mm if url else 0)
        title, size = fit(printable(room.title), font, 11, text_w)
        c.setFont(font, size)
        c.drawString(x, y - 9 * mm, title)
        c.setFont(font, 9)
        c.drawString(x, y - 15 * mm, f"代表类别：{names.get(group, group)}")
        c.drawString(x, y - 22 * mm, "票码：")
        c.setFont("Courier-Bold", 17)
        c.drawString(x + 10 * mm, y - 22.5 * mm, display(code))
        c.setFont(font, 7.5)
        for k, line in enumerate(instr):
            c.drawString(x, y - 29 * mm - k * 3.6 * mm, line)
        if url:
            link, size = fit(f"投票网址：{url}", font, 7.5, text_w, smallest=5.5)
            c.setFont(font, size)
            c.drawString(x, y - 29 * mm - len(instr) * 3.6 * mm, link)
        c.setFont(font, 6.5)
        c.drawRightString(margin_x + (col + 1) * sw - 4 * mm, y - sh + 3 * mm, f"No. {i + 1:03d}")
        if url:
            qx = margin_x + (col + 1) * sw - 4 * mm - qr
            c.saveState()
            c.translate(qx, y - 5 * mm - qr)
            c.doForm(_QR_FORM)
            c.restoreState()
            c.setFont(font, 6.5)
            c.drawCentredString(qx + qr / 2, y - 8 * mm - qr, "扫码打开投票页")
    if not issued:
        page_frame(1)
    c.showPage()
    c.save()
    return total
