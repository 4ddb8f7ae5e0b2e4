"""Browsing the archive: what the home, archive and entity pages show
beside the article lists — the most covered places and programs, years
and months, an article's neighbours and related articles, charts — with
the aggregates kept in the page cache."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from taggit.models import TaggedItem

from people.models import Byline

from . import reprints
from .models import Article, Place
from .selectors import with_bylines


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
    found = with_bylines(Article.objects.published().filter(pk__in=ranked)).in_bulk()
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
