"""Two imports at the same time both finish: the same file twice is imported
once and "already imported" the other time; two new pages naming the same new
person (with the same headline, the same tags) share one row each.

Each import runs in its own thread with its own database connection, and a
barrier holds both after the "imported before?" check and the parse, so their
transactions really overlap."""

import threading

import pytest
from django.db import connection

from articles import services
from articles.models import Article, Page
from people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "县里举办秋季农民运动会"


def page(extra: str) -> bytes:
    return (
        f"本报讯 金秋时节，县里举办秋季农民运动会，{extra}"
        "各乡镇代表队参加拔河、跳绳和趣味接力比赛。（欧阳晓峰）\n\n"
        f"{HEADLINE}\n"
    ).encode()


@pytest.fixture
def in_step(monkeypatch):
    """Make the imports wait for each other once they have parsed."""
    barrier = threading.Barrier(2, timeout=30)
    parse = services.pages.parse_page

    def parse_then_wait(*args, **kwargs):
        parsed = parse(*args, **kwargs)
        barrier.wait()
        return parsed

    monkeypatch.setattr(services.pages, "parse_page", parse_then_wait)


def run_together(*jobs):
    results, errors = [None] * len(jobs), []

    def run(index, job):
        try:
            results[index] = job()
        except Exception as exc:  # reported below, with its type
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        # SQLite takes its write lock at BEGIN (IMMEDIATE), so its imports
        # never overlap inside a transaction; the test database is also an
        # in-memory one threads cannot share with locking.
        pytest.skip("concurrent transactions: PostgreSQL")


def test_same_file_twice_at_once_is_imported_once(gazetteer_db, in_step):
    raw = page("")
    results = run_together(
        lambda: services.page_import(raw=raw, filename="a.txt"),
        lambda: services.page_import(raw=raw, filename="a-copy.txt"),
    )
    assert sorted(r.status for r in results) == ["imported", "skipped"]
    assert Page.objects.count() == 1


def test_two_pages_naming_the_same_new_person_at_once(gazetteer_db, in_step):
    assert not Person.objects.filter(name="欧阳晓峰").exists()
    results = run_together(
        lambda: services.page_import(raw=page("观众热情高涨，"), filename="a.txt"),
        lambda: services.page_import(raw=page("场面十分热闹，"), filename="b.txt"),
    )
    assert [r.status for r in results] == ["imported", "imported"]
    assert Person.objects.filter(name="欧阳晓峰").count() == 1
    articles = Article.objects.filter(headline=HEADLINE)
    assert articles.count() == 2
    assert len({a.slug for a in articles}) == 2
    for article in articles:
        assert article.bylines.get().person.name == "欧阳晓峰"


def test_two_pages_replaced_at_once_leave_true_counts(gazetteer_db, monkeypatch):
    """Two re-imports (`--replace`) at once, each dropping the only other
    article that named a person: each recounts the person inside its own
    transaction, and the later one must count after the earlier commits,
    not beside it — the suggestion's count is what the person's page shows."""
    from articles.models import NameKey
    from articles.services.names import public_count

    # Two different reports (neither a reprint of the other).
    stories = {
        "a.txt": (
            "本报讯 金秋时节，县里举办秋季农民运动会，观众热情高涨，"
            "各乡镇代表队参加拔河、跳绳和趣味接力比赛。",
            HEADLINE,
        ),
        "b.txt": (
            "本报讯 入冬以来，县图书馆开设少儿阅读课堂，每周六上午由志愿者"
            "带领孩子们读绘本、讲故事，已有三百多个家庭报名参加。",
            "县图书馆开设少儿阅读课堂",
        ),
    }

    def named(name, filename):
        body, headline = stories[filename]
        return f"{body}（{name}）\n\n{headline}\n".encode()

    for filename in stories:
        services.page_import(
            raw=named("欧阳晓峰", filename), filename=filename, publish=True
        )
    person = Person.objects.get(name="欧阳晓峰")
    counts = set(
        NameKey.objects.filter(object_id=person.pk, kind="person").values_list(
            "article_count", flat=True
        )
    )
    assert counts == {2}

    barrier = threading.Barrier(2, timeout=30)
    parse = services.pages.parse_page
    waited = set()

    def parse_then_wait(*args, **kwargs):
        parsed = parse(*args, **kwargs)
        if threading.get_ident() not in waited:  # not when tried again
            waited.add(threading.get_ident())
            barrier.wait()
        return parsed

    monkeypatch.setattr(services.pages, "parse_page", parse_then_wait)
    run_together(
        lambda: services.page_import(
            raw=named("司马光明", "a.txt"),
            filename="a.txt",
            publish=True,
            replace=True,
        ),
        lambda: services.page_import(
            raw=named("诸葛文华", "b.txt"),
            filename="b.txt",
            publish=True,
            replace=True,
        ),
    )
    assert public_count("person", person.slug) == 0
    assert not NameKey.objects.filter(object_id=person.pk, kind="person").exists()
