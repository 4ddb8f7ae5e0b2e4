"""Readable slugs from Chinese headlines: 交城举行… → jiao-cheng-ju-xing-…"""

import re

from pypinyin import Style, lazy_pinyin

MAX_SLUG = 80


def pinyin_slug(text: str, *, max_length: int = MAX_SLUG) -> str:
    """Lower-case ASCII slug of a Chinese (or mixed) text; '' when nothing
    readable is left."""
    words = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    parts: list[str] = []
    for word in words:
        for piece in re.findall(r"[A-Za-z0-9]+", word.replace("ü", "v")):
            parts.append(piece.lower())
    slug = ""
    for part in parts:
        candidate = f"{slug}-{part}" if slug else part
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug


def unique_slug(base: str, taken) -> str:
    """`base`, or `base-2`, `base-3` … whichever `taken(slug)` says is free."""
    if not taken(base):
        return base
    n = 2
    while taken(f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"


def unique_slug_among(base: str, existing: set[str]) -> str:
    """The same choice made against a set of slugs already fetched (one
    query for all of `base`, `base-2` …, however many there are)."""
    if base not in existing:
        return base
    numbered = re.compile(re.escape(base) + r"-(\d+)")
    numbers = [int(m[1]) for s in existing if (m := numbered.fullmatch(s))]
    return f"{base}-{max(numbers, default=1) + 1}"
