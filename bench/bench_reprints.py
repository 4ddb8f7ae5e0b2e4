"""Reprint lookup benchmark: `make bench-reprints N=100000`.

Fills the configured database with N synthetic articles (bodies of jieba
dictionary words in sentences, 40 topics of shared vocabulary) and their
LSH band rows, then:
- times the lookup the import does per new article (band keys → candidate
  rows → confirmation on the text), over 500 new articles;
- measures precision and recall on a test set: edited copies of archived
  articles (a paragraph cut, punctuation changed, a few words changed) must
  be found; new articles on the same topic (same vocabulary, other
  sentences) must not.
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


def words(limit=20000):
    import jieba

    jieba.dt.check_initialized()
    ranked = sorted(jieba.dt.FREQ.items(), key=lambda kv: -kv[1])
    return [w for w, f in ranked if f > 0 and len(w) >= 2][:limit]


def body(rng, vocab, topic, paragraphs=4):
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            picks = [
                rng.choice(topic) if rng.random() < 0.3 else rng.choice(vocab)
                for _ in range(rng.randint(6, 12))
            ]
            sentences.append("".join(picks) + "，" + rng.choice(topic) + "。")
        out.append("".join(sentences))
    return "\n\n".join(out)


def edited(rng, text):
    paras = text.split("\n\n")
    kind = rng.choice(["cut", "punct", "words", "all"])
    if kind in ("cut", "all") and len(paras) > 2:
        paras.pop(rng.randrange(len(paras)))
    text = "\n\n".join(paras)
    if kind in ("punct", "all"):
        text = text.replace("，", ",").replace("。", ". ")
    if kind in ("words", "all"):
        chars = list(text)
        for _ in range(5):
            i = rng.randrange(len(chars))
            chars[i] = "某"
        text = "".join(chars)
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tests", type=int, default=300)
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
    rng = random.Random(18)
    vocab = words()
    topics = [rng.sample(vocab, 30) for _ in range(40)]
    have = Article.objects.count()
    start = time.perf_counter()
    kept = []  # (topic index, body) of some archived articles, for the test set
    batch = 2000
    while have < args.articles:
        rows, bodies = [], []
        for i in range(min(batch, args.articles - have)):
            t = rng.randrange(len(topics))
            text = body(rng, vocab, topics[t])
            rows.append(
                Article(headline=f"稿件{have + i}", slug=f"bench-{have + i}", body=text)
            )
            bodies.append((t, text))
        with transaction.atomic():
            created = Article.objects.bulk_create(rows)
            bands = []
            for article in created:
                keys = reprints.band_keys(
                    reprints.signature(reprints.shingles(article.body))
                )
                bands.extend(ReprintBand(article=article, key=k) for k in keys)
            ReprintBand.objects.bulk_create(bands, batch_size=5000)
        kept.extend(bodies[:50])
        have += len(rows)
        print(f"\r  {have}/{args.articles}", end="", flush=True)
    print(f"\nbuilt in {time.perf_counter() - start:.0f} s")
    if not kept:  # a second run: take archived ones
        for a in Article.objects.order_by("?")[: args.tests]:
            kept.append((None, a.body))

    def lookup(text):
        grams = reprints.shingles(text)
        keys = reprints.band_keys(reprints.signature(grams))
        ids = reprints.candidates(keys, exclude=set())
        return [
            other.pk
            for other in Article.objects.filter(pk__in=ids).only("id", "body")
            if reprints.is_reprint(grams, reprints.shingles(other.body))[0]
        ]

    timings = []
    for _ in range(500):
        text = body(rng, vocab, rng.choice(topics))
        t0 = time.perf_counter()
        lookup(text)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    print(
        f"lookup per article at N={Article.objects.count()} ({connection.vendor}): "
        f"median {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms, "
        f"band rows {ReprintBand.objects.count()}"
    )

    samples = rng.sample(kept, min(args.tests, len(kept)))
    tp = fn = fp = tn = 0
    for t, text in samples:
        found = lookup(edited(rng, text))
        original = Article.objects.filter(body=text).values_list("pk", flat=True)
        if set(original) & set(found):
            tp += 1
        else:
            fn += 1
        fp += len(set(found) - set(original))
        topic = topics[t] if t is not None else rng.choice(topics)
        if lookup(body(rng, vocab, topic)):
            fp += 1
        else:
            tn += 1
    print(
        f"test set: {len(samples)} edited copies, {len(samples)} same-topic articles: "
        f"recall {tp / (tp + fn):.3f}, precision {tp / max(tp + fp, 1):.3f} "
        f"(true {tp}, missed {fn}, false {fp})"
    )


if __name__ == "__main__":
    main()
