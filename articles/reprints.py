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
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from django.db import connection
from django.db.models import Q

from .models import Article, Reprint, ReprintBand
from .rows import batches, insert_rows

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


def packed_shingles(body: str) -> np.ndarray:
    """A body's character 4-grams (punctuation, width and spacing aside) as
    sorted unique integers: every character left
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


# The stored band keys depend on these: fixed seed and scheme (changing
# them means computing every article's bands again, as migration 0022 did).
# The shingles are exact 64-bit integers already (`packed_shingles`), so
# they go to datasketch unhashed (its 64-bit scheme mixes each value with
# MurmurHash3's finalizer before the permutations, made for such input):
# hashing each 4-gram's bytes with SHA-1 in Python cost more than all the
# rest of the lookup.
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=18, scheme="affine64")


def _unhashed(value: int) -> int:
    return value


def signature(packed: np.ndarray) -> np.ndarray:
    """The MinHash signature of a body's packed shingles."""
    minhash = MinHash(
        num_perm=NUM_PERM,
        permutations=_TEMPLATE.permutations,
        scheme="affine64",
        hashfunc=_unhashed,
    )
    minhash.update_batch(packed.tolist())
    return minhash.hashvalues


def body_band_keys(body: str) -> list[int] | None:
    """The LSH keys of a body, or None when it is too short to tell a
    reprint from a standard phrase."""
    packed = packed_shingles(body)
    if packed.size < MIN_SHINGLES:
        return None
    return band_keys(signature(packed))


def band_keys(hashvalues: np.ndarray) -> list[int]:
    keys = []
    for band in range(BANDS):
        chunk = hashvalues[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def is_reprint(a: np.ndarray, b: np.ndarray) -> tuple[bool, float]:
    """Are two bodies' packed shingles (`packed_shingles`) the same piece?
    With their Jaccard similarity."""
    return _judge(np.intersect1d(a, b, assume_unique=True).size, a.size, b.size)


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


def _shared_bands(keys_of: dict[int, list[int]]) -> dict[int, Counter]:
    """For each new article, how many bands each archived article shares
    with it: {new id: Counter(archived id → bands)}, in one query.  The
    database counts, so a piece reprinted a hundred times returns a
    hundred rows, not 3,200 band rows.  (Plain SQL both engines run: the
    ORM's CASE over a page's band keys cost more to build than to run.)"""
    shared: dict[int, Counter] = {pk: Counter() for pk in keys_of}
    wanted = [(pk, key) for pk, keys in keys_of.items() for key in keys]
    if not wanted:
        return shared
    quote = connection.ops.quote_name
    table = quote(ReprintBand._meta.db_table)
    article = quote(ReprintBand._meta.get_field("article").column)
    key = quote(ReprintBand._meta.get_field("key").column)
    with connection.cursor() as cursor:
        for part in batches(wanted, 2):
            cursor.execute(
                f"WITH wanted (new_id, band_key) AS "
                f"(VALUES {', '.join(['(%s, %s)'] * len(part))}) "
                f"SELECT wanted.new_id, b.{article}, COUNT(*) FROM {table} b "
                f"JOIN wanted ON b.{key} = wanted.band_key "
                f"GROUP BY wanted.new_id, b.{article}",
                [value for row in part for value in row],
            )
            # A part holds whole articles' keys or the rest of one: counts add.
            for pk, other, n in cursor.fetchall():
                shared[pk][other] += n
    return shared


# At most this many candidates are confirmed per article: those sharing
# the most bands first.
MAX_CANDIDATES = 50


@dataclass
class Printing:
    """What the index knows of a new body: its band keys (None when too
    short to tell a reprint from a standard phrase) and the archived
    articles it reprints, as (id, Jaccard similarity)."""

    keys: list[int] | None
    originals: list[tuple[int, float]] = field(default_factory=list)


def reprints_find(bodies: list[str]) -> list[Printing]:
    """For each new body, the archived articles it reprints: two queries
    for all of them (the shared bands, the candidates' bodies), whatever
    their number.  Reads only: the page import calls it before it writes
    its articles, so a reprint is flagged as it is inserted."""
    packed = [packed_shingles(body) for body in bodies]
    found = [
        Printing(band_keys(signature(grams)) if grams.size >= MIN_SHINGLES else None)
        for grams in packed
    ]
    shared = _shared_bands({n: item.keys for n, item in enumerate(found) if item.keys})
    chosen = {
        n: sorted(counts, key=lambda other: (-counts[other], other))[:MAX_CANDIDATES]
        for n, counts in shared.items()
    }
    wanted = {other for ids in chosen.values() for other in ids}
    texts = (
        dict(Article.objects.filter(pk__in=wanted).values_list("id", "body"))
        if wanted
        else {}
    )
    for n, others in chosen.items():
        grams = packed[n]
        for other in others:
            if other not in texts:
                continue
            same, jaccard = is_reprint(grams, _candidate_shingles(texts[other]))
            if same:
                found[n].originals.append((other, jaccard))
    return found


def reprints_store(*, articles: list[Article], found: list[Printing]) -> list[Reprint]:
    """Index the new articles (just inserted) for the next imports and link
    each to the archived articles `reprints_find` found it reprints."""
    links = [
        Reprint(article=article, original_id=other, similarity=jaccard)
        for article, item in zip(articles, found, strict=True)
        for other, jaccard in item.originals
    ]
    insert_rows(
        ReprintBand,
        ["article", "key"],
        [
            (article.pk, key)
            for article, item in zip(articles, found, strict=True)
            for key in item.keys or ()
        ],
    )
    Reprint.objects.bulk_create(links, ignore_conflicts=True)
    return links


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
