"""Character-level clean-up: alignment spaces, ASCII punctuation in Chinese
text, control characters.  Every function takes and returns a string."""

import re
import unicodedata

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width punctuation that lives in Chinese text.
CJK_PUNCT = "，。、；：？！…—·“”‘’（）《》〈〉【】「」『』〔〕～"
_CJK_RE = re.compile(f"[{CJK}]")
CJK_OR_PUNCT = f"{CJK}{CJK_PUNCT}"

# A sentence is over at these; closing quotes/brackets may follow.
TERMINAL = "。！？…；!?;"
CLOSERS = "”’）」』》\"')"
_TERMINAL_RE = re.compile(f"[{TERMINAL}][{re.escape(CLOSERS)}]*$")
_ENDINGS = frozenset(TERMINAL + CLOSERS)

_SPACES = r" \t\u00a0\u2000-\u200b\u3000\u202f\u205f"  # (a regex class)
_SPACE_RE = re.compile(f"[{_SPACES}]+")
_LATIN_GAP_RE = re.compile(f"(?<=[A-Za-z0-9]){_SPACE_RE.pattern}(?=[A-Za-z0-9])")
# The ASCII marks fix_punctuation may change (with the double quote, all it
# looks at), and what makes a mark's context Chinese: found by regex in C,
# where a Python step per character was most of its time.
_ASCII_PUNCT_RE = re.compile(r"[,:;!?().]")
_ASCII_MARKS = r',:;!?()."'  # (a regex class)
_ASCII_MARK_RE = re.compile(f"[{_ASCII_MARKS}]")
# What clean-up changes: a space (remove_alignment_spaces) or an ASCII mark
# (fix_punctuation).
_TO_CLEAN_RE = re.compile(f"[{_SPACES}{_ASCII_MARKS}]")
_QUOTE_RE = re.compile('"')
_CJK_OR_PUNCT_RE = re.compile(f"[{CJK}{re.escape(CJK_PUNCT)}]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def cjk_count(text: str) -> int:
    return len(_CJK_RE.findall(text))


def strip_controls(text: str) -> str:
    return _CONTROL_RE.sub("", text)


_WIDE_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")
_WIDTH_TABLE = {
    **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},  # ０-９
    **{code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)},  # Ａ-Ｚ
    **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},  # ａ-ｚ
    0x3000: " ",
}


def normalize_width(text: str) -> str:
    """Full-width digits and Latin letters to ASCII (２０１９ → 2019); the
    full-width punctuation of Chinese text stays as it is."""
    if not _WIDE_RE.search(text):
        return text  # most lines: translate would look up every character
    return text.translate(_WIDTH_TABLE)


def _keeps_space(left: str, right: str) -> bool:
    """A space survives only between two Latin/number words (`PM2.5 monitor`)."""
    return (left.isascii() and left.isalnum()) and (right.isascii() and right.isalnum())


def remove_alignment_spaces(text: str) -> str:
    """Drop the spaces page layout puts between characters (`困 户 ，她`),
    around numbers (`在 1500 元`) and inside brackets; keep one space between
    Latin words."""
    text = text.strip()
    if not _SPACE_RE.search(text):
        return text
    # Cut at the runs between two Latin letters or digits, which become one
    # space, and drop every other run: in C, not a step per run.
    pieces = _LATIN_GAP_RE.split(text)
    return " ".join([_SPACE_RE.sub("", piece) for piece in pieces])


_ASCII_TO_FULL = {
    ",": "，",
    ":": "：",
    ";": "；",
    "!": "！",
    "?": "？",
    "(": "（",
    ")": "）",
}


def _cjk_context(text: str, i: int) -> bool:
    """Is position i (an ASCII punctuation mark) inside Chinese text?"""
    left = text[i - 1] if i > 0 else ""
    right = text[i + 1] if i + 1 < len(text) else ""
    if left.isdigit() and right.isdigit():
        return False  # 1,000 and 10:30 stay ASCII
    near = text[max(0, i - 4) : i] + text[i + 1 : i + 3]
    return bool(_CJK_OR_PUNCT_RE.search(near))


def fix_punctuation(text: str) -> str:
    """ASCII punctuation in Chinese context becomes full width; numbers and
    Latin keep theirs (PM2.5, 1.988, 10:30)."""
    if not _ASCII_MARK_RE.search(text) or not has_cjk(text):
        return text  # nothing to change: most lines
    chars = None  # the text as a list, once a mark changes
    for mark in _ASCII_PUNCT_RE.finditer(text):
        i, ch = mark.start(), mark.group()
        full = None
        if ch in _ASCII_TO_FULL and _cjk_context(text, i):
            full = _paren(text, i) if ch in "()" else _ASCII_TO_FULL[ch]
        elif ch == "." and i > 0 and is_cjk(text[i - 1]):
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if not (nxt.isascii() and nxt.isalnum()):
                full = "。"
        if full is not None:
            if chars is None:
                chars = list(text)
            chars[i] = full
    return _fix_quotes(text if chars is None else "".join(chars))


def _paren(text: str, i: int) -> str:
    # A bracket pair is converted only when it encloses or touches Chinese:
    # (2019) next to Latin stays, (孙宝忠) becomes （孙宝忠）.
    return _ASCII_TO_FULL[text[i]]


def _fix_quotes(text: str) -> str:
    if '"' not in text:
        return text
    out, opening, done = [], True, 0
    for quote in _QUOTE_RE.finditer(text):
        i = quote.start()
        if _cjk_context(text, i):
            out.append(text[done:i])
            out.append("“" if opening else "”")
            opening = not opening
            done = i + 1
    out.append(text[done:])
    return "".join(out)


def clean_inline(text: str) -> str:
    """One line or paragraph of page text to clean text."""
    return clean_printed(strip_controls(normalize_width(text)))


def clean_printed(text: str) -> str:
    """clean_inline for text whose width is normalized and whose control
    characters are gone already."""
    if not _TO_CLEAN_RE.search(text):
        return text.strip()  # no space and no ASCII mark: most lines
    return fix_punctuation(remove_alignment_spaces(text))


def clean_heading(text: str) -> str:
    """Headline lines keep a single space between phrases (`守初心 担使命`),
    but lose alignment spaces when every character is spaced out."""
    text = strip_controls(normalize_width(text)).strip()
    tokens = _SPACE_RE.split(text)
    if len(tokens) >= 3 and sum(len(t) == 1 for t in tokens) >= len(tokens) - 1:
        return clean_inline(text)
    out = ""
    for token in (t for t in tokens if t):
        # Spaces around numbers are alignment (发放了 600 多个); spaces
        # between Chinese phrases are the headline's own (守初心 担使命).
        if (
            out
            and not (out[-1].isdigit() or token[0].isdigit())
            or (out and _keeps_space(out[-1], token[0]))
        ):
            out += " " + token
        else:
            out += token
    return fix_punctuation(out)


def _compatibility_forms() -> dict[str, str]:
    """Every character of the Basic Multilingual Plane that NFKC changes,
    with what it becomes (，→ , ％→ % …→ ... ℃→ °C ①→ 1): ~3,000, found in a
    few milliseconds."""
    forms = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are no characters
        char = chr(code)
        form = unicodedata.normalize("NFKC", char)
        if form != char:
            forms[char] = form
    return forms


_COMPAT_FORMS = _compatibility_forms()
_COMPAT_RE = re.compile("[" + "".join(map(re.escape, _COMPAT_FORMS)) + "]")


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster on Chinese text.

    Its full-width punctuation sends NFKC through decomposition and
    recomposition of every character.  Each character with a compatibility
    form is first replaced by that form, a str.replace in C per distinct
    character: the text stays compatibility-equivalent, so its NFKC is the
    same, and NFKC now finds it normal at its quick check and returns it."""
    for char in set(_COMPAT_RE.findall(text)):
        text = text.replace(char, _COMPAT_FORMS[char])
    return unicodedata.normalize("NFKC", text)


def compact(text: str) -> str:
    """Text with every space removed, for comparisons."""
    return _SPACE_RE.sub("", nfkc(text)).replace(" ", "")


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    # Only the last characters can match: most lines are told by the last.
    return bool(text) and text[-1] in _ENDINGS and bool(_TERMINAL_RE.search(text))


def visual_length(text: str) -> float:
    """Width of a line in Chinese characters: ASCII counts half."""
    text = _SPACE_RE.sub("", text)
    if not text:
        return 0
    # Every character 1.0 but the ASCII ones 0.5: the ASCII ones counted in
    # C, not summed a character at a time (the same float: halves add up
    # exactly).
    return len(text) - 0.5 * len(text.encode("ascii", "ignore"))
