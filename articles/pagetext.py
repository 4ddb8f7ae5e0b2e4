"""A page's text as the "already imported" check compares it: the same page
saved again with other spacing, line breaks or punctuation width (， or ,
（ or (, full-width digits) is the same page."""

import hashlib
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def normalized_text(text: str) -> str:
    # NFKC folds full-width forms (，（）：；！？０-９Ａ-Ｚ and the ideographic
    # space) to their ASCII counterparts; then every run of whitespace,
    # line breaks included, goes.
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def text_hash(text: str) -> str:
    return hashlib.sha256(normalized_text(text).encode("utf-8")).hexdigest()
