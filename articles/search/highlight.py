"""Marking the query's words in text shown to the reader.

Matching is on normalised text (see `query.normalize`), while the reader
sees the text as printed: each match is mapped back to the characters it
came from, so `ＰＭ２．５` is marked for `pm2.5`, and `交城縣` as printed
for `交城县` (folding is one character for one: see `query.fold`).  Pure:
no database.

Normalising a whole body to find its first match took 0.1–0.3 ms an
article (most of a results page's Python time).  So where it gives the same
spans, the words are found in the printed text itself: each character of a
word becomes the class of printed characters that normalise to it alone
(`pm` → `[pPｐＰ…][mMｍＭ…]`, `县` → `[县縣]`), and the spans are where
that pattern matches.  That is exact unless the text holds a character
whose normalisation is several characters sharing one with the words (`…`
is `...` for `pm2.5`, never for `交城`), or one that combines with its
neighbours (combining marks, conjoining jamo): then the text is normalised
as before."""

import bisect
import html
import re
import unicodedata
from functools import cache, lru_cache

from .query import fold, folding


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


@cache
def _forms() -> tuple[dict[str, str], dict[str, str], str]:
    """What the printed-text patterns are built from, over the Basic
    Multilingual Plane (a character above it sends the text the slow way):
    each character → the printed characters that normalise to it alone;
    each character → the printed characters whose normalisation is several
    characters including it; and the characters that may combine with a
    neighbour: combining marks, conjoining jamo, the second part of a
    canonical composition, and what normalises to one of those first.
    About 40 ms, once a process."""
    chars = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF]
    combining = {c for c in chars if unicodedata.combining(c)}
    combining.update(chr(cp) for cp in range(0x1100, 0x1200))
    decompositions = {c: unicodedata.decomposition(c) for c in chars}
    for d in decompositions.values():
        parts = d.split()
        if len(parts) == 2 and not d.startswith("<"):
            combining.add(chr(int(parts[1], 16)))
    single: dict[str, list[str]] = {}
    several: dict[str, set[str]] = {}
    table = folding()
    for c in chars:
        if c in combining or not (
            decompositions[c] or c.lower() != c or ord(c) in table
        ):
            continue
        norm = fold(unicodedata.normalize("NFKC", c).lower())
        if not norm or unicodedata.normalize("NFD", norm)[0] in combining:
            combining.add(c)
        elif len(norm) == 1 and norm != c:
            single.setdefault(norm, []).append(c)
        elif len(norm) > 1:
            for x in norm:
                several.setdefault(x, set()).add(c)
    return (
        {k: "".join(v) for k, v in single.items()},
        {k: "".join(sorted(v)) for k, v in several.items()},
        "".join(sorted(combining)),
    )


def _class(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


@lru_cache(maxsize=256)
def _printed(words: tuple[str, ...]):
    """For each word, the pattern of its printed forms; the pattern of the
    characters whose normalisation is several characters sharing one with
    the words (`…` for `pm2.5`); and of those in whose presence the
    patterns are not exact.  None: the words have a character above the
    Basic Multilingual Plane."""
    single, several, combining = _forms()
    if any(ord(c) > 0xFFFF for w in words for c in w):
        return None
    patterns = [
        re.compile(
            "".join(_class(c + single[c]) if c in single else re.escape(c) for c in w)
        )
        for w in words
    ]
    expanding = "".join(
        sorted({x for w in words for c in w for x in several.get(c, "")})
    )
    return (
        patterns,
        re.compile(_class(expanding)) if expanding else None,
        re.compile(_class(combining) + "|[\U00010000-\U0010ffff]"),
    )


@lru_cache(maxsize=1024)
def _expansion(char: str) -> str:
    return fold(unicodedata.normalize("NFKC", char).lower())


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    if not any(words):
        # Nothing to find: normalising a whole body for it took a third of
        # an unfiltered API page's time.
        return []
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    printed = _printed(tuple(ordered))
    if printed is None or printed[2].search(text):
        return _normalized_spans(text, ordered)
    patterns, expanding, _ = printed
    if expanding is None or not expanding.search(text):
        return _printed_spans(text, patterns)
    return _expanded_spans(text, patterns, expanding)


def _printed_spans(text: str, patterns) -> list[tuple[int, int]]:
    """`_normalized_spans`, found in the printed text (see the module's doc)."""
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        found = pattern.search(text)
        while found:
            s, e = found.span()
            if not any(s < e2 and s2 < e for s2, e2 in spans):
                spans.append((s, e))
            found = pattern.search(text, s + 1)
    return sorted(spans)


def _expanded_spans(text: str, patterns, expanding) -> list[tuple[int, int]]:
    """`_printed_spans` in the printed text with only the characters that
    normalise to several of the words' characters replaced by what they
    normalise to (`…` → `...`), the spans mapped back to the printed text:
    a match in or over such a character marks all of it."""
    parts, starts, printed_at, shifts = [], [], [], []
    last = shift = 0
    for found in expanding.finditer(text):
        at = found.start()
        expanded = _expansion(found.group())
        parts += [text[last:at], expanded]
        starts.append(at + shift)
        printed_at.append(at)
        shift += len(expanded) - 1
        shifts.append(shift)
        last = at + 1
    parts.append(text[last:])

    def printed(i: int) -> int:
        k = bisect.bisect_right(starts, i) - 1
        if k < 0:
            return i
        if i < starts[k] + shifts[k] - (shifts[k - 1] if k else 0) + 1:
            return printed_at[k]
        return i - shifts[k]

    expanded_text = "".join(parts)
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        found = pattern.search(expanded_text)
        while found:
            s, e = printed(found.start()), printed(found.end() - 1) + 1
            if not any(s < e2 and s2 < e for s2, e2 in spans):
                spans.append((s, e))
            found = pattern.search(expanded_text, found.start() + 1)
    return sorted(spans)


def _normalized_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    norm, origin = _normalized_map(text)
    spans: list[tuple[int, int]] = []
    for word in words:
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
