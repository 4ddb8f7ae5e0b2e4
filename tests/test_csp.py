"""A Content-Security-Policy on every page, strict enough to stop a script
that got into a page (scripts and styles from this site's files only), and
nothing on the pages that such a policy would block."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.site.test_hostile_requests import public_urls

pytestmark = pytest.mark.django_db

# JSON-LD (type="application/ld+json") is data a browser never runs, so the
# policy does not apply to it; any other inline <script> would be blocked.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", re.I
)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        parts[0]: parts[1:]
        for parts in (d.split() for d in header.split(";") if d.strip())
    }


def assert_strict(response, url):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"], url
    assert policy["script-src"] == ["'self'"], url
    assert policy["style-src"] == ["'self'"], url
    assert policy["object-src"] == ["'none'"], url
    assert policy["frame-ancestors"] == ["'none'"], url
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], url


def assert_nothing_inline(html: str, url: str, attributes: bool = True):
    assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html))
    assert not STYLE_ELEMENT.search(html), url
    assert not EVENT_HANDLER.search(html), (url, EVENT_HANDLER.search(html))
    if attributes:
        assert not STYLE_ATTRIBUTE.search(html), (url, STYLE_ATTRIBUTE.search(html))


def test_public_pages_have_a_strict_policy_and_nothing_inline(client, imported_pages):
    for url in [*public_urls(), "/search/?q=", "/articles/no-such/"]:
        response = client.get(url)
        assert_strict(response, url)
        if response["Content-Type"].startswith("text/html"):
            assert_nothing_inline(response.content.decode(), url)


def test_admin_pages_have_the_policy_and_our_templates_nothing_inline(
    client, imported_pages, django_user_model
):
    response = client.get("/admin/login/")
    assert_strict(response, "/admin/login/")
    assert_nothing_inline(response.content.decode(), "/admin/login/")
    root = django_user_model.objects.create_superuser("root", password="pw-root-123")
    client.force_login(root)
    article = Article.objects.exclude(flags=[]).first()
    urls = [
        "/admin/",
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_headline", args=[article.pk]),
        reverse("admin:articles_article_split", args=[article.pk]),
        reverse("admin:articles_article_merge", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_reviewitem_changelist"),
        reverse("admin:articles_page_changelist"),
        reverse("admin:articles_page_change", args=[article.page_id]),
        reverse("admin:articles_page_import"),
        reverse("admin:people_person_changelist"),
        reverse("admin:articles_place_changelist"),
    ]
    history = reverse("admin:articles_article_history", args=[article.pk])
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response, url)
        # django-simple-history's list has one style="border-top: 0" on its
        # paginator: the policy ignores it (a thin border shows), harmless.
        assert_nothing_inline(response.content.decode(), url, attributes=url != history)
