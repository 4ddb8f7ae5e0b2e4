"""From page text to articles: find the headline areas, cut the running text
into bodies, match headlines to bodies, then bylines, captions and entities.
"""

import re
from dataclasses import dataclass, field

from . import bylines as by
from .entities import Gazetteer, find_places, find_programs, find_tags
from .headings import (
    Candidate,
    ZoneCaption,
    caption_marked,
    is_box_line,
    is_subtitle_line,
    read_zone,
    split_doubled,
)
from .layout import (
    Line,
    blocks,
    is_heading_like,
    is_spaced,
    paragraph_per_line,
    read_lines,
)
from .matching import Matcher, assign
from .model import Leftover, ParsedArticle, ParsedByline, ParsedCaption, ParsedPage
from .text import clean_inline, compact, ends_sentence, has_cjk, visual_length
from .words import ends_dangling, reads_on

__all__ = ["Gazetteer", "parse_page"]

# Flags (the codes Article.Flag uses).
NO_HEADLINE = "no_headline"
JOINED = "joined_continuation"
POSSIBLE_CONTINUATION = "possible_continuation"
UNKNOWN_BYLINE = "unknown_byline"
NEW_PROGRAM = "new_program"
NEW_PLACE = "new_place"
WEAK_HEADLINE = "weak_headline"

HEADLINE_THRESHOLD = 0.3
WEAK_HEADLINE_SCORE = 0.45
WEAK_MATCH = 0.15
WRAPPED_HALF_SCORE = 0.25
KICKER_MAX = 12  # characters: a label, not a sentence
HEADLINE_EXPECTED_BONUS = 0.1
CAPTION_THRESHOLD = 0.35
# A caption goes to an article only when that article clearly wins: its score
# at least this far above the runner-up's, proportionally.
CAPTION_RUNNER_UP_RATIO = 0.55
PHOTO_STORY_MAX = 300
# Captions printed right under a photo story's credit belong to it: how far
# below its last line (blank lines included) they may stand.
CAPTION_FOLLOW_LINES = 8
CAPTION_SURE = 0.5  # a word match this strong outweighs standing under a credit

BRIEF_RE = re.compile(r"^\s*本报讯")
_HARD_TERMINAL = "。…；"
# Characters a sentence does not start with: a block opening with one of them
# continues a sentence begun elsewhere on the page.
_CONTINUING_START = set(
    "，、。；：！？）》”’的地得了着过和与及或并而则也都就才又还把被让给向在是为"
)


@dataclass
class Segment:
    """A run of body lines that the page prints as one article's text."""

    lines: list[Line] = field(default_factory=list)
    subheads: set[int] = field(default_factory=set)  # line numbers
    after_zone: int | None = None  # zone printed straight above, if any
    parts: list["Segment"] = field(default_factory=list)  # joined continuations

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def last(self) -> Line:
        return self.lines[-1]


def parse_page(text: str, *, gazetteer: Gazetteer | None = None) -> ParsedPage:
    """Parse one page's text into articles, captions and leftovers.

    Pure and deterministic: the same text and gazetteer give the same result.
    Every printed character ends up in a body, a headline block, a byline,
    a caption or the page's leftovers.
    """
    gazetteer = gazetteer or Gazetteer()
    lines = read_lines(text)
    page = ParsedPage()
    if not lines:
        return page
    spaced = is_spaced(lines)
    per_line = paragraph_per_line(lines)
    groups = blocks(lines, spaced)
    roles = _classify(groups, spaced, per_line)

    segments, zones, mid_captions = _segments_and_zones(groups, roles)
    segments = _split_at_continuations(segments)

    candidates: list[Candidate] = []
    zone_captions: list[ZoneCaption] = list(mid_captions)
    for zone_id, zone_lines in enumerate(zones):
        cands, caps, leftovers = read_zone(zone_lines, zone_id)
        candidates.extend(cands)
        zone_captions.extend(caps)
        page.leftovers.extend(leftovers)
    for order, cand in enumerate(candidates):
        cand.order = order

    pairs = [(seg, _article_from_segment(seg, per_line)) for seg in segments]
    for _, art in pairs:
        if not art.body and art.byline_text:
            page.leftovers.append(Leftover("byline", art.byline_text, art.first_line))
    pairs = [(seg, art) for seg, art in pairs if art.body]
    segments = [seg for seg, _ in pairs]
    articles = [art for _, art in pairs]
    matcher = _matcher(articles)
    _match_headlines(articles, segments, candidates, matcher, page)
    articles = _join_continuations(segments, articles, per_line)
    matcher = _matcher(articles)
    page.captions = _captions(zone_captions, articles, matcher, page)
    for position, article in enumerate(articles):
        article.position = position
        _entities(article, gazetteer)
        if not article.headline:
            article.flags.append(NO_HEADLINE)
            article.suggested_headline = _suggest_headline(article.body)
        article.flags = list(dict.fromkeys(article.flags))
    page.articles = articles
    return page


# --- layout roles ---------------------------------------------------------

BODY, ZONE, CAPTION, SUBHEAD = "body", "zone", "caption", "subhead"


def _ends_article(line: Line) -> bool:
    """The line closes an article: a byline or a photo credit at its end."""
    if by.split_end_byline(line.text)[1]:
        return True
    return bool(by.photo_credit(line.text) or by.split_end_credit(line.text)[1])


def _body_terminal(group: list[Line]) -> bool:
    last = group[-1]
    if any(is_subtitle_line(ln.text) or is_box_line(ln.text) for ln in group):
        return False
    if split_doubled(last.text):
        return False
    if _ends_article(last):
        return True
    text = last.clean
    if not ends_sentence(text):
        return False
    stripped = text.rstrip("”’）」』》\"')")
    if stripped and stripped[-1] in _HARD_TERMINAL:
        return True
    # ！ and ？ also end short headlines; trust them in running text only.
    return "，" in text or last.width >= 0.8 * last.local_width


def _classify(
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
        structural = any(
            is_subtitle_line(ln.text) or is_box_line(ln.text) for ln in group
        )
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
            and not _ends_article(first)
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
            and not _ends_article(first)
            and first.width <= 40
            and _no_text_follows(groups, i)
            and (
                _credit_line(groups[i - 1][-1])
                or roles[i - 1] == CAPTION
                or (per_line and _ends_article(groups[i - 1][-1]))
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
            all(is_heading_like(ln) for ln in group)
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
                and not _ends_article(groups[i - 1][-1])
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
                _ends_article(group[-1]) or (above_style and group[-1].terminal)
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
        if (
            line.terminal
            or is_subtitle_line(line.text)
            or is_box_line(line.text)
            or split_doubled(line.text)
        ):
            return False
        if BRIEF_RE.match(groups[k][0].clean):
            return True
        if not is_heading_like(line):
            # One wide line straight after an article's byline, then a
            # sentence: a headline over a caption, not a two-line article.
            before = groups[k - 1][-1] if k else None
            return chain > 0 or not (before and _ends_article(before))
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
            and not _ends_article(last)
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
        if all(is_heading_like(ln) for ln in g)
    ]
    body_gaps = [
        g[0].gap
        for prev, g in zip(groups, groups[1:], strict=False)
        if not any(is_heading_like(ln) for ln in (*prev, *g))
    ]
    usual = sorted(body_gaps)[len(body_gaps) // 2] if body_gaps else 1
    wide = [g for g in gaps if g > usual]
    return min(wide) if len(wide) >= 2 else 0


def _following_width(groups: list[list[Line]], i: int, count: int = 4) -> float:
    """Typical width of the lines after group i: the column a headline
    printed above them would stand over."""
    widths = [ln.width for g in groups[i + 1 :] for ln in g][:count]
    widths = sorted(w for w in widths if w >= 6)
    return widths[len(widths) // 2] if widths else 0.0


def _segments_and_zones(groups, roles):
    """Cut body lines into segments and collect headline areas and the
    captions printed among the text."""
    segments: list[Segment] = []
    zones: list[list[Line]] = []
    captions: list[ZoneCaption] = []
    body_lines = [
        ln
        for g, r in zip(groups, roles, strict=True)
        if r in (BODY, SUBHEAD)
        for ln in g
    ]
    leads_common = sum(1 for ln in body_lines if ln.lead) > 0.25 * max(
        len(body_lines), 1
    )
    current: Segment | None = None
    prev_role = None
    for group, role in zip(groups, roles, strict=True):
        if role == ZONE:
            if prev_role == ZONE and zones:
                zones[-1].extend(group)
            else:
                zones.append(list(group))
            current = None
        elif role == CAPTION:
            text = clean_inline("".join(compact(ln.text) for ln in group))
            doubled = split_doubled(group[0].text) if len(group) == 1 else None
            for cap in doubled or [text]:
                captions.append(ZoneCaption(cap, group[0].no, 10_000 + group[0].no))
            # The PDF's second copies, so de-duplication keeps them in view.
            for cap in doubled or []:
                captions.append(ZoneCaption(cap, group[0].no, 10_000 + group[0].no))
        else:
            for line in group:
                starts_new = (
                    current is None
                    or BRIEF_RE.match(line.clean)
                    or _ends_article(current.last)
                    or (
                        line.lead
                        and not leads_common
                        and (
                            current.last.terminal
                            # An indent after a line cut mid-sentence: that
                            # text goes on elsewhere, a new piece starts here.
                            or not reads_on(current.last.text, line.text)
                        )
                    )
                )
                if starts_new:
                    current = Segment(
                        after_zone=len(zones) - 1 if prev_role == ZONE else None
                    )
                    segments.append(current)
                current.lines.append(line)
                if role == SUBHEAD:
                    current.subheads.add(line.no)
        prev_role = role if role != CAPTION else prev_role
    return segments, zones, captions


# --- continuations ----------------------------------------------------------


def _ends_mid(seg: Segment) -> bool:
    return not seg.last.terminal and not _ends_article(seg.last)


def _starts_mid(seg: Segment) -> bool:
    first = seg.first
    if first.lead or BRIEF_RE.match(first.clean):
        return False
    return bool(first.clean) and first.clean[0] in _CONTINUING_START


def _split_at_continuations(segments: list[Segment]) -> list[Segment]:
    """An article cut mid-word (…留守儿 / 童，占全村…) goes on where a line
    reads on from its last one, even when that line follows the end of
    another article's paragraph with no byline between: it starts a piece
    of its own there, for the continuation join to find."""
    out = list(segments)
    for seg in segments:
        if not _ends_mid(seg):
            continue
        at = out.index(seg)
        for other in out[at + 1 :]:
            cut_at = next(
                (
                    k
                    for k in range(1, len(other.lines))
                    if other.lines[k - 1].terminal
                    and not other.lines[k].lead
                    and other.lines[k].no not in other.subheads
                    and reads_on(seg.last.text, other.lines[k].text)
                ),
                None,
            )
            if cut_at is not None:
                rest = Segment(
                    lines=other.lines[cut_at:],
                    subheads={n for n in other.subheads if n >= other.lines[cut_at].no},
                )
                other.lines = other.lines[:cut_at]
                out.insert(out.index(other) + 1, rest)
                break
    return out


def _join_continuations(
    segments: list[Segment], articles: list[ParsedArticle], per_line: bool
):
    """An article interrupted by another continues further down the page: a
    body that stops mid-sentence joins the first later body that has no
    headline of its own and is not a brief (preferring one that opens
    mid-sentence).  Joins are flagged for staff; a body left hanging is
    flagged as a possible continuation."""
    taken: set[int] = set()
    result: list[ParsedArticle] = []
    for i, seg in enumerate(segments):
        if i in taken:
            continue
        head = articles[i]
        tail = seg
        while _ends_mid(tail):
            free = [
                j
                for j in range(i + 1, len(segments))
                if j not in taken
                and not articles[j].headline
                and not BRIEF_RE.match(segments[j].first.clean)
                and not segments[j].first.lead
            ]
            partner = next(
                (j for j in free if reads_on(tail.last.text, segments[j].first.text)),
                next(
                    (j for j in free if _starts_mid(segments[j])),
                    free[0] if free else None,
                ),
            )
            if partner is None:
                break
            taken.add(partner)
            seg.parts.append(segments[partner])
            tail = segments[partner]
        if seg.parts:
            joined = _article_from_segment(seg, per_line)
            joined.headline, joined.kicker, joined.subtitle = (
                head.headline,
                head.kicker,
                head.subtitle,
            )
            if not any(b for b in joined.bylines) and head.bylines:
                joined.bylines = head.bylines
            flags = [f for f in head.flags if f != POSSIBLE_CONTINUATION]
            joined.flags = list(dict.fromkeys([*flags, *joined.flags]))
            result.append(joined)
        else:
            result.append(head)
    return result


# --- bodies -----------------------------------------------------------------


def _paragraphs(lines: list[Line], subheads: set[int], per_line: bool) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []

    def flush():
        if current:
            paragraphs.append(_join_lines(current))
            current.clear()

    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if line.no in subheads:
            prev = lines[i - 1] if i else None
            if not (prev and prev.no in subheads and line.gap == 0):
                flush()  # a two-line subhead is one paragraph
            current.append(line.text)
            if nxt is None or nxt.no not in subheads or nxt.gap > 0:
                flush()
            continue
        current.append(line.text)
        if nxt is None:
            continue
        if per_line:
            # A paragraph a line: one that stops mid-sentence was cut by a
            # column break and goes on in the next.
            if line.terminal or nxt.lead or BRIEF_RE.match(nxt.clean):
                flush()
        elif line.terminal and (
            (line.width < max(line.local_width, nxt.width) - 1.5 and not line.justified)
            or nxt.lead
            or BRIEF_RE.match(nxt.clean)
            or _indented(nxt, line, lines[i + 2] if i + 2 < len(lines) else None)
        ):
            flush()
    flush()
    return [p for p in paragraphs if p]


def _indented(line: Line, before: Line, after: Line | None) -> bool:
    """A paragraph's first line is set in by its indent: shorter than the
    full lines around it although the sentence runs on (the PDF's text
    layer often drops the indent's spaces, not the shortening)."""
    return (
        after is not None
        and not line.terminal
        and not line.justified
        and line.width <= max(before.width, after.width) - 1.5
    )


def _join_lines(parts: list[str]) -> str:
    out = parts[0].strip()
    for part in parts[1:]:
        part = part.strip()
        if (
            out
            and part
            and out[-1].isascii()
            and out[-1].isalpha()
            and part[0].isascii()
            and part[0].isalpha()
        ):
            out += " " + part
        else:
            out += part
    return out


def _article_from_segment(seg: Segment, per_line: bool) -> ParsedArticle:
    pieces = [seg, *seg.parts]
    paragraphs: list[str] = []
    for index, piece in enumerate(pieces):
        more = _paragraphs(piece.lines, piece.subheads, per_line)
        if index and paragraphs and more:
            # The sentence cut off at the interruption goes on here.
            paragraphs[-1] = _join_lines([paragraphs[-1], more.pop(0)])
        paragraphs.extend(more)
    article = ParsedArticle(
        body="", first_line=seg.first.no, last_line=pieces[-1].last.no
    )
    credits: list[ParsedByline] = []
    printed: list[str] = []
    if paragraphs:
        first, start_bylines, raw = by.cut_start_byline(paragraphs[0])
        if start_bylines:
            paragraphs[0] = first
            article.bylines.extend(start_bylines)
            printed.append(raw)
        last, end_bylines, raw = by.cut_end_byline(paragraphs[-1])
        if not end_bylines:
            if by.photo_credit(paragraphs[-1]):
                last, credits, raw = (
                    "",
                    by.photo_credit(paragraphs[-1]),
                    paragraphs[-1].strip(),
                )
            else:
                last, credits, raw = by.cut_end_credit(paragraphs[-1])
        paragraphs[-1] = last.strip()
        article.bylines.extend(end_bylines)
        article.bylines.extend(credits)
        if raw:
            printed.append(raw)
    article.byline_text = " ".join(printed)
    paragraphs = [clean_inline(p) for p in paragraphs]
    article.body = "\n\n".join(p for p in paragraphs if p)
    if credits and len(compact(article.body)) <= PHOTO_STORY_MAX:
        article.kind = "photo"
    elif BRIEF_RE.match(article.body):
        article.kind = "brief"
    if seg.parts:
        article.flags.append(JOINED)
    elif _ends_mid(seg) or _starts_mid(seg):
        article.flags.append(POSSIBLE_CONTINUATION)
    if any(not b.certain for b in article.bylines):
        article.flags.append(UNKNOWN_BYLINE)
    return article


# --- headlines ----------------------------------------------------------------


def _matcher(articles: list[ParsedArticle]) -> Matcher:
    return Matcher(
        [a.body + " " + " ".join(b.name for b in a.bylines) for a in articles]
    )


def _leftover_candidate(cand: Candidate) -> list[Leftover]:
    """An unmatched headline block, every part of it, for staff to use."""
    items = [Leftover("headline", cand.headline, cand.first_line)]
    if cand.kicker:
        items.append(Leftover("headline", cand.kicker, cand.first_line))
    if cand.subtitle:
        items.append(Leftover("headline", "——" + cand.subtitle, cand.first_line))
    if cand.byline_text:
        items.append(Leftover("byline", cand.byline_text, cand.first_line))
    return items


def _match_headlines(articles, segments, candidates, matcher, page):
    if not articles or not candidates:
        for cand in candidates:
            page.leftovers.extend(_leftover_candidate(cand))
        return
    candidates[:] = _join_wrapped_headlines(candidates, matcher)
    candidates[:] = _kickers_matching_nothing(candidates, matcher)
    scores = []
    for cand in candidates:
        row = matcher.scores(cand.match_text())
        for j, seg in enumerate(segments):
            if (
                seg.after_zone is not None
                and seg.after_zone == cand.zone
                and row[j] > 0.15
            ):
                last_in_zone = max(c.order for c in candidates if c.zone == cand.zone)
                if cand.order == last_in_zone:
                    row[j] += 0.1  # printed straight above this body
            if cand.bylines:
                names = {b.name for b in articles[j].bylines}
                if names and names == {b.name for b in cand.bylines}:
                    row[j] += 0.1
                elif not names:
                    row[j] += 0.05
            if row[j] >= WEAK_MATCH and articles[j].kind != "brief":
                # A report or feature is printed with a headline; a 本报讯
                # brief often is not.  Weak evidence still counts for one.
                row[j] += HEADLINE_EXPECTED_BONUS
        scores.append(row)
    chosen = assign(scores, HEADLINE_THRESHOLD)
    by_article: dict[int, Candidate] = {}
    for row, col in chosen.items():
        by_article[col] = candidates[row]
    # A headline printed as two separate lines: the unmatched line next to a
    # matched one, pointing at the same body, is its other half.
    for row, cand in enumerate(candidates):
        if row in chosen or cand.subtitle or cand.bylines or cand.kicker:
            continue
        best = max(range(len(articles)), key=lambda j: scores[row][j])
        owner = by_article.get(best)
        if (
            owner is None
            or scores[row][best] < HEADLINE_THRESHOLD
            or owner.zone != cand.zone
        ):
            continue
        if abs(owner.order - cand.order) == 1:
            if cand.order < owner.order:
                owner.before.append(cand.headline)
            else:
                owner.extra.append(cand.headline)
            chosen[row] = best
    # A headline set with its 引题 or 副题 is a headline for sure: when no
    # body fits it well, it still goes to the untitled report or photo story
    # it fits best (flagged weak), never to a 本报讯 brief.
    for row, cand in enumerate(candidates):
        if row in chosen or not (cand.subtitle or cand.kicker):
            continue
        free = [
            j
            for j, a in enumerate(articles)
            if j not in by_article
            and a.kind != "brief"
            and scores[row][j] > WEAK_MATCH / 2
        ]
        ranked = sorted(free, key=lambda j, row=row: _fit(scores[row][j], articles[j]))
        if ranked and (
            len(ranked) == 1
            or _fit(scores[row][ranked[-1]], articles[ranked[-1]])
            > _fit(scores[row][ranked[-2]], articles[ranked[-2]])
        ):
            chosen[row] = ranked[-1]
            by_article[ranked[-1]] = cand
    for row, cand in enumerate(candidates):
        if row not in chosen:
            page.leftovers.extend(_leftover_candidate(cand))
    for col, cand in by_article.items():
        article = articles[col]
        article.headline = cand.headline
        article.kicker = cand.kicker
        article.subtitle = cand.subtitle
        if not article.bylines:
            article.bylines = list(cand.bylines)
        if cand.byline_text:
            article.byline_text = " ".join(
                t for t in (cand.byline_text, article.byline_text) if t
            )
        if any(not b.certain for b in cand.bylines):
            article.flags.append(UNKNOWN_BYLINE)
        row = candidates.index(cand)
        if scores[row][col] < WEAK_HEADLINE_SCORE:
            article.flags.append(WEAK_HEADLINE)


def _fit(score: float, article: ParsedArticle) -> tuple:
    """How well a headline fits a body, photographed bodies first on a tie:
    a photo story is always printed with a headline."""
    return (score, any(b.role == "photographer" for b in article.bylines))


def _kickers_matching_nothing(candidates: list[Candidate], matcher) -> list:
    """A short line straight above a headline with its 副题 that no body
    shares a word with is that headline's 引题 (a column's label such as
    新春走基层), not a headline of its own."""
    out: list[Candidate] = []
    for cand in candidates:
        prev = out[-1] if out else None
        if (
            prev is not None
            and cand.subtitle
            and not cand.kicker
            and not prev.subtitle
            and not prev.bylines
            and not prev.kicker
            and len(prev.lines) == 1
            and prev.zone == cand.zone
            and 0 < cand.first_line - prev.last_line <= 2
            and visual_length(prev.headline) <= KICKER_MAX
            and max(matcher.scores(prev.headline), default=0.0) < WEAK_MATCH
        ):
            cand.kicker = prev.headline
            out[-1] = cand
            continue
        out.append(cand)
    for order, cand in enumerate(out):
        cand.order = order
    return out


def _best(row: list[float]) -> int:
    return max(range(len(row)), key=lambda j: row[j])


def _join_wrapped_headlines(candidates: list[Candidate], matcher) -> list[Candidate]:
    """Column-wrapped pages print a long headline as two lines with the same
    blank line between them as between two headlines.  Two neighbouring
    lines are one headline when both point to the same body (neither fits
    another body better) and, read together, they fit it at least as well:
    two headlines of their own point to two bodies."""
    out: list[Candidate] = []
    for cand in candidates:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.zone == cand.zone
            and not prev.subtitle
            and not prev.bylines
            and not cand.kicker
            and 0 < cand.first_line - prev.last_line <= 2
        ):
            first = matcher.scores(prev.match_text())
            second = matcher.scores(cand.match_text())
            both = matcher.scores(
                " ".join(
                    p
                    for p in (prev.kicker, prev.headline + cand.headline, cand.subtitle)
                    if p
                )
            )
            j = _best(both)
            if (
                both[j] >= HEADLINE_THRESHOLD
                # Each half has words of its own in that body…
                and min(first[j], second[j]) >= WRAPPED_HALF_SCORE
                # …and fits no other body better.
                and first[j] >= max(first) - 0.01
                and second[j] >= max(second) - 0.01
            ):
                if reads_on(prev.lines[-1].text, cand.lines[0].text):
                    cand.lines = [*prev.lines, *cand.lines]  # cut mid-word
                    cand.before = [*prev.before, *cand.before]
                else:  # two phrases: 念好“五字诀” 丰富“主题党日”内涵
                    cand.before = [prev.headline, *cand.before]
                cand.kicker = prev.kicker
                out[-1] = cand
                continue
        out.append(cand)
    for order, cand in enumerate(out):
        cand.order = order
    return out


def _suggest_headline(body: str) -> str:
    text = BRIEF_RE.sub("", body).strip()
    sentence = re.split(r"[。！？\n]", text, maxsplit=1)[0]
    if len(sentence) > 30:
        clause = re.split(r"[，；：]", sentence)
        sentence = clause[0] if 6 <= len(clause[0]) <= 30 else sentence[:30]
    return sentence.strip("“”\"' ")


# --- captions -----------------------------------------------------------------


def _captions(
    zone_captions: list[ZoneCaption], articles, matcher, page
) -> list[ParsedCaption]:
    seen: set[str] = set()
    unique: list[ZoneCaption] = []
    for cap in zone_captions:
        key = compact(cap.text)
        if key and key not in seen:
            seen.add(key)
            unique.append(cap)
        elif key:
            page.leftovers.append(Leftover("duplicate", cap.text, cap.line))
    unique.sort(key=lambda c: c.line)
    choices: list[int | None] = []
    confident: dict[int, int] = {}
    for cap in unique:
        key = compact(cap.text)
        owner = None
        verbatim = [j for j, a in enumerate(articles) if key in compact(a.body)]
        if len(verbatim) == 1:
            owner = verbatim[0]
        elif articles:
            row = matcher.scores(cap.text)
            ranked = sorted(range(len(row)), key=lambda j: row[j], reverse=True)
            best = ranked[0]
            second = row[ranked[1]] if len(ranked) > 1 else 0.0
            if (
                row[best] >= CAPTION_THRESHOLD
                and second <= CAPTION_RUNNER_UP_RATIO * row[best]
            ):
                owner = best
            credited = _after_credit(cap, articles)
            if credited is not None and (owner is None or row[owner] < CAPTION_SURE):
                # Printed under the photo whose credit it follows: that
                # outweighs a middling share of words with another article.
                owner = credited
        choices.append(owner)
        if owner is not None:
            confident.setdefault(cap.group, owner)
    result = []
    for position, (cap, owner) in enumerate(zip(unique, choices, strict=True)):
        if owner is None:
            owner = confident.get(cap.group)  # printed on one line with a clear one
        if owner is None:
            owner = _caption_neighbour(cap, articles, matcher)
        result.append(
            ParsedCaption(text=cap.text, article_index=owner, position=position)
        )
    return result


def _after_credit(cap: ZoneCaption, articles) -> int | None:
    """The photographed article whose credit line the caption follows
    closely: captions are printed under their photos, the credit with them."""
    before = [
        j
        for j, a in enumerate(articles)
        if any(b.role == "photographer" for b in a.bylines)
        and 0 < cap.line - a.last_line <= CAPTION_FOLLOW_LINES
    ]
    return before[-1] if before else None


def _caption_neighbour(cap: ZoneCaption, articles, matcher) -> int | None:
    """A caption no article clearly claims: the article it shares the most
    with, if it shares anything."""
    if not articles:
        return None
    row = matcher.scores(cap.text)
    best = max(range(len(row)), key=lambda j: row[j])
    return best if row[best] >= CAPTION_THRESHOLD / 2 else None


# --- entities -----------------------------------------------------------------


def _entities(article: ParsedArticle, gazetteer: Gazetteer) -> None:
    text = "\n".join(
        p
        for p in (article.kicker, article.headline, article.subtitle, article.body)
        if p
    )
    article.places = find_places(text, gazetteer)
    if any(not p.known for p in article.places):
        article.flags.append(NEW_PLACE)
    known, proposed = find_programs(text, gazetteer)
    article.programs = known
    article.new_programs = proposed
    if proposed:
        article.flags.append(NEW_PROGRAM)
    article.tags = find_tags(text) if has_cjk(text) else []
