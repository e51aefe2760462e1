"""The voting address as a QR code in SVG, for the projector page.

reportlab (already used for the code slips) computes the modules; the SVG
is one path with presentation attributes only, so it passes the server's
Content-Security-Policy, which allows no inline styles.
"""
from __future__ import annotations


def qr_svg(text: str, quiet: int = 4) -> str:
    """A square SVG of ``text`` with a quiet zone of ``quiet`` modules."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    n = code.getModuleCount()
    runs = []
    for r in range(n):
        c = 0
        while c < n:
            if code.isDark(r, c):
                start = c
                while c < n and code.isDark(r, c):
                    c += 1
                runs.append(f"M{start + quiet} {r + quiet}h{c - start}v1h-{c - start}z")
            else:
                c += 1
    size = n + 2 * quiet
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
            f'shape-rendering="crispEdges" role="img" aria-label="投票网址二维码">'
            f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path fill="#000" d="{"".join(runs)}"/></svg>')
