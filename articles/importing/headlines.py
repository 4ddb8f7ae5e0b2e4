"""Which headline goes with which body: wrapped headlines joined, 引题 found,
then one headline per body by an optimal assignment over the words they
share; weak evidence is flagged, never hidden.  Pure Python."""

import re

from .codes import UNKNOWN_BYLINE, WEAK_HEADLINE
from .headings import Candidate
from .matching import Matcher, assign
from .model import Leftover, ParsedArticle
from .roles import BRIEF_RE
from .text import visual_length
from .words import reads_on

HEADLINE_THRESHOLD = 0.3
WEAK_HEADLINE_SCORE = 0.45
WEAK_MATCH = 0.15
WRAPPED_HALF_SCORE = 0.25
KICKER_MAX = 12  # characters: a label, not a sentence
HEADLINE_EXPECTED_BONUS = 0.1
# Captions printed within this many lines under a headline are its photos';
# one that clearly belongs to a body lends that body this much.
PHOTO_BLOCK_LINES = 8
CAPTION_CLEAR = 0.35  # and twice the runner-up's
PHOTO_BLOCK_BONUS = 0.15


def make_matcher(
    articles: list[ParsedArticle], *, like: Matcher | None = None
) -> Matcher:
    """`like`: the matcher made for the page before its bodies were joined;
    the bodies that stayed as they were are not prepared twice."""
    return Matcher(
        [a.body + " " + " ".join(b.name for b in a.bylines) for a in articles],
        like=like,
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


def match_headlines(articles, segments, candidates, matcher, page, captions=()):
    if not articles or not candidates:
        for cand in candidates:
            page.leftovers.extend(_leftover_candidate(cand))
        return
    candidates[:] = _join_wrapped_headlines(candidates, matcher)
    candidates[:] = _kickers_matching_nothing(candidates, matcher)
    photos = _photo_owners(candidates, captions, matcher)
    scores = []
    for k, cand in enumerate(candidates):
        row = matcher.scores(cand.match_text())
        for j in photos.get(k, ()):
            # Its photos' captions, printed with it, point to this body.
            row[j] += PHOTO_BLOCK_BONUS
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
    # A headline set with its 引题 or 副题, or printed over its photos, is a
    # headline for sure: when no body fits it well, it still goes to the
    # untitled report or photo story it fits best (flagged weak), never to
    # a 本报讯 brief.
    for row, cand in enumerate(candidates):
        if row in chosen or not (cand.subtitle or cand.kicker or row in photos):
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


def _photo_owners(candidates, captions, matcher) -> dict[int, set[int]]:
    """The bodies the captions printed straight under a headline clearly
    belong to: a headline stands with its story's photos."""
    owners: dict[int, set[int]] = {}
    for k, cand in enumerate(candidates):
        nxt = candidates[k + 1].first_line if k + 1 < len(candidates) else None
        for cap in captions:
            if not (0 < cap.line - cand.last_line <= PHOTO_BLOCK_LINES):
                continue
            if nxt is not None and cap.line > nxt:
                continue
            row = matcher.scores(cap.text)
            ranked = sorted(range(len(row)), key=lambda j: row[j], reverse=True)
            best = ranked[0]
            second = row[ranked[1]] if len(ranked) > 1 else 0.0
            if row[best] >= CAPTION_CLEAR and second <= 0.5 * row[best]:
                owners.setdefault(k, set()).add(best)
    return owners


def _fit(score: float, article: ParsedArticle) -> tuple:
    """How well a headline fits a body, photographed bodies first on a tie:
    a photo story is always printed with a headline."""
    return (score, any(b.role == "photographer" for b in article.bylines))


def _kickers_matching_nothing(candidates: list[Candidate], matcher) -> list:
    """A short line straight above a headline with its 副题 that no body
    shares a word with is that headline's 引题 (a column's label such as
    新春走基层), not a headline of its own."""

    def take_kicker(prev: Candidate, cand: Candidate) -> bool:
        if (
            cand.subtitle
            and not cand.kicker
            and not prev.subtitle
            and not prev.bylines
            and not prev.kicker
            and len(prev.lines) == 1
            and visual_length(prev.headline) <= KICKER_MAX
            and max(matcher.scores(prev.headline), default=0.0) < WEAK_MATCH
        ):
            cand.kicker = prev.headline
            return True
        return False

    return _fold_neighbours(candidates, take_kicker)


def _fold_neighbours(candidates: list[Candidate], fold) -> list[Candidate]:
    """Walk the candidates in print order; where `fold(prev, cand)` takes the
    line printed just above (same headline area, at most one blank line
    between) into `cand`, the two become one.  Orders are renumbered."""
    out: list[Candidate] = []
    for cand in candidates:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.zone == cand.zone
            and 0 < cand.first_line - prev.last_line <= 2
            and fold(prev, cand)
        ):
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

    def join(prev: Candidate, cand: Candidate) -> bool:
        if prev.subtitle or prev.bylines or cand.kicker:
            return False
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
        if not (
            both[j] >= HEADLINE_THRESHOLD
            # Each half has words of its own in that body…
            and min(first[j], second[j]) >= WRAPPED_HALF_SCORE
            # …and fits no other body better.
            and first[j] >= max(first) - 0.01
            and second[j] >= max(second) - 0.01
        ):
            return False
        if reads_on(prev.lines[-1].text, cand.lines[0].text):
            cand.lines = [*prev.lines, *cand.lines]  # cut mid-word
            cand.before = [*prev.before, *cand.before]
        else:  # two phrases: 念好“五字诀” 丰富“主题党日”内涵
            cand.before = [prev.headline, *cand.before]
        cand.kicker = prev.kicker
        return True

    return _fold_neighbours(candidates, join)


def suggest_headline(body: str) -> str:
    text = BRIEF_RE.sub("", body).strip()
    sentence = re.split(r"[。！？\n]", text, maxsplit=1)[0]
    if len(sentence) > 30:
        clause = re.split(r"[，；：]", sentence)
        sentence = clause[0] if 6 <= len(clause[0]) <= 30 else sentence[:30]
    return sentence.strip("“”\"' ")
