"""Pinyin as readers type it: full (`jiaocheng`, `jiao cheng`) or initials
(`jc`), for names and headline words.  Pure (pypinyin, no database).

A polyphone gives every reading (重: zhong, chong, tong; 行: xing, hang),
so a name is found however the reader says it; each character may be typed
in full or by its first letter, and the two may mix (`jiaoc`)."""

import re
from functools import lru_cache
from itertools import product

from pypinyin import Style, lazy_pinyin, pinyin

MAX_VARIANTS = 16  # reading combinations kept per name (polyphones multiply)
_HAN = re.compile(r"[\u3400-\u9fff]")
_TYPED = re.compile(r"[a-z][a-z ]*")
_NOT_KEY = re.compile(r"[^0-9a-z\u3400-\u9fff]")


def looks_like_pinyin(text: str) -> bool:
    """Lower-case Latin letters and spaces only (`jiaocheng`, `jc`)."""
    return bool(_TYPED.fullmatch(text.strip()))


def typed_key(text: str) -> str:
    """What a reader typed, as keys are stored: `Jiao Cheng` → `jiaocheng`."""
    return _NOT_KEY.sub("", text.lower())


@lru_cache(maxsize=20_000)
def readings(char: str) -> tuple[str, ...]:
    """Every reading of one character, without tones; a character that is
    no Chinese character reads as itself (lower case)."""
    if not _HAN.match(char):
        return (char.lower(),)
    found = pinyin(char, style=Style.NORMAL, heteronym=True)[0]
    return tuple(dict.fromkeys(r for r in found if r.isascii() and r.isalpha()))


def name_keys(text: str) -> set[str]:
    """The pinyin keys of a name or word: in full and as initials, for the
    reading in context (pypinyin's phrases: 重庆 chongqing) and every other
    reading of its polyphones, up to MAX_VARIANTS combinations."""
    text = _NOT_KEY.sub("", text.lower())
    if not _HAN.search(text):
        return set()
    variants = ["".join(lazy_pinyin(text, style=Style.NORMAL)).lower()]
    per_char = [readings(c) or (c,) for c in text]
    for combo in product(*per_char):
        if len(variants) > MAX_VARIANTS:
            break
        variants.append("".join(combo))
    keys = set()
    for combo in product(*per_char):
        keys.add("".join(r[0] for r in combo))
        if len(keys) >= MAX_VARIANTS:
            break
    keys.update(typed_key(v) for v in variants)
    keys.discard("")
    return keys


def read_prefix(text: str, typed: str) -> int:
    """How many leading characters of `text` the pinyin `typed` reads,
    exactly to its end (0: none).  Each character may be typed in full or by
    its first letter: `jiaocheng`, `jc` and `jiaoc` all read the 交城 of
    交城县 (2)."""
    typed = typed_key(typed)
    if not typed:
        return 0
    at = {0}
    for count, char in enumerate(text, start=1):
        step = set()
        for pos in at:
            for reading in readings(char):
                if typed.startswith(reading, pos):
                    step.add(pos + len(reading))
                if reading and typed.startswith(reading[0], pos):
                    step.add(pos + 1)
        if len(typed) in step:
            return count
        at = {pos for pos in step if pos < len(typed)}
        if not at:
            return 0
    return 0
