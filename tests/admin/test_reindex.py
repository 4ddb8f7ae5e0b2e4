"""Renaming through the admin keeps search current: the new name finds
the articles at once, the old one no longer does."""

import pytest
from django.urls import reverse

from articles import search
from articles.models import Article, Place
from people.models import Byline
from people.services import person_get_or_create

pytestmark = pytest.mark.django_db


def found(q: str) -> set[int]:
    return set(
        search.matching(search.parse_query(q), Article.objects.all()).values_list(
            "pk", flat=True
        )
    )


@pytest.fixture
def signed_article(imported_pages):
    """An article with a byline of a person whose name is nowhere else."""
    person = person_get_or_create(name="甄士隐")
    article = Article.objects.order_by("pk").first()
    Byline.objects.create(article=article, person=person, role="writer", order=9)
    search.index_articles(articles=[article])
    assert found("甄士隐") == {article.pk}
    return article, person


def test_renaming_a_person_in_the_admin_reindexes_their_articles(
    editor_client, signed_article
):
    article, person = signed_article
    response = editor_client.post(
        reverse("admin:people_person_change", args=[person.pk]),
        {"name": "贾雨村", "slug": person.slug, "affiliation": "", "aliases": ""},
    )
    assert response.status_code == 302
    assert found("贾雨村") == {article.pk}
    assert found("甄士隐") == set()


def test_a_byline_changed_in_the_admin_reindexes_its_article(
    editor_client, signed_article
):
    article, person = signed_article
    other = person_get_or_create(name="冷子兴")
    byline = Byline.objects.get(article=article, person=person)
    response = editor_client.post(
        reverse("admin:people_byline_change", args=[byline.pk]),
        {"person": other.pk, "article": article.pk, "role": "writer", "order": 9},
    )
    assert response.status_code == 302
    assert found("冷子兴") == {article.pk}
    assert found("甄士隐") == set()


def test_renaming_a_place_in_the_admin_shows_on_its_articles(
    editor_client, imported_pages
):
    """A place's name is not search text (the facets and pages read it from
    its row); what readers see of it changes at once."""
    place = Place.objects.filter(is_confirmed=True, articles__status="published")[0]
    response = editor_client.post(
        reverse("admin:articles_place_change", args=[place.pk]),
        {
            "name": "大观园",
            "slug": place.slug,
            "kind": place.kind,
            "parent": place.parent_id or "",
            "aliases": place.aliases,
            "is_confirmed": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    html = editor_client.get(reverse("articles:place_detail", args=[place.slug]))
    assert "大观园" in html.content.decode()


def test_the_admin_saves_an_article_with_one_index_pass(
    editor_client, signed_article, monkeypatch
):
    from tests.admin.test_workflow import change_url, form_data

    article, _ = signed_article
    data = form_data(editor_client, article, headline="新的标题甲")
    calls = []
    real = search.index.backend

    def counting():
        calls.append(1)
        return real()

    monkeypatch.setattr(search.index, "backend", counting)
    assert editor_client.post(change_url(article), data).status_code == 302
    # index_articles asks the backend twice (remove, insert): one pass.
    assert len(calls) == 2
    assert found("新的标题甲") == {article.pk}
