"""Lines and blocks: the page as the PDF extraction laid it out.

Column-wrapped pages put a blank line between every printed line; lines that
follow each other with no blank between are then a *block* (a headline with
its subtitle, a two-line subhead, a caption), or a number wrapped across lines.
Other pages print a paragraph per line with no blanks at all.  Both come down
to the same `Line` records and `blocks` of them.
"""

import re
from dataclasses import dataclass
from statistics import median

from .text import (
    clean_inline,
    ends_sentence,
    normalize_width,
    strip_controls,
    visual_length,
)

_LEAD_RE = re.compile(r"^[ \t\u3000\u00a0]+")


@dataclass
class Line:
    no: int  # 0-based line number in the page text
    text: str  # the printed text, outer spaces stripped, inner spaces kept
    lead: bool  # began with a space: often the start of a text block
    gap: int  # blank lines before it
    clean: str  # text after character clean-up
    width: float  # printed width in Chinese characters
    local_width: float = 0.0  # typical column width around this line

    @property
    def terminal(self) -> bool:
        return ends_sentence(self.clean)


def read_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    gap = 0
    for no, raw in enumerate(text.split("\n")):
        raw = strip_controls(raw)
        stripped = raw.strip()
        if not stripped:
            gap += 1
            continue
        lead = bool(_LEAD_RE.match(raw))
        clean = clean_inline(stripped)
        lines.append(
            Line(
                no=no,
                text=normalize_width(stripped),
                lead=lead,
                gap=gap if lines else 1,
                clean=clean,
                width=visual_length(clean),
            )
        )
        gap = 0
    _set_local_widths(lines)
    return lines


def _set_local_widths(lines: list[Line], radius: int = 8) -> None:
    """Column width near each line: the median of its neighbours' widths,
    leaving out the very short last lines of paragraphs."""
    widths = [ln.width for ln in lines]
    for i, line in enumerate(lines):
        window = [w for w in widths[max(0, i - radius) : i + radius + 1] if w >= 6]
        line.local_width = median(window) if window else max(line.width, 1.0)


def is_spaced(lines: list[Line]) -> bool:
    """True for column-wrapped pages with a blank line after every line."""
    if len(lines) < 4:
        return False
    spaced = sum(1 for ln in lines[1:] if ln.gap > 0)
    return spaced >= 0.6 * (len(lines) - 1)


def paragraph_per_line(lines: list[Line]) -> bool:
    """Pages that print each paragraph on one line, however long."""
    long_lines = [ln for ln in lines if ln.width >= 8]
    if len(long_lines) < 3:
        return False
    return median(ln.width for ln in long_lines) >= 40 and sum(
        1 for ln in long_lines if ln.terminal
    ) >= 0.5 * len(long_lines)


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
    from .headings import is_box_line, is_subtitle_line

    if is_subtitle_line(line.text) or is_box_line(line.text):
        return is_heading_like(prev)
    return is_heading_like(prev) and is_heading_like(line) and not line.lead


def is_heading_like(line: Line) -> bool:
    """Short, no sentence-final punctuation, not cut off at a comma."""
    return (
        not line.terminal
        and line.width <= max(0.8 * line.local_width, 6)
        and not line.clean.endswith(("，", "、", "；", "：", ","))
    )
