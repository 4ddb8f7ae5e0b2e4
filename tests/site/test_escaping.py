"""A page file full of markup is imported and shown escaped everywhere."""

import json
import re

import pytest
from django.urls import reverse

from articles import services

pytestmark = pytest.mark.django_db

HOSTILE = (
    "本报讯 交城县<script>alert('x')</script>举办活动，"
    '<img src=x onerror="alert(1)">，&lt;b&gt;粗体&amp;，'
    '<a href="javascript:alert(2)">点我</a>，＜script＞全角＜/script＞。'
    "（孙宝忠）\n\n"
    "<script>标题alert</script>交城县举办活动\n"
)
# Markup that would run: a tag opened in the page.  (Escaped text such as
# &lt;img onerror=…&gt; is inert, and may show the words.)
DANGEROUS = ["<script", "<img", '<a href="javascript:']


@pytest.fixture
def hostile(gazetteer_db, django_user_model):
    result = services.page_import(
        raw=HOSTILE.encode(), filename="<b>evil</b>.txt", publish=True
    )
    article = result.articles[0]
    assert "<script>" in article.body  # stored as printed, escaped on output
    return article


def assert_inert(html: str):
    # The article's JSON-LD is data, its text escaped so nothing in it can
    # close the element (checked here); the rest of the page holds no markup.
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    if data:
        assert "<" not in data.group(1)
        html = html.replace(data.group(0), "")
    # The site's own script (the search box's suggestions), a static file
    # named in the template, is the one other script element allowed.
    html, ours = re.subn(
        r'<script src="[^"<>]*/articles/suggest(\.[0-9a-f]+)?\.js" defer></script>',
        "",
        html,
    )
    assert ours <= 1
    for marker in DANGEROUS:
        assert marker not in html, marker


def test_article_page(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert "&lt;script&gt;" in html
    assert_inert(html)


def test_search_results_and_snippets(client, hostile):
    html = client.get("/search/", {"q": "alert"}).content.decode()
    assert "<mark>alert</mark>" in html
    assert_inert(html)
    html = client.get("/search/", {"q": "<script>"}).content.decode()
    assert_inert(html)


def test_home_feeds_sitemap(client, hostile):
    for url in [
        "/",
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/sitemap.xml",
        "/archive/",
    ]:
        body = client.get(url).content.decode()
        assert_inert(body)


def test_api(client, hostile):
    for response in (
        client.get("/api/articles/", {"q": "alert"}),
        client.get(f"/api/articles/{hostile.pk}/"),
    ):
        raw = response.content.decode()
        assert_inert(raw)
        data = json.loads(raw)  # still valid JSON with the text intact
        assert "<script>" in json.dumps(data, ensure_ascii=False)


def test_admin_pages(client, hostile, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-root-123")
    client.force_login(admin)
    urls = [
        reverse("admin:articles_article_change", args=[hostile.pk]),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_page_change", args=[hostile.page_id]),
        reverse("admin:articles_page_changelist"),
        reverse("admin:articles_reviewitem_changelist"),
        reverse("admin:articles_article_history", args=[hostile.pk]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        # The admin shows the text inside escaped form fields and cells.
        assert "<script>alert" not in html.replace("&lt;script&gt;alert", "")
        assert 'onerror="alert(1)"' not in html


def test_entity_pages(client, hostile):
    person = hostile.bylines.first().person
    assert_inert(client.get(person.get_absolute_url()).content.decode())


def feed_items(client, url):
    import xml.etree.ElementTree as ET

    return ET.fromstring(client.get(url).content)


def test_feeds_carry_page_text_as_plain_text(client, hostile):
    """A feed reader renders RSS descriptions and Atom `html` summaries as
    markup: text from a page must reach it as text, never as tags."""
    atom_ns = "{http://www.w3.org/2005/Atom}"
    person = hostile.bylines.first().person
    for url in ["/feeds/latest.atom", f"/feeds/people/{person.slug}.atom"]:
        entry = feed_items(client, url).find(f"{atom_ns}entry")
        summary = entry.find(f"{atom_ns}summary")
        assert summary.get("type") == "text", url
        assert "<script>alert('x')</script>" in summary.text  # shown as printed
    for url in ["/feeds/latest.rss", f"/feeds/people/{person.slug}.rss"]:
        description = feed_items(client, url).find("channel/item/description").text
        # What the reader gets after XML decoding is HTML that shows the
        # text: no tag in it.
        assert "<" not in description and ">" not in description, url
        assert "&lt;script&gt;" in description
