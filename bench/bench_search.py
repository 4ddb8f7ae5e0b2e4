"""Search benchmark: `make bench-search N=100000 [DATABASE_URL=postgres://…]`.

Builds a synthetic archive of N published articles in the configured
database (sentences of the sample pages recombined with jieba dictionary
words by frequency; headlines, bylines, places, programs, tags; dates over
30 years), builds the search index, then times a fixed query mix — each
query alone and with a facet filter — as the first results page with its
count and facets (the selector the site uses), and the naive `icontains`
scan of every field the search covers (headline, kicker, subtitle, body,
captions, byline names) for the same terms, whose count is the true one.
Prints the first (cold) run and p50/p95/p99 of the warm runs (at least 20),
the count shown against the true count, the speed-up, index size against
text size, build time, the server's settings and the machine's load.
"""

import argparse
import itertools
import os
import random
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    ("1 char, common", "县"),
    ("1 char, rare", "璨"),
    ("2 chars, common", "交城"),
    ("2 chars, rare", "业位"),
    ("3 chars", "合作社"),
    ("4 chars, common", "脱贫攻坚"),
    ("4 chars, rare", "扶贫车间"),
    ("6 chars", "建档立卡贫困"),
    ("name", "孙宝忠"),
    ("number", "1500"),
    ("Latin", "PM2.5"),
    ("two terms", "交城 合作社"),
]


def sentences() -> list[str]:
    from articles.importing import parse_page

    out = []
    for path in sorted((ROOT / "fixtures/pages").glob("*.txt")):
        for article in parse_page(path.read_text("utf-8")).articles:
            out.extend(s + "。" for s in re.split("。", article.body) if len(s) > 8)
    return out


def dictionary_words(limit: int = 20000) -> tuple[list[str], list[int]]:
    import jieba

    jieba.dt.check_initialized()
    words = sorted(
        (
            (w, f)
            for w, f in jieba.dt.FREQ.items()
            if f > 0 and len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w)
        ),
        key=lambda x: -x[1],
    )[:limit]
    return [w for w, _ in words], [f for _, f in words]


def generate(n: int, seed: int = 11, batch: int = 2000, first: int = 0) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Place, Program
    from people.models import Byline, Person

    rng = random.Random(seed)
    sents = sentences()
    words, weights = dictionary_words()
    places = list(Place.objects.all())
    programs = list(Program.objects.all())
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华飞晋宝忠爱"
    people = [
        Person.objects.get_or_create(
            name=rng.choice(surnames)
            + "".join(rng.choice(given) for _ in range(rng.randint(1, 2)))
            + f"{i:03d}"[:0],
            affiliation="",
            defaults={"slug": f"bench-person-{first}-{i}"},
        )[0]
        for i in range(300)
    ]
    tags = [
        Tag.objects.get_or_create(name=w, defaults={"slug": f"bench-{i}"})[0]
        for i, w in enumerate(words[:2000:7])
    ]
    # Cumulative weights once: rng.choices would re-add them on every call.
    body_words, body_cum = words[:5000], list(itertools.accumulate(weights[:5000]))
    title_words, title_cum = words[:3000], body_cum[:3000]
    content_type = ContentType.objects.get_for_model(Article)
    start_day = date(1995, 1, 1)
    made = 0
    while made < n:
        size = min(batch, n - made)
        rows = []
        for i in range(size):
            k = first + made + i
            body_parts = []
            for _ in range(rng.randint(6, 18)):
                if rng.random() < 0.6:
                    body_parts.append(rng.choice(sents))
                else:
                    body_parts.append(
                        "".join(
                            rng.choices(
                                body_words, cum_weights=body_cum, k=rng.randint(4, 10)
                            )
                        )
                        + "。"
                    )
            paragraphs = [
                "".join(body_parts[j : j + 3]) for j in range(0, len(body_parts), 3)
            ]
            headline = "".join(
                rng.choices(title_words, cum_weights=title_cum, k=rng.randint(3, 6))
            )
            rows.append(
                Article(
                    headline=headline,
                    slug=f"bench-{k}",
                    body="\n\n".join(paragraphs),
                    kind=rng.choice(["article", "brief", "brief", "photo"]),
                    status="published",
                    pub_date=start_day + timedelta(days=rng.randrange(365 * 30)),
                    position=k % 6,
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(rows)
            ids = [a.pk for a in created]
            Article.places.through.objects.bulk_create(
                [
                    Article.places.through(article_id=a, place_id=rng.choice(places).pk)
                    for a in ids
                    for _ in range(2)
                ],
                ignore_conflicts=True,
            )
            Article.programs.through.objects.bulk_create(
                [
                    Article.programs.through(
                        article_id=a, program_id=rng.choice(programs).pk
                    )
                    for a in ids
                ],
                ignore_conflicts=True,
            )
            Byline.objects.bulk_create(
                [
                    Byline(
                        article_id=a, person=rng.choice(people), role="writer", order=0
                    )
                    for a in ids
                ],
                ignore_conflicts=True,
            )
            TaggedItem.objects.bulk_create(
                [
                    TaggedItem(
                        tag=rng.choice(tags), content_type=content_type, object_id=a
                    )
                    for a in ids
                    for _ in range(3)
                ],
                ignore_conflicts=True,
            )
        made += size
        print(f"\r  generated {made}/{n}", end="", flush=True)
    print()


def sizes() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(SUM(octet_length(body) + octet_length(headline)), 0) FROM articles_article"
            )
            text = cursor.fetchone()[0]
            cursor.execute("SELECT pg_total_relation_size('articles_searchchunk')")
            return text, cursor.fetchone()[0]
        cursor.execute(
            "SELECT COALESCE(SUM(length(CAST(body AS BLOB)) + length(CAST(headline AS BLOB))), 0) FROM articles_article"
        )
        text = cursor.fetchone()[0]
        try:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'articles_search_fts%' OR name LIKE 'articles_searchchunk%'"
            )
            index = cursor.fetchone()[0] or 0
        except Exception:
            index = 0
        return text, index


def _index_part(ids: list[int]) -> int:
    import django

    django.setup()
    from articles import search
    from articles.models import Article

    for start in range(0, len(ids), 2000):
        part = ids[start : start + 2000]
        search.index_articles(articles=Article.objects.filter(pk__in=part))
    return len(ids)


def parallel_rebuild(workers: int) -> None:
    """`rebuild_search_index` in `workers` processes (PostgreSQL): the bench
    archive is large and the rebuild is bound by Python on one core.  Not
    one transaction, unlike the command: fine for a benchmark."""
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connection

    from articles import search
    from articles.models import Article
    from articles.search.backends import postgres

    with connection.cursor() as cursor:
        indexes = postgres.drop_gin_indexes()
        cursor.execute("TRUNCATE articles_searchchunk")
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    # Interleave in slices so each worker gets a contiguous range per batch.
    parts = [
        [
            pk
            for start in range(i * 2000, len(ids), workers * 2000)
            for pk in ids[start : start + 2000]
        ]
        for i in range(workers)
    ]
    connection.close()
    done = 0
    with ProcessPoolExecutor(workers) as pool:
        for n in pool.map(_index_part, parts):
            done += n
            progress(done, len(ids))
    t0 = time.perf_counter()
    postgres.create_gin_indexes(indexes)
    search.backend().analyze()
    print(f"\n  GIN indexes and ANALYZE: {time.perf_counter() - t0:.0f}s")


def progress(done: int, total: int) -> None:
    print(f"\r  indexed {done}/{total}", end="", flush=True)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument(
        "--repeat",
        type=int,
        default=20,
        help="warm runs per query (after the cold one)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep an archive already generated"
    )
    parser.add_argument(
        "--naive", type=int, default=1, help="repeats of the icontains scan per query"
    )
    parser.add_argument(
        "--reindex", action="store_true", help="rebuild the search index first"
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="stop after building"
    )
    parser.add_argument(
        "--first",
        type=int,
        default=0,
        help="number of the first generated article (to generate in parallel parts)",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="processes for the index build"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries

    from articles import search
    from articles.models import Article, Place
    from articles.selectors import article_search

    call_command("migrate", verbosity=0)
    call_command("load_gazetteer", verbosity=0, stdout=open(os.devnull, "w"))
    existing = Article.objects.filter(slug__startswith="bench-").count()
    build = None
    if not (args.reuse and existing >= args.articles):
        if not args.first:
            Article.objects.filter(slug__startswith="bench-").delete()
        t0 = time.perf_counter()
        generate(args.articles, seed=11 + args.first, first=args.first)
        print(f"generated in {time.perf_counter() - t0:.0f}s")
        args.reindex = True
    if args.generate_only:
        return
    if args.reindex:
        t0 = time.perf_counter()
        if args.workers > 1 and connection.vendor == "postgresql":
            parallel_rebuild(args.workers)
        else:
            search.rebuild(progress=progress)
        build = time.perf_counter() - t0
        print()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum would (it is off on some machines): statistics
            # and visibility maps.
            cursor.execute("VACUUM (ANALYZE)")
    total = Article.objects.count()
    facet_place = Place.objects.filter(name="交城县").first()
    print(f"database: {connection.vendor}, articles: {total}")
    if build:
        print(f"index built in {build:.0f}s ({total / build:.0f} articles/s)")
    text, index = sizes()
    if index:
        print(
            f"text {text / 2**20:.0f} MiB, index {index / 2**20:.0f} MiB ({index / max(text, 1):.1f}x)"
        )
    if connection.vendor == "postgresql":
        found = search.backend().server_settings()
        print(
            "settings: "
            + ", ".join(
                f"{k} {v / 2**20:.0f} MiB" if not isinstance(v, bool) else f"{k} {v}"
                for k, v in found.items()
            )
        )
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'query':<18}{'filter':<8}{'matches':>9}{'true':>8}{'error':>7}{'cold ms':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'scan ms':>9}{'speed-up':>9}"
    )
    all_times, cold_times, rare_times, errors = [], [], [], []
    for label, q in QUERIES:
        for with_filter in (False, True):
            params = {"q": q}
            if with_filter and facet_place:
                params["place"] = facet_place.slug
            times = []
            for _ in range(args.repeat + 1):
                reset_queries()
                t0 = time.perf_counter()
                result = article_search(params=params)
                times.append((time.perf_counter() - t0) * 1000)
            # The first run reads this query's index pages and rows from
            # disk: reported apart ("cold"); the percentiles are the rest.
            cold, times = times[0], times[1:]
            all_times.extend(times)
            cold_times.append(cold)
            scan = []
            for _ in range(args.naive):
                t0 = time.perf_counter()
                naive = naive_scan(q, facet_place if with_filter else None)
                true = naive.count()
                list(naive.order_by("-pub_date")[:20])
                scan.append((time.perf_counter() - t0) * 1000)
            if true < 1000:
                rare_times.extend(times)
            error = (result.count - true) / true if true else 0.0
            errors.append((error, result.count_is_estimate, true))
            scan_ms = statistics.median(scan)
            p50 = percentile(times, 50)
            print(
                f"{label:<18}{'place' if with_filter else '':<8}{result.count:>8}{'+' if result.count_is_estimate else ' '}"
                f"{true:>8}{error * 100:>+6.0f}%"
                f"{cold:>9.1f}{p50:>9.1f}{percentile(times, 95):>9.1f}{percentile(times, 99):>9.1f}{scan_ms:>9.0f}{scan_ms / p50:>8.0f}x",
                flush=True,
            )
    print(
        f"all queries: p50 {percentile(all_times, 50):.1f} ms, p95 {percentile(all_times, 95):.1f} ms, p99 {percentile(all_times, 99):.1f} ms"
    )
    if rare_times:
        print(
            f"rare (under 1,000 matches): p50 {percentile(rare_times, 50):.1f} ms, p95 {percentile(rare_times, 95):.1f} ms"
        )
    print(
        f"cold (first run of each): p50 {percentile(cold_times, 50):.1f} ms, p95 {percentile(cold_times, 95):.1f} ms"
    )
    within = sum(1 for e, _, _ in errors if abs(e) <= 0.10)
    exact_small = all(e == 0 for e, est, t in errors if t < 10_000)
    print(
        f"counts within ±10%: {within} of {len(errors)}; "
        f"exact below 10,000 matches: {'yes' if exact_small else 'no'}"
    )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def naive_scan(q: str, place):
    """The published articles holding every term in any field the search
    covers, by `icontains` and no index: the true count, and the baseline."""
    from django.db.models import Q

    from articles.models import Article, Caption, Place
    from people.models import Byline

    naive = Article.objects.published()
    for term in q.split():
        naive = naive.filter(
            Q(headline__icontains=term)
            | Q(kicker__icontains=term)
            | Q(subtitle__icontains=term)
            | Q(body__icontains=term)
            | Q(
                pk__in=Caption.objects.filter(text__icontains=term).values("article_id")
            )
            | Q(
                pk__in=Byline.objects.filter(person__name__icontains=term).values(
                    "article_id"
                )
            )
        )
    if place is not None:
        links = Article.places.through.objects.filter(
            place_id__in=Place.objects.descendant_ids(place)
        )
        naive = naive.filter(pk__in=links.values("article_id"))
    return naive


if __name__ == "__main__":
    main()
