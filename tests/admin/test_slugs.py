"""A fixed headline gives the article a new address; the old one redirects
permanently, so links and bookmarks to it keep working."""

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article
from articles.slugs import pinyin_slug
from tests.admin.test_workflow import change_url, form_data

pytestmark = pytest.mark.django_db


def published_with_headline():
    return Article.objects.published().exclude(headline="").order_by("pk").first()


def test_headline_tool_gives_a_new_slug_and_the_old_url_redirects(reviewer_client):
    article = published_with_headline()
    old_url = article.get_absolute_url()
    reviewer_client.post(
        reverse("admin:articles_article_headline", args=[article.pk]),
        {"custom": "天宁镇开展消防安全演练"},
    )
    article.refresh_from_db()
    assert article.slug == pinyin_slug("天宁镇开展消防安全演练")
    response = reviewer_client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert reviewer_client.get(article.get_absolute_url()).status_code == 200


def test_headline_fixed_in_the_form_gives_a_new_slug(reviewer_client, client):
    article = published_with_headline()
    old_url = article.get_absolute_url()
    reviewer_client.post(
        change_url(article),
        form_data(reviewer_client, article, headline="西营镇举办果蔬采摘节"),
    )
    article.refresh_from_db()
    assert article.headline == "西营镇举办果蔬采摘节"
    assert article.slug == pinyin_slug("西营镇举办果蔬采摘节")
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_every_old_slug_redirects_and_is_never_given_to_another_article(reviewer):
    article = published_with_headline()
    first_url = article.get_absolute_url()
    first_headline = article.headline
    services.article_set_headline(article=article, headline="第一次改题", user=reviewer)
    services.article_set_headline(article=article, headline="第二次改题", user=reviewer)
    from django.test import Client

    client = Client()
    response = client.get(first_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    # A new article with the first headline gets a slug of its own.
    assert services.article_slug_for(headline=first_headline) != first_url.split("/")[2]


def test_old_slug_of_a_withdrawn_article_is_404(reviewer):
    article = published_with_headline()
    old_url = article.get_absolute_url()
    services.article_set_headline(article=article, headline="改过的标题", user=reviewer)
    services.article_unpublish(article=article, user=reviewer)
    from django.test import Client

    assert Client().get(old_url).status_code == 404
