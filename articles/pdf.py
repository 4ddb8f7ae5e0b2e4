"""PDF pages: their text laid out as the page parser reads it, and a picture.

pdfplumber (on pdfminer.six) reads the characters with their positions and
sizes; pypdfium2 (which pdfplumber already uses for its images) renders the
page.  Both are permissively licensed (MIT, Apache-2.0/BSD); PyMuPDF reads
Chinese text as well but is AGPL — see the README for the measurements.

The text follows the convention of the page files the parser was built on:
one printed line per line with a blank line between the lines of a column, a
leading space where a line is set in (a paragraph's indent), lines set larger
than the body (a headline running over two lines, its 副题) kept together
with no blank between them, so they reach the parser as one block.
"""

import io
from dataclasses import dataclass
from statistics import median

PDF_MAGIC = b"%PDF-"
IMAGE_SCALE = 1.5  # 108 dpi: a page readable on screen, ~1 MB PNG


class PdfError(ValueError):
    """A PDF that cannot be read (damaged, encrypted, or no pages)."""


def is_pdf(raw: bytes) -> bool:
    return raw[:1024].lstrip().startswith(PDF_MAGIC)


@dataclass
class _Segment:
    """Words on one baseline not separated by a column gap."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str


def _segments(words: list[dict]) -> list[_Segment]:
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - word["bottom"]) <= 0.3 * word["size"]:
            rows[-1].append(word)
        else:
            rows.append([word])
    segments = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        current = [row[0]]
        for word in row[1:]:
            size = min(word["size"], current[-1]["size"])
            # A gap wider than a character is the gutter between columns (a
            # stretched line spaces its characters less than that).
            if word["x0"] - current[-1]["x1"] > 1.2 * size:
                segments.append(_join(current))
                current = [word]
            else:
                current.append(word)
        segments.append(_join(current))
    return segments


def _join(words: list[dict]) -> _Segment:
    text = words[0]["text"]
    for before, word in zip(words, words[1:], strict=False):
        # Stretched lines print their characters apart; the parser expects
        # those gaps as spaces (it reads them as a justified line).
        gap = word["x0"] - before["x1"]
        text += (" " if gap > 0.2 * word["size"] else "") + word["text"]
    return _Segment(
        x0=words[0]["x0"],
        x1=words[-1]["x1"],
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        size=median(w["size"] for w in words),
        text=text,
    )


def _columns(segments: list[_Segment], body: float) -> list[list[_Segment]]:
    """Segments grouped by left edge, left to right; each top to bottom."""
    columns: list[list[_Segment]] = []
    for segment in sorted(segments, key=lambda s: s.x0):
        # An indented first line (a paragraph, 本报讯) stays in its column.
        if columns and segment.x0 - columns[-1][0].x0 <= 3 * body:
            columns[-1].append(segment)
        else:
            columns.append([segment])
    return [sorted(column, key=lambda s: s.top) for column in columns]


def layout_text(words: list[dict], *, use_sizes: bool = True) -> str:
    """Page text from pdfplumber words (with their "size")."""
    segments = _segments([w for w in words if w["text"].strip()])
    if not segments:
        return ""
    body = median(s.size for s in segments)
    out: list[str] = []
    for column in _columns(segments, body):
        left = min(s.x0 for s in column)
        previous = None
        for segment in column:
            text = segment.text
            if segment.x0 - left >= 0.8 * segment.size:
                text = " " + text
            large = use_sizes and segment.size > 1.15 * body
            together = (
                previous is not None
                and large
                and previous.size > 1.15 * body
                and segment.top - previous.bottom < 0.8 * segment.size
            )
            if out:
                out.append("\n" if together else "\n\n")
            out.append(text)
            previous = segment
        out.append("\n")
    return "".join(out).strip("\n") + "\n"


def _open(raw: bytes):
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return pdfplumber.open(io.BytesIO(raw))
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises many kinds
        raise PdfError(f"无法读取 PDF：{exc.__class__.__name__}") from exc


def extract_text(raw: bytes, *, use_sizes: bool = True) -> str:
    """The PDF's text layer, page after page, laid out for the parser."""
    with _open(raw) as pdf:
        if not pdf.pages:
            raise PdfError("PDF 没有页面")
        parts = []
        for page in pdf.pages:
            words = page.extract_words(
                x_tolerance=1.5, y_tolerance=2, extra_attrs=["size"]
            )
            parts.append(layout_text(words, use_sizes=use_sizes))
    return "\n\n".join(p for p in parts if p)


def render_png(raw: bytes, *, scale: float = IMAGE_SCALE) -> bytes:
    """The first page of a PDF as a PNG."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        raise PdfError(f"无法读取 PDF：{exc}") from exc
    try:
        if len(document) == 0:
            raise PdfError("PDF 没有页面")
        image = document[0].render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()
