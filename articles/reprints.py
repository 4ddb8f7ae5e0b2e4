"""Reprints: an article whose body is nearly the same as an archived one's
(the same agency piece in another paper, a story run again) is found when
it is imported, linked to it both ways, and flagged for staff.

MinHash (datasketch) over character 4-grams of the body, with the
signature's bands kept in a table (ReprintBand): finding candidates is one
indexed lookup of `BANDS` keys, so its cost does not grow with the archive.
Candidates are then confirmed on their actual text, so a rare band
collision never links two different articles.
"""

import hashlib
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When

from .models import Article, Reprint, ReprintBand

SHINGLE = 4
NUM_PERM = 128
BANDS, ROWS = 32, 4  # candidates from Jaccard ≈ 0.4 up: (1/32) ** (1/4)
# Too short to tell a reprint from a standard phrase.
MIN_SHINGLES = 40
# Confirmed as the same piece: most of the text shared, or the shorter one
# almost wholly inside the longer (a reprint with paragraphs cut) and not
# a mere quoted paragraph of it.
MIN_JACCARD = 0.5
MIN_CONTAINMENT = 0.8
MIN_SIZE_RATIO = 0.4

_NOT_TEXT = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _text(body: str) -> str:
    # Punctuation, width and spacing differ between printings of one piece.
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", body).lower())


def shingles(body: str) -> set[str]:
    text = _text(body)
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def packed_shingles(body: str) -> np.ndarray:
    """The same shingles as sorted unique integers: every character left
    by `_text` is in the Basic Multilingual Plane, so four of them fit
    exactly in 64 bits (no hashing, no collisions), and comparing two
    bodies is an intersection of sorted arrays instead of string sets."""
    codes = np.frombuffer(_text(body).encode("utf-16-le"), dtype="<u2")
    if len(codes) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    codes = codes.astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    packed = np.zeros(n, dtype=np.uint64)
    for i in range(SHINGLE):
        packed = (packed << np.uint64(16)) | codes[i : i + n]
    return np.unique(packed)


# Candidates come back again and again (an agency piece reprinted in many
# issues): their shingles are kept, keyed by the body itself, so an edit
# is never confused with the text before it.  Bounded: ~1,000 bodies of a
# few thousand shingles is a few MiB.
_candidate_shingles = lru_cache(maxsize=1024)(packed_shingles)


# The stored band keys depend on these: fixed seed and scheme.
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=18, scheme="affine32")


def signature(grams: set[str]) -> np.ndarray:
    minhash = MinHash(
        num_perm=NUM_PERM, permutations=_TEMPLATE.permutations, scheme="affine32"
    )
    minhash.update_batch([g.encode("utf-8") for g in grams])
    return minhash.hashvalues


def band_keys(hashvalues: np.ndarray) -> list[int]:
    keys = []
    for band in range(BANDS):
        chunk = hashvalues[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def similarity(a: set[str], b: set[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger)."""
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    return common / len(a | b), common / min(len(a), len(b))


def is_reprint(a: set[str], b: set[str]) -> tuple[bool, float]:
    return _judge(len(a & b) if a and b else 0, len(a), len(b))


def _judge(common: int, size_a: int, size_b: int) -> tuple[bool, float]:
    """`is_reprint` from the sizes of two shingle sets and of their
    intersection."""
    if not size_a or not size_b:
        jaccard = containment = 0.0
    else:
        jaccard = common / (size_a + size_b - common)
        containment = common / min(size_a, size_b)
    ratio = min(size_a, size_b) / max(size_a, size_b, 1)
    cut = containment >= MIN_CONTAINMENT and ratio >= MIN_SIZE_RATIO
    return (jaccard >= MIN_JACCARD or cut), jaccard


def candidates(keys: list[int], exclude: set[int]) -> list[int]:
    found = (
        ReprintBand.objects.filter(key__in=keys)
        .exclude(article_id__in=exclude)
        .values_list("article_id", flat=True)
        .distinct()
    )
    return list(found[:50])


def _shared_bands(keys_of: dict[int, list[int]], exclude: set[int]) -> dict:
    """For each new article, how many bands each archived article shares
    with it: {new id: Counter(archived id → bands)}, in one query.  The
    database counts, so a piece reprinted a hundred times returns a
    hundred rows, not 3,200 band rows."""
    shared: dict[int, Counter] = {pk: Counter() for pk in keys_of}
    if not keys_of:
        return shared
    all_keys = [key for keys in keys_of.values() for key in keys]
    bands = ReprintBand.objects.filter(key__in=all_keys).exclude(article_id__in=exclude)
    if len(set(all_keys)) < len(all_keys):
        # Two articles of the page share a band (the same piece twice on
        # one page): band by band, so each gets its candidates.
        articles_with: dict[int, list[int]] = {}
        for pk, keys in keys_of.items():
            for key in keys:
                articles_with.setdefault(key, []).append(pk)
        for key, other in bands.values_list("key", "article_id"):
            for pk in articles_with[key]:
                shared[pk][other] += 1
        return shared
    new = Case(
        *(When(key__in=keys, then=Value(pk)) for pk, keys in keys_of.items()),
        output_field=IntegerField(),
    )
    rows = (
        bands.annotate(new=new)
        .values("new", "article_id")
        .annotate(n=Count("id"))
        .values_list("new", "article_id", "n")
        .order_by()
    )
    for pk, other, n in rows:
        shared[pk][other] = n
    return shared


# At most this many candidates are confirmed per article: those sharing
# the most bands first.
MAX_CANDIDATES = 50


def reprints_index(*, articles: list[Article]) -> list[Reprint]:
    """Index new articles and link each to the archived articles it
    reprints (called by the page import, in its transaction).  Two queries
    for the whole page (the band keys, the candidates' bodies), whatever
    its number of articles."""
    links: list[Reprint] = []
    bands: list[tuple[int, int]] = []
    new_ids = {a.pk for a in articles}
    keys_of: dict[int, list[int]] = {}
    for article in articles:
        grams = shingles(article.body)
        if len(grams) >= MIN_SHINGLES:
            keys_of[article.pk] = band_keys(signature(grams))
    shared = _shared_bands(keys_of, exclude=new_ids)
    chosen = {
        pk: sorted(counts, key=lambda other: (-counts[other], other))[:MAX_CANDIDATES]
        for pk, counts in shared.items()
    }
    bodies = dict(
        Article.objects.filter(
            pk__in={other for ids in chosen.values() for other in ids}
        ).values_list("id", "body")
        if any(chosen.values())
        else ()
    )
    flagged: list[Article] = []
    for article in articles:
        if article.pk not in keys_of:
            continue
        grams = packed_shingles(article.body)
        for other in chosen[article.pk]:
            if other not in bodies:
                continue
            theirs = _candidate_shingles(bodies[other])
            common = np.intersect1d(grams, theirs, assume_unique=True).size
            same, jaccard = _judge(common, grams.size, theirs.size)
            if same:
                links.append(
                    Reprint(article=article, original_id=other, similarity=jaccard)
                )
        if any(link.article is article for link in links):
            flagged.append(article)
        bands.extend((article.pk, key) for key in keys_of[article.pk])
    _insert_bands(bands)
    Reprint.objects.bulk_create(links, ignore_conflicts=True)
    for article in flagged:
        if Article.Flag.REPRINT not in article.flags:
            article.flags = [*article.flags, Article.Flag.REPRINT]
    if flagged:
        Article.objects.bulk_update(flagged, ["flags"])
    return links


def _insert_bands(rows: list[tuple[int, int]]) -> None:
    """(article id, key) rows, as plain INSERTs: 32 rows an article, for
    which bulk_create's preparing each field of each object in Python took
    twice the database's own time."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(ReprintBand._meta.db_table)
    article = quote(ReprintBand._meta.get_field("article").column)
    key = quote(ReprintBand._meta.get_field("key").column)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({article}, {key}) VALUES (%s, %s)", rows
        )


def reprint_ids(article: Article) -> set[int]:
    """The articles linked to `article` as the same piece, either way (one
    query)."""
    pairs = Reprint.objects.filter(
        Q(article=article) | Q(original=article)
    ).values_list("article_id", "original_id")
    return {other for pair in pairs for other in pair} - {article.pk}


def also_printed_in(article: Article, *, published_only: bool = True) -> list[Article]:
    """The other printings of `article`, oldest issue first (one query: the
    links are read inside it)."""
    qs = Article.objects.filter(
        Q(pk__in=Reprint.objects.filter(article=article).values("original_id"))
        | Q(pk__in=Reprint.objects.filter(original=article).values("article_id"))
    ).select_related("page")
    if published_only:
        qs = qs.published()
    return list(qs.order_by("pub_date", "id"))
