"""Backup and restore round trip on the database the suite runs on."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles import search
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
    call_command("restore_database", str(target), yes=True, stdout=io.StringIO())
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
