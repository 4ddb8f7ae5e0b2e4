"""Every number on the public site equals what clicking it shows: facet
counts on the search page and on entity pages, the counts on the home page
and the archive, and the month chart of entity pages.  Runs on SQLite and
PostgreSQL like the rest of the suite."""

import html
import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, Place, Program
from people.models import Person

pytestmark = pytest.mark.django_db

# Links that apply a filter (the current filter's own link, marked
# aria-current, removes it and is left out).
FACET_ITEM = re.compile(
    r'<li><a href="([^"]+)">([^<]*)</a> <span class="count">(\d+)</span></li>'
)
FACET_LIST = re.compile(r'<ul data-facet="(\w+)">(.*?)</ul>', re.S)
CHART_BAR = re.compile(r"<title>(\d{4})-(\d{2})：(\d+) 篇</title>")


def shown_count(client, url: str) -> int:
    """The number of articles a results page says it has."""
    response = client.get(html.unescape(url))
    assert response.status_code == 200, url
    result = response.context.get("result")
    if result is not None:
        assert not result.count_is_estimate
        text = response.content.decode()
        assert f"共 {result.count} 篇" in text
        return result.count
    return response.context["page_obj"].paginator.count


def facet_items(text: str):
    for param, block in FACET_LIST.findall(text):
        for url, label, count in FACET_ITEM.findall(block):
            yield param, html.unescape(label), url, int(count)


def assert_facets_true(client, url: str) -> int:
    """Follow every facet link of the page at `url`; returns how many."""
    text = client.get(url).content.decode()
    items = list(facet_items(text))
    assert items, f"no facets on {url}"
    for param, label, link, count in items:
        link = urljoin(url, html.unescape(link))
        assert shown_count(client, link) == count, (url, param, label, link)
    return len(items)


def entity_urls() -> list[str]:
    published = Article.objects.published()
    places = Place.objects.filter(name__in=["吕梁市", "交城县"])
    person = Person.objects.filter(bylines__article__in=published).first()
    program = Program.objects.filter(articles__in=published, is_confirmed=True).first()
    tag = published.filter(tags__isnull=False).first().tags.first()
    return [
        *(p.get_absolute_url() for p in places),
        person.get_absolute_url(),
        program.get_absolute_url(),
        reverse("articles:tag_detail", args=[tag.slug]),
    ]


def test_every_facet_count_on_search_pages_is_what_clicking_shows(
    client, imported_pages
):
    checked = 0
    year = Article.objects.published().latest("pub_date").pub_date.year
    for params in ("", "?q=交城", "?q=县", f"?year={year}", "?kind=brief"):
        checked += assert_facets_true(client, "/search/" + params)
    assert checked > 40


def test_place_facets_roll_up_once_per_article(client, imported_pages):
    county = Place.objects.get(name="交城县")
    town = county.children.filter(articles__status="published").first()
    article = town.articles.published().first()
    article.places.add(county)  # named twice, counted once
    facets = {
        f.value: f.count
        for f in client.get("/search/").context["result"].facets["place"]
    }
    in_county = (
        Article.objects.published()
        .filter(places__in=[county, *county.children.all()])
        .distinct()
        .count()
    )
    assert facets[county.slug] >= in_county
    assert facets[county.parent.slug] >= facets[county.slug]


def test_every_facet_count_on_entity_pages_is_what_clicking_shows(
    client, imported_pages
):
    for url in entity_urls():
        assert_facets_true(client, url)


def test_month_chart_counts_articles_and_shows_empty_months(client, imported_pages):
    county = Place.objects.get(name="交城县")
    # Two articles of the county months apart, one named with two places
    # inside it (one article, two joined rows).
    first, second = Article.objects.published().filter(places=county)[:2]
    Article.objects.filter(pk=first.pk).update(pub_date="2019-01-15")
    Article.objects.filter(pk=second.pk).update(pub_date="2019-04-02")
    first.places.add(*county.children.all()[:2])
    for url in entity_urls():
        response = client.get(url)
        bars = [
            (int(y), int(m), int(n))
            for y, m, n in CHART_BAR.findall(response.content.decode())
        ]
        assert sum(n for *_, n in bars) == response.context["result"].count, url
        months = [y * 12 + m for y, m, _ in bars]
        assert months == list(range(months[0], months[-1] + 1)), url
        param = response.context["chart_param"]
        for y, m, n in bars:
            if n:
                link = f"/search/?{param}&year={y}&month={m}"
                assert shown_count(client, link) == n, (url, y, m)
    text = client.get(county.get_absolute_url()).content.decode()
    assert "2019-02：0 篇" in text and "2019-01：1 篇" in text


def test_home_and_archive_counts_are_what_clicking_shows(client, imported_pages):
    home = client.get("/").content.decode()
    aside = home.split('<aside class="facets">')[1]
    items = FACET_ITEM.findall(aside)
    assert len(items) >= 5
    for url, label, count in items:
        assert shown_count(client, url) == int(count), (label, url)
    archive = client.get("/archive/").context
    for year, n in archive["years"]:
        assert shown_count(client, f"/archive/{year}/") == n
        for month, m in client.get(f"/archive/{year}/").context["months"]:
            assert shown_count(client, f"/archive/{year}/{month}/") == m


# --- what is public at all --------------------------------------------------------


def draft_page(gazetteer_db):
    raw = "本报讯 近日，交城县天宁镇组织开展消防安全演练。（甄 有 为）\n".encode()
    return services.page_import(raw=raw, filename="draft.txt", publish=False)


ENTITY_FEEDS = ("feed_person", "feed_person_atom")


def test_person_only_in_drafts_is_not_public(client, gazetteer_db):
    result = draft_page(gazetteer_db)
    person = result.articles[0].bylines.get().person
    assert client.get(person.get_absolute_url()).status_code == 404
    for name in ENTITY_FEEDS:
        assert (
            client.get(reverse(f"articles:{name}", args=[person.slug])).status_code
            == 404
        )
    assert client.get("/search/", {"person": person.slug}).status_code == 400
    Article.objects.filter(pk=result.articles[0].pk).update(status="published")
    assert client.get(person.get_absolute_url()).status_code == 200
    for name in ENTITY_FEEDS:
        assert (
            client.get(reverse(f"articles:{name}", args=[person.slug])).status_code
            == 200
        )


def test_tag_place_program_only_in_drafts_are_not_public(client, imported_pages):
    article = Article.objects.published().filter(tags__isnull=False).first()
    tag = article.tags.first()
    program = Program.objects.create(name="某某试点工程", slug="mou-mou")
    place = Place.objects.create(name="某某村", slug="mou-mou-cun", kind="village")
    draft = Article.objects.exclude(pk=article.pk).first()
    Article.objects.filter(pk=draft.pk).update(status="draft")
    draft.programs.add(program)
    draft.places.add(place)
    draft.tags.add("只在草稿里的标签")
    for url in (
        program.get_absolute_url(),
        place.get_absolute_url(),
        reverse("articles:tag_detail", args=["只在草稿里的标签"]),
        reverse("articles:feed_program", args=[program.slug]),
        reverse("articles:feed_place_atom", args=[place.slug]),
        reverse("articles:feed_tag", args=["只在草稿里的标签"]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.get(reverse("articles:tag_detail", args=[tag.slug])).status_code == 200
    )


def test_unconfirmed_places_and_programs_appear_nowhere(client, imported_pages):
    article = Article.objects.published().filter(places__isnull=False).first()
    county = Place.objects.get(name="交城县")
    place = Place.objects.create(
        name="疑似新地名",
        slug="yi-si",
        kind="village",
        parent=county,
        is_confirmed=False,
    )
    program = Program.objects.create(
        name="疑似新项目", slug="yi-si-xiang-mu", is_confirmed=False
    )
    article.places.add(place)
    article.programs.add(program)
    pages = [
        client.get(u).content.decode()
        for u in (
            "/",
            article.get_absolute_url(),
            "/search/",
            county.get_absolute_url(),
            f"/api/articles/{article.pk}/",
            "/api/articles/?page_size=100",
            "/feeds/latest.rss",
        )
    ]
    for text in pages:
        assert "疑似新地名" not in text and "疑似新项目" not in text
    for url in (
        place.get_absolute_url(),
        program.get_absolute_url(),
        reverse("articles:feed_place", args=[place.slug]),
        reverse("articles:feed_program_atom", args=[program.slug]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/search/", {"place": place.slug}).status_code == 400
    assert client.get("/api/articles/", {"program": program.slug}).status_code == 400
    # Confirmed, it is public.
    services.entity_confirm(
        obj=place, user=type("U", (), {"has_perm": lambda self, p: True})()
    )
    assert client.get(place.get_absolute_url()).status_code == 200


def test_place_without_published_articles_is_404(client, imported_pages):
    empty = Place.objects.create(name="空村", slug="kong-cun", kind="village")
    assert client.get(empty.get_absolute_url()).status_code == 404
    lvliang = Place.objects.get(name="吕梁市")  # only places under it are named
    assert client.get(lvliang.get_absolute_url()).status_code == 200
