"""The page-text parser: raw newspaper page text in, structured articles out.

A pure Python package — it imports nothing from Django, so it can be tested on
strings and swapped like django-taggit's tag parser.  `parse_page` is the entry
point; `decode_page` turns a file's bytes into text first.
"""

from .decode import Decoded, DecodeError, decode, decode_page
from .entities import Gazetteer
from .model import (
    Leftover,
    ParsedArticle,
    ParsedByline,
    ParsedCaption,
    ParsedPage,
)
from .parse import parse_page

__all__ = [
    "DecodeError",
    "Decoded",
    "Gazetteer",
    "Leftover",
    "ParsedArticle",
    "ParsedByline",
    "ParsedCaption",
    "ParsedPage",
    "decode",
    "decode_page",
    "parse_page",
]
