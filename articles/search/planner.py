"""Choosing how to answer a search: list every match from the index, or
walk the archive in date order and check each article, by which the
backend's estimates say is cheaper; ranking and the facets' sample follow
from the plan.  No SQL of its own: every statement is the backend's."""

import math
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..models import Article, SearchChunk
from .backends import backend
from .query import ParsedQuery

COUNT_CAP = 10_000  # browsing: larger counts are the engine's estimate (PostgreSQL)
# A query with more matches is "broad": walked, its count estimated; up to
# here the index lists (and counts) every match, so smaller counts are exact.
EXACT_CAP = 10_000
RANK_CAP = 500  # result sets up to this size are ranked on their text
TITLE_CAP = 2_000  # headline hits of a broad query listed at least (grows with √N)
FACET_CAP = 1_000  # facets of larger result sets count the newest this many
FACET_WALK = 100  # broad searches: facets count the newest this many matches
# Broad searches: the count is the hit rate of a walk to this many matches
# (matches / articles read) times the articles passing the filters.  The
# error of a rate from k matches is about 1/sqrt(k): 400 keeps 95% of
# estimates within ±10%.
COUNT_WALK = 400
# An estimate this close to EXACT_CAP may hide a count below it: counted.
COUNT_MARGIN = 1.25
COUNT_READ = 4_000  # … reading at most this many articles for it (rarer: fewer)
WALK_SLACK = 4  # walk this many times the articles the estimate needs
WALK_MIN = 5_000  # … but at least this many before giving up on it
BASE_EXACT = 20_000  # filtered archives estimated smaller than this are counted


def search_page(
    *, query: ParsedQuery, articles: QuerySet, sort: str, offset: int, size: int
) -> "SearchPage":
    """The page of `articles` (already filtered) matching `query`, in
    `sort` order ("relevance", "newest", "oldest"), from `offset`.  With no
    query, the articles by date, counted exactly up to COUNT_CAP."""
    if query:
        return _search_page(articles, query, sort, offset, size)
    base = articles
    count = base.order_by().values("pk")[: COUNT_CAP + 1].count()
    estimate = count > COUNT_CAP
    if estimate:
        # Counting a large filtered archive exactly takes a scan; the
        # engine's estimate is shown as one (SQLite counts: small).
        planned = backend().estimate_count(base)
        count, estimate = (
            (max(planned, COUNT_CAP), True) if planned else (base.count(), False)
        )
    order = ("pub_date", "id") if sort == "oldest" else ("-pub_date", "-id")
    ids = list(
        base.order_by(*order).values_list("pk", flat=True)[offset : offset + size]
    )
    facet_ids = base.order_by().values("pk")
    sampled = count > FACET_CAP
    if sampled:
        facet_ids = _newest_ids(base, FACET_CAP)
    return SearchPage(ids, count, estimate, facet_ids, sampled)


def relevance(title: list[int], body: list[int], body_length: int) -> float:
    """Term frequency with a bonus for the headline block, on normalised
    text (as the index stores it): from each term's count in the headline
    block and in the body."""
    return sum(
        3 * t + min(b, 20) / (1 + body_length / 2000)
        for t, b in zip(title, body, strict=True)
    )


def _newest_ids(base, limit: int) -> list[int]:
    return list(base.order_by("-pub_date", "-id").values_list("pk", flat=True)[:limit])


@dataclass
class SearchPage:
    """One page of results: its ids in order, the count of all (or an
    estimate), and the ids the facets count (all, or a sample)."""

    ids: list[int]
    count: int
    estimate: bool
    facet_ids: "list[int] | QuerySet"
    sampled: bool


def _search_page(base, query, sort: str, offset: int, size: int) -> SearchPage:
    """One page of a text search, by the cheaper of two plans.

    The index lists every match (exact count, ranking, facets) — its cost
    grows with the number of matches.  Or the articles are walked newest
    first and each is checked — its cost grows with the number of articles
    passed over, about (offset + size) / share.  PostgreSQL's statistics of
    common lexemes estimate the share; without them (SQLite) the index
    answers and the walk is the fallback for broad terms."""
    plan = _Plan(query, base)
    if plan.walk_beats_index(offset + size):
        try:
            return _walked_page(base, query, sort, offset, size, plan)
        except _WalkTooLong:
            return _listed_page(base, query, sort, offset, size, cap=None)
    if plan.checks_each_article:
        return _listed_page(
            base, query, sort, offset, size, cap=None, by_article=True, plan=plan
        )
    page = _listed_page(base, query, sort, offset, size, cap=EXACT_CAP, plan=plan)
    if page is not None:
        return page
    # More matches than the statistics promised: walk after all.
    if plan.share is not None:
        plan.share = max(plan.share, EXACT_CAP / plan.total)
    try:
        return _walked_page(base, query, sort, offset, size, plan)
    except _WalkTooLong:
        return _listed_page(base, query, sort, offset, size, cap=None)


def _listed_page(
    base, query, sort: str, offset: int, size: int, cap, by_article=False, plan=None
) -> "SearchPage | None":
    """A page from the full list of matches the index gives (or, when
    `by_article`, from checking the text of each article of a small
    filtered archive); None when there are more than `cap`."""
    matched = backend().matching(query, base, per_article=by_article)
    how, ids = "filter" if by_article else "index", None
    if plan is not None and cap and plan.base_total < plan.total:
        # Filtered: the index's matches of the rarest term, listed first,
        # are checked against the filters and the other terms one by one
        # (the planner, asked for both at once, may read the term's index
        # again for every article the filter gives: 26 ms for `业位` in
        # 交城县 at 1,000,000 articles).
        found = backend().candidates(query, limit=cap)
        if found is not None:
            lead, ids = found
            matched = backend().matching(
                query.without(lead), backend().among(base, ids), per_article=True
            )
            how = "ids"
    rows = matched.order_by().values_list("pk", "pub_date")
    # A relevance page of few matches is ranked on each one's term counts,
    # which come with the list.
    terms = [t.text for t in query.terms] if sort == "relevance" else []
    if ids == []:
        rows, counts = [], None  # the rarest term is nowhere: nothing to check
    elif by_article and terms and plan and plan.base_total <= 2 * RANK_CAP:
        # A small filtered archive: each article's texts read once for both
        # whether it matches and its counts (a term counted is a term found).
        rows, counts = backend().scan_counted(base, query)
        counts = counts if len(rows) <= RANK_CAP else None
    else:
        rows, counts = backend().fetch_counted(
            rows[: cap + 1] if cap else rows, how, terms, RANK_CAP
        )
    if cap and len(rows) > cap:
        return None
    days = {pk: day.toordinal() if day else 0 for pk, day in rows}
    newest = sorted(days, key=lambda pk: (days[pk], pk), reverse=True)
    if sort == "newest":
        ordered = newest
    elif sort == "oldest":
        ordered = newest[::-1]
    elif counts is not None:
        ordered = _ranked(newest, query, days, counts)
    elif len(newest) > EXACT_CAP or not query.terms:
        ordered = newest  # a fallback's long list, or nothing to rank by
    else:
        # Too many to score on their text: headline-block hits first.
        titled = set(_title_hit_ids(query, newest))
        ordered = [pk for pk in newest if pk in titled]
        ordered += [pk for pk in newest if pk not in titled]
    return SearchPage(
        ids=ordered[offset : offset + size],
        count=len(rows),
        estimate=False,
        facet_ids=newest[:FACET_CAP],
        sampled=len(newest) > FACET_CAP,
    )


def _title_hit_ids(query, ids: list[int]) -> list[int]:
    titled = backend().matching(
        ParsedQuery(terms=query.terms),
        Article.objects.filter(pk__in=backend().id_set(ids)),
        kind=SearchChunk.Kind.TITLE,
        per_article=True,
    )
    return [pk for (pk,) in backend().fetch(titled.values_list("pk"), "walk")]


def _title_hits_newest(base, query, wanted: int, plan) -> list[int]:
    """The newest `wanted` matches (all, when there are fewer) with every
    term in the headline block.  A term found in few headlines gives the
    candidates straight from the headline index; when every term is in
    many, walking the archive finds them sooner.  (If even that walk runs
    long, the page goes by date alone.)"""
    title = SearchChunk.Kind.TITLE
    # Listing a term's T headline hits costs about T; walking to `wanted`
    # of them about wanted × articles / T: listing is cheaper while T is
    # under sqrt(wanted × articles) (4,500 for a page of 20 in 1,000,000).
    cap = max(TITLE_CAP, int(math.sqrt(wanted * plan.total)))
    fewest, listed = None, None
    for term in query.terms:
        ids = backend().chunk_article_ids(term, kind=title, limit=cap + 1)
        if len(ids) <= cap and (fewest is None or len(ids) < len(fewest)):
            fewest, listed = ids, term
    newest = ("-pub_date", "-id")
    if fewest is None:
        # Each term is in more than `cap` headlines; all of them together,
        # in fewer: a tenth of the terms' share is the guess.
        rate = plan.hit_rate / 10
        if len(query.terms) == 1:
            rate = max(rate, min(1.0, cap / plan.total) * plan.in_base)
        try:
            return _walk(base, query, newest, 0, wanted, rate, kind=title)[0]
        except _WalkTooLong:
            return []
    if not fewest:
        return []
    # The listed term is in each candidate's headline block already.  The
    # newest first, in date order, each looked for in the list, stopping at
    # `wanted` (rather than every candidate looked up and sorted: 20 → 2 ms
    # for the 4,478 headlines holding `县` at 1,000,000).
    checked = backend().matching(
        query.without(listed),
        backend().among(base, fewest),
        kind=title,
        per_article=True,
    )
    rows = checked.order_by(*newest).values_list("pk")[:wanted]
    return [pk for (pk,) in backend().fetch(rows, "walk")]


class _Plan:
    """What the statistics say about a query over `base` (PostgreSQL)."""

    def __init__(self, query, base):
        self.share = backend().estimated_share(query)  # of all articles
        self.total = max(backend().article_total() or 1, 1)
        self.in_base = 1.0  # share of articles that pass the filters
        self.base_total = self.total  # articles that pass them (estimated)
        if self.share is not None:
            # A narrow filter (a village, a person) is counted: cheap
            # through its index, and the estimate of it can be far off.
            self.base_total = backend().filtered_total(base, exact_below=BASE_EXACT)
            self.in_base = min(1.0, self.base_total / self.total)
        # What an earlier count's walk of this query over these filters
        # found (matches, articles read), while the statistics are kept.
        self.rate = backend().remembered_walk(query, base)

    @property
    def hit_rate(self) -> float:
        """The share of walked articles expected to match."""
        return max((self.share or 0) * self.in_base, 1e-9)

    @property
    def samples_by_walking(self) -> bool:
        """Are the count's and the facets' matches (the newest) walked to?
        With statistics, always: the count of a walked page is its walk's
        hit rate, so the page is taken from that walk rather than from one
        of its own over the same newest articles (PM2.5 at 1,000,000: a
        7 ms walk less).  Without them, where the walk is an index query
        (SQLite)."""
        return backend().walks_by_index or self.share is not None

    @property
    def checks_each_article(self) -> bool:
        """Is the filtered archive smaller than the term's matches in the
        whole archive?  Then reading each of its articles' text is cheaper
        than listing the matches through the index."""
        return self.share is not None and self.base_total < self.share * self.total

    def walk_beats_index(self, wanted: int) -> bool:
        """Is walking to `wanted` matches cheaper than listing them all (or
        checking each article of a small filtered archive)?  A tie goes to
        the walk: a share measured up to the cap is a lower bound, so the
        walk can only be shorter and the list longer."""
        if self.share is None:
            return False
        listing = min(self.share * self.total, self.base_total)
        return wanted / self.hit_rate <= listing


def _walked_page(base, query, sort: str, offset: int, size: int, plan) -> SearchPage:
    """A page of a broad result set without listing all of it; the count
    is estimated from the walk's own hit rate, and facets count a sample of
    the matches (the newest, when walking to them is cheap; else the first
    the index gives)."""
    ids, walked = _broad_page(base, query, sort, offset, size, plan)
    if walked is None and plan.share is not None:
        walked = _walk_to_count(base, query, 0, plan)
    if plan.share is not None:
        if walked is not None and walked.counts and walked.read is not None:
            backend().remember_walk(query, base, len(walked.ids), walked.read)
        count, estimate = _walked_count(walked, plan, offset + len(ids))
        if estimate and count < EXACT_CAP * COUNT_MARGIN:
            # Few enough to count on the index (as a list would have).
            matched = backend().matching(query, base)
            count, estimate = backend().count(matched, "index"), False
    else:
        count, estimate = backend().matching(query, base).count(), False
    sample = walked.ids[:FACET_WALK] if walked and walked.ids else None
    if sample is None:
        sample = backend().some_matching(query, base, limit=FACET_WALK)
    return SearchPage(ids, count, estimate, sample, sampled=count > len(sample))


@dataclass
class _Walked:
    """The newest matches a walk found, and how many articles it read for
    them (None: every article there is)."""

    ids: list[int]
    read: int | None
    titled: list[int] = field(default_factory=list)  # when asked for
    counts: bool = True  # walked far enough for the count's hit rate


def _walk_to_count(
    base, query, needed: int, plan, titles: bool = False
) -> "_Walked | None":
    """Walk newest first to COUNT_WALK matches — FACET_WALK when the
    count's hit rate is remembered — and at least the `needed` the caller's
    page takes, reading at most WALK_MIN articles for the count (more only
    as far as the page needs); None when even the needed ones are too far.
    With `titles`, the matches with every term in the headline block too."""
    # The count's hit rate, when an earlier walk of the same search gave it,
    # needs no walk of its own: then only the page's and the facets'
    # matches are walked to.
    counts = plan.rate is None
    wanted = max(needed, COUNT_WALK if counts else FACET_WALK)
    count_bound = max(WALK_MIN, min(COUNT_READ, int(wanted / plan.hit_rate)))
    page_bound = int(WALK_SLACK * max(needed, 1) / plan.hit_rate)
    # The count reads `count_bound` articles at most; the page's matches,
    # when the statistics expect them there, are taken from the same walk
    # (PM2.5 at 1,000,000: 5,000 articles read, not the page's 8,000), and
    # only if they are not is the walk made again as far as the page needs.
    bounds = [count_bound] if needed / plan.hit_rate <= count_bound else []
    if page_bound > count_bound:
        bounds.append(page_bound)
    ordered = base.order_by("-pub_date", "-id")
    for bound in bounds or [count_bound]:
        titled = []
        if titles:
            ids, cut, read, titled = backend().walk_titled(
                ordered, query, size=wanted, bound=bound
            )
        else:
            ids, cut, read = backend().walk(
                ordered, query, offset=0, size=wanted, bound=bound
            )
        if not (cut and len(ids) < needed):
            return _Walked(ids, read, titled, counts)
    return None


def _walked_count(walked: "_Walked | None", plan, at_least: int) -> tuple[int, bool]:
    """The count of a broad search: exact when the walk read every article
    there is; else its hit rate (or the remembered one of an earlier count's
    walk) times the articles that pass the filters (the engine's estimate
    of them); the statistics' guess without a walk."""
    if walked is not None and walked.read is None:
        return max(len(walked.ids), at_least), False
    if walked is not None and not walked.counts:
        matches, read = plan.rate
        count = round(matches / read * plan.base_total)
    elif walked is not None and walked.ids:
        count = round(len(walked.ids) / walked.read * plan.base_total)
    else:
        count = round(plan.share * plan.in_base * plan.total)
    return max(count, at_least), True


def _ranked(ids: list[int], query, days: dict[int, int], counts) -> list[int]:
    """Headline-block hits first, then relevance on the normalised text the
    index keeps, then newest.  The database counts the terms in each text
    (`counts`, as `backend().term_counts` gives them): reading ~500 texts
    into Python to count them cost more than that."""
    keyed = []
    for pk in ids:
        title, body, length = counts.get(pk, (None, None, 0))
        title = title or [0] * len(query.terms)
        body = body or [0] * len(query.terms)
        hits = sum(1 for n in title if n)
        key = (-hits, -relevance(title, body, length), -days[pk], -pk)
        keyed.append((key, pk))
    keyed.sort()
    return [pk for _, pk in keyed]


class _WalkTooLong(Exception):
    """The walk passed far more articles than the estimate promised."""


def _walk(base, query, order, offset, size, hit_rate, kind=None):
    """Ids of a page of the matches in `base`, found by walking its
    articles in `order` and reading each one's text, and how many were
    read.  Raises _WalkTooLong when the matches are much rarer than
    `hit_rate` said, so the caller can ask the index instead."""
    bound = max(WALK_MIN, int(WALK_SLACK * (offset + size) / hit_rate))
    ids, cut, read = backend().walk(
        base.order_by(*order), query, offset=offset, size=size, bound=bound, kind=kind
    )
    if cut:
        raise _WalkTooLong
    return ids, read


def _broad_page(base, query, sort, offset: int, size: int, plan):
    """A page of a broad result set, newest (or oldest) first; for
    relevance, the articles with every term in the headline block first.
    Returns the page's ids and, when its walk went that far anyway, the
    newest matches for the count and the facets (else None)."""
    hit_rate = plan.hit_rate
    if sort == "oldest":
        return _walk(base, query, ("pub_date", "id"), offset, size, hit_rate)[0], None
    newest = ("-pub_date", "-id")
    walked = None
    if plan.samples_by_walking:
        # The count's and the facets' walk first, each match marked when
        # every term is in its headline block: the newest headline hits
        # are among the newest matches, so when there are enough of them
        # there the page needs neither the headline index nor a walk of
        # its own (two statements less for a common term).
        walked = _walk_to_count(
            base, query, offset + size, plan, titles=sort == "relevance"
        )
        if walked is None:
            raise _WalkTooLong
    titled = []
    if sort == "relevance":
        if walked is not None and (
            len(walked.titled) >= offset + size or walked.read is None
        ):
            titled = walked.titled
        else:
            titled = _title_hits_newest(base, query, offset + size, plan)
    if offset + size <= len(titled):
        return titled[offset : offset + size], walked
    head = titled[offset:]
    skip, need = max(0, offset - len(titled)), size - len(head)
    if walked is None:
        rest = base.exclude(pk__in=backend().id_set(titled)) if titled else base
        return head + _walk(rest, query, newest, skip, need, hit_rate)[0], None
    # The newest matches hold the rest of the page once the headline hits
    # among them are set aside.
    first = set(titled)
    rest = [pk for pk in walked.ids if pk not in first]
    if len(rest) < skip + need and walked.read is not None:
        walked = _walk_to_count(base, query, len(titled) + skip + need, plan)
        if walked is None:
            raise _WalkTooLong
        rest = [pk for pk in walked.ids if pk not in first]
    return head + rest[skip : skip + need], walked
