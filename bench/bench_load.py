"""Load test: `make bench-load` — gunicorn (production settings) on
127.0.0.1, 50 concurrent clients for 60 s with wrk over the home page,
searches and article pages of the configured database (DATABASE_URL, e.g.
the archive `make bench-search` built).  Prints throughput, latency
percentiles and errors.  Traffic stays on this machine."""

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit(
            "Set DATABASE_URL (PostgreSQL with the benchmark archive), e.g. postgres://postgres@127.0.0.1:5432/bench"
        )
    paths = urls(200)
    random.Random(5).shuffle(paths)
    work = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    lua = work / "paths.lua"
    lua.write_text(
        "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
        "local i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n",
        encoding="utf-8",
    )
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
        cwd=ROOT,
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
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=5)
                break
            except OSError:
                time.sleep(1)
        result = subprocess.run(
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
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(result.stdout)
    errors = re.findall(
        r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", result.stdout
    )
    print("errors:", "; ".join(errors) if errors else "none")


if __name__ == "__main__":
    main()
