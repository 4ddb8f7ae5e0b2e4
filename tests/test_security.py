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


def login(client, password, username="editor1", ip="10.0.0.1", **extra):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **extra,
    )


LOCKED = "登录失败次数过多"


@pytest.fixture
def editor1(django_user_model, settings):
    settings.NEWSROOM_LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 3
    return django_user_model.objects.create_user(
        "ed1", password="right-pass-123", is_staff=True
    )


def test_login_is_locked_after_repeated_failures(editor1, django_user_model):
    client = Client()
    for _ in range(2):
        response = login(client, "wrong", username="ed1")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    response = login(client, "wrong", username="ed1")
    assert LOCKED in response.content.decode()  # the third failure locks
    response = login(client, "right-pass-123", username="ed1")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()  # in Chinese, on the login page
    # Another user name from the same address is not locked out.
    django_user_model.objects.create_user(
        "editor2", password="right-pass-456", is_staff=True
    )
    assert login(Client(), "right-pass-456", username="editor2").status_code == 302


def test_full_width_user_name_counts_as_the_same_name(editor1):
    """Django logs ｅｄ１ in as ed1 (NFKC): its failures count for ed1."""
    client = Client()
    for name in ["ｅｄ１", "ed1", " ｅｄ1 "]:
        login(client, "wrong", username=name)
    response = login(client, "right-pass-123", username="ed1")
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_failures_are_counted_in_the_database(editor1):
    """The count lives in the database (one row, incremented in a
    transaction), not in a per-process cache: clearing caches or another
    worker does not reset it."""
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(3):
        login(client, "wrong", username="ed1")
    assert (
        AccessAttempt.objects.filter(username="ed1").values_list(
            "failures_since_start", flat=True
        )[0]
        == 3
    )
    caches["default"].clear()
    assert login(Client(), "right-pass-123", username="ed1").status_code == 429


def test_success_under_the_limit_resets_the_count(editor1):
    client = Client()
    login(client, "wrong", username="ed1")
    login(client, "wrong", username="ed1")
    assert login(client, "right-pass-123", username="ed1").status_code == 302
    for _ in range(2):
        login(Client(), "wrong", username="ed1")
    assert login(Client(), "right-pass-123", username="ed1").status_code == 302


PROXY = "127.0.0.1"


def test_behind_the_proxy_one_address_does_not_lock_out_the_staff(
    editor1, django_user_model, settings
):
    """Every request reaches Django from the proxy's address: the client's
    own address comes from X-Forwarded-For, trusted only from the proxy."""
    settings.NEWSROOM_TRUSTED_PROXIES = [PROXY]
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    staff = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for name in ["ed1", "admin", "root", "ed1", "ed1", "x", "y", "z"]:
        login(Client(), "wrong", username=name, ip=PROXY, **attacker)
    assert (
        login(Client(), "right-pass-123", "ed1", PROXY, **attacker).status_code == 429
    )
    # The same member of staff from their own address still gets in ...
    assert login(Client(), "right-pass-123", "ed1", PROXY, **staff).status_code == 302
    # ... and so does everyone else.
    django_user_model.objects.create_user(
        "editor2", password="right-pass-456", is_staff=True
    )
    assert (
        login(Client(), "right-pass-456", "editor2", PROXY, **staff).status_code == 302
    )


def test_forwarded_for_is_ignored_from_an_untrusted_address(editor1, settings):
    """Without a trusted proxy in front, a client cannot choose its address
    by sending X-Forwarded-For."""
    settings.NEWSROOM_TRUSTED_PROXIES = []
    for n in range(3):
        login(
            Client(), "wrong", "ed1", "203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}"
        )
    response = login(
        Client(),
        "right-pass-123",
        "ed1",
        "203.0.113.9",
        HTTP_X_FORWARDED_FOR="10.9.9.99",
    )
    assert response.status_code == 429


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(
    editor1, monkeypatch
):
    """Forty wrong passwords at once: the password is checked at most
    limit times (each attempt waits for the one before it on the same name
    and address), the rest are refused unchecked."""
    import threading

    from django.contrib.auth.backends import ModelBackend
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions: PostgreSQL")
    checks, lock = [], threading.Lock()
    authenticate = ModelBackend.authenticate

    def counted(self, request, username=None, password=None, **kwargs):
        with lock:
            checks.append(username)
        return authenticate(self, request, username, password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    start = threading.Barrier(8)
    statuses = []

    def attacker(n):
        try:
            start.wait()
            for _ in range(5):
                response = login(Client(), "wrong", "ed1", HTTP_USER_AGENT=f"bot-{n}")
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attacker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(statuses) == 40 and set(statuses) <= {200, 429}
    assert len(checks) == 3, len(checks)


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
