"""What a hostile or careless client sends: every answer is a 4xx with a
message, never a 500, on both databases; and the methods link checkers and
monitors use (HEAD, OPTIONS) work wherever GET does."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db

HOSTILE_URLS = [
    # Years a date cannot hold.
    "/archive/10000/",
    "/archive/10000/1/",
    "/archive/99999999999999999999/",
    "/archive/0/",
    "/archive/2021/13/",
    "/archive/2021/0/",
    # NUL and other control characters in slugs (PostgreSQL text cannot
    # hold NUL: the lookup itself used to fail).
    "/articles/a%00b/",
    "/articles/%00/",
    "/articles/a%01b/",
    "/people/a%00b/",
    "/places/a%00b/",
    "/programs/a%00b/",
    "/tags/a%00b/",
    "/feeds/people/a%00b.rss",
    "/feeds/places/a%00b.atom",
    "/feeds/programs/a%00b.rss",
    "/feeds/tags/a%00b.atom",
    # Filters naming nothing (a NUL cannot be in a name).
    "/search/?place=a%00b",
    "/search/?person=%00",
    "/search/?tag=%00&program=%00",
    "/api/articles/?place=a%00b&tag=%00",
]
# A NUL in a query or a page number is searched or ignored, or refused.
HOSTILE_PARAMETERS = [
    "/search/?q=a%00b",
    "/search/?q=%00",
    "/api/articles/?q=%00",
    "/archive/2021/?page=%00",
    "/search/?q=交城&page=%00",
]


@pytest.fixture
def client():
    # A 500 must show as a status here, not as an exception in the test.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_hostile_urls_answer_4xx(client, imported_pages, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)


@pytest.mark.parametrize("url", HOSTILE_PARAMETERS)
def test_hostile_parameters_never_fail(client, imported_pages, url):
    response = client.get(url)
    assert response.status_code in (200, 400), (url, response.status_code)


def public_urls() -> list[str]:
    # Public entity pages exist for confirmed places and programs only.
    article = (
        Article.objects.published()
        .filter(
            bylines__isnull=False,
            programs__is_confirmed=True,
            places__is_confirmed=True,
        )
        .first()
    )
    person = article.bylines.first().person
    place = article.places.filter(is_confirmed=True).first()
    return [
        "/",
        "/search/?q=交城",
        article.get_absolute_url(),
        person.get_absolute_url(),
        article.programs.filter(is_confirmed=True).first().get_absolute_url(),
        place.get_absolute_url(),
        reverse("articles:tag_detail", args=[article.tags.first().slug]),
        "/archive/",
        f"/archive/{article.pub_date.year}/",
        f"/archive/{article.pub_date.year}/{article.pub_date.month}/",
        "/feeds/latest.rss",
        f"/feeds/places/{place.slug}.atom",
        "/sitemap.xml",
        "/robots.txt",
        "/api/articles/?q=交城",
        "/issues/",
        "/issues/交城报/",
        article.page.issue.get_absolute_url(),
        article.page.get_absolute_url(),
        "/on-this-day/",
        "/api/issues/",
        f"/api/pages/{article.page_id}/",
        "/api/schema/",
        "/api/",
        f"/api/articles/{article.pk}/",
    ]


def test_head_and_options_work_wherever_get_does(client, imported_pages):
    for url in public_urls():
        get = client.get(url)
        assert get.status_code == 200, url
        head = client.head(url)
        assert head.status_code == 200, (url, head.status_code)
        assert head.content == b"", url
        assert head["Content-Type"] == get["Content-Type"], url
        options = client.options(url)
        assert options.status_code == 200, (url, options.status_code)
        allowed = {m.strip() for m in options["Allow"].split(",")}
        assert {"GET", "HEAD", "OPTIONS"} <= allowed, url
        assert "POST" not in allowed, url


def test_head_of_a_missing_page_is_404(client, imported_pages):
    assert client.head("/articles/no-such-article/").status_code == 404


def test_writes_are_still_refused(client, imported_pages):
    for url in ["/", "/search/?q=交城", "/api/articles/"]:
        assert client.post(url).status_code == 405, url
