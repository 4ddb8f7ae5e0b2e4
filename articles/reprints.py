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

import numpy as np
from datasketch import MinHash
from django.db.models import Q

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


def shingles(body: str) -> set[str]:
    # Punctuation, width and spacing differ between printings of one piece.
    text = _NOT_TEXT.sub("", unicodedata.normalize("NFKC", body).lower())
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


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
    jaccard, containment = similarity(a, b)
    ratio = min(len(a), len(b)) / max(len(a), len(b), 1)
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


def reprints_index(*, articles: list[Article]) -> list[Reprint]:
    """Index new articles and link each to the archived articles it
    reprints (called by the page import, in its transaction)."""
    links: list[Reprint] = []
    bands: list[ReprintBand] = []
    new_ids = {a.pk for a in articles}
    grams_of = {a.pk: shingles(a.body) for a in articles}
    flagged: list[Article] = []
    for article in articles:
        grams = grams_of[article.pk]
        if len(grams) < MIN_SHINGLES:
            continue
        keys = band_keys(signature(grams))
        ids = candidates(keys, exclude=new_ids)
        others = Article.objects.filter(pk__in=ids).only("id", "body")
        for other in others:
            same, jaccard = is_reprint(grams, shingles(other.body))
            if same:
                links.append(
                    Reprint(article=article, original=other, similarity=jaccard)
                )
        if any(link.article is article for link in links):
            flagged.append(article)
        bands.extend(ReprintBand(article=article, key=key) for key in keys)
    ReprintBand.objects.bulk_create(bands, batch_size=1000)
    Reprint.objects.bulk_create(links, ignore_conflicts=True)
    for article in flagged:
        if Article.Flag.REPRINT not in article.flags:
            article.flags = [*article.flags, Article.Flag.REPRINT]
    if flagged:
        Article.objects.bulk_update(flagged, ["flags"])
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
