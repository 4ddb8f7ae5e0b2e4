"""Settings: prod refuses to start without its secrets and is deploy-clean."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def manage(*args, env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_prod_refuses_missing_secrets():
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "newsroom.settings.prod"})
    assert result.returncode != 0
    assert (
        "SECRET_KEY" in result.stderr
        and "DATABASE_URL" in result.stderr
        and "ALLOWED_HOSTS" in result.stderr
    )


def test_prod_check_deploy_is_clean():
    env = {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": "x" * 60 + "-prod-secret-for-checks-only-7d9f",
        "DATABASE_URL": f"sqlite:///{ROOT / 'unused-check.sqlite3'}",
        "ALLOWED_HOSTS": "news.example.org",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_chinese_first_settings(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_database_from_url(settings):
    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert engine == "django.db.backends.postgresql"
    else:
        assert engine == "django.db.backends.sqlite3"
