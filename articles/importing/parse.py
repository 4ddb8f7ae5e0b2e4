"""From page text to articles: the page's lines and blocks (layout), the role
of each block (roles), bodies and paragraphs (segments), headline areas
(headings), headlines matched to bodies (headlines), captions (captions),
then bylines and entities.  `parse_page` runs the steps in that order.
"""

from .captions import attach_captions
from .codes import NEW_PLACE, NEW_PROGRAM, NO_HEADLINE
from .entities import Gazetteer, find_places, find_programs, find_tags
from .headings import Candidate, ZoneCaption, read_zone
from .headlines import make_matcher, match_headlines, suggest_headline
from .layout import blocks, is_spaced, paragraph_per_line, read_lines
from .model import Leftover, ParsedArticle, ParsedPage
from .roles import classify
from .segments import (
    article_from_segment,
    join_continuations,
    segments_and_zones,
    split_at_continuations,
)
from .text import has_cjk
from .words import cut

__all__ = ["Gazetteer", "parse_page"]


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
    roles = classify(groups, spaced, per_line)

    segments, zones, mid_captions = segments_and_zones(groups, roles)
    segments = split_at_continuations(segments)

    candidates: list[Candidate] = []
    zone_captions: list[ZoneCaption] = list(mid_captions)
    for zone_id, zone_lines in enumerate(zones):
        cands, caps, leftovers = read_zone(zone_lines, zone_id)
        candidates.extend(cands)
        zone_captions.extend(caps)
        page.leftovers.extend(leftovers)
    for order, cand in enumerate(candidates):
        cand.order = order

    pairs = [(seg, article_from_segment(seg, per_line)) for seg in segments]
    for _, art in pairs:
        if not art.body and art.byline_text:
            page.leftovers.append(Leftover("byline", art.byline_text, art.first_line))
    pairs = [(seg, art) for seg, art in pairs if art.body]
    segments = [seg for seg, _ in pairs]
    articles = [art for _, art in pairs]
    matcher = make_matcher(articles)
    match_headlines(articles, segments, candidates, matcher, page, zone_captions)
    articles = join_continuations(segments, articles, per_line)
    matcher = make_matcher(articles, like=matcher)
    page.captions = attach_captions(zone_captions, articles, matcher, page)
    for position, article in enumerate(articles):
        article.position = position
        _entities(article, gazetteer)
        if not article.headline:
            article.flags.append(NO_HEADLINE)
            article.suggested_headline = suggest_headline(article.body)
        article.flags = list(dict.fromkeys(article.flags))
    page.articles = articles
    return page


# --- entities -----------------------------------------------------------------


def _entities(article: ParsedArticle, gazetteer: Gazetteer) -> None:
    text = "\n".join(
        p
        for p in (article.kicker, article.headline, article.subtitle, article.body)
        if p
    )
    # One cut of the text for the three finders: jieba's segmentation is
    # the costliest step they share.
    words = cut(text)
    article.places = find_places(text, gazetteer, words=words)
    if any(not p.known for p in article.places):
        article.flags.append(NEW_PLACE)
    known, proposed = find_programs(text, gazetteer, words=words)
    article.programs = known
    article.new_programs = proposed
    if proposed:
        article.flags.append(NEW_PROGRAM)
    article.tags = find_tags(text, words=words) if has_cjk(text) else []
