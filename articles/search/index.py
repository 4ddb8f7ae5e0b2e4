"""Keeping the search index current: what of an article is indexed, and
when.  The services call `index_articles` whenever they save; the engine's
own statements are its backend's."""

from collections.abc import Iterable

from django.db import transaction

from ..importing.words import cut
from ..models import Article, HeadlineWord, Place, SearchChunk
from ..pagecache import everything_token
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
        _store(rows, ids=ids)


def _store(
    rows: list[tuple[int, str, str]], *, ids: list[int] = (), places_written=False
) -> None:
    """The rows into the engine's index, the headlines' words into the
    pinyin vocabulary, the articles' places into the place filter's copy
    (unless the caller wrote it with the articles): both ways of indexing
    end here."""
    backend().insert(rows)
    remember_headline_words(t for _, k, t in rows if k == SearchChunk.Kind.TITLE)
    if not places_written:
        index_article_places(article_ids=list(ids))


# Words this process saw stored (added once their transaction commits, so
# a rolled-back import leaves none behind): an archive's headlines repeat
# their words, and computing the pinyin keys of every word of every page
# and offering the database rows it already holds cost more than the rest
# of indexing the page.  Rows are never deleted, but another process may
# restore an older database: the memory is dropped whenever the page
# cache's `everything` token moves (a restore moves it), and when it grows
# large.
_stored_words: set[str] = set()
_stored_under = [""]  # the token the memory was made under
STORED_WORDS_MAX = 200_000


def forget_stored_words() -> None:
    """Offer every word to the database again (its table was emptied)."""
    _stored_words.clear()


def remember_headline_words(titles: Iterable[str]) -> None:
    """Add the words of these headline blocks (normalised) to the
    vocabulary a pinyin query is read through (`HeadlineWord`): words of
    two or more Chinese characters, each with its pinyin keys."""
    token = everything_token()
    if token != _stored_under[0] or len(_stored_words) > STORED_WORDS_MAX:
        _stored_words.clear()
        _stored_under[0] = token
    words = {
        w
        for title in titles
        for w in cut(title)
        if 2 <= len(w) <= 40 and w not in _stored_words and _all_han(w)
    }
    if not words:
        return
    # Sorted: two imports adding the same words take their unique-index
    # locks in one order, so neither can wait on the other in a cycle.
    pairs = sorted({(k[:120], w) for w in words for k in name_keys(w)})
    HeadlineWord.objects.bulk_create(
        [HeadlineWord(word=w, key=k) for k, w in pairs],
        ignore_conflicts=True,
        batch_size=1000,
    )
    transaction.on_commit(lambda: _stored_words.update(words))


def _all_han(word: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in word)


def place_paths(article_ids: list[int]) -> dict[int, list[int]]:
    """For each article, the places whose filter finds it: each of its
    places, and above each the parents up to the first unconfirmed place
    (inclusive of the parent it hangs from), as `Place.objects.descendant_ids`
    walks down only through confirmed places."""
    links = Article.places.through.objects.filter(article_id__in=article_ids)
    by_article: dict[int, list[int]] = {pk: [] for pk in article_ids}
    for article_id, place_id in links.values_list("article_id", "place_id"):
        by_article[article_id].append(place_id)
    return dict(zip(by_article, paths_of(list(by_article.values())), strict=True))


# A place's row read with this many generations above it at once: a
# village's county and province come in the same query.
_GENERATIONS = ("", "parent__", "parent__parent__", "parent__parent__parent__")


def paths_of(place_sets: list[list[int]]) -> list[list[int]]:
    """`place_paths` for articles not written yet: the search-places copy
    of each list of place ids."""
    tree: dict[int, tuple[int | None, bool]] = {}  # id → (parent, confirmed)
    wanted = {pk for places in place_sets for pk in places}
    columns = [
        f"{g}{f}" for g in _GENERATIONS for f in ("id", "parent_id", "is_confirmed")
    ]
    asked: set[int] = set()
    while wanted:  # four generations a query
        asked |= wanted
        for row in Place.objects.filter(pk__in=wanted).values_list(*columns):
            for at in range(0, len(row), 3):
                if row[at] is not None:
                    tree[row[at]] = (row[at + 1], row[at + 2])
        wanted = {
            parent
            for parent, confirmed in tree.values()
            if confirmed and parent and parent not in tree and parent not in asked
        }
    paths = []
    for places in place_sets:
        path: list[int] = []
        for node in places:
            while node is not None and node not in path:
                path.append(node)
                parent, confirmed = tree.get(node, (None, False))
                node = parent if confirmed else None
        paths.append(sorted(path))
    return paths


def index_article_places(*, article_ids: list[int]) -> None:
    """Bring the place filter's copy (`Article.search_places`) up to date
    for these articles, after their places changed."""
    changed = []
    stored = dict(
        Article.objects.filter(pk__in=article_ids).values_list("pk", "search_places")
    )
    for pk, path in place_paths(list(stored)).items():
        if stored[pk] != path:
            changed.append(Article(pk=pk, search_places=path))
    Article.objects.bulk_update(changed, ["search_places"], batch_size=1000)


def index_places(*, places: Iterable[Place]) -> None:
    """Bring the place filter's copy up to date for the articles in or under
    `places`, after their confirmation or their parent changed (a merge, a
    rejection, the gazetteer, staff's edit)."""
    ids = {p.pk for p in places}
    under = set()
    while ids:  # every place below, confirmed or not: all may be stale
        under |= ids
        ids = (
            set(Place.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
            - under
        )
    article_ids = list(
        Article.places.through.objects.filter(place_id__in=under)
        .values_list("article_id", flat=True)
        .distinct()
    )
    for start in range(0, len(article_ids), 2000):
        index_article_places(article_ids=article_ids[start : start + 2000])


def index_new_articles(*, articles: Iterable[tuple[Article, list, list]]) -> None:
    """Index articles just created, from what the caller holds: (article,
    caption texts, byline names) — the page import, which would otherwise
    read back what it has just written and remove rows that cannot exist.
    Their place copy was written with them (`paths_of`)."""
    rows = []
    for article, captions, names in articles:
        rows += _rows(article, *_texts(article, captions=captions, names=names))
    _store(rows, places_written=True)


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
