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
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate_pages(n: int, seed: int = 7) -> list[bytes]:
    from articles.importing import parse_page
    from articles.importing.gazetteer_file import gazetteer_from_files

    gazetteer = gazetteer_from_files(
        ROOT / "fixtures/gazetteer.json",
        ROOT / "fixtures/programs.json",
        ROOT / "fixtures/villages.txt.gz",
    )
    pieces = []  # (body lines text, headline block text)
    for path in sorted((ROOT / "fixtures/pages").glob("*.txt")):
        lines = path.read_text("utf-8").split("\n")
        parsed = parse_page("\n".join(lines), gazetteer=gazetteer)
        for article in parsed.articles:
            body = "\n".join(lines[article.first_line : article.last_line + 1])
            head = []
            if article.kicker:
                head.append(article.kicker)
            if article.headline:
                head.append(article.headline)
            if article.subtitle:
                head.append("——" + article.subtitle)
            pieces.append((body, "\n".join(head)))
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        chosen = rng.sample(pieces, k=min(len(pieces), rng.randint(3, 6)))
        bodies = [b for b, _ in chosen]
        heads = [h for _, h in chosen if h]
        text = "\n\n".join(bodies) + "\n\n" + "\n\n".join(heads) + "\n"
        # Vary the numbers so every generated page is new bytes.
        text = text.replace("2020", str(1990 + i % 30), 1).replace(
            "15%", f"{i % 97}%", 1
        )
        text += f"\n\n第{i + 1}期\n"
        pages.append(text.encode("utf-8"))
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
    pages = generate_pages(args.pages)
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
            raw=raw, filename=f"bench-{i:05d}.txt", publication="基准报"
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
    print(f"imported {len(pages)} pages, {articles} articles in {total:.2f}s")
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
