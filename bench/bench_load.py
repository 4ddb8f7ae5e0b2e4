"""Load test: `make bench-load` — gunicorn (production settings) on
127.0.0.1, 50 concurrent clients for 60 s with wrk over the home page,
searches and article pages of the configured database (DATABASE_URL, e.g.
the archive `make bench-search` built).  Three runs: the pages alone; the
pages while a 200-page publishing import runs in its own process (with the
readers' lock waits sampled on PostgreSQL); the JSON API alone.  Prints
throughput, latency percentiles and errors.  Traffic stays on this machine."""

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8765
QUERIES = [
    "交城",
    "扶贫",
    "合作社",
    "脱贫攻坚",
    "县",
    "1500",
    "孙宝忠",
    "扶贫车间",
    "党建",
    "交城 合作社",
]


def api_urls(articles: int) -> list[str]:
    """The API's mix: the same 40 searches, the plain list and its second
    page, and single articles."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from articles.models import Article

    pages = urls(0)
    ids = list(
        Article.objects.published()
        .order_by("-pub_date")
        .values_list("pk", flat=True)[:articles]
    )
    out = ["/api/articles/", "/api/articles/?page=2"] * 5
    out += [p.replace("/search/", "/api/articles/") for p in pages if "/search/" in p]
    out += [f"/api/articles/{pk}/" for pk in ids]
    return out


def urls(articles: int) -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from articles.models import Article, Place

    county = Place.objects.filter(kind="county").order_by("pk").first()
    place = county.slug if county else ""
    slugs = list(
        Article.objects.published()
        .order_by("-pub_date")
        .values_list("slug", flat=True)[:articles]
    )
    out = ["/"] * 10
    # Each query plain, on its second page, newest first and within a
    # county: 40 distinct search pages, each cold on its first request.
    variants = ["", "&page=2", "&sort=newest", f"&place={quote(place)}"]
    out += [f"/search/?q={quote(q)}{v}" for q in QUERIES for v in variants]
    out += [f"/articles/{quote(s)}/" for s in slugs]
    return out


def wrk(paths: list[str], work: Path, args, name: str) -> str:
    lua = work / f"{name}.lua"
    lua.write_text(
        "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
        "local i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{args.connections}",
            f"-d{args.seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(lua),
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def report(title: str, output: str) -> None:
    print(f"== {title}")
    print(output)
    errors = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", output)
    print("errors:", "; ".join(errors) if errors else "none")


class LockWaits(threading.Thread):
    """Samples, every 0.2 s, how many database sessions wait on a lock
    (PostgreSQL's pg_stat_activity), to show whether the import's writes
    hold up the readers."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[int] = []
        self.stop = threading.Event()

    def run(self):
        from django.db import connection

        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            while not self.stop.wait(0.2):
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                    "'Lock' AND datname = current_database()"
                )
                self.samples.append(cursor.fetchone()[0])
        connection.close()


def start_import(work: Path, env: dict, pages: int, app: Path) -> subprocess.Popen:
    """A publishing import of `pages` generated pages in its own process,
    as staff would run import_pages next to the site."""
    from bench.bench_import import generate_pages

    folder = work / "import"
    folder.mkdir()
    stamp = int(time.time())
    for i, raw in enumerate(generate_pages(pages, seed=stamp % 1000)):
        # Bytes never imported before, so every page is new and published.
        (folder / f"load-{stamp}-{i:04d}.txt").write_bytes(
            raw + f"\n{stamp}-{i}\n".encode()
        )
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "import_pages",
            str(folder),
            "--publish",
            "--publication",
            "基准报",
        ],
        cwd=app,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--import-pages", type=int, default=200, help="pages the import run publishes"
    )
    parser.add_argument(
        "--runs",
        default="pages,import,api",
        help="which runs: pages (alone), import (pages during an import), api",
    )
    parser.add_argument(
        "--app-dir",
        type=Path,
        default=ROOT,
        help="serve and import with the code in this checkout (to compare versions)",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit(
            "Set DATABASE_URL (PostgreSQL with the benchmark archive), e.g. postgres://postgres@127.0.0.1:5432/bench"
        )
    runs = args.runs.split(",")
    paths = urls(200)
    random.Random(5).shuffle(paths)
    api = api_urls(200)
    random.Random(5).shuffle(api)
    work = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-" + "x" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_DIR": str(work / "cache"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=args.app_dir,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "newsroom.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=args.app_dir,
        env=env,
    )
    results = []
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=5)
                break
            except OSError:
                time.sleep(1)
        if "pages" in runs:
            results.append(("pages alone", wrk(paths, work, args, "pages")))
        if "import" in runs:
            importer = start_import(work, env, args.import_pages, args.app_dir)
            waits = LockWaits()
            waits.start()
            started = time.perf_counter()
            output = wrk(paths, work, args, "during-import")
            log, _ = importer.communicate()
            took = time.perf_counter() - started
            waits.stop.set()
            waits.join()
            summary = [line for line in log.splitlines() if "pages=" in line]
            lock_note = (
                f"sessions waiting on a lock: max {max(waits.samples)}, "
                f"in {sum(1 for n in waits.samples if n)} of {len(waits.samples)} samples"
                if waits.samples
                else "lock waits: not sampled (SQLite: WAL readers never wait)"
            )
            output += (
                f"\nimport of {args.import_pages} pages (publishing): "
                f"{(summary or ['?'])[-1].strip()}; finished {took:.0f}s after the "
                f"load started; {lock_note}\n"
            )
            results.append(("pages during a publishing import", output))
        if "api" in runs:
            results.append(("JSON API alone", wrk(api, work, args, "api")))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    for title, output in results:
        report(title, output)


if __name__ == "__main__":
    main()
