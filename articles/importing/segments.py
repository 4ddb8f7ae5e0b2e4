"""Running text cut into articles' bodies: segments of body lines, the
continuations of articles interrupted by others, and paragraphs rebuilt from
the column (short last lines, indents, 小标题).  Pure Python."""

from dataclasses import dataclass, field

from . import bylines as by
from .codes import JOINED, POSSIBLE_CONTINUATION, UNKNOWN_BYLINE
from .headings import ZoneCaption, split_doubled
from .layout import Line
from .model import ParsedArticle, ParsedByline
from .roles import BODY, BRIEF_RE, CAPTION, SUBHEAD, ZONE, ends_article
from .text import clean_inline, clean_printed, compact
from .words import reads_on

PHOTO_STORY_MAX = 300
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


def segments_and_zones(groups, roles):
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
    gaps = sorted(ln.gap for ln in body_lines[1:])
    usual_gap = gaps[len(gaps) // 2] if gaps else 1
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
                last = current.last if current is not None else None
                starts_new = (
                    last is None
                    or BRIEF_RE.match(line.clean)
                    or ends_article(last)
                    # Set apart by more blank lines than the page leaves
                    # between paragraphs: another article begins.
                    or (line.gap >= usual_gap + 2 and last.terminal)
                    or (
                        line.lead
                        and not leads_common
                        and (
                            last.terminal
                            # An indent after a line cut mid-sentence: that
                            # text goes on elsewhere, a new piece starts here.
                            or not reads_on(last.text, line.text)
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
    return not seg.last.terminal and not ends_article(seg.last)


def _starts_mid(seg: Segment) -> bool:
    first = seg.first
    if first.lead or BRIEF_RE.match(first.clean):
        return False
    return bool(first.clean) and first.clean[0] in _CONTINUING_START


def split_at_continuations(segments: list[Segment]) -> list[Segment]:
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


def join_continuations(
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
            joined = article_from_segment(seg, per_line)
            joined.headline, joined.kicker, joined.subtitle = (
                head.headline,
                head.kicker,
                head.subtitle,
            )
            if not any(b for b in joined.bylines) and head.bylines:
                joined.bylines = head.bylines
            # A byline the headline block gave (□ 记者…) is in no segment:
            # reading the joined body again would drop it as printed.
            if head.byline_text and head.byline_text not in joined.byline_text:
                joined.byline_text = " ".join(
                    p for p in (joined.byline_text, head.byline_text) if p
                )
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


def article_from_segment(seg: Segment, per_line: bool) -> ParsedArticle:
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
    # Made of the lines' printed text, whose width is normalized and whose
    # control characters are gone already: clean_inline's remaining steps.
    paragraphs = [clean_printed(p) for p in paragraphs]
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
