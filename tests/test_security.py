"""Who gets in, and what the public can see."""

import subprocess
import sys

import pytest
from django.core.cache import caches
from django.test import Client

from articles import services
from articles.models import Article
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_caches():
    caches["default"].clear()
    caches["pages"].clear()


def login(client, password, username="editor1", ip="10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_login_is_throttled_after_repeated_failures(django_user_model, settings):
    settings.NEWSROOM_LOGIN_FAILURE_LIMIT = 3
    django_user_model.objects.create_user(
        "editor1", password="right-pass-123", is_staff=True
    )
    client = Client()
    for _ in range(3):
        assert login(client, "wrong").status_code == 200
    response = login(client, "right-pass-123")
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    # Another user name from another address is not locked out.
    django_user_model.objects.create_user(
        "editor2", password="right-pass-456", is_staff=True
    )
    assert (
        login(Client(), "right-pass-456", username="editor2", ip="10.0.0.2").status_code
        == 302
    )


def test_successful_login_under_the_limit(django_user_model):
    django_user_model.objects.create_user(
        "editor1", password="right-pass-123", is_staff=True
    )
    client = Client()
    login(client, "wrong")
    assert login(client, "right-pass-123").status_code == 302


def test_admin_requires_staff(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="reader-pass-123")
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_csrf_is_enforced_on_admin_posts(django_user_model, imported_pages):
    user = django_user_model.objects.create_superuser("root", password="root-pass-123")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    article = Article.objects.first()
    response = client.post(
        f"/admin/articles/article/{article.pk}/status/", {"action": "unpublish"}
    )
    assert response.status_code == 403


def test_cached_pages_follow_unpublishing(
    client,
    imported_pages,
    settings,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    article = Article.objects.published().first()
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # now from the cache
    reviewer = django_user_model.objects.create_superuser(
        "root", password="root-pass-123"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=article, user=reviewer)
    assert client.get(url).status_code == 404


def test_prod_cookies_are_secure():
    code = (
        "import django,os;django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS>0, s.DEBUG)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": "x" * 64,
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "ALLOWED_HOSTS": "news.example.org",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.split() == ["True", "True", "True", "True", "False"], out.stderr
