"""Bytes to text: UTF-8, UTF-8 with BOM, then GB18030 (what older PDF tools
write on Chinese Windows); anything else is refused with a reason."""

import re
import unicodedata
from dataclasses import dataclass

from .codes import CodedError


class DecodeError(CodedError, ValueError):
    """The bytes are not a text page; `code` says why, for tests and staff."""


EMPTY = "empty"
BINARY = "binary"
UNDECODABLE = "undecodable"


# C0 and C1 control characters and DEL, but not the tab and line feed a page
# is laid out with (carriage returns become line feeds first).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Decoded:
    text: str
    # Control characters taken out (NUL, ESC, ...): worth telling staff, as
    # the file was damaged or not quite text.
    removed_controls: int = 0


def decode(data: bytes) -> Decoded:
    """The page's text with line ends made "\n" and control characters
    removed, the same for every database (PostgreSQL text cannot hold a NUL,
    SQLite would keep it and search would trip on it), and how many went."""
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    text, removed = _CONTROLS.subn("", text)
    return Decoded(text=text, removed_controls=removed)


def decode_page(data: bytes) -> str:
    return decode(data).text


def decode_text(data: bytes) -> str:
    """The bytes as text, as they are, or DecodeError."""
    if not data.strip():
        raise DecodeError("文件为空", EMPTY)
    if b"\x00" in data[:4096] and not _looks_utf16(data):
        raise DecodeError("文件是二进制数据，不是文本", BINARY)
    encodings = ("utf-16",) if _looks_utf16(data) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_control(text):
            raise DecodeError("文件是二进制数据，不是文本", BINARY)
        return text
    raise DecodeError("无法识别文件编码（已尝试 UTF-8、GB18030）", UNDECODABLE)


def _looks_utf16(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff")


def _mostly_control(text: str) -> bool:
    sample = text[:4000]
    bad = sum(
        1
        for ch in sample
        if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\r\n\t"
    )
    return bad > max(8, len(sample) // 20)
