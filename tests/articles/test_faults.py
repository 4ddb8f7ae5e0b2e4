"""An import killed (SIGKILL) at random points leaves only whole pages, and
running it again finishes the job without duplicates.  Runs against a
fresh SQLite file, or a fresh PostgreSQL database when the suite runs on
PostgreSQL."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from urllib.parse import urlparse

import pytest

from articles.importing import parse_page
from tests.conftest import ROOT, sample_pages
from tests.importing.gazetteer import fixture_gazetteer

COPIES = 12


@pytest.fixture
def page_dir(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    expected = {}
    for i in range(COPIES):
        for path in sample_pages():
            text = path.read_text("utf-8") + f"\n\n第{i + 1}期\n"
            name = f"{i:02d}-{path.name}"
            (folder / name).write_text(text, encoding="utf-8")
            expected[name] = len(
                parse_page(text, gazetteer=fixture_gazetteer()).articles
            )
    return folder, expected


@pytest.fixture
def database(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        parts = urlparse(url)
        name = f"newsroom_faults_{os.getpid()}"
        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        target = parts._replace(path=f"/{name}").geturl()
        yield target
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path / 'faults.sqlite3'}"


def rows(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def manage(url, tmp_path, *args, **popen):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, **popen
    )


def check_whole_pages(url, expected):
    pages = rows(
        url,
        "SELECT p.filename, COUNT(a.id) FROM articles_page p "
        "LEFT JOIN articles_article a ON a.page_id = p.id GROUP BY p.filename",
    )
    for filename, count in pages:
        assert count == expected[filename], (
            f"{filename}: {count} of {expected[filename]} articles"
        )
    unindexed = rows(
        url,
        "SELECT COUNT(*) FROM articles_article a WHERE NOT EXISTS "
        "(SELECT 1 FROM articles_searchchunk c WHERE c.article_id = a.id)",
    )
    assert unindexed == [(0,)]
    return len(pages)


@pytest.mark.timeout_sensitive
def test_killed_import_leaves_whole_pages_and_resumes(page_dir, database, tmp_path):
    folder, expected = page_dir
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    assert manage(database, tmp_path, "migrate", "-v0", **quiet).wait() == 0
    assert manage(database, tmp_path, "load_gazetteer", **quiet).wait() == 0
    rng = random.Random(20261122)
    seen = []
    for _ in range(4):
        process = manage(database, tmp_path, "import_pages", str(folder), **quiet)
        time.sleep(rng.uniform(1.0, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen.append(check_whole_pages(database, expected))
    assert min(seen) < len(expected), (
        "every import finished before its kill; nothing was tested"
    )
    finish = manage(database, tmp_path, "import_pages", str(folder), **quiet)
    assert finish.wait(timeout=600) == 0
    assert check_whole_pages(database, expected) == len(expected)
    assert rows(database, "SELECT COUNT(*) FROM articles_article") == [
        (sum(expected.values()),)
    ]
    assert rows(
        database, "SELECT COUNT(DISTINCT sha256), COUNT(*) FROM articles_page"
    ) == [(len(expected), len(expected))]
