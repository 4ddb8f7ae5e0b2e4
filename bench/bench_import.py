"""Import benchmark: `make bench-import N=200`.

Generates N pages by recombining the sample pages' article blocks and
headline lines (shuffled, numbers varied so every page's bytes differ),
imports them into a fresh SQLite database (or an empty PostgreSQL one,
--database) and prints pages/s, articles/s, the CPU seconds the import took
(pages per CPU-second: the cost per core, whatever else runs on the
machine), peak memory, and the CPU time per step: clean-up, segmentation
and headline matching, entity finding, database writes.
"""

import argparse
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _pieces() -> list[tuple[list[str], str, str]]:
    """The sample pages' articles as (printed body lines, headline block,
    body text): the layouts a generated page is made of."""
    from articles.importing import parse_page
    from articles.importing.gazetteer_file import gazetteer_from_files

    gazetteer = gazetteer_from_files(
        ROOT / "fixtures/gazetteer.json",
        ROOT / "fixtures/programs.json",
        ROOT / "fixtures/villages.txt.gz",
    )
    pieces = []
    for path in sorted((ROOT / "fixtures/pages").glob("*.txt")):
        lines = path.read_text("utf-8").split("\n")
        parsed = parse_page("\n".join(lines), gazetteer=gazetteer)
        for article in parsed.articles:
            body = lines[article.first_line : article.last_line + 1]
            head = []
            if article.kicker:
                head.append(article.kicker)
            if article.headline:
                head.append(article.headline)
            if article.subtitle:
                head.append("——" + article.subtitle)
            pieces.append((body, "\n".join(head), article.body))
    return pieces


_SENTENCE = re.compile(r"[^。！？\n]+[。！？]”?")


def _sentences(text: str) -> list[str]:
    # Not the ones that start or end an article (本报讯, a byline in
    # brackets, a photo credit): in the middle of a body they would cut it.
    return [
        s
        for s in (s.strip() for s in _SENTENCE.findall(text))
        if len(s) > 6 and not any(mark in s for mark in ("本报讯", "（", "□", "摄"))
    ]


def _width(line: str) -> float:
    # A half-width character takes half a column on the printed page.
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in line.strip())


def _rewrite(body: list[str], stream) -> list[str]:
    """The piece's printed layout — its column width, its paragraphs'
    lengths, the blank line after every printed line, its first and last
    lines (本报讯, the byline) — filled with other sentences: a new
    article that reads like one, in the layout the parser meets."""
    printed = [line for line in body if line.strip()]
    if len(printed) < 4:
        return body
    # The column's width: the commonest line width (a paragraph's last
    # line is shorter, a stray wide line rare).
    widths = Counter(round(_width(line)) for line in printed)
    column = max(widths, key=lambda w: (widths[w], w))
    paragraphs: list[float] = []  # each paragraph's length in columns
    run = 0.0
    for line in printed[1:-1]:
        run += _width(line)
        if _width(line) < column - 1.5 and line.rstrip()[-1:] in "。！？”":
            paragraphs.append(run)
            run = 0.0
    if run:
        paragraphs.append(run)
    out = [printed[0]]
    for size in paragraphs:
        text = ""
        while len(text) < size * 0.9:
            text += next(stream)
        out += _wrap(text, column)
    out.append(printed[-1])
    return [part for line in out for part in (line, "")][:-1]


# Chinese typesetting never starts a line with these: they hang at the
# end of the line before.
_NO_LINE_START = "，。、；：！？）”》"


def _wrap(text: str, column: int) -> list[str]:
    lines, start = [], 0
    while start < len(text):
        end = start + column
        while end < len(text) and text[end] in _NO_LINE_START:
            end += 1
        lines.append(text[start:end])
        start = end
    return lines


def generate_pages(
    n: int, seed: int = 7, *, text: str = "fresh", reprints: float = 0.05
) -> list[bytes]:
    """N pages of 3–6 articles in the sample pages' layouts.

    text="fresh": every article is new text — the layout of a sample
    article filled with its own lead (so its headline still names what it
    reports), then one of its own sentences in four and the others drawn
    from all the samples, in a new order — and a share `reprints` of the articles are an earlier
    generated article printed again, as an archive holds agency pieces
    and stories run twice.  text="recombined": the sample articles
    themselves, recombined (the earlier bench): every article is then a
    copy of dozens of others, the reprint check's worst case."""
    pieces = _pieces()
    rng = random.Random(seed)
    pool = [s for _, _, body in pieces for s in _sentences(body)]
    printed: list[list[str]] = []  # generated bodies, for reprints
    pages = []
    for i in range(n):
        chosen = rng.sample(pieces, k=min(len(pieces), rng.randint(3, 6)))
        bodies = []
        for body, _, text_ in chosen:
            if text == "recombined":
                bodies.append("\n".join(body))
                continue
            if printed and rng.random() < reprints:
                bodies.append("\n".join(rng.choice(printed)))
                continue
            own = _sentences(text_) or pool
            rng.shuffle(own)

            # Its lead from its own sentences (the headline names what
            # the lead reports), then one of its own in four.
            def stream(own=own):
                yield from own[:2]
                while True:
                    for sentence in own[2:] or own:
                        yield sentence
                        for _ in range(3):
                            yield rng.choice(pool)

            lines = _rewrite(body, stream())
            printed.append(lines)
            bodies.append("\n".join(lines))
        heads = [h for _, h, _ in chosen if h]
        page = "\n\n".join(bodies) + "\n\n" + "\n\n".join(heads) + "\n"
        # Vary the numbers so every generated page is new bytes.
        page = page.replace("2020", str(1990 + i % 30), 1).replace(
            "15%", f"{i % 97}%", 1
        )
        page += f"\n\n第{i + 1}期\n"
        pages.append(page.encode("utf-8"))
    return pages


def _server_cpu_seconds() -> float:
    """CPU time of the PostgreSQL backend serving this connection (0 on
    SQLite, which runs in this process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server on another machine
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument(
        "--text",
        choices=["fresh", "recombined"],
        default="fresh",
        help="fresh: new text per article, some reprints; recombined: the "
        "sample articles themselves (every article a reprint of dozens)",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="publish as it imports (as `make run` does): the suggestions' "
        "counts are kept too",
    )
    parser.add_argument(
        "--reprints",
        type=float,
        default=0.05,
        help="share of fresh articles that are an earlier one printed again",
    )
    parser.add_argument(
        "--database", default=None, help="DATABASE_URL (default: a fresh SQLite file)"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    os.environ["DATABASE_URL"] = (
        args.database or f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As an import runs in production: with DEBUG on, Django also keeps
    # the text of every query (on SQLite it quotes the parameters with one
    # more query each), which is not the importer's cost.
    settings.DEBUG = False

    call_command("migrate", verbosity=0)
    from articles.models import Page

    if Page.objects.exists():
        sys.exit("bench: the database already holds pages; give it an empty one")
    call_command("load_gazetteer", verbosity=0, stdout=open(os.devnull, "w"))

    from articles import services
    from articles.importing import parse as parse_mod
    from articles.services import pages as page_services

    timings: dict[str, float] = defaultdict(float)

    def timed(name, fn):
        def wrapper(*a, **k):
            start = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                timings[name] += time.process_time() - start

        return wrapper

    parse_mod.read_lines = timed("clean-up", parse_mod.read_lines)
    parse_mod._entities = timed("entities", parse_mod._entities)
    page_services.parse_page = timed("parse (all)", page_services.parse_page)

    t0 = time.perf_counter()
    pages = generate_pages(args.pages, text=args.text, reprints=args.reprints)
    gen_time = time.perf_counter() - t0
    # Warm jieba's dictionary before timing, as a long-running importer would.
    services.page_preview(raw=pages[0], filename="warm.txt")
    timings.clear()

    rss_samples = []
    articles = 0
    server = _server_cpu_seconds()
    cpu = time.process_time()
    start = time.perf_counter()
    for i, raw in enumerate(pages):
        result = services.page_import(
            raw=raw,
            filename=f"bench-{i:05d}.txt",
            publication="基准报",
            publish=args.publish,
        )
        articles += len(result.articles)
        if i % max(1, len(pages) // 10) == 0:
            rss_samples.append(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            )
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    server = _server_cpu_seconds() - server
    rss_samples.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    parse_total = timings.pop("parse (all)")
    segmentation = parse_total - timings["clean-up"] - timings["entities"]
    database = cpu + server - parse_total
    print(f"pages generated: {len(pages)} in {gen_time:.1f}s ({workdir})")
    from articles.models import Reprint

    print(f"imported {len(pages)} pages, {articles} articles in {total:.2f}s")
    print(
        f"text: {args.text}{', published' if args.publish else ''}; reprint links found: {Reprint.objects.count()} "
        f"({Reprint.objects.values('article').distinct().count()} articles)"
    )
    print(
        f"throughput: {len(pages) / total:.1f} pages/s, {articles / total:.1f} articles/s"
    )
    # On a shared machine the wall clock counts other jobs' time too: the
    # CPU seconds the import took (this process, plus PostgreSQL's backend
    # serving it) are its cost per core.
    print(
        f"CPU: {cpu:.2f}s importer + {server:.2f}s database server = "
        f"{len(pages) / (cpu + server):.1f} pages per CPU-second"
    )
    print("CPU seconds by step:")
    for name, seconds in [
        ("clean-up", timings["clean-up"]),
        ("segmentation+matching", segmentation),
        ("entities", timings["entities"]),
        ("database", database),
    ]:
        print(
            f"  {name:<22} {seconds:7.2f}s  {100 * seconds / (cpu + server):5.1f}%"
            f"  {len(pages) / seconds:8.1f} pages/s"
        )
    print("peak RSS (MiB) over the run: " + " ".join(f"{r:.0f}" for r in rss_samples))


if __name__ == "__main__":
    main()
