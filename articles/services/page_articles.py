"""Writing a page's new articles in bulk (for `page_import`): the article
rows with their slugs, their places and programs, and one revision each.

An import is most of what the database does in a year, so it writes in a
few statements per page, not a few per article: simple-history's signals
would otherwise add a revision for the save and one for each many-to-many
`add()` (three an article, each with its own queries)."""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import search
from ..models import Article, Place, Program
from ..rows import db_values, insert_rows, insert_rows_returning_ids
from .articles import article_slugs_for

# How often a page's articles are written again with new slugs when another
# import took one of them meanwhile (see common.find_or_create).
SLUG_ATTEMPTS = 5


@dataclass
class NewArticle:
    article: Article  # unsaved, slug not chosen yet
    places: set[Place] = field(default_factory=set)
    programs: set[Program] = field(default_factory=set)
    # The through rows written, by field name, for the revision's snapshot:
    # (row id, article id, place or program id).
    links: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)


def articles_create(*, new: list[NewArticle]) -> list[Article]:
    """Insert the articles in one statement, slugs chosen for all of them
    with one look-up.  Another import may take one of those slugs between
    the look-up and the insert: the unique constraint refuses the batch,
    the savepoint keeps the page's transaction usable, and new slugs are
    chosen."""
    articles = [item.article for item in new]
    if not articles:
        return []
    # The place filter's copy goes in with the row (search.paths_of).
    paths = search.paths_of([[p.pk for p in item.places] for item in new])
    for article, path in zip(articles, paths, strict=True):
        article.search_places = path
    for attempt in range(SLUG_ATTEMPTS):
        slugs = article_slugs_for(
            [(a.headline, a.suggested_headline) for a in articles]
        )
        for article, slug in zip(articles, slugs, strict=True):
            article.slug = slug
        try:
            with transaction.atomic():
                Article.objects.bulk_create(articles)
            break
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS - 1:
                raise
            for article in articles:
                article.pk = None
    _link(new, "places", "place_id")
    _link(new, "programs", "program_id")
    return articles


def _link(new: list[NewArticle], name: str, column: str) -> None:
    through = getattr(Article, name).through
    pairs = [
        (item.article.pk, other.pk)
        for item in new
        for other in sorted(getattr(item, name), key=lambda o: o.pk)
    ]
    ids = insert_rows_returning_ids(through, ["article", column[:-3]], pairs)
    for item in new:
        item.links[name] = []
    by_article = {item.article.pk: item for item in new}
    for pair in pairs:
        by_article[pair[0]].links[name].append((ids[pair], *pair))


def articles_record_created(*, new: list[NewArticle]) -> None:
    """One revision per new article ("created"), in bulk, with its places
    and programs as the admin's history shows them; called last, so the
    revision holds the article as imported (flags included)."""
    if not new:
        return
    # simple-history's bulk_history_create, written as plain rows: its
    # bulk_create of a page's revisions cost more than inserting the
    # articles themselves (and reading `Article.history` builds a manager
    # class each time).  The same columns: every tracked field as imported,
    # "created" now, no user, no reason.
    history = apps.get_model("articles", "HistoricalArticle")
    tracked = [f.attname for f in history.tracked_fields]
    extra = {
        "history_date": timezone.now(),
        "history_type": "+",
        "history_change_reason": "",
        "history_user_id": None,
    }
    created = db_values(history, list(extra), SimpleNamespace(**extra))
    ids = insert_rows_returning_ids(
        history,
        [*tracked, *extra],
        [db_values(history, tracked, item.article) + created for item in new],
        key=1,  # tracked[0] is the article's id
    )
    for name, column in (("places", "place"), ("programs", "program")):
        insert_rows(
            apps.get_model("articles", f"HistoricalArticle_{name}"),
            ["history", "id", "article", column],
            [
                (ids[(item.article.pk,)], *link)
                for item in new
                for link in item.links.get(name, ())
            ],
        )
