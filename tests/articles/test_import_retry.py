"""A page whose commit collides with another import's (PostgreSQL: a
deadlock, a foreign key checked at commit) is imported again: the second
attempt must be the import a clean run makes — the places the first attempt
proposed were rolled back with it, so they are flagged new again — and
leave nothing of the first behind."""

import pytest
from django.db import IntegrityError

from articles import reprints, services
from articles.models import Article, Page, Place
from tests.conftest import sample_pages

pytestmark = pytest.mark.django_db(transaction=True)


class ForeignKeyAtCommit(Exception):
    sqlstate = "23503"  # what psycopg reports


def collide_once(monkeypatch):
    store = reprints.reprints_store
    calls = []

    def failing_first(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            error = IntegrityError("violates foreign key constraint")
            error.__cause__ = ForeignKeyAtCommit()
            raise error
        return store(**kwargs)

    monkeypatch.setattr(reprints, "reprints_store", failing_first)
    return calls


def test_a_collided_page_is_imported_again_as_a_clean_run_would(
    gazetteer_db, monkeypatch
):
    raw = sample_pages()[0].read_bytes()
    parsed, _ = services.page_preview(raw=raw, filename="a.txt")
    expected = [sorted(a.flags) for a in parsed.articles]
    assert any("new_place" in flags for flags in expected)
    places = Place.objects.count()

    calls = collide_once(monkeypatch)
    result = services.page_import(raw=raw, filename="a.txt")
    assert len(calls) == 2 and result.status == "imported"
    assert Page.objects.count() == 1
    imported = Article.objects.order_by("position")
    assert [sorted(a.flags) for a in imported] == expected
    # The places the first attempt proposed went with it; the second's stay.
    assert Place.objects.count() == places + len(
        {p.name for a in parsed.articles for p in a.places if not p.known}
    )


def test_an_error_that_is_no_collision_is_not_tried_again(gazetteer_db, monkeypatch):
    calls = []

    def broken(**kwargs):
        calls.append(1)
        raise IntegrityError("a bug, not a collision")

    monkeypatch.setattr(reprints, "reprints_store", broken)
    with pytest.raises(IntegrityError):
        services.page_import(raw=sample_pages()[0].read_bytes(), filename="a.txt")
    assert calls == [1] and not Page.objects.exists()
