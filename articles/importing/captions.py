"""Each caption found once and given to the article it belongs to: by its
words, by the photo credit it is printed under, or by what it shares most.
Pure Python."""

from .headings import ZoneCaption
from .model import Leftover, ParsedCaption
from .text import compact

CAPTION_THRESHOLD = 0.35
# A caption goes to an article only when that article clearly wins: its score
# at least this far above the runner-up's, proportionally.
CAPTION_RUNNER_UP_RATIO = 0.55
# Captions printed right under a photo story's credit belong to it: how far
# below its last line (blank lines included) they may stand.
CAPTION_FOLLOW_LINES = 8
CAPTION_SURE = 0.5  # a word match this strong outweighs standing under a credit


def attach_captions(
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
    # Once, not once a caption (and not at all on a page without captions).
    bodies = [compact(a.body) for a in articles] if unique else []
    for cap in unique:
        key = compact(cap.text)
        owner = None
        verbatim = [j for j, body in enumerate(bodies) if key in body]
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
