"""Lines and blocks: the page as the PDF extraction laid it out.

Column-wrapped pages put a blank line between every printed line; lines that
follow each other with no blank between are then a *block* (a headline with
its subtitle, a two-line subhead, a caption), or a number wrapped across lines.
Other pages print a paragraph per line with no blanks at all.  Both come down
to the same `Line` records and `blocks` of them.
"""

import re
from bisect import insort
from dataclasses import dataclass
from statistics import median

from .bylines import photo_credit, split_end_byline, split_end_credit
from .headings import is_marked_line
from .text import (
    CJK,
    clean_printed,
    ends_sentence,
    normalize_width,
    strip_controls,
    visual_length,
)

_LEAD = " \t\u3000\u00a0"  # a line beginning with one is indented
_STRETCH_RE = re.compile(f"(?<=[{CJK}，、；：。“”])[ \u3000]+(?=[{CJK}，、；：“”])")


@dataclass(slots=True)
class Line:
    no: int  # 0-based line number in the page text
    text: str  # the printed text, outer spaces stripped, inner spaces kept
    lead: bool  # began with a space: often the start of a text block
    gap: int  # blank lines before it
    clean: str  # text after character clean-up
    width: float  # printed width in Chinese characters
    local_width: float = 0.0  # typical column width around this line

    terminal: bool = False  # ends a sentence, or an article (byline, credit)
    # Spaces between characters: the line was stretched to the column's full
    # width, which print does to every line of a paragraph but its last.
    justified: bool = False
    # A byline or a photo credit at its end: the line closes an article.
    # The rules that weigh the page's blocks ask it of a line many times.
    closes: bool = False


def read_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    gap = 0
    # Control characters never include the line feed, and full-width digits
    # and letters become ASCII one character for one: both done to the
    # whole page at once, as to each line.
    page = strip_controls(text)
    raws = page.split("\n")
    narrow = normalize_width(page)
    narrows = raws if narrow is page else narrow.split("\n")
    for no, (raw, narrow_raw) in enumerate(zip(raws, narrows, strict=True)):
        stripped = raw.strip()
        if not stripped:
            gap += 1
            continue
        lead = raw[0] in _LEAD  # (raw holds a printed character)
        printed = stripped if narrow_raw is raw else narrow_raw.strip()
        clean = clean_printed(printed)  # = clean_inline(stripped)
        signed = _signed(printed)
        # (The printed text differs only where it had full-width digits or
        # letters: then the line as it stood is asked again.)
        terminal = ends_sentence(clean) or (
            signed if printed == stripped else _signed(stripped)
        )
        lines.append(
            Line(
                no=no,
                text=printed,
                lead=lead,
                gap=gap if lines else 1,
                clean=clean,
                width=visual_length(clean),
                terminal=terminal,
                justified=_justified(stripped),
                closes=signed
                or (
                    printed.endswith(_SIGNED_ENDS)
                    and bool(split_end_credit(printed)[1])
                ),
            )
        )
        gap = 0
    _set_local_widths(lines)
    return lines


def _justified(text: str) -> bool:
    # Most lines have no space at all: told so without the regex's
    # lookbehind at every character.
    if " " not in text and "\u3000" not in text:
        return False
    return len(_STRETCH_RE.findall(text)) >= 2


# A line a byline or a photo credit ends ends in one of these: （…）, …摄,
# …摄影.  Most lines do not, and are told so here, in C.
_SIGNED_ENDS = ("）", ")", "摄", "影")


def _signed(text: str) -> bool:
    """A byline or a photo credit ends the (stripped) line."""
    return text.endswith(_SIGNED_ENDS) and bool(
        split_end_byline(text)[1] or photo_credit(text)
    )


def _set_local_widths(lines: list[Line], radius: int = 8) -> None:
    """Column width near each line: the upper quartile of its neighbours'
    widths, so short paragraph ends and headlines do not drag it down."""
    n = len(lines)
    counted = [ln.width if ln.width >= 6 else None for ln in lines]
    # The window slides a line at a time: one width joins it and one leaves
    # it, kept in order, instead of sorting every window afresh; in a column
    # of full lines the two are often equal, and the window stays as it is.
    joining = counted[radius:] + [None] * min(radius, n)
    leaving = [None] * min(radius + 1, n) + counted[: max(0, n - radius - 1)]
    window = sorted(w for w in counted[:radius] if w is not None)
    for line, add, drop in zip(lines, joining, leaving, strict=True):
        if add != drop:
            if add is not None:
                insort(window, add)
            if drop is not None:
                window.remove(drop)
        line.local_width = (
            window[(3 * len(window)) // 4] if window else max(line.width, 1.0)
        )


def is_spaced(lines: list[Line]) -> bool:
    """True for column-wrapped pages with a blank line after every line."""
    if len(lines) < 3:
        return False
    spaced = sum(1 for ln in lines[1:] if ln.gap > 0)
    return spaced >= 0.6 * (len(lines) - 1)


def paragraph_per_line(lines: list[Line]) -> bool:
    """Pages that print each paragraph on one line, however long: their
    paragraph-ending lines are long, where a column's are short."""
    ends = [ln.width for ln in lines if ln.terminal]
    return len(ends) >= 2 and median(ends) >= 28


def blocks(lines: list[Line], spaced: bool) -> list[list[Line]]:
    """Runs of lines with no blank line between them.

    On a page without blank lines every line is a block of its own except runs
    of short, unpunctuated lines (a headline over two lines, a subtitle under
    it), which stay together.
    """
    out: list[list[Line]] = []
    for line in lines:
        if out and line.gap == 0 and (spaced or _joins_tight(out[-1][-1], line)):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _joins_tight(prev: Line, line: Line) -> bool:
    if is_marked_line(line.text):
        return is_heading_like(prev)
    return is_heading_like(prev) and is_heading_like(line) and not line.lead


def is_heading_like(line: Line) -> bool:
    """Short, no sentence-final punctuation, not cut off at a comma."""
    width = line.width
    # At most 0.8 of the column, the limit held between 6 and 36 wide
    # (min/max unrolled: asked of nearly every line, several times).
    return (
        not line.terminal
        and width <= 36
        and (width <= 6 or width <= 0.8 * line.local_width)
        and not line.clean.endswith(("，", "、", "；", "：", ","))
    )
