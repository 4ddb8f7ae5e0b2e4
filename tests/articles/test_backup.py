"""Backup and restore round trip on the database the suite runs on."""

import io
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles import pagecache, search
from articles.models import Article, Page
from people.models import Person
from tests.conftest import PAGES


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_everything_back(tmp_path):
    call_command("load_gazetteer", stdout=io.StringIO())
    call_command("import_pages", str(PAGES), publish=True, stdout=io.StringIO())
    before = (Article.objects.count(), Page.objects.count(), Person.objects.count())
    hits = set(
        search.matching(search.parse_query("扶贫车间")).values_list("pk", flat=True)
    )
    target = tmp_path / "newsroom.backup"
    call_command("backup_database", output=str(target), stdout=io.StringIO())
    assert target.stat().st_size > 0

    Article.objects.all().delete()
    Page.objects.all().delete()
    assert Article.objects.count() == 0

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_database", str(target), stdout=io.StringIO())
    cached_under = (
        pagecache.key_prefix(listing=False),
        pagecache.key_prefix(listing=True),
    )
    call_command("restore_database", str(target), yes=True, stdout=io.StringIO())
    # Pages cached before the restore show what the restore replaced: every
    # cached page's key moves on, article pages and lists alike.
    now_under = (
        pagecache.key_prefix(listing=False),
        pagecache.key_prefix(listing=True),
    )
    assert now_under[0] != cached_under[0] and now_under[1] != cached_under[1]
    assert (
        Article.objects.count(),
        Page.objects.count(),
        Person.objects.count(),
    ) == before
    assert (
        set(
            search.matching(search.parse_query("扶贫车间")).values_list("pk", flat=True)
        )
        == hits
    )


def test_restore_of_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="找不到"):
        call_command("restore_database", str(tmp_path / "none.backup"), yes=True)


def other_databases_backup(tmp_path):
    """A backup file of the kind the other database writes."""
    path = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        path.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(range(256)) * 8)
        return path, "PostgreSQL"
    made = sqlite3.connect(path)
    made.execute("create table t (a)")
    made.commit()
    made.close()
    return path, "SQLite"


@pytest.mark.django_db
def test_restore_of_the_other_databases_backup_is_refused_clearly(tmp_path):
    path, kind = other_databases_backup(tmp_path)
    with pytest.raises(CommandError) as info:
        call_command("restore_database", str(path), yes=True, stdout=io.StringIO())
    current = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    assert f"是 {kind} 数据库的备份，当前数据库是 {current}" in str(info.value)


@pytest.mark.django_db
def test_restore_of_a_file_that_is_no_backup_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("这不是备份文件", "utf-8")
    with pytest.raises(CommandError, match="不是.*备份"):
        call_command("restore_database", str(path), yes=True, stdout=io.StringIO())


@pytest.mark.django_db
def test_backup_to_an_unwritable_path_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    # Its parent is a file: no directory can be made there (even as root).
    for target in (blocker / "newsroom.backup", blocker / "sub" / "newsroom.backup"):
        with pytest.raises(CommandError, match="无法写入"):
            call_command("backup_database", output=str(target), stdout=io.StringIO())
