"""Search-box suggestions benchmark: `make bench-suggest E=200000`.

Suggestions never count articles: they read `NameKey` (names, aliases and
pinyin keys of the public people, places, programs and tags, with stored
counts), so their cost grows with the number of public names, not of
articles.  This fills the configured database's NameKey table with E
synthetic public entities (jieba dictionary words and the gazetteer's
place names, each with its Chinese, full-pinyin and initials keys and a
Zipf-like article count), then times `suggestions.suggest` — what
/api/suggest/ runs — for prefixes from one letter to a full name: the first
run, then 20 warm runs each.  The rows it adds are marked (slug prefix
`bench-`) and removed at the end.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    ("1 letter", "j"),
    ("2 letters", "jc"),
    ("initials", "jcx"),
    ("full pinyin", "jiaocheng"),
    ("1 character", "交"),
    ("2 characters", "交城"),
    ("traditional", "交城縣"),
    ("common surname", "王"),
    ("no such name", "xqzv"),
]


def names(limit: int) -> list[str]:
    import jieba

    jieba.dt.check_initialized()
    ranked = sorted(jieba.dt.FREQ.items(), key=lambda kv: -kv[1])
    words = [w for w, f in ranked if f > 0 and 2 <= len(w) <= 4]
    from articles.models import Place

    places = list(Place.objects.values_list("name", flat=True))
    return (places + words)[:limit]


def fill(entities: int, seed: int = 7) -> None:
    from articles.models import NameKey
    from articles.search import normalize
    from articles.search.pinyin import name_keys

    rng = random.Random(seed)
    kinds = [k for k, _ in NameKey.Kind.choices]
    rows = []
    for i, name in enumerate(names(entities)):
        text = normalize(name)
        count = max(1, int(1000 / (1 + rng.paretovariate(1.2) * rng.random() * 50)))
        kind = kinds[i % len(kinds)]
        for key in {text, *name_keys(text)}:
            rows.append(
                NameKey(
                    kind=kind,
                    object_id=10_000_000 + i,
                    key=key[:120],
                    text=text,
                    name=name,
                    detail="",
                    slug=f"bench-{i}",
                    article_count=count,
                )
            )
        if len(rows) >= 20_000:
            NameKey.objects.bulk_create(rows, batch_size=5000)
            rows = []
    NameKey.objects.bulk_create(rows, batch_size=5000)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from articles import suggestions
    from articles.models import NameKey

    NameKey.objects.filter(slug__startswith="bench-").delete()
    started = time.perf_counter()
    fill(args.entities)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_namekey")
    rows = NameKey.objects.count()
    print(
        f"{connection.vendor}: {args.entities} entities, {rows} NameKey rows, "
        f"filled in {time.perf_counter() - started:.1f} s"
    )
    print(
        f"{'query':<16}{'typed':<10}{'found':>6}{'cold ms':>9}{'p50 ms':>8}{'p95 ms':>8}"
    )
    everything = []
    try:
        for label, q in QUERIES:
            t = time.perf_counter()
            found = suggestions.suggest(q)
            cold = (time.perf_counter() - t) * 1000
            warm = []
            for _ in range(args.runs):
                t = time.perf_counter()
                suggestions.suggest(q)
                warm.append((time.perf_counter() - t) * 1000)
            warm.sort()
            everything += warm
            p95 = warm[int(0.95 * (len(warm) - 1))]
            print(
                f"{label:<16}{q:<10}{len(found):>6}{cold:>9.2f}"
                f"{statistics.median(warm):>8.2f}{p95:>8.2f}"
            )
        everything.sort()
        print(
            f"all: p50 {statistics.median(everything):.2f} ms, "
            f"p95 {everything[int(0.95 * (len(everything) - 1))]:.2f} ms"
        )
    finally:
        NameKey.objects.filter(slug__startswith="bench-").delete()


if __name__ == "__main__":
    main()
