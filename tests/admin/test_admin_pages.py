"""Every admin page a staff user opens loads, in Chinese."""

import pytest
from django.urls import reverse

from articles.models import Article, Caption, Page, Place, Program
from people.models import Byline, Person

pytestmark = pytest.mark.django_db

MODELS = [Article, Page, Place, Program, Caption, Person, Byline]


def url(model, action, *args):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_and_add_load(staff_client, imported_pages, model):
    response = staff_client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert staff_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_page_loads(staff_client, imported_pages, model):
    obj = model.objects.order_by("pk").first()
    assert obj is not None
    response = staff_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200


def test_admin_needs_a_staff_login(client, imported_pages):
    response = client.get(url(Article, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_article_page_shows_inlines_and_flags(staff_client, imported_pages):
    article = (
        Article.objects.exclude(flags=[]).filter(bylines__isnull=False).first()
        or Article.objects.first()
    )
    html = staff_client.get(url(Article, "change", article.pk)).content.decode()
    assert "署名" in html and "图片说明" in html and "审核提示" in html


def test_page_view_shows_raw_text_and_articles(staff_client, imported_pages):
    page = Page.objects.first()
    html = staff_client.get(url(Page, "change", page.pk)).content.decode()
    assert (
        page.articles.first().slug in html
        or str(page.articles.order_by("position").first()) in html
    )
    assert "原始文本" in html


def test_flag_filter(staff_client, imported_pages):
    response = staff_client.get(url(Article, "changelist") + "?flag=no_headline")
    assert response.status_code == 200
    untitled = Article.objects.filter(headline="").count()
    assert response.context["cl"].result_count == untitled


def test_autocomplete_for_people(staff_client, imported_pages):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "路",
            "app_label": "people",
            "model_name": "byline",
            "field_name": "person",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["路小飞"]


def test_publish_action_and_edit_marks_article_edited(staff_client, imported_pages):
    article = Article.objects.filter(status="published").first()
    article.status = "review"
    article.save()
    staff_client.post(
        url(Article, "changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == "published"
