"""`manage.py check --deploy` warns when PostgreSQL's settings are too small
for the search index (articles/checks.py), and says nothing when they fit."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from articles import checks
from articles.search import backend

GiB, MiB = 2**30, 2**20

# deploy/postgresql.conf's values.
SHIPPED = {
    "shared_buffers": 6 * GiB,
    "effective_cache_size": 16 * GiB,
    "work_mem": 32 * MiB,
    "jit": False,
}
# PostgreSQL 15's defaults.
DEFAULTS = {
    "shared_buffers": 128 * MiB,
    "effective_cache_size": 4 * GiB,
    "work_mem": 4 * MiB,
    "jit": True,
}


def ids(warnings):
    return sorted(w.id for w in warnings)


def test_shipped_settings_serve_a_million_article_index():
    assert checks.server_warnings(SHIPPED, 9 * GiB) == []


def test_defaults_are_too_small_for_a_large_index():
    assert ids(checks.server_warnings(DEFAULTS, 5 * GiB)) == [
        checks.W_CACHE,
        checks.W_SHARED,
        checks.W_WORK_MEM,
        checks.W_JIT,
    ]


def test_each_setting_is_judged_against_the_index():
    # 2 GiB of index: shared_buffers should hold half of it.
    tight = {**SHIPPED, "shared_buffers": 512 * MiB}
    assert ids(checks.server_warnings(tight, 2 * GiB)) == [checks.W_SHARED]
    assert checks.server_warnings({**SHIPPED, "shared_buffers": GiB}, 2 * GiB) == []
    # An index larger than the cache the planner may count on.
    assert ids(checks.server_warnings(SHIPPED, 20 * GiB)) == [checks.W_CACHE]
    assert ids(checks.server_warnings({**SHIPPED, "jit": True}, GiB)) == [checks.W_JIT]


def test_a_small_index_needs_no_tuning():
    assert checks.server_warnings(DEFAULTS, 10 * MiB) == []


def test_warnings_name_the_index_size_and_the_snippet():
    (warning,) = checks.server_warnings({**SHIPPED, "work_mem": MiB}, GiB)
    assert "work_mem 1 MiB" in warning.msg
    assert "deploy/postgresql.conf" in warning.hint


def check_deploy() -> str:
    out, err = StringIO(), StringIO()
    call_command("check", "--deploy", "--tag", "search", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.mark.django_db
def test_check_deploy_reads_the_server(monkeypatch):
    """Through the command, with the server's own settings: on PostgreSQL
    the session's values (SET) are what the check reads."""
    if connection.vendor != "postgresql":
        # SQLite has no such settings: never a warning.
        assert "articles.W00" not in check_deploy()
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SET effective_cache_size = '64MB'; SET work_mem = '64MB'; SET jit = off"
        )
    # The test database's index is a few pages: nothing to say about it.
    assert "articles.W00" not in check_deploy()
    # The same settings against an index taken as large: the cache is short.
    monkeypatch.setattr(checks, "INDEX_SMALL", 0)
    monkeypatch.setattr(type(backend()), "index_bytes", lambda self: 100 * MiB)
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '1MB'; SET jit = on")
    output = check_deploy()
    assert checks.W_CACHE in output
    assert checks.W_WORK_MEM in output
    assert checks.W_JIT in output
    assert "100 MiB" in output


def test_a_database_without_returning_is_refused_at_start(monkeypatch):
    from django.db import connection

    from articles.checks import E_RETURNING, database_returns_rows

    assert database_returns_rows() == []
    monkeypatch.setattr(
        type(connection.features), "can_return_rows_from_bulk_insert", False
    )
    (error,) = database_returns_rows()
    assert error.id == E_RETURNING and "3.35" in error.msg
