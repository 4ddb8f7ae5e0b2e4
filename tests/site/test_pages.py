import pytest
from django.urls import reverse

from articles.models import Article, Place

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles(client, imported_pages):
    response = client.get("/")
    assert response.status_code == 200
    assert str(Article.objects.published().first()) in response.content.decode()


def test_article_page_renders_everything(client, imported_pages):
    article = (
        Article.objects.published()
        .exclude(headline="")
        .filter(bylines__isnull=False)
        .first()
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert article.headline in html
    assert article.paragraphs()[0][:20] in html
    assert article.bylines.first().person.get_absolute_url() in html


def test_drafts_are_404(client, imported_pages):
    article = Article.objects.published().first()
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert (
        str(article) not in client.get("/").content.decode() or article.headline == ""
    )


def test_place_page_rolls_up_the_hierarchy(client, imported_pages):
    county = Place.objects.get(name="交城县")
    response = client.get(county.get_absolute_url())
    assert response.status_code == 200
    village_article = Article.objects.published().filter(places__name="西营村").first()
    assert (
        str(village_article) in response.content.decode()
        or village_article.headline in response.content.decode()
    )


def test_person_program_tag_pages(client, imported_pages):
    article = (
        Article.objects.published()
        .filter(bylines__isnull=False, programs__is_confirmed=True)
        .first()
    )
    for url in [
        article.bylines.first().person.get_absolute_url(),
        article.programs.filter(is_confirmed=True).first().get_absolute_url(),
        reverse("articles:tag_detail", args=[article.tags.first().slug]),
    ]:
        assert client.get(url).status_code == 200, url


def test_page_text_is_escaped(client, gazetteer_db):
    from articles import services

    raw = "本报讯 近日<script>alert(1)</script>交城县举办活动。（孙宝忠）\n".encode()
    result = services.page_import(raw=raw, filename="x.txt", publish=True)
    html = client.get(result.articles[0].get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
