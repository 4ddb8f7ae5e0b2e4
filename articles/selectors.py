"""Reading the archive for the public site: only published articles."""

import functools
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from taggit.models import TaggedItem

from people.models import Byline, Person

from . import search, suggestions
from .facets import ArticleFilter, Facet, facet_counts
from .models import Article, Place, Program, RetiredSlug
from .search import compiled


def with_bylines(qs: QuerySet) -> QuerySet:
    return qs.select_related("page").prefetch_related(
        Prefetch(
            "bylines",
            queryset=Byline.objects.select_related("person").order_by("order", "id"),
        ),
    )


def article_list_public() -> QuerySet:
    return with_bylines(Article.objects.published().order_by("-pub_date", "-id"))


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
    # A pinyin query that found nothing as typed shows what its Chinese
    # reading finds (`jiaocheng` → 交城); `typed` is what the reader typed.
    read_as: str = ""
    typed: str = ""
    # When nothing is found: what to try instead (suggestions.Hint).
    hints: list = field(default_factory=list)

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
    comes with the people of its bylines (`byline_people`); `with_entities`
    gives instead the names of its bylines, places, programs and tags as
    plain values (the API lists them; the results page does not).  Raises SearchError with a reader-facing message for bad
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
    typed, read_as, hints = params.get("q", ""), "", []
    if not found.count and query.terms:
        # Only when nothing is found: a search with results pays nothing.
        reading = suggestions.pinyin_reading_with_results(typed, base)
        if reading:
            read_as, query = reading, search.parse_query(reading)
            found = search.search_page(
                query=query,
                articles=base,
                sort=sort,
                offset=(page - 1) * page_size,
                size=page_size,
            )
        else:
            hints = suggestions.zero_result_hints(typed, query, base)
    ids, facet_ids = found.ids, found.facet_ids
    if with_entities:
        by_id = _with_entity_names(ids)
    else:
        by_id = _shown_articles(ids)
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
        read_as=read_as,
        typed=typed if read_as else "",
        hints=hints,
    )


# What a results page shows of an article (templates/articles/_results.html).
_SHOWN = (
    "id",
    "slug",
    "headline",
    "kicker",
    "subtitle",
    "suggested_headline",
    "body",
    "kind",
    "status",
    "pub_date",
    "page_id",
)


@functools.lru_cache(maxsize=4)
def _shown_statements(alias: str) -> tuple[compiled.Compiled, compiled.Compiled]:
    articles = compiled.for_ids(
        lambda ids: (
            Article.objects.filter(pk__in=ids).only(*_SHOWN).query.sql_with_params()
        )
    )
    bylines = compiled.for_ids(
        lambda ids: (
            Byline.objects.filter(article_id__in=ids)
            .order_by("order", "id")
            .values_list("article_id", "person_id", "person__name", "person__slug")
            .query.sql_with_params()
        )
    )
    return articles, bylines


def _shown_articles(ids: list[int]) -> dict[int, Article]:
    """The page's articles with what the results list shows, each with
    `byline_people` (the person of each byline, in order): two statements
    compiled once (`search.compiled`), no prefetch.  Building, compiling
    and prefetching the same querysets took 4 ms of a search's Python time,
    these take 0.7 ms."""
    if not ids:
        return {}
    articles, bylines = _shown_statements(connection.alias)
    by_id = {a.pk: a for a in Article.objects.raw(*articles.bind(ids))}
    people: dict[int, list[Person]] = {pk: [] for pk in by_id}
    with connection.cursor() as cursor:
        cursor.execute(*bylines.bind(ids))
        for article_id, person_id, name, slug in cursor.fetchall():
            person = Person.from_db(
                connection.alias, ["id", "name", "slug"], (person_id, name, slug)
            )
            people.setdefault(article_id, []).append(person)
    for pk, article in by_id.items():
        article.byline_people = people[pk]
    return by_id


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


def articles_filtered(params) -> QuerySet:
    """Published articles passing the public filters in `params` (as the
    search applies them), for the entity pages' month charts."""
    return ArticleFilter(params, queryset=Article.objects.published()).qs


def article_get_public_by_id(*, pk: int) -> Article:
    return get_object_or_404(_public_article_queryset(), pk=pk)
