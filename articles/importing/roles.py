"""The role each printed block plays on the page: running text (body), a
headline area (zone), a caption, or a 小标题 (subhead) inside an article.

The evidence is the page's own: the blank lines it leaves, the column width
a stretch of text uses, indentation, sentence-final punctuation, words that
run on from one printed line into the next, and the marks captions and
credits carry.  Pure Python; `classify` is what parse.py calls.
"""

import re
from itertools import islice
from operator import attrgetter

from . import bylines as by
from .headings import caption_marked, is_box_line, is_marked_line, split_doubled
from .layout import Line, is_heading_like
from .text import ends_sentence
from .words import ends_dangling, reads_on

BRIEF_RE = re.compile(r"^\s*本报讯")
_HARD_TERMINAL = "。…；"

# --- layout roles ---------------------------------------------------------

BODY, ZONE, CAPTION, SUBHEAD = "body", "zone", "caption", "subhead"

# (The rules below run over every group of the page: map and attrgetter
# keep their loops in C.)
_TEXT = attrgetter("text")


def ends_article(line: Line) -> bool:
    """The line closes an article: a byline or a photo credit at its end."""
    return line.closes


def _body_terminal(group: list[Line]) -> bool:
    last = group[-1]
    if any(map(is_marked_line, map(_TEXT, group))):
        return False
    if split_doubled(last.text):
        return False
    if ends_article(last):
        return True
    text = last.clean
    if not ends_sentence(text):
        return False
    stripped = text.rstrip("”’）」』》\"')")
    if stripped and stripped[-1] in _HARD_TERMINAL:
        return True
    # ！ and ？ also end short headlines; trust them in running text only.
    return "，" in text or last.width >= 0.8 * last.local_width


def classify(
    groups: list[list[Line]], spaced: bool, per_line: bool = False
) -> list[str]:
    roles = [BODY] * len(groups)
    # Captions among the headlines are told by the column they do not fit;
    # a page printing a paragraph a line has no column to tell them by.
    last_body = _zone_start(groups, spaced and not per_line) - 1
    for i in range(last_body + 1, len(groups)):
        roles[i] = ZONE
    column = spaced and not per_line
    above_style = last_body == len(groups) - 1  # no headline area at the end
    headline_gap = _headline_gap(groups) if above_style else 0
    after_end = True
    for i in range(last_body + 1):
        group = groups[i]
        first = group[0]
        structural = any(map(is_marked_line, map(_TEXT, group)))
        briefs = BRIEF_RE.match(first.clean)
        if structural:
            roles[i] = ZONE
        elif len(group) == 1 and split_doubled(first.text):
            roles[i] = CAPTION
        elif briefs:
            roles[i] = BODY
        elif column and i > 0 and groups[i - 1][-1].terminal and _set_apart(group):
            # Two printed lines with no blank between them on a page that
            # puts one after every line of text: a headline block printed
            # among the articles, not running text.
            roles[i] = ZONE
        elif (
            column
            and i > 0
            and len(group) == 1
            and first.terminal
            and not ends_article(first)
            and groups[i - 1][-1].terminal
            and first.width
            > 1.15
            * max(
                first.local_width, _following_width(groups, i), groups[i - 1][-1].width
            )
        ):
            roles[i] = CAPTION  # a sentence wider than the column it stands in
        elif (
            len(group) == 1
            and first.terminal
            and caption_marked(first.clean)
            and (i == 0 or groups[i - 1][-1].terminal)
        ):
            roles[i] = CAPTION  # 图为…, 这是…拍摄的…
        elif (
            i > 0
            and len(group) == 1
            and first.terminal
            and not ends_article(first)
            and first.width <= 40
            and not first.clean.startswith(("“", "‘", "「"))  # speech opens text
            and (
                roles[i - 1] == CAPTION  # captions come in runs
                or (
                    _no_text_follows(groups, i)
                    and (
                        _credit_line(groups[i - 1][-1])
                        or (per_line and ends_article(groups[i - 1][-1]))
                    )
                )
            )
        ):
            # Printed under the photo: after its credit, after another
            # caption, or after an article's end with no text of its own.
            roles[i] = CAPTION
        elif (
            spaced
            and len(group) >= 3
            and all(ln.width < 0.9 * ln.local_width for ln in group)
            and not group[-1].terminal
        ):
            roles[i] = CAPTION
        elif (
            all(map(is_heading_like, group))
            and i < last_body
            and (len(group) >= 2 or first.width <= 0.7 * _following_width(groups, i))
            and not _opens_running_text(groups, i)
        ):
            after_sentence = i == 0 or groups[i - 1][-1].terminal
            if (
                headline_gap
                and i + 1 < len(groups)
                and groups[i + 1][0].gap >= headline_gap
            ):
                roles[i] = ZONE  # set off like the page's headlines
            elif (
                above_style
                and i > 0
                and not ends_article(groups[i - 1][-1])
                and headline_gap
                and i + 1 < len(groups)
                and groups[i + 1][0].gap < headline_gap
            ):
                # The page sets its headlines off with more blank lines
                # than this one has below it: a 小标题 inside the article.
                roles[i] = SUBHEAD
            elif after_end or (above_style and after_sentence):
                roles[i] = ZONE
            elif (
                len(group) >= 2
                or not spaced
                or (
                    after_sentence
                    and _single_subhead(
                        first, groups[i + 1][0], _following_width(groups, i)
                    )
                )
            ):
                roles[i] = SUBHEAD
        elif (
            spaced
            and len(group) == 1
            and 0 < i < last_body
            and not after_end
            and groups[i - 1][-1].terminal
            and _single_subhead(first, groups[i + 1][0], _following_width(groups, i))
        ):
            # 小标题 between two paragraphs of a column: a paragraph ended
            # above it, a full line of text follows, and it is itself short.
            roles[i] = SUBHEAD
        if roles[i] == ZONE:
            after_end = True
        elif roles[i] in (BODY, SUBHEAD):
            after_end = roles[i] == BODY and (
                ends_article(group[-1]) or (above_style and group[-1].terminal)
            )
    return roles


def _in_running_text(groups: list[list[Line]], k: int) -> bool:
    """Group k ends inside a sentence of running text that the next printed
    line goes on with.  Short unpunctuated lines count when the run of them
    began in text (a brief's opening, a full column line), not when every
    one of them stands alone like a headline."""
    chain = 0
    while k >= 0:
        line = groups[k][-1]
        if line.terminal or is_marked_line(line.text) or split_doubled(line.text):
            return False
        if BRIEF_RE.match(groups[k][0].clean):
            return True
        if not is_heading_like(line):
            # One wide line straight after an article's byline, then a
            # sentence: a headline over a caption, not a two-line article.
            before = groups[k - 1][-1] if k else None
            return chain > 0 or not (before and ends_article(before))
        chain += 1
        k -= 1
    return False


def _zone_start(groups: list[list[Line]], spaced: bool) -> int:
    """Where the headline area at the page's end begins.

    Walking back from the end, headline-like lines, banners, □ bylines and
    doubled captions belong to it.  A single sentence line belongs to it too
    when it cannot be the end of running text on a column-wrapped page: it
    follows something that is not a wrapped body line (a headline, a
    caption, an article's byline), or says it is a caption (图为…).  The
    first line that reads as running text ends the walk.
    """
    i = len(groups) - 1
    while i >= 0:
        group = groups[i]
        if not _body_terminal(group):
            i -= 1
            continue
        last = group[-1]
        if (
            spaced
            and len(group) == 1
            and not ends_article(last)
            and (
                caption_marked(last.clean)
                or i == 0
                or not _in_running_text(groups, i - 1)
                # Far wider than the column it would end: printed across it.
                or last.width
                > 1.4 * max(groups[i - 1][-1].width, groups[i - 1][-1].local_width)
            )
        ):
            i -= 1
            continue
        break
    return i + 1


# A sentence opens with these (a date, a preposition, a connective); a
# 小标题 names a theme instead.
_SENTENCE_OPENING_RE = re.compile(
    r"^(?:\d|[在对从为当据随经截近今去明前]|随着|按照|根据|通过|围绕|针对|目前|同时|此外|另外|其中)"
)


def _single_subhead(line: Line, nxt: Line, following: float) -> bool:
    """A one-line 小标题 on a column-wrapped page: short of the column by
    more than a paragraph's indent, not stretched to it, a phrase of its own
    (quotes closed, no sentence opening) that the next line does not go on
    from."""
    text = line.clean
    return (
        is_heading_like(line)
        and not ends_dangling(text)
        and not line.justified
        # The next line opens a paragraph: indented, so not quite full.
        and not nxt.terminal
        and nxt.width >= 0.8 * nxt.local_width
        and line.width <= following - 3
        and text.count("“") == text.count("”")
        and not _SENTENCE_OPENING_RE.match(text)
        and not reads_on(text, nxt.clean)
    )


def _opens_running_text(groups: list[list[Line]], i: int) -> bool:
    """A short line of a narrow column (beside a picture) rather than a
    headline: a word runs on from it into the next printed line, which is
    no headline itself (为破解暑期留守儿 / 童“看护难、教育缺”的)."""
    if len(groups[i]) != 1 or i + 1 >= len(groups):
        return False
    line, nxt = groups[i][0], groups[i + 1][0]
    return (
        nxt.gap <= 1
        and (not is_heading_like(nxt) or ends_dangling(nxt.clean))
        and reads_on(line.text, nxt.text)
    )


def _no_text_follows(groups: list[list[Line]], i: int) -> bool:
    """What comes after group i is not a paragraph of running text: the
    page's end, a headline, or another short sentence."""
    if i + 1 >= len(groups):
        return True
    nxt = groups[i + 1][0]
    return is_heading_like(nxt) or (nxt.terminal and nxt.width <= 40)


def _set_apart(group: list[Line]) -> bool:
    first = group[0]
    return (
        len(group) == 2
        and first.lead
        and not BRIEF_RE.match(first.clean)
        and not is_box_line(group[1].text)
    )


def _credit_line(line: Line) -> bool:
    return bool(by.photo_credit(line.text))


def _headline_gap(groups: list[list[Line]]) -> int:
    """Blank lines a page with headlines above their bodies leaves under a
    headline, when it leaves more than between paragraphs (0 when not)."""
    gaps = [
        groups[i + 1][0].gap
        for i, g in enumerate(groups[:-1])
        if all(map(is_heading_like, g))
    ]
    body_gaps = [
        g[0].gap
        for prev, g in zip(groups, groups[1:], strict=False)
        if not any(map(is_heading_like, (*prev, *g)))
    ]
    usual = sorted(body_gaps)[len(body_gaps) // 2] if body_gaps else 1
    wide = [g for g in gaps if g > usual]
    return min(wide) if len(wide) >= 2 else 0


def _following_width(groups: list[list[Line]], i: int, count: int = 4) -> float:
    """Typical width of the lines after group i: the column a headline
    printed above them would stand over."""
    # The first `count` lines only, not every line to the page's end.
    widths = islice((ln.width for g in islice(groups, i + 1, None) for ln in g), count)
    widths = sorted(w for w in widths if w >= 6)
    return widths[len(widths) // 2] if widths else 0.0
