"""Marking the query's words in text shown to the reader.

Matching is on normalised text (see `query.normalize`), while the reader
sees the text as printed: each match is mapped back to the characters it
came from, so `ＰＭ２．５` is marked for `pm2.5`, and `交城縣` as printed
for `交城县` (folding is one character for one: see `query.fold`).  Pure:
no database."""

import html
import re
import unicodedata

from .query import fold


def _normalized_map(text: str) -> tuple[str, list[int] | None]:
    """Normalised text (without whitespace folding) and, for each of its
    characters, the index of the source character it came from (None when
    normalising kept every character in place, as for nearly all text)."""
    whole = fold(unicodedata.normalize("NFKC", text).lower())
    if len(whole) == len(text):
        return whole, None
    out: list[str] = []
    origin: list[int] = []
    # Runs of characters that normalise one to one (ASCII, CJK ideographs
    # and punctuation, full-width forms) in one call; the rest (`……`,
    # `℃`) one by one.
    for piece in _PIECES.finditer(text):
        norm = fold(unicodedata.normalize("NFKC", piece.group()).lower())
        out.append(norm)
        if piece.group(1):
            origin.extend(range(piece.start(), piece.end()))
        else:
            origin.extend([piece.start()] * len(norm))
    return "".join(out), origin


_PIECES = re.compile("([\x00-\x7f\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]+)|.", re.S)


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    if not any(words):
        # Nothing to find: normalising a whole body for it took a third of
        # an unfiltered API page's time.
        return []
    norm, origin = _normalized_map(text)
    spans: list[tuple[int, int]] = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        start = norm.find(word)
        while start != -1:
            if origin is None:
                s, e = start, start + len(word)
            else:
                s, e = origin[start], origin[start + len(word) - 1] + 1
            if not any(s < e2 and s2 < e for s2, e2 in spans):
                spans.append((s, e))
            start = norm.find(word, start + 1)
    return sorted(spans)


def highlight(text: str, words: list[str]) -> str:
    """`text` escaped, with every occurrence of the words in <mark>."""
    out, last = [], 0
    for s, e in _spans(text, words):
        out.append(html.escape(text[last:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        last = e
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, words: list[str], width: int = 120) -> str:
    """An escaped stretch of `text` around the first match, matches marked."""
    spans = _spans(text, words)
    if not spans:
        piece = text[:width]
        return html.escape(piece) + ("…" if len(text) > width else "")
    first = spans[0][0]
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    piece = text[start:end]
    marked = highlight(piece, words)
    return ("…" if start else "") + marked + ("…" if end < len(text) else "")
