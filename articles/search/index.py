"""Keeping the search index current: what of an article is indexed, and
when.  The services call `index_articles` whenever they save; the engine's
own statements are its backend's."""

from collections.abc import Iterable

from django.db import transaction

from ..importing.words import cut
from ..models import Article, HeadlineWord, SearchChunk
from .backends import backend
from .pinyin import name_keys
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
        _store(rows)


def _store(rows: list[tuple[int, str, str]]) -> None:
    """The rows into the engine's index, the headlines' words into the
    pinyin vocabulary: both ways of indexing end here."""
    backend().insert(rows)
    remember_headline_words(t for _, k, t in rows if k == SearchChunk.Kind.TITLE)


def remember_headline_words(titles: Iterable[str]) -> None:
    """Add the words of these headline blocks (normalised) to the
    vocabulary a pinyin query is read through (`HeadlineWord`): words of
    two or more Chinese characters, each with its pinyin keys."""
    words = {
        w for title in titles for w in cut(title) if 2 <= len(w) <= 40 and _all_han(w)
    }
    if not words:
        return
    # Every time: a word already stored is one conflict ignored, and a
    # process-wide memory of stored words would outlive a rolled-back
    # transaction.
    # Sorted: two imports adding the same words take their unique-index
    # locks in one order, so neither can wait on the other in a cycle.
    pairs = sorted({(k[:120], w) for w in words for k in name_keys(w)})
    HeadlineWord.objects.bulk_create(
        [HeadlineWord(word=w, key=k) for k, w in pairs],
        ignore_conflicts=True,
        batch_size=1000,
    )


def _all_han(word: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in word)


def index_new_articles(*, articles: Iterable[tuple[Article, list, list]]) -> None:
    """Index articles just created, from what the caller holds: (article,
    caption texts, byline names) — the page import, which would otherwise
    read back what it has just written and remove rows that cannot exist."""
    rows = []
    for article, captions, names in articles:
        rows += _rows(article, *_texts(article, captions=captions, names=names))
    _store(rows)


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
