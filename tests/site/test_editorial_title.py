"""An article printed without a headline is shown with a marked editorial
title until staff write one — never a cut-off first sentence passed off as
its headline."""

import html
import re

import pytest

from articles import services

pytestmark = pytest.mark.django_db

# A body whose headline was printed as an image: the page has none.
PAGE = (
    "本报讯 9月28日，县文化馆在城南广场举办\n\n秋季书画作品展暨群众文化交流活动，"
    "百余幅作品吸引众多市民驻足观看。\n\n（晓 禾）\n\n"
)


@pytest.fixture
def untitled(gazetteer_db):
    result = services.page_import(raw=PAGE.encode(), filename="wu.txt", publish=True)
    article = result.articles[0]
    assert article.headline == "" and article.suggested_headline
    return article


def test_article_page_marks_the_title_as_editorial(client, untitled):
    text = client.get(untitled.get_absolute_url()).content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(0)
    assert 'class="editorial-label"' in h1 and "无题" in h1
    assert 'class="editorial-title"' in h1
    # The suggestion is never the whole headline.
    assert f"<h1>{html.escape(untitled.suggested_headline)}</h1>" not in text
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert title.startswith("〔无题〕")


def test_lists_mark_the_title_as_editorial(client, untitled):
    for url in ("/", "/search/?q=书画作品展"):
        text = client.get(url).content.decode()
        link = re.search(
            '<a href="' + re.escape(untitled.get_absolute_url()) + '">(.*?)</a>',
            text,
            re.S,
        )
        assert link and "editorial-label" in link.group(1), url


def test_feeds_and_api_say_the_title_is_editorial(client, untitled):
    rss = client.get("/feeds/latest.rss").content.decode()
    assert "<title>〔无题〕" in rss
    atom = client.get("/feeds/latest.atom").content.decode()
    assert "〔无题〕" in atom
    item = client.get(f"/api/articles/{untitled.pk}/").json()
    assert item["headline"] == "" and item["headline_is_editorial"] is True
    assert item["title"].startswith("〔无题〕")
    listed = client.get("/api/articles/", {"q": "书画作品展"}).json()["results"][0]
    assert listed["headline_is_editorial"] is True


def test_a_written_headline_replaces_the_mark(client, untitled, django_user_model):
    user = django_user_model.objects.create_user("s", is_superuser=True)
    services.article_set_headline(
        article=untitled, headline="县文化馆举办秋季书画展", user=user
    )
    untitled.refresh_from_db()
    text = client.get(untitled.get_absolute_url()).content.decode()
    assert "<h1>县文化馆举办秋季书画展</h1>" in text
    assert 'class="editorial-label"' not in text
    item = client.get(f"/api/articles/{untitled.pk}/").json()
    assert item["headline_is_editorial"] is False
    assert item["title"] == "县文化馆举办秋季书画展"
