"""The 公文 page of GB/T 9704-2012 shared by the notices and the talk record: A4 with the 版心
156 × 225 mm (top 37 mm, left 28 mm), 3号 (16 pt) body on a 28-point line pitch, red 发文机关标志,
发文字号 above the red rule, a 小标宋-like title (the Song face drawn with a hairline stroke), the
版记 (抄送, 印发机关 and 印发日期) at the foot of the last page and page numbers as 「— 1 —」.
reportlab is imported inside the functions only."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

MM = 72 / 25.4
TOP = 37 * MM
BOTTOM = 35 * MM
LEFT = 28 * MM
RIGHT = 26 * MM
WIDTH = 156 * MM
BODY_PT = 16          # 3号
PITCH = 28.9          # 22 lines in the 225 mm 版心
TITLE_PT = 22         # 2号
NOTE_PT = 14          # 4号 (版记, page numbers)
RED = (0.80, 0.0, 0.0)
BLANK_DATE = "年" + "\u00a0" * 7 + "月" + "\u00a0" * 7 + "日"  # no-break spaces: a paragraph keeps them


def cn_date(day: str | dt.date | None) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros (2026年8月5日)."""
    if day is None or day == "":
        return BLANK_DATE
    d = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class Fonts:
    body: str        # 仿宋 when found
    title: str       # the report (Song/Hei) face, drawn bold
    embedded: bool


def fonts() -> Fonts:
    from pingyi.reports import base
    from pingyi.reports import fonts as f

    st = base.styles()
    return Fonts(f.official().name, st.font, st.embedded)


def styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    fc = fonts()
    body = ParagraphStyle("gw-body", fontName=fc.body, fontSize=BODY_PT, leading=PITCH, wordWrap="CJK",
                          firstLineIndent=2 * BODY_PT, alignment=TA_JUSTIFY)
    return {
        "body": body,
        "flush": ParagraphStyle("gw-flush", parent=body, firstLineIndent=0, alignment=TA_LEFT),
        "number": ParagraphStyle("gw-number", parent=body, firstLineIndent=0, alignment=TA_CENTER),
        "center": ParagraphStyle("gw-center", parent=body, firstLineIndent=0, alignment=TA_CENTER),
        "right": ParagraphStyle("gw-right", parent=body, firstLineIndent=0, alignment=TA_RIGHT),
        "cell": ParagraphStyle("gw-cell", parent=body, fontSize=14, leading=22, firstLineIndent=0,
                               alignment=TA_LEFT),
        "record": ParagraphStyle("gw-record", parent=body, fontSize=14, leading=24, firstLineIndent=28),
        "cell_blank": ParagraphStyle("gw-cell-blank", parent=body, fontSize=14, leading=22, firstLineIndent=0,
                                     leftIndent=4 * 14, alignment=TA_LEFT),
        "cell_right": ParagraphStyle("gw-cell-r", parent=body, fontSize=14, leading=22, firstLineIndent=0,
                                     alignment=TA_RIGHT),
        "cell_center": ParagraphStyle("gw-cell-c", parent=body, fontSize=14, leading=22, firstLineIndent=0,
                                      alignment=TA_CENTER),
        "small": ParagraphStyle("gw-small", parent=body, fontSize=12, leading=18, firstLineIndent=0,
                                alignment=TA_LEFT),
    }


class _Lazy:
    """Build the flowable classes on first use (reportlab stays out of module import)."""
    classes: ClassVar[dict[str, type]] = {}


def _classes() -> dict[str, type]:
    if _Lazy.classes:
        return _Lazy.classes
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    class BoldLines(Flowable):  # type: ignore[misc]  # reportlab is untyped
        """Centred lines in a Song face drawn fill+stroke: the 小标宋 look without a 小标宋 font."""

        def __init__(self, lines: Sequence[str], font: str, size: float, leading: float,
                     color: tuple[float, float, float] = (0, 0, 0), stroke: float = 0.45,
                     space_before: float = 0, space_after: float = 0, spacing: float = 0) -> None:
            super().__init__()
            self.lines, self.font, self.size, self.leading = list(lines), font, size, leading
            self.color, self.stroke, self.spacing = color, stroke, spacing
            self.spaceBefore, self.spaceAfter = space_before, space_after

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.width = aw
            return aw, self.leading * len(self.lines)

        def draw(self) -> None:
            c = self.canv
            c.saveState()
            c.setFillColorRGB(*self.color)
            c.setStrokeColorRGB(*self.color)
            c.setLineWidth(self.stroke)
            for i, line in enumerate(self.lines):
                w = stringWidth(line, self.font, self.size) + self.spacing * max(0, len(line) - 1)
                t = c.beginText()
                t.setTextRenderMode(2 if self.stroke else 0)
                t.setFont(self.font, self.size)
                t.setCharSpace(self.spacing)
                y = self.leading * (len(self.lines) - i) - self.size * 0.95 - (self.leading - self.size) / 2
                t.setTextOrigin((self.width - w) / 2, y)
                t.textOut(line)
                c.drawText(t)
            c.restoreState()

    class Rule(Flowable):  # type: ignore[misc]
        """A full-width rule (the red 版头 rule, the 版记 rules)."""

        def __init__(self, thickness: float, color: tuple[float, float, float], space_before: float = 0,
                     space_after: float = 0) -> None:
            super().__init__()
            self.thickness, self.color = thickness, color
            self.spaceBefore, self.spaceAfter = space_before, space_after

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.width = aw
            return aw, self.thickness

        def draw(self) -> None:
            c = self.canv
            c.saveState()
            c.setFillColorRGB(*self.color)
            c.rect(0, 0, self.width, self.thickness, stroke=0, fill=1)
            c.restoreState()

    class AtFoot(Flowable):  # type: ignore[misc]
        """The 版记: drawn at the foot of the page it lands on (it takes the rest of the frame)."""

        def __init__(self, rows: Sequence[tuple[str, str]], font: str, size: float = NOTE_PT) -> None:
            super().__init__()
            self.rows, self.font, self.size = list(rows), font, size
            self.row_h = size * 1.9
            self.need = self.row_h * len(self.rows) + 2

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.width = aw
            self.avail = ah
            return aw, max(self.need, ah - 1)

        def draw(self) -> None:
            c = self.canv
            c.saveState()
            c.setFillColorRGB(0, 0, 0)
            c.setStrokeColorRGB(0, 0, 0)
            n = len(self.rows)
            for i, (left, right) in enumerate(self.rows):
                y_top = self.row_h * (n - i)
                c.setLineWidth(0.35 * MM if i == 0 else 0.25 * MM)
                c.line(0, y_top, self.width, y_top)
                c.setFont(self.font, self.size)
                base_y = y_top - self.row_h + (self.row_h - self.size) / 2 + self.size * 0.18
                c.drawString(self.size, base_y, left)
                if right:
                    c.drawRightString(self.width - self.size, base_y, right)
            c.setLineWidth(0.35 * MM)
            c.line(0, 0, self.width, 0)
            c.restoreState()

    _Lazy.classes = {"BoldLines": BoldLines, "Rule": Rule, "AtFoot": AtFoot}
    return _Lazy.classes


def organ_mark(organ: str) -> Any:
    """发文机关标志: red, centred, as large as the 版心 allows (at most 2初号-like 36 pt)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from pingyi.reports import base

    fc = fonts()
    text = base.esc(organ).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    size = 36.0
    spacing = 0.0
    while size > 16 and stringWidth(text, fc.title, size) > WIDTH - 8 * MM:
        size -= 1
    if len(text) <= 10:
        spacing = min(8.0, (WIDTH - 8 * MM - stringWidth(text, fc.title, size)) / max(1, len(text) - 1) / 2)
    return _classes()["BoldLines"]([text], fc.title, size, size * 1.35, color=RED, stroke=0.8, spacing=spacing)


def title(text: str, space_before: float = PITCH, space_after: float = PITCH * 0.5) -> Any:
    """The 2号小标宋-like title, wrapped by the line-breaking rules, centred."""
    from pingyi.reports import base

    fc = fonts()
    lines = base.wrap(base.esc(text).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"),
                      fc.title, TITLE_PT, WIDTH - 4 * TITLE_PT)
    return _classes()["BoldLines"](lines, fc.title, TITLE_PT, TITLE_PT * 1.55, space_before=space_before,
                                   space_after=space_after)


def red_rule() -> Any:
    """The 版头 separator: red, full 版心 width, 4 mm under the 发文字号."""
    return _classes()["Rule"](0.9 * MM, RED, space_before=4 * MM, space_after=0)


def imprint(cc: str, printed_by: str, printed_on: str) -> Any:
    """The 版记 (抄送; 印发机关 … 印发日期印发), drawn at the foot of the last page."""
    from pingyi.reports import fonts as f

    fc = fonts()
    rows = []
    if cc.strip():
        rows.append((f.printable(f"抄送：{' '.join(cc.split()).rstrip('。')}。"), ""))
    rows.append((f.printable(printed_by), f"{printed_on}印发"))
    return _classes()["AtFoot"](rows, fc.body)


def build(path: Any, story: list[Any], *, title: str, audit_words: str = "", subject: str = "") -> int:
    """Lay out a 公文: GB/T 9704 margins, page numbers 「— N —」 (odd right, even left), the audit head
    in small grey at the foot; no running header and no software name. Returns the page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from pingyi.reports import base

    base.setup()
    fc = fonts()
    w, _h = A4

    def draw(canvas: Any, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(fc.title, NOTE_PT)
        label = f"— {number} —"
        y = BOTTOM - 7 * MM - NOTE_PT
        if number % 2:
            canvas.drawRightString(w - RIGHT - NOTE_PT, y, label)
        else:
            canvas.drawString(LEFT + NOTE_PT, y, label)
        if audit_words and number == total:
            canvas.setFont(fc.title, 7)
            canvas.setFillGray(0.45)
            canvas.drawString(LEFT, 10 * MM, audit_words)
        canvas.restoreState()

    pages: list[int] = []
    doc = BaseDocTemplate(str(path), pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
                          bottomMargin=BOTTOM, title=title, author="", subject=subject, creator="")
    # The frame is the 版心 itself: reportlab's default 6 pt padding made it 151.8 × 220.8 mm, so a page
    # held 21 lines of 26 characters instead of 22 lines, and the ruled tables stood out past the text.
    frame = Frame(LEFT, BOTTOM, WIDTH, 225 * MM, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                  id="banxin")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=base._numbered_canvas(draw, pages))
    return pages[0] if pages else 0
