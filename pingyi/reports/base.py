"""Report foundations shared by every PDF pingyi writes: one stylesheet, A4
page templates with header, footer and "第 N 页 共 M 页", table and signature
helpers, and deterministic output (``rl_config.invariant``) so tests can
compare files.

How a report module (e.g. ``notice.py``) uses it — reportlab is imported
only inside the writing function, never at module import::

    def write_notice(path, notice) -> None:
        from reportlab.platypus import Paragraph, Spacer
        from pingyi.reports import base

        st = base.styles()                       # registers the font (DESIGN §10)
        story = [Paragraph(base.esc(notice.title), st.title),
                 Paragraph(base.esc(notice.body), st.body),
                 base.signature_row(["谈话人", "被谈话人", "记录人"])]
        base.build(path, story, title=notice.title,
                   header=None,                  # None: no running header (公文 first page)
                   audit_words=head.words())      # page numbers are always drawn

- ``st.font`` is the registered font name; use ``st.*`` styles rather than
  new ParagraphStyles so every document looks alike (add one here if needed).
- Escape user text with :func:`esc` before putting it into a Paragraph.
- :func:`data_table` gives the house table (header row repeated on every
  page); :func:`signature_row` the signature lines.
- ``pingyi.reports.fonts.warn_once()`` returns the STSong fallback notice
  the first time it applies; the CLI/TUI prints it (see :func:`font_notice`).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from pingyi.common.linebreak import kinsoku_breaks
from pingyi.reports import fonts

if TYPE_CHECKING:
    # reportlab has no stubs: these names are Any to mypy and say what a value is.
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable, Paragraph, Table

MM = 72 / 25.4
MARGIN_X = 18 * MM
MARGIN_TOP = 22 * MM
MARGIN_BOTTOM = 18 * MM
HEAD_BG = (0.90, 0.92, 0.95)
ZEBRA_BG = (0.97, 0.97, 0.97)
MARK_BG = (1.0, 0.90, 0.88)
GRID = (0.55, 0.55, 0.55)


def esc(text: object) -> str:
    """User text made safe for a Paragraph (and printable in the fallback font)."""
    return escape(fonts.printable("" if text is None else str(text)))


def _kinsoku_split(frags: Sequence[Any], max_widths: Sequence[float], calc_bounds: bool) -> Any:
    """reportlab's CJK splitter with :func:`kinsoku_breaks` deciding where lines end."""
    from reportlab.lib.utils import isBytes
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    glyphs: list[Any] = []   # reportlab's cjkU: a str with the frag and width attached
    for f in frags:
        text = f.text
        if isBytes(text):
            text = text.decode("utf8")
        if text:
            glyphs.extend(cjkU(t, f, "utf8") for t in text)
        else:
            glyphs.append(cjkU(text, f, "utf8"))
    hard = [hasattr(u.frag, "lineBreak") for u in glyphs]
    widths = [0.0 if h else float(u.width) for u, h in zip(glyphs, hard, strict=True)]
    starts = kinsoku_breaks([str(u) or " " for u in glyphs], widths, list(max_widths), hard)
    lines = []
    for li, a in enumerate(starts):
        b = starts[li + 1] if li + 1 < len(starts) else len(glyphs)
        mw = max_widths[min(li, len(max_widths) - 1)]
        used = sum(widths[a:b])
        line_break = bool(hard[b - 1]) if b > a else False
        lines.append(makeCJKParaLine(glyphs[a:b], mw, used, mw - used, line_break, calc_bounds))
    return ParaLines(kind=1, lines=lines)


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph (markup allowed: escape user text with :func:`esc`) that breaks Chinese lines by the
    rules of :func:`kinsoku_breaks`."""
    global _paragraph_class
    if _paragraph_class is None:
        from reportlab.platypus import Paragraph

        class KinsokuParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
            def breakLinesCJK(self, maxWidths: float | list[float] | tuple[float, ...]) -> Any:  # reportlab's names
                if not isinstance(maxWidths, (list, tuple)):
                    maxWidths = [maxWidths]
                if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
                    return self.blPara
                self.height = 0
                if not self.frags or self.bulletText:
                    return super().breakLinesCJK(maxWidths)
                auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
                return _kinsoku_split(self.frags, maxWidths, auto not in ("", "off"))

        _paragraph_class = KinsokuParagraph
    return _paragraph_class(text, style)


_paragraph_class: type | None = None


@dataclass(frozen=True)
class Styles:
    font: str
    embedded: bool
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    heading_free: ParagraphStyle   # a heading that may end a page (before a long table that splits)
    body: ParagraphStyle
    small: ParagraphStyle
    lead: ParagraphStyle        # like small, kept on the page of what follows (a table's intro line)
    note: ParagraphStyle
    mono: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    head_cell: ParagraphStyle


_styles: Styles | None = None


def setup() -> fonts.FontChoice:
    """Deterministic output and the report font; call before building any document."""
    from reportlab import rl_config

    rl_config.invariant = 1
    return fonts.choose()


def styles() -> Styles:
    """The one stylesheet (built once per font choice)."""
    global _styles
    choice = setup()
    if _styles is not None and _styles.font == choice.name:
        return _styles
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    f = choice.name
    base = ParagraphStyle("pingyi-body", fontName=f, fontSize=10.5, leading=15, wordWrap="CJK",
                          alignment=TA_LEFT)
    cell = ParagraphStyle("pingyi-cell", parent=base, fontSize=9, leading=11.5)
    _styles = Styles(
        font=f,
        embedded=choice.embedded,
        title=ParagraphStyle("pingyi-title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER,
                             spaceAfter=4),
        subtitle=ParagraphStyle("pingyi-subtitle", parent=base, fontSize=11, leading=16, alignment=TA_CENTER,
                                spaceAfter=8),
        heading=ParagraphStyle("pingyi-heading", parent=base, fontSize=12.5, leading=18, spaceBefore=8,
                               spaceAfter=4, keepWithNext=1),
        heading_free=ParagraphStyle("pingyi-heading-free", parent=base, fontSize=12.5, leading=18, spaceBefore=8,
                                    spaceAfter=4),
        body=base,
        small=ParagraphStyle("pingyi-small", parent=base, fontSize=9, leading=13),
        lead=ParagraphStyle("pingyi-lead", parent=base, fontSize=9, leading=13, keepWithNext=1),
        note=ParagraphStyle("pingyi-note", parent=base, fontSize=8, leading=11, textColor=(0.3, 0.3, 0.3)),
        mono=ParagraphStyle("pingyi-mono", parent=base, fontName="Courier", fontSize=7.5, leading=10,
                            wordWrap=None),
        cell=cell,
        cell_center=ParagraphStyle("pingyi-cell-c", parent=cell, alignment=TA_CENTER),
        cell_right=ParagraphStyle("pingyi-cell-r", parent=cell, alignment=TA_RIGHT),
        head_cell=ParagraphStyle("pingyi-head", parent=cell, alignment=TA_CENTER),
    )
    return _styles


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break Chinese text so each line fits ``width``, by the line-breaking rules of :func:`kinsoku_breaks`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if not text:
        return []
    chars = list(text)
    starts = kinsoku_breaks(chars, [stringWidth(c, font, size) for c in chars], [width])
    return ["".join(chars[a:b]) for a, b in zip(starts, [*starts[1:], len(chars)], strict=True)]


def fit(text: str, font: str, size: float, width: float, smallest: float = 7) -> tuple[str, float]:
    """Shrink (then shorten with …) a one-line text to ``width``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    if stringWidth(text, font, size) > width:
        while text and stringWidth(text + "…", font, size) > width:
            text = text[:-1]
        text += "…"
    return text, size


def font_notice() -> str | None:
    """The STSong fallback notice, once per process (None otherwise): CLI/TUI print it."""
    setup()
    return fonts.warn_once()


def page_size(landscape: bool = False) -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turn

    size: tuple[float, float] = turn(A4) if landscape else A4
    return size


def content_width(landscape: bool = False) -> float:
    return page_size(landscape)[0] - 2 * MARGIN_X


def _numbered_canvas(draw: Callable[[Any, int, int], None], pages: list[int]) -> type:
    """A canvas that holds pages back until the end so each can say "共 M 页"."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            pages.append(total)
            for state in self._held:
                self.__dict__.update(state)
                draw(self, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def build(path: str | os.PathLike[str], story: list[Flowable], *, title: str, header: str | None = "",
          header_right: str = "", footer: str = "", landscape: bool = False, subject: str = "",
          audit_words: str = "", watermark: str = "") -> int:
    """Lay ``story`` out on A4 pages with the house header and footer; returns the page count.

    ``header=""`` uses ``title`` as running header; ``header=None`` draws none. No software name is
    printed anywhere; ``audit_words`` (the audit head when the document was made) goes in the footer.
    ``watermark`` is drawn large and light across every page (e.g. 「临时结果」).
    """
    from reportlab.platypus import SimpleDocTemplate

    st = styles()
    size = page_size(landscape)
    head = title if header == "" else header

    def draw(canvas: Any, number: int, total: int) -> None:
        w, h = size
        canvas.saveState()
        canvas.setStrokeGray(0.5)
        canvas.setLineWidth(0.5)
        if head:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            room = w - 2 * MARGIN_X - (stringWidth(header_right, st.font, 9) + 6 * MM if header_right else 0)
            text, points = fit(fonts.printable(head), st.font, 9, room, smallest=6)
            canvas.setFont(st.font, points)
            canvas.drawString(MARGIN_X, h - 14 * MM, text)
            if header_right:
                canvas.setFont(st.font, 9)
                canvas.drawRightString(w - MARGIN_X, h - 14 * MM, fonts.printable(header_right))
            canvas.line(MARGIN_X, h - 15.5 * MM, w - MARGIN_X, h - 15.5 * MM)
        canvas.line(MARGIN_X, 12.5 * MM, w - MARGIN_X, 12.5 * MM)
        canvas.setFont(st.font, 8.5)
        left = "　".join(x for x in (footer, audit_words) if x)
        if left:
            canvas.drawString(MARGIN_X, 8.5 * MM, fonts.printable(left))
        canvas.drawRightString(w - MARGIN_X, 8.5 * MM, f"第 {number} 页 共 {total} 页")
        if watermark:
            canvas.setFillColorRGB(0.8, 0.1, 0.1, alpha=0.16)
            canvas.translate(w / 2, h / 2)
            canvas.rotate(35)
            canvas.setFont(st.font, min(w, h) / (len(watermark) + 1))
            canvas.drawCentredString(0, 0, watermark)
        canvas.restoreState()

    pages: list[int] = []
    doc = SimpleDocTemplate(
        str(path), pagesize=size, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=title, author="", subject=subject, creator="",
    )
    doc.build(story, canvasmaker=_numbered_canvas(draw, pages))
    return pages[0] if pages else 0


def cell(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A wrapping table cell (Chinese line-breaking rules)."""
    return paragraph(esc(text), style or styles().cell)


def data_table(header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[float], *,
               right: Iterable[int] = (), center: Iterable[int] = (), wrap: Iterable[int] = (),
               marked: Iterable[int] = (), font_size: float = 9, zebra: bool = True) -> Table:
    """The house table: header row repeated on every page, numbers right-aligned.

    Columns in ``wrap`` become Paragraphs (long Chinese text wraps instead of
    overflowing); the others stay plain strings, which is much faster for
    long tables. ``marked`` are row indexes (0 = first data row) to shade.
    """
    from reportlab.platypus import Table, TableStyle

    st = styles()
    wrap = set(wrap)
    right, center = set(right), set(center)
    head_style = st.head_cell
    if font_size != head_style.fontSize:
        from reportlab.lib.styles import ParagraphStyle

        head_style = ParagraphStyle(f"pingyi-head-{font_size}", parent=st.head_cell, fontSize=font_size,
                                    leading=font_size + 2.5)
    data = [[cell(h, head_style) for h in header]]
    for row in rows:
        out = []
        for i, v in enumerate(row):
            if i in wrap:
                out.append(cell(v, st.cell_right if i in right else st.cell_center if i in center else st.cell))
            else:
                out.append("" if v is None else v if not isinstance(v, (int, float)) else str(v))
        data.append(out)
    t = Table(data, colWidths=list(widths), repeatRows=1)
    cmds = [
        ("FONT", (0, 0), (-1, -1), st.font, font_size),
        ("LEADING", (0, 0), (-1, -1), font_size + 2.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i in right:
        cmds.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    for i in center:
        cmds.append(("ALIGN", (i, 1), (i, -1), "CENTER"))
    n = len(data) - 1
    if zebra:
        cmds += [("BACKGROUND", (0, r), (-1, r), ZEBRA_BG) for r in range(2, n + 1, 2)]
    cmds += [("BACKGROUND", (0, r + 1), (-1, r + 1), MARK_BG) for r in marked]
    t.setStyle(TableStyle(cmds))
    return t


def fit_widths(headers: Sequence[str], shares: Sequence[float], total: float, font_size: float = 9,
               padding: float = 7) -> list[float]:
    """Column widths from ``shares`` of ``total``, widened so that no header of four characters or fewer
    wraps (「不得评优」 stays on one line); the widening is taken from columns with room to spare."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = styles().font
    widths = [s * total for s in shares]
    need = [stringWidth(h, font, font_size) + padding if len(h) <= 4 else 0.0 for h in headers]
    short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    if short <= 0:
        return widths
    spare = [max(0.0, w - max(n, 3 * font_size)) for n, w in zip(need, widths, strict=True)]
    room = sum(spare)
    scale = min(1.0, short / room) if room else 0.0
    return [max(n, w - sp * scale) for n, w, sp in zip(need, widths, spare, strict=True)]


def kv_table(pairs: Sequence[tuple[str, str]], widths: Sequence[float], columns: int = 2) -> Table:
    """Label/value pairs laid out ``columns`` pairs per line, no grid."""
    from reportlab.platypus import Table, TableStyle

    st = styles()
    rows, line = [], []
    for k, v in pairs:
        line += [cell(k, st.small), cell(v, st.small)]
        if len(line) == 2 * columns:
            rows.append(line)
            line = []
    if line:
        rows.append(line + [""] * (2 * columns - len(line)))
    t = Table(rows, colWidths=list(widths))
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                           ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return t


def signature_row(labels: Sequence[str], width: float | None = None, date_line: bool = True) -> Flowable:
    """Signature lines ("计票人：______") side by side, kept together on one page."""
    from reportlab.platypus import KeepTogether, Spacer

    return KeepTogether([Spacer(1, 6 * MM), signature_table(labels, width, date_line)])


def signature_table(labels: Sequence[str], width: float | None = None, date_line: bool = True) -> Table:
    """The signature lines as one table, to put inside a caller's KeepTogether (they do not nest well):
    each label, then a tall row to sign on, then 日期 on a row of its own."""
    from reportlab.platypus import Table, TableStyle

    st = styles()
    width = width or content_width()
    n = len(labels)
    gap = 8 * MM
    w = (width - gap * (n - 1)) / n

    def line(texts: Sequence[str]) -> list[str]:
        out: list[str] = []
        for i, t in enumerate(texts):
            out += [t] + ([""] if i < n - 1 else [])
        return out

    cells = [line([f"{label}（签字）：" for label in labels]), line([""] * n)]
    if date_line:
        cells.append(line(["日期：" for _ in labels]))
    widths = [w if i % 2 == 0 else gap for i in range(2 * n - 1)]
    t = Table(cells, colWidths=widths,
              rowHeights=[16, 24] + ([18] if date_line else []))
    cmds: list[tuple[object, ...]] = [("FONT", (0, 0), (-1, -1), st.font, 10), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0)]
    for i in range(0, 2 * n - 1, 2):
        cmds.append(("LINEBELOW", (i, 1), (i, 1), 0.6, (0, 0, 0)))
    t.setStyle(TableStyle(cmds))
    return t
