"""CJK PDFs built in the test (reportlab's built-in Adobe-GB1 font, so no
font file and no third-party PDF): a headline set large over columns of
body lines, as a county paper prints them."""

import io

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def cjk_pdf(articles: list[tuple[str, list[str]]], *, size: float = 10) -> bytes:
    """One A4 page; each (headline, body lines) set in its own column, the
    headline at twice the body size, a paragraph's first line indented."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595, 842))
    column_width = 16 * size
    for number, (headline, lines) in enumerate(articles):
        x = 40 + number * (column_width + 3 * size)
        y = 800
        page.setFont(FONT, 2 * size)
        page.drawString(x, y, headline)
        y -= 3 * size
        page.setFont(FONT, size)
        for line in lines:
            indent = 2 * size if line.startswith("　") else 0
            page.drawString(x + indent, y, line.lstrip("　"))
            y -= 1.6 * size
    page.showPage()
    page.save()
    return buffer.getvalue()
