"""Reading the archive for the public site: only published articles."""

import json
import math
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404
from taggit.models import Tag, TaggedItem

from people.models import Byline, Person

from . import reprints, search
from .models import Article, Place, Program, RetiredSlug, SearchChunk


def _with_relations(qs: QuerySet) -> QuerySet:
    return qs.select_related("page").prefetch_related(
        Prefetch(
            "bylines",
            queryset=Byline.objects.select_related("person").order_by("order", "id"),
        ),
    )


def article_list_public() -> QuerySet:
    return _with_relations(Article.objects.published().order_by("-pub_date", "-id"))


def confirmed_entities() -> list[Prefetch]:
    """An article's places and programs as readers may see them: the ones
    staff confirmed (proposed names wait in the admin)."""
    return [
        Prefetch("places", queryset=Place.objects.filter(is_confirmed=True)),
        Prefetch("programs", queryset=Program.objects.filter(is_confirmed=True)),
    ]


def _public_article_queryset() -> QuerySet:
    """A published article with everything its page and the API show."""
    return (
        Article.objects.published()
        .select_related("page", "page__issue")
        .prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("person").order_by(
                    "order", "id"
                ),
            ),
            *confirmed_entities(),
            "tags",
            "captions",
        )
    )


def article_get_public(*, slug: str) -> Article:
    return get_object_or_404(_public_article_queryset(), slug=slug)


def article_moved_to(*, slug: str) -> str | None:
    """The current address of a published article that once had `slug`."""
    return (
        RetiredSlug.objects.filter(slug=slug, article__status=Article.Status.PUBLISHED)
        .values_list("article__slug", flat=True)
        .first()
    )


def place_descendant_ids(place: Place) -> list[int]:
    """The place and every confirmed place under it (交城县 → its towns and
    villages), in one recursive statement rather than a round trip per
    level.  UNION (not UNION ALL) ends the walk even if the gazetteer ever
    held a loop.  The place facets count up the same confirmed paths.
    Kept on the instance: the public check and the filter both need it."""
    if getattr(place, "_descendant_ids", None) is not None:
        return place._descendant_ids
    table = Place._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE under(id) AS (SELECT id FROM {table} WHERE id = %s UNION "
            f"SELECT p.id FROM {table} p JOIN under u ON p.parent_id = u.id "
            "WHERE p.is_confirmed) SELECT id FROM under",
            [place.pk],
        )
        place._descendant_ids = [row[0] for row in cursor.fetchall()]
    return place._descendant_ids


# The things with a public page: a person, place, program or tag exists for
# readers only while a published article names it (a place: it or a place
# under it), and a place or program only once staff confirmed it.  The
# pages, the feeds and the search filters all look them up here.


def _published_ids() -> QuerySet:
    return Article.objects.published().values("pk")


def place_get_public(*, slug: str) -> Place:
    place = get_object_or_404(
        Place.objects.select_related("parent"), slug=slug, is_confirmed=True
    )
    links = Article.places.through.objects.filter(
        place_id__in=place_descendant_ids(place), article_id__in=_published_ids()
    )
    if not links.exists():
        raise Http404("没有这个地点的已发布稿件")
    return place


def program_get_public(*, slug: str) -> Program:
    program = get_object_or_404(Program, slug=slug, is_confirmed=True)
    if not program.articles.published().exists():
        raise Http404("没有这个政策项目的已发布稿件")
    return program


def person_get_public(*, slug: str) -> Person:
    person = get_object_or_404(Person, slug=slug)
    if not person.bylines.filter(article__status=Article.Status.PUBLISHED).exists():
        raise Http404("没有这个人物的已发布稿件")
    return person


def tag_get_public(*, slug: str) -> Tag:
    tag = get_object_or_404(Tag, slug=slug)
    tagged = TaggedItem.objects.filter(
        tag=tag,
        content_type=ContentType.objects.get_for_model(Article),
        object_id__in=_published_ids(),
    )
    if not tagged.exists():
        raise Http404("没有这个标签的已发布稿件")
    return tag


def place_descendant_slugs(*, slug: str) -> list[str]:
    """Slugs of the confirmed places under the place `slug` (not itself)."""
    table = Place._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE under(id, slug) AS (SELECT p.id, p.slug FROM {table} p "
            f"JOIN {table} t ON p.parent_id = t.id WHERE t.slug = %s AND p.is_confirmed "
            f"UNION SELECT p.id, p.slug FROM {table} p JOIN under u ON p.parent_id = u.id "
            "WHERE p.is_confirmed) SELECT slug FROM under",
            [slug],
        )
        return [row[0] for row in cursor.fetchall()]


def place_counts_rolled_up(places: list[Place]) -> dict[int, int]:
    """Published articles per place, as its page counts them (named with it
    or with a confirmed place under it, once each), in one statement."""
    if not places:
        return {}
    place = Place._meta.db_table
    link = Article.places.through._meta.db_table
    article = Article._meta.db_table
    marks = ", ".join(["%s"] * len(places))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE under(root, id) AS (SELECT id, id FROM {place} "
            f"WHERE id IN ({marks}) UNION SELECT u.root, p.id FROM {place} p "
            "JOIN under u ON p.parent_id = u.id WHERE p.is_confirmed) "
            f"SELECT u.root, COUNT(DISTINCT l.article_id) FROM under u "
            f"JOIN {link} l ON l.place_id = u.id "
            f"JOIN {article} a ON a.id = l.article_id AND a.status = %s "
            "GROUP BY u.root",
            [*(p.pk for p in places), Article.Status.PUBLISHED],
        )
        return dict(cursor.fetchall())


def place_children_public(place: Place) -> list[Place]:
    """The places directly under `place` that have a public page."""
    published = Article.objects.published().values("pk")
    children = []
    for child in place.children.filter(is_confirmed=True).order_by("name"):
        links = Article.places.through.objects.filter(
            place_id__in=place_descendant_ids(child), article_id__in=published
        )
        if links.exists():
            children.append(child)
    return children


def articles_for_place(place: Place) -> QuerySet:
    links = Article.places.through.objects.filter(
        place_id__in=place_descendant_ids(place)
    )
    return article_list_public().filter(pk__in=links.values("article_id"))


def articles_for_program(program: Program) -> QuerySet:
    return article_list_public().filter(programs=program)


def articles_for_person(person: Person) -> QuerySet:
    return article_list_public().filter(
        pk__in=Byline.objects.filter(person=person).values("article_id")
    )


def articles_for_tag(slug: str) -> QuerySet:
    tagged = TaggedItem.objects.filter(
        tag__slug=slug, content_type=ContentType.objects.get_for_model(Article)
    )
    return article_list_public().filter(pk__in=tagged.values("object_id"))


# --- search ---------------------------------------------------------------------

COUNT_CAP = 10_000  # browsing: larger counts are the planner's estimate (PostgreSQL)
EXACT_CAP = 5_000  # a query with more matches is "broad": walked, estimated count
RANK_CAP = 500  # result sets up to this size are ranked on their text
TITLE_CAP = 2_000  # headline hits of a broad query listed at least (grows with √N)
FACET_CAP = 1_000  # facets of larger result sets count the newest this many
FACET_WALK = 100  # broad searches: facets count the newest this many matches
MAX_PAGE_SIZE = 100
SORTS = ("relevance", "newest", "oldest")


class SearchError(ValueError):
    """Bad search parameters; the message is for the reader."""


@dataclass
class Facet:
    param: str
    value: str
    label: str
    count: int


@dataclass
class SearchResult:
    query: "search.ParsedQuery"
    articles: list
    count: int
    count_is_estimate: bool
    page: int
    page_size: int
    sort: str
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    facets_are_sampled: bool = False
    facet_basis: int = 0  # how many of the results the facets counted

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _positive_int(value, name: str, default: int, maximum: int | None = None) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise SearchError(f"参数 {name} 应为正整数：{str(value)[:20]}") from None
    if number < 1:
        raise SearchError(f"参数 {name} 应为正整数：{number}")
    if maximum is not None and number > maximum:
        raise SearchError(f"参数 {name} 最大为 {maximum}")
    return number


def article_search(
    *, params, page_size_default: int = 20, with_entities: bool = False
) -> SearchResult:
    """Search and filter published articles.

    `params` is a mapping like request.GET: q, tag, place, person, program,
    kind, publication, year, month, sort, page, page_size.  Each article
    comes with its bylines; `with_entities` gives instead the names of its
    bylines, places, programs and tags as plain values (the API lists them;
    the results page does not).  Raises SearchError with a reader-facing message for bad
    parameters.
    """
    from .filters import ArticleFilter

    try:
        query = search.parse_query(params.get("q", ""))
    except search.QueryError as exc:
        raise SearchError(str(exc)) from exc
    sort = params.get("sort") or ("relevance" if query.terms else "newest")
    if sort not in SORTS:
        raise SearchError(f"未知的排序方式：{sort[:20]}")
    page = _positive_int(params.get("page"), "page", 1, maximum=100_000)
    page_size = _positive_int(
        params.get("page_size"), "page_size", page_size_default, MAX_PAGE_SIZE
    )

    filterset = ArticleFilter(params, queryset=Article.objects.published())
    if not filterset.is_valid():
        raise SearchError(_errors(filterset.errors))
    base = filterset.qs
    if filterset.errors:
        raise SearchError(_errors(filterset.errors))
    offset = (page - 1) * page_size
    if not query:
        count = base.order_by().values("pk")[: COUNT_CAP + 1].count()
        estimate = count > COUNT_CAP
        if estimate:
            # Counting a large filtered archive exactly takes a scan; the
            # planner's estimate is shown as one (SQLite counts: small).
            planned = search.estimate_count(base)
            count, estimate = (
                (max(planned, COUNT_CAP), True) if planned else (base.count(), False)
            )
        order = ("pub_date", "id") if sort == "oldest" else ("-pub_date", "-id")
        ids = list(
            base.order_by(*order).values_list("pk", flat=True)[
                offset : offset + page_size
            ]
        )
        facet_ids = base.order_by().values("pk")
        sampled = count > FACET_CAP
        if sampled:
            facet_ids = _newest_ids(base, FACET_CAP)
    else:
        page_ = _search_page(base, query, sort, offset, page_size)
        ids, count, estimate = page_.ids, page_.count, page_.estimate
        facet_ids, sampled = page_.facet_ids, page_.sampled
    if with_entities:
        by_id = _with_entity_names(ids)
    else:
        by_id = _with_relations(Article.objects.filter(pk__in=ids)).in_bulk()
    articles = [by_id[i] for i in ids if i in by_id]
    for article in articles:
        article.headline_html = search.highlight(
            article.headline or article.title_excerpt, query.words
        )
        article.snippet_html = search.snippet(article.body, query.words)
    return SearchResult(
        query=query,
        articles=articles,
        count=count,
        count_is_estimate=estimate,
        page=page,
        page_size=page_size,
        sort=sort,
        facets=_facets(facet_ids, params),
        facets_are_sampled=sampled,
        facet_basis=len(facet_ids) if isinstance(facet_ids, list) else count,
    )


def _with_entity_names(ids: list[int]) -> dict[int, Article]:
    """Articles for the API, each with `names`: its bylines (name, role),
    confirmed places and programs, and tags as plain values.  Five queries
    and no related model instances: Django's prefetches of the same took
    about 30 ms for a page of 100 (most of the API's time)."""
    articles = Article.objects.filter(pk__in=ids).in_bulk()
    names = {
        pk: {"bylines": [], "places": [], "programs": [], "tags": []} for pk in ids
    }
    content_type = ContentType.objects.get_for_model(Article)
    rows = {
        "bylines": Byline.objects.filter(article_id__in=ids)
        .order_by("order", "id")
        .values_list("article_id", "person__name", "role"),
        "places": Article.places.through.objects.filter(
            article_id__in=ids, place__is_confirmed=True
        )
        .order_by("place__name")
        .values_list("article_id", "place__name"),
        "programs": Article.programs.through.objects.filter(
            article_id__in=ids, program__is_confirmed=True
        )
        .order_by("program__name")
        .values_list("article_id", "program__name"),
        "tags": TaggedItem.objects.filter(content_type=content_type, object_id__in=ids)
        .order_by("tag__name")
        .values_list("object_id", "tag__name"),
    }
    for key, found in rows.items():
        for pk, *value in found:
            names[pk][key].append(tuple(value) if len(value) > 1 else value[0])
    for pk, article in articles.items():
        article.names = names[pk]
    return articles


def _newest_ids(base, limit: int) -> list[int]:
    return list(base.order_by("-pub_date", "-id").values_list("pk", flat=True)[:limit])


@dataclass
class _Page:
    ids: list[int]
    count: int
    estimate: bool
    facet_ids: list[int]
    sampled: bool


def _search_page(base, query, sort: str, offset: int, size: int) -> _Page:
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
    page = _listed_page(base, query, sort, offset, size, cap=EXACT_CAP)
    if page is not None:
        return page
    # More matches than the statistics promised: walk after all.
    if plan.share is not None:
        plan.share = max(plan.share, EXACT_CAP / plan.total)
    try:
        return _walked_page(base, query, sort, offset, size, plan)
    except _WalkTooLong:
        return _listed_page(base, query, sort, offset, size, cap=None)


def _listed_page(base, query, sort: str, offset: int, size: int, cap) -> "_Page | None":
    """A page from the full list of matches the index gives; None when
    there are more than `cap`."""
    matched = search.matching(query, base)
    rows = matched.order_by().values_list("pk", "pub_date")
    with search.index_plan():
        rows = list(rows[: cap + 1] if cap else rows)
    if cap and len(rows) > cap:
        return None
    newest = [
        pk
        for pk, _ in sorted(
            rows, key=lambda r: (r[1].toordinal() if r[1] else 0, r[0]), reverse=True
        )
    ]
    if sort == "newest":
        ordered = newest
    elif sort == "oldest":
        ordered = newest[::-1]
    elif len(newest) <= RANK_CAP:
        ordered = _ranked(newest, query)
    elif len(newest) > EXACT_CAP:  # a fallback's long list: by date
        ordered = newest
    else:
        # Too many to score on their text: headline-block hits first.
        titled = set(_title_hit_ids(query, newest))
        ordered = [pk for pk in newest if pk in titled]
        ordered += [pk for pk in newest if pk not in titled]
    return _Page(
        ids=ordered[offset : offset + size],
        count=len(rows),
        estimate=False,
        facet_ids=newest[:FACET_CAP],
        sampled=len(newest) > FACET_CAP,
    )


def _title_hit_ids(query, ids: list[int]) -> list[int]:
    titled = search.matching(
        search.ParsedQuery(terms=query.terms),
        Article.objects.filter(pk__in=_id_set(ids)),
        kind=SearchChunk.Kind.TITLE,
        per_article=True,
    )
    with search.walk_plan():
        return list(titled.values_list("pk", flat=True))


def _title_hits_newest(base, query, wanted: int, plan) -> list[int]:
    """The newest matches (at least `wanted`, when there are) with every
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
        ids = search.chunk_article_ids(term, kind=title, limit=cap + 1)
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
            return _walk(base, query, newest, 0, wanted, rate, kind=title)
        except _WalkTooLong:
            return []
    # The listed term is in each candidate's headline block already.
    checked = search.matching(
        query.without(listed),
        base.filter(pk__in=_id_set(fewest)),
        kind=title,
        per_article=True,
    )
    with search.walk_plan():
        return list(checked.order_by(*newest).values_list("pk", flat=True))


class _Plan:
    """What the statistics say about a query over `base` (PostgreSQL)."""

    def __init__(self, query, base):
        self.share = search.estimated_share(query)  # of all articles
        self.total = max(search.article_total() or 1, 1)
        self.in_base = 1.0  # share of articles that pass the filters
        if self.share is not None:
            self.in_base = min(1.0, (search.estimate_count(base) or 0) / self.total)

    @property
    def hit_rate(self) -> float:
        """The share of walked articles expected to match."""
        return max((self.share or 0) * self.in_base, 1e-9)

    @property
    def samples_by_walking(self) -> bool:
        """Is the facets' sample (the newest matches) cheaper walked to than
        listed?  Always without statistics: SQLite's walk is an index query."""
        return connection.vendor != "postgresql" or self.walk_beats_index(FACET_WALK)

    def walk_beats_index(self, wanted: int) -> bool:
        """Is walking to `wanted` matches cheaper than listing them all?
        A tie goes to the walk: a share measured up to the cap is a lower
        bound, so the walk can only be shorter and the list longer."""
        if self.share is None:
            return False
        return wanted / self.hit_rate <= self.share * self.total


def _walked_page(base, query, sort: str, offset: int, size: int, plan) -> _Page:
    """A page of a broad result set without listing all of it; facets
    count a sample of the matches (the newest, when walking to them is
    cheap; else the first the index gives)."""
    ids, sample = _broad_page(base, query, sort, offset, size, plan)
    if plan.share is not None:
        count = round(plan.share * plan.in_base * plan.total)
        count = max(count, offset + len(ids))
        estimate = True
    else:
        count, estimate = search.matching(query, base).count(), False
    if sample is None and plan.samples_by_walking:
        try:
            sample = _walk(
                base, query, ("-pub_date", "-id"), 0, FACET_WALK, plan.hit_rate
            )
        except _WalkTooLong:
            pass
    if sample is None:
        sample = search.some_matching(query, base, limit=FACET_WALK)
    return _Page(ids, count, estimate, sample, sampled=count > len(sample))


def _ranked(ids: list[int], query) -> list[int]:
    """Headline-block hits first, then relevance on the normalised text the
    index keeps, then newest."""
    texts: dict[int, dict[str, str]] = {pk: {} for pk in ids}
    days = {}
    rows = SearchChunk.objects.filter(article_id__in=_id_set(ids)).values_list(
        "article_id", "kind", "text", "article__pub_date"
    )
    for pk, kind, text, day in rows:
        texts[pk][kind] = text
        days[pk] = day
    keyed = []
    for pk in ids:
        title = texts[pk].get(SearchChunk.Kind.TITLE, "")
        body = texts[pk].get(SearchChunk.Kind.BODY, "")
        day = days[pk].toordinal() if days.get(pk) else 0
        hits = sum(1 for t in query.terms if t.text in title)
        key = (-hits, -search.relevance(title, body, query), -day, -pk)
        keyed.append((key, pk))
    keyed.sort()
    return [pk for _, pk in keyed]


WALK_SLACK = 4  # walk this many times the articles the estimate needs
WALK_MIN = 5_000  # … but at least this many before giving up on it


class _WalkTooLong(Exception):
    """The walk passed far more articles than the estimate promised."""


def _walk(base, query, order, offset, size, hit_rate, kind=None) -> list[int]:
    """Ids of a page of the matches in `base`, found by walking its
    articles in `order` and reading each one's text.  Raises _WalkTooLong
    when the matches are much rarer than `hit_rate` said, so the caller can
    ask the index instead."""
    bound = max(WALK_MIN, int(WALK_SLACK * (offset + size) / hit_rate))
    ids, cut = search.walk(
        base.order_by(*order), query, offset=offset, size=size, bound=bound, kind=kind
    )
    if cut:
        raise _WalkTooLong
    return ids


def _broad_page(base, query, sort, offset: int, size: int, plan):
    """A page of a broad result set, newest (or oldest) first; for
    relevance, the articles with every term in the headline block first.
    Returns the page's ids and, when its walk went that far anyway, the
    newest FACET_WALK matches for the facets (else None)."""
    hit_rate = plan.hit_rate
    if sort == "oldest":
        return _walk(base, query, ("pub_date", "id"), offset, size, hit_rate), None
    titled = []
    if sort == "relevance":
        titled = _title_hits_newest(base, query, offset + size, plan)
    if offset + size <= len(titled):
        return titled[offset : offset + size], None
    head = titled[offset:]
    skip, need = max(0, offset - len(titled)), size - len(head)
    newest = ("-pub_date", "-id")
    if not plan.samples_by_walking:
        rest = base.exclude(pk__in=_id_set(titled)) if titled else base
        return head + _walk(rest, query, newest, skip, need, hit_rate), None
    # The newest matches hold the rest of the page once the headline hits
    # among them are set aside; walking on to the facets' sample in the same
    # statement saves walking the newest articles a second time.
    wanted = max(len(titled) + skip + need, FACET_WALK)
    walked = _walk(base, query, newest, 0, wanted, hit_rate)
    first = set(titled)
    rest = [pk for pk in walked if pk not in first]
    return head + rest[skip : skip + need], walked[:FACET_WALK]


def _id_set(ids: list[int]) -> RawSQL:
    """Ids as a subquery of one parameter, for `pk__in=`.  A list of
    thousands of ids costs the driver more than the database: psycopg
    splits the statement at each placeholder, and caches no statement
    longer than 4 KiB."""
    if connection.vendor == "postgresql":
        # As an array literal: psycopg takes 1 ms to adapt 4,000 ints.
        literal = "{" + ",".join(str(int(i)) for i in ids) + "}"
        return RawSQL("SELECT unnest(%s::bigint[])", [literal])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])


def _errors(errors) -> str:
    return "；".join(str(m) for messages in errors.values() for m in messages)


FACET_LABELS = {
    "tag": "标签",
    "place": "地点",
    "person": "人物",
    "program": "政策项目",
    "kind": "体裁",
    "publication": "报纸",
    "year": "年份",
    "month": "月份",
}


def _facets(ids, params) -> dict[str, list[Facet]]:
    """Counts per tag, place, person, program, kind, publication, year and
    month over `ids` (a list or a values("pk") queryset)."""
    names = [n for n in FACET_LABELS if n != "month" or params.get("year")]
    if isinstance(ids, list) and not ids:  # `IN ()` cannot be compiled
        return {name: [] for name in names}
    if isinstance(ids, list):
        ids = _id_set(ids)
    content_type = ContentType.objects.get_for_model(Article)
    scoped = Article.objects.filter(pk__in=ids)
    through = (Article.places.through, Article.programs.through)
    dated = scoped.exclude(pub_date__isnull=True)
    as_text = CharField()
    # Dates list every year (month) in calendar order; the rest their top 12.
    dated_labels = {"year": "{}年", "month": "{}月"}
    # name → rows of value `v` and label `l`, counted below
    lists = {
        "tag": TaggedItem.objects.filter(
            content_type=content_type, object_id__in=ids
        ).values(v=F("tag__slug"), l=F("tag__name")),
        "person": Byline.objects.filter(article_id__in=ids).values(
            v=F("person__slug"), l=F("person__name")
        ),
        "program": through[1]
        .objects.filter(article_id__in=ids, program__is_confirmed=True)
        .values(v=F("program__slug"), l=F("program__name")),
        "kind": scoped.values(v=F("kind"), l=F("kind")),
        "publication": scoped.exclude(page__publication="")
        .exclude(page__isnull=True)
        .values(v=F("page__publication"), l=F("page__publication")),
        "year": dated.values(
            v=Cast(ExtractYear("pub_date"), as_text),
            l=Cast(ExtractYear("pub_date"), as_text),
        ),
        "month": dated.values(
            v=Cast(ExtractMonth("pub_date"), as_text),
            l=Cast(ExtractMonth("pub_date"), as_text),
        ),
    }
    # One statement for all the lists: each is a millisecond of work for
    # the database but several for a round trip of its own.
    parts, sql_params = [], []
    for name in names:
        if name == "place":
            sql, part_params = _place_counts_sql(scoped.values("pk"))
        else:
            counted = "article_id" if name == "person" else "pk"
            rows = lists[name].annotate(n=Count(counted, distinct=name == "person"))
            if name not in dated_labels:
                rows = rows.order_by("-n", "l")[:12]
            sql, part_params = rows.query.sql_with_params()
        parts.append(f"SELECT '{name}', f.v, f.l, f.n FROM ({sql}) f")
        sql_params.extend(part_params)
    facets: dict[str, list[Facet]] = {name: [] for name in names}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), sql_params)
        for name, value, label, n in cursor.fetchall():
            facets[name].append(Facet(name, str(value), str(label), n))
    kinds = dict(Article.Kind.choices)
    for facet in facets["kind"]:
        facet.label = kinds.get(facet.value, facet.value)
    # UNION ALL keeps no order: each list sorted again.
    for name, found in facets.items():
        if name in dated_labels:
            for facet in found:
                facet.label = dated_labels[name].format(facet.value)
            found.sort(key=lambda f: int(f.value), reverse=name == "year")
        else:
            found.sort(key=lambda f: (-f.count, f.label))
    return facets


def _place_counts_sql(ids) -> tuple[str, list]:
    """The place facet, rolled up as the place filter is: a place counts
    each article named with it or with any confirmed place under it, once.
    Walks up from each article's places to their confirmed ancestors."""
    ids_sql, ids_params = ids.query.sql_with_params()
    place = Place._meta.db_table
    link = Article.places.through._meta.db_table
    sql = (
        "WITH RECURSIVE up(article_id, place_id) AS ("
        f"SELECT l.article_id, l.place_id FROM {link} l "
        f"JOIN {place} p ON p.id = l.place_id AND p.is_confirmed "
        f"WHERE l.article_id IN ({ids_sql}) "
        "UNION SELECT up.article_id, p.parent_id FROM up "
        f"JOIN {place} p ON p.id = up.place_id "
        f"JOIN {place} q ON q.id = p.parent_id AND q.is_confirmed) "
        "SELECT p.slug AS v, p.name AS l, COUNT(DISTINCT up.article_id) AS n "
        f"FROM up JOIN {place} p ON p.id = up.place_id "
        "GROUP BY p.slug, p.name ORDER BY n DESC, l LIMIT 12"
    )
    return sql, list(ids_params)


def articles_per_month(queryset) -> list[tuple[str, int]]:
    """(YYYY-MM, count) for a chart of articles per month: each article
    once, and every month from the first to the last, empty ones as 0."""
    rows = (
        Article.objects.filter(pk__in=queryset.order_by().values("pk"))
        .exclude(pub_date__isnull=True)
        .annotate(y=ExtractYear("pub_date"), m=ExtractMonth("pub_date"))
        .values("y", "m")
        .annotate(n=Count("pk"))
        .order_by("y", "m")
    )
    counts = {r["y"] * 12 + r["m"] - 1: r["n"] for r in rows}
    if not counts:
        return []
    return [
        (f"{i // 12}-{i % 12 + 1:02d}", counts.get(i, 0))
        for i in range(min(counts), max(counts) + 1)
    ]


def articles_filtered(params) -> QuerySet:
    """Published articles passing the public filters in `params` (as the
    search applies them), for the entity pages' month charts."""
    from .filters import ArticleFilter

    return ArticleFilter(params, queryset=Article.objects.published()).qs


# --- browsing -----------------------------------------------------------------


def most_covered(model, relation: str, limit: int = 10):
    """Confirmed places or programs with the most published articles.  A
    place's number is its page's: the articles named with it or with a
    place under it (the candidates are those most named themselves)."""

    def compute():
        published = Q(**{f"{relation}__status": Article.Status.PUBLISHED})
        found = list(
            model.objects.filter(is_confirmed=True)
            .annotate(n=Count(relation, filter=published))
            .filter(n__gt=0)
            .order_by("-n", "name")[:limit]
        )
        if model is Place:
            counts = place_counts_rolled_up(found)
            for place in found:
                place.n = counts.get(place.pk, 0)
            found.sort(key=lambda p: (-p.n, p.name))
        return found

    return cached(f"most-covered:{model._meta.label}:{limit}", compute)


def archive_years() -> list[tuple[int, int]]:
    return cached("archive-years", _archive_years)


def _archive_years() -> list[tuple[int, int]]:
    rows = (
        Article.objects.published()
        .exclude(pub_date__isnull=True)
        .annotate(y=ExtractYear("pub_date"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by("-y")
    )
    return [(r["y"], r["n"]) for r in rows]


def archive_months(year: int) -> list[tuple[int, int]]:
    rows = (
        Article.objects.published()
        .filter(pub_date__year=year)
        .annotate(m=ExtractMonth("pub_date"))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by("m")
    )
    return [(r["m"], r["n"]) for r in rows]


def article_neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """The published articles before and after this one on its page."""
    if article.page_id is None:
        return None, None
    same_page = Article.objects.published().filter(page_id=article.page_id)
    previous = (
        same_page.filter(position__lt=article.position).order_by("-position").first()
    )
    following = (
        same_page.filter(position__gt=article.position).order_by("position").first()
    )
    return previous, following


def related_articles(
    article: Article, limit: int = 5, *, same_piece: set[int] | None = None
) -> list[Article]:
    """Published articles sharing the most tags, places and programs.

    Candidates come from a bounded number of links per tag, place and
    program (newest first), and are scored in Python: joining the full link
    tables and counting over a large archive takes seconds."""
    content_type = ContentType.objects.get_for_model(Article)
    tag_ids = [t.pk for t in article.tags.all()]
    place_ids = [
        p.pk
        for p in article.places.all()
        if p.kind not in ("province", "prefecture", "county")
    ]
    program_ids = [p.pk for p in article.programs.all()]
    per_link = 200
    scores: dict[int, int] = {}
    sources = [
        TaggedItem.objects.filter(
            content_type=content_type, tag_id__in=tag_ids
        ).values_list("object_id", flat=True),
        Article.places.through.objects.filter(place_id__in=place_ids).values_list(
            "article_id", flat=True
        ),
        Article.programs.through.objects.filter(program_id__in=program_ids).values_list(
            "article_id", flat=True
        ),
    ]
    # Another printing of the same piece is no "related" article.
    if same_piece is None:
        same_piece = reprints.reprint_ids(article)
    for source, ids in zip(sources, (tag_ids, place_ids, program_ids), strict=True):
        if not ids:
            continue
        for other in source.order_by("-id")[:per_link]:
            if other != article.pk and other not in same_piece:
                scores[other] = scores.get(other, 0) + 1
    if not scores:
        return []
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -pk))[: limit * 4]
    found = _with_relations(Article.objects.published().filter(pk__in=ranked)).in_bulk()
    return [found[pk] for pk in ranked if pk in found][:limit]


def cached(key: str, compute, seconds: int = 600):
    """Aggregates for public pages, kept in the "pages" cache under the
    same versions as the lists they appear on (pagecache)."""
    from django.core.cache import caches

    from .pagecache import key_prefix

    return caches["pages"].get_or_set(
        f"{key_prefix(listing=True)}:{key}", compute, seconds
    )


def role_counts(rows) -> list[tuple[str, int]]:
    labels = dict(Byline.Role.choices)
    return [(labels.get(r["role"], r["role"]), r["n"]) for r in rows]


def article_get_public_by_id(*, pk: int) -> Article:
    return get_object_or_404(_public_article_queryset(), pk=pk)
