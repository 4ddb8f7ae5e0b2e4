"""Reprint lookup benchmark: `make bench-reprints N=1000000`.

Fills the configured database with N synthetic articles (bodies of jieba
dictionary words in sentences, 40 topics of shared vocabulary) and their
LSH band rows, then:
- times the lookup the import does per new article (band keys → candidate
  rows → confirmation on the text): over 500 new articles (no reprint in
  the archive, the usual case) and over the edited copies below (candidates
  to read and confirm);
- measures precision and recall on a test set: edited copies of archived
  articles (a paragraph cut, punctuation changed, characters changed, the
  headline changed and the lines re-flowed, or all of them) must be found;
  new articles on the same topic (same vocabulary, other sentences), and
  new articles that quote one paragraph of an archived one, must not.

Article `i` is generated from its own seed, so a run that stopped half way
resumes where it stopped and the test set is drawn from the whole archive.
Filling is what takes time at a million articles, so it is done in bulk:
articles and their signatures generated in worker processes a batch at
a time (`reprints.body_band_keys`, as the import computes them) while the main one writes
them: articles by `bulk_create`, band rows by COPY on PostgreSQL and
`executemany` on SQLite, with the band key index dropped while filling and
built once at the end.
"""

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 5000
SEED = 18


def words(limit=20000):
    import jieba

    jieba.dt.check_initialized()
    ranked = sorted(jieba.dt.FREQ.items(), key=lambda kv: -kv[1])
    return [w for w, f in ranked if f > 0 and len(w) >= 2][:limit]


class Corpus:
    """The synthetic archive: article `i` is the same text on every run."""

    def __init__(self):
        rng = random.Random(SEED)
        self.vocab = words()
        self.topics = [rng.sample(self.vocab, 30) for _ in range(40)]

    def body(self, rng, topic, paragraphs=4):
        vocab, choice, random_ = self.vocab, rng.choice, rng.random
        out = []
        for _ in range(paragraphs):
            sentences = []
            for _ in range(rng.randint(2, 4)):
                picks = [
                    choice(topic) if random_() < 0.3 else choice(vocab)
                    for _ in range(rng.randint(6, 12))
                ]
                sentences.append("".join(picks) + "，" + choice(topic) + "。")
            out.append("".join(sentences))
        return "\n\n".join(out)

    def article(self, i: int) -> tuple[int, str]:
        """(topic index, body) of archived article `i`."""
        rng = random.Random(i * 7919 + SEED)
        topic = rng.randrange(len(self.topics))
        return topic, self.body(rng, self.topics[topic])


def edited(rng, text):
    """A reprint of `text` as another paper or issue printed it."""
    paras = text.split("\n\n")
    kind = rng.choice(["cut", "punct", "words", "headline", "all"])
    if kind in ("cut", "all") and len(paras) > 2:
        paras.pop(rng.randrange(len(paras)))
    # A changed headline does not enter the lookup (the body does); such a
    # copy is usually re-set too: other line breaks.
    text = ("\n" if kind in ("headline", "all") else "\n\n").join(paras)
    if kind in ("punct", "all"):
        text = text.replace("，", ",").replace("。", ". ")
    if kind in ("words", "all"):
        chars = list(text)
        for _ in range(5):
            chars[rng.randrange(len(chars))] = "某"
        text = "".join(chars)
    return kind, text


_worker: dict = {}


def generate(start_count):
    """Articles `start` … `start + count - 1` with their band keys (in a
    worker process: the database is written meanwhile by the main one)."""
    start, count = start_count
    from articles import reprints

    if not _worker:
        _worker["corpus"] = Corpus()
    bodies = [_worker["corpus"].article(start + n)[1] for n in range(count)]
    return start, bodies, [reprints.body_band_keys(body) for body in bodies]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tests", type=int, default=300)
    parser.add_argument(
        "--workers", type=int, default=2, help="processes generating articles"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'reprints.sqlite3'}"
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from articles import reprints
    from articles.models import Article, ReprintBand

    call_command("migrate", verbosity=0)
    corpus = Corpus()

    table = ReprintBand._meta.db_table
    key_index = next(
        i for i in ReprintBand._meta.indexes if i.name == "reprintband_key"
    )

    def has_key_index():
        with connection.cursor() as cursor:
            names = connection.introspection.get_constraints(cursor, table)
        return key_index.name in names

    def write_bands(rows):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {table} (article_id, key) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {table} (article_id, key) VALUES (%s, %s)", rows
                )

    have = Article.objects.filter(slug__startswith="bench-").count()
    start = time.perf_counter()
    if have < args.articles:
        if has_key_index() and args.articles - have > 100_000:
            with connection.schema_editor() as editor:
                editor.remove_index(ReprintBand, key_index)
        print(f"filling {have} → {args.articles} articles ({connection.vendor})")
    batches = [
        (first, min(BATCH, args.articles - first))
        for first in range(have, args.articles, BATCH)
    ]
    connection.close()  # not shared with the forked workers
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for first, bodies, keys in pool.imap(generate, batches):
            rows = [
                Article(headline=f"稿件{first + n}", slug=f"bench-{first + n}", body=b)
                for n, b in enumerate(bodies)
            ]
            with transaction.atomic():
                created = Article.objects.bulk_create(rows, batch_size=1000)
                write_bands(
                    [
                        (article.pk, key)
                        for article, article_keys in zip(created, keys, strict=True)
                        for key in article_keys or ()
                    ]
                )
            have = first + len(bodies)
            spent = time.perf_counter() - start
            print(f"\r  {have}/{args.articles}  {spent:.0f} s", end="", flush=True)
    if not has_key_index():
        print("\n  building the band key index", end="", flush=True)
        with connection.schema_editor() as editor:
            editor.add_index(ReprintBand, key_index)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"\nfilled in {time.perf_counter() - start:.0f} s")
    if has_key_index() is False:
        raise SystemExit("band key index missing")

    def lookup(text):
        # What the page import does for each new article.
        return [pk for pk, _ in reprints.reprints_find([text])[0].originals]

    def timed(text, into):
        t0 = time.perf_counter()
        found = lookup(text)
        into.append((time.perf_counter() - t0) * 1000)
        return found

    def line(label, timings):
        timings = sorted(timings)
        return (
            f"  {label}: median {statistics.median(timings):.2f} ms, "
            f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms, "
            f"max {timings[-1]:.2f} ms ({len(timings)} lookups)"
        )

    rng = random.Random(SEED + 1)
    total = Article.objects.count()
    # Warm the caches the way a running import has them.
    for _ in range(50):
        lookup(corpus.body(rng, rng.choice(corpus.topics)))
    new_timings, copy_timings = [], []
    for _ in range(500):
        timed(corpus.body(rng, rng.choice(corpus.topics)), new_timings)

    tp = fn = fp = tn = 0
    missed: dict[str, int] = {}
    indices = rng.sample(range(args.articles), min(args.tests, args.articles))
    pks = dict(
        Article.objects.filter(slug__in=[f"bench-{i}" for i in indices]).values_list(
            "slug", "pk"
        )
    )
    for i in indices:
        topic, text = corpus.article(i)
        original = pks[f"bench-{i}"]
        kind, copy = edited(rng, text)
        found = set(timed(copy, copy_timings))
        if original in found:
            tp += 1
        else:
            fn += 1
            missed[kind] = missed.get(kind, 0) + 1
        fp += len(found - {original})
        # The same topic, other sentences; and one quoting a paragraph.
        fresh = corpus.body(rng, corpus.topics[topic])
        quoting = fresh.split("\n\n")
        quoting[rng.randrange(len(quoting))] = rng.choice(text.split("\n\n"))
        for negative in (fresh, "\n\n".join(quoting)):
            if lookup(negative):
                fp += 1
            else:
                tn += 1
    band_rows = ReprintBand.objects.count()
    print(
        f"lookup per article at N={total} articles, {band_rows} band rows "
        f"({connection.vendor}):"
    )
    print(line("new article (no reprint)", new_timings))
    print(line("edited copy (candidates confirmed)", copy_timings))
    print(
        f"test set: {len(indices)} edited copies, {2 * len(indices)} other articles "
        f"on the same topic ({len(indices)} quoting one paragraph): "
        f"recall {tp / (tp + fn):.3f}, precision {tp / max(tp + fp, 1):.3f} "
        f"(found {tp}, missed {fn} {missed or ''}, false {fp}, "
        f"rightly not matched {tn})"
    )


if __name__ == "__main__":
    main()
