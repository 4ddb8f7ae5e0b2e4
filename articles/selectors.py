"""Reading the archive for the public site: only published articles."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.shortcuts import get_object_or_404
from taggit.models import TaggedItem

from people.models import Byline, Person

from . import search
from .facets import ArticleFilter, Facet, facet_counts
from .models import Article, Place, Program, RetiredSlug


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
        .select_related("page")
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
            place_id__in=Place.objects.descendant_ids(child), article_id__in=published
        )
        if links.exists():
            children.append(child)
    return children


def articles_for_place(place: Place) -> QuerySet:
    links = Article.places.through.objects.filter(
        place_id__in=Place.objects.descendant_ids(place)
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

MAX_PAGE_SIZE = 100
SORTS = ("relevance", "newest", "oldest")


class SearchError(ValueError):
    """Bad search parameters; the message is for the reader."""


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
    found = search.search_page(
        query=query,
        articles=base,
        sort=sort,
        offset=(page - 1) * page_size,
        size=page_size,
    )
    ids, facet_ids = found.ids, found.facet_ids
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
        count=found.count,
        count_is_estimate=found.estimate,
        page=page,
        page_size=page_size,
        sort=sort,
        facets=facet_counts(facet_ids, params),
        facets_are_sampled=found.sampled,
        facet_basis=len(facet_ids) if isinstance(facet_ids, list) else found.count,
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


def _errors(errors) -> str:
    return "；".join(str(m) for messages in errors.values() for m in messages)


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


def related_articles(article: Article, limit: int = 5) -> list[Article]:
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
    for source, ids in zip(sources, (tag_ids, place_ids, program_ids), strict=True):
        if not ids:
            continue
        for other in source.order_by("-id")[:per_link]:
            if other != article.pk:
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
