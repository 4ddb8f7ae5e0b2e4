"""The page cache while the archive grows: a publishing import must not
throw away every cached page (it cut the site from 191 to 17 requests/s);
what staff change or withdraw shows at once."""

import time

import pytest

from articles import pagecache, services
from articles.models import Article

pytestmark = pytest.mark.django_db

PAGE = (
    "本报讯 近日，交城县天宁镇组织开展\n\n消防安全演练，百余名职工参加。\n\n（孙宝忠）\n\n"
    "天宁镇开展消防安全演练\n"
)


class Clock:
    """pagecache's view of time, moved on by hand."""

    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(pagecache, "time", fake)
    return fake


@pytest.fixture
def cached(settings, imported_pages):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    settings.NEWSROOM_LISTING_DELAY = 5


@pytest.fixture
def publish_page(django_capture_on_commit_callbacks):
    def run(text=PAGE, name="new.txt"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.page_import(
                raw=text.encode(), filename=name, publish=True
            ).articles[0]

    return run


def test_publishing_import_keeps_article_pages_cached(
    client, cached, clock, publish_page, django_assert_num_queries
):
    urls = [a.get_absolute_url() for a in Article.objects.published()[:5]]
    urls += [f"/api/articles/{a.pk}/" for a in Article.objects.published()[:5]]
    for url in urls:
        assert client.get(url).status_code == 200
    publish_page()
    with django_assert_num_queries(0):
        for url in urls:
            assert client.get(url).status_code == 200


def test_lists_show_new_articles_within_the_delay(
    client, cached, clock, publish_page, django_assert_num_queries
):
    lists = [
        "/",
        "/search/?q=消防安全演练",
        "/api/articles/?q=消防安全演练",
        "/feeds/latest.rss",
    ]
    for url in lists:
        client.get(url)
    clock.now += 10  # a quiet while: the first addition shows at once
    new = publish_page()
    for url in lists:
        assert new.slug in client.get(url).content.decode(), url
    # A second page right after: the lists stay cached for the delay …
    second = publish_page(PAGE.replace("天宁镇", "西营镇"), "second.txt")
    with django_assert_num_queries(0):
        for url in lists:
            assert second.slug not in client.get(url).content.decode(), url
    # … and then show it.
    clock.now += 6
    for url in lists:
        assert second.slug in client.get(url).content.decode(), url


def test_staff_changes_show_at_once(
    client,
    cached,
    clock,
    publish_page,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    article = Article.objects.published().exclude(headline="").first()
    publish_page()  # the lists just moved on: a later addition would wait
    for url in ("/", article.get_absolute_url(), f"/api/articles/{article.pk}/"):
        client.get(url)
    user = django_user_model.objects.create_superuser("root", password="x-pass-123")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_set_headline(
            article=article, headline="改正后的标题", user=user
        )
    assert "改正后的标题" in client.get("/").content.decode()
    assert "改正后的标题" in client.get(f"/api/articles/{article.pk}/").json()["title"]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=article, user=user)
    assert client.get(f"/api/articles/{article.pk}/").status_code == 404
    assert (
        article.slug not in client.get("/api/articles/?page_size=100").content.decode()
    )


def test_api_query_counts_are_pinned(
    client, imported_pages, django_assert_max_num_queries
):
    from django.db import connection

    # The count, the page's ids, the articles, then their bylines, places,
    # programs and tags as plain values (one query each, however many
    # articles), and every facet in one statement.  PostgreSQL adds the
    # search's planner settings and statistics as on the results page.
    extra = 6 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(8):
        data = client.get("/api/articles/", {"page_size": 100}).json()
    assert len(data["results"]) == Article.objects.published().count() > 10
    with django_assert_max_num_queries(8 + extra):
        client.get("/api/articles/", {"q": "交城", "page_size": 100})
    # One article: it, its page, bylines, places, programs, tags, and its
    # other printings (reprints: one query).
    with django_assert_max_num_queries(7):
        client.get(f"/api/articles/{data['results'][0]['id']}/")


def test_api_is_served_from_the_cache(client, cached, clock, django_assert_num_queries):
    # (page 2 of five: a page past the end is a 404, not cached)
    urls = ["/api/articles/?q=交城", "/api/articles/?page=2&page_size=5"]
    first = [client.get(url).content for url in urls]
    with django_assert_num_queries(0):
        assert [client.get(url).content for url in urls] == first
