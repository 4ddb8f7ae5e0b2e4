"""Keeping the search index current: what of an article is indexed, and
when.  The services call `index_articles` whenever they save; the engine's
own statements are its backend's."""

from collections.abc import Iterable

from django.db import transaction

from ..models import Article, SearchChunk
from .backends import backend
from .query import normalize


def article_texts(article: Article) -> tuple[str, str]:
    """(title text, body text) of an article as the index sees them."""
    return _texts(
        article,
        captions=[c.text for c in article.captions.all()],
        names=[b.person.name for b in article.bylines.all()],
    )


def _texts(article: Article, *, captions, names) -> tuple[str, str]:
    title = " ".join(
        p for p in (article.kicker, article.headline, article.subtitle) if p
    )
    body = " ".join(p for p in (article.body, *captions, *names) if p)
    return normalize(title), normalize(body)


def _rows(article: Article, title: str, body: str) -> list[tuple[int, str, str]]:
    rows = []
    if title:
        rows.append((article.pk, SearchChunk.Kind.TITLE, title))
    if body:
        rows.append((article.pk, SearchChunk.Kind.BODY, body))
    return rows


def index_articles(*, articles: Iterable[Article]) -> None:
    """(Re)index these articles."""
    articles = list(articles)
    if not articles:
        return
    ids = [a.pk for a in articles]
    fresh = Article.objects.filter(pk__in=ids).prefetch_related(
        "captions", "bylines__person"
    )
    with transaction.atomic():
        index_remove(article_ids=ids)
        rows = []
        for article in fresh:
            rows += _rows(article, *article_texts(article))
        backend().insert(rows)


def index_new_articles(*, articles: Iterable[tuple[Article, list, list]]) -> None:
    """Index articles just created, from what the caller holds: (article,
    caption texts, byline names) — the page import, which would otherwise
    read back what it has just written and remove rows that cannot exist."""
    rows = []
    for article, captions, names in articles:
        rows += _rows(article, *_texts(article, captions=captions, names=names))
    backend().insert(rows)


def index_remove(*, article_ids: Iterable[int]) -> None:
    ids = list(article_ids)
    if ids:
        backend().remove(ids)


def rebuild(*, batch: int = 2000, progress=None) -> int:
    """Drop and rebuild the whole index; returns the number of articles.

    All in one transaction: a failed rebuild leaves the old index as it
    was.  The backend may load in bulk (PostgreSQL builds its GIN indexes
    once, at the end)."""
    engine = backend()
    with transaction.atomic():
        with engine.bulk_load():
            engine.clear()
            ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), batch):
                part = ids[start : start + batch]
                index_articles(articles=Article.objects.filter(pk__in=part))
                if progress:
                    progress(min(start + batch, len(ids)), len(ids))
    engine.analyze()
    return len(ids)
