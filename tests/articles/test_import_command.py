"""import_pages / export_articles / import_articles as staff run them."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Caption, Page, Place, Program
from people.models import Byline, Person
from tests.conftest import PAGES, expectations, sample_pages

pytestmark = pytest.mark.django_db


def run(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_import_sample_pages_matches_expectations(gazetteer_db):
    out, _ = run(
        "import_pages", str(PAGES), publication="交城报", issue_date="2020-10-23"
    )
    assert "pages=3" in out and "failed=0" in out
    for path in sample_pages():
        page = Page.objects.get(filename=path.name)
        assert page.publication == "交城报" and str(page.issue_date) == "2020-10-23"
        want = expectations(path)
        articles = list(page.articles.order_by("position"))
        assert len(articles) == len(want["articles"])
        for article, expected in zip(articles, want["articles"], strict=True):
            assert article.status == Article.Status.REVIEW
            assert (article.headline or None) == (
                expected["headline"] and expected["headline"]
            )
            bylines = [
                (b.person.name, b.role) for b in article.bylines.order_by("order")
            ]
            assert bylines == [(b["name"], b["role"]) for b in expected["bylines"]]
            names = [p.name for p in article.places.all()]
            for place in expected["places"]:
                assert any(place in n for n in names)
            programs = [p.name for p in article.programs.all()]
            for program in expected["programs"]:
                assert any(program in n for n in programs)
            if not expected["headline"]:
                assert "no_headline" in article.flags
        for caption in want["captions"]:
            row = Caption.objects.get(page=page, text__contains=caption["text"][:8])
            # Where the expectation finds the owner unclear, the importer
            # may propose the article the caption shares most with.
            if caption["article"] is not None:
                assert row.article == articles[caption["article"]]


def test_people_are_reused_across_pages(gazetteer_db):
    run("import_pages", str(PAGES))
    assert Person.objects.filter(name="路小飞").count() == 1
    assert Byline.objects.filter(person__name="路小飞").count() >= 3


def test_same_bytes_twice_is_skipped(gazetteer_db):
    run("import_pages", str(PAGES))
    before = Article.objects.count()
    out, _ = run("import_pages", str(PAGES))
    assert "skipped=3" in out and "already imported" in out
    assert Article.objects.count() == before


def test_publish_flag_makes_articles_public(gazetteer_db):
    run("import_pages", str(sample_pages()[0]), publish=True)
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}


def test_new_places_and_programs_are_proposed_unconfirmed(gazetteer_db):
    run("import_pages", str(PAGES))
    village = Place.objects.get(name="西营村")
    assert not village.is_confirmed and village.parent.name == "西营镇"
    assert Place.objects.get(name="交城县").is_confirmed
    assert Program.objects.filter(is_confirmed=False).exists()


def test_bad_files_fail_clearly_and_others_go_on(gazetteer_db, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "gbk.txt").write_bytes(
        "本报讯 近日，交城县西营镇举办采摘节，游客踊跃参加。（郭 晋）\n".encode(
            "gb18030"
        )
    )
    with pytest.raises(CommandError) as info:
        run("import_pages", str(tmp_path))
    assert "2 个文件导入失败" in str(info.value)
    assert Page.objects.count() == 1
    assert Article.objects.get().bylines.get().person.name == "郭晋"


def test_error_output_names_the_file(gazetteer_db, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_pages", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert "empty.txt" in err.getvalue() and "文件为空" in err.getvalue()


def test_too_large_file_is_refused(gazetteer_db, tmp_path, settings):
    settings.NEWSROOM_MAX_PAGE_BYTES = 100
    (tmp_path / "big.txt").write_text("交城" * 200, encoding="utf-8")
    with pytest.raises(CommandError):
        run("import_pages", str(tmp_path))
    assert Page.objects.count() == 0


def test_missing_path_and_bad_date():
    with pytest.raises(CommandError, match="找不到"):
        run("import_pages", "/no/such/dir")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("import_pages", str(PAGES), issue_date="23/10/2020")


def test_a_page_is_all_or_nothing(gazetteer_db, monkeypatch):
    from articles import services

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.pages, "_place_for", lambda *a, **k: boom())
    with pytest.raises(RuntimeError):
        services.page_import(raw=sample_pages()[0].read_bytes(), filename="x.txt")
    assert Page.objects.count() == 0 and Article.objects.count() == 0


def test_replace_keeps_edited_articles(gazetteer_db):
    path = sample_pages()[0]
    run("import_pages", str(path))
    edited = Article.objects.get(position=1)
    edited.headline = "编辑改过的标题"
    edited.is_edited = True
    edited.save()
    total = Article.objects.count()
    out, _ = run("import_pages", str(path), replace=True)
    assert "保留已编辑稿件" in out
    assert Article.objects.count() == total
    assert Article.objects.get(pk=edited.pk).headline == "编辑改过的标题"
    assert Page.objects.count() == 1


def test_export_is_json_lines_in_utf8(gazetteer_db, tmp_path):
    run("import_pages", str(PAGES))
    target = tmp_path / "out.jsonl"
    run("export_articles", output=str(target))
    raw = target.read_text("utf-8")
    assert "\\u" not in raw  # not ASCII-escaped
    rows = [json.loads(line) for line in raw.splitlines()]
    assert len(rows) == Article.objects.count()
    keys = {
        "id",
        "slug",
        "headline",
        "kicker",
        "subtitle",
        "body",
        "kind",
        "status",
        "bylines",
        "places",
        "programs",
        "tags",
        "captions",
        "source",
        "position",
        "flags",
    }
    assert keys <= set(rows[0])
    assert rows[0]["source"].endswith(".txt")
    assert all(set(b) >= {"name", "role"} for r in rows for b in r["bylines"])


def test_export_import_round_trip(gazetteer_db, tmp_path, django_db_blocker):
    run("import_pages", str(PAGES))
    target = tmp_path / "out.jsonl"
    run("export_articles", output=str(target))
    before = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    Article.objects.all().delete()
    Person.objects.all().delete()
    out, _ = run("import_articles", str(target))
    assert f"已载入 {len(before)} 篇稿件" in out
    again = tmp_path / "again.jsonl"
    run("export_articles", output=str(again))
    after = [json.loads(line) for line in again.read_text("utf-8").splitlines()]

    def strip(row):
        lists = ("places", "programs", "tags")
        return {k: sorted(v) if k in lists else v for k, v in row.items() if k != "id"}

    assert [strip(r) for r in after] == [strip(r) for r in before]


NUL_PAGE = (
    "本报讯 近日，交城县西营镇举办果蔬采摘节，游客踊跃参加，" * 60
    + "\x00活动持续三天\x1b。（郭 晋）\n\n西营镇举办果蔬采摘节\n"
).encode()


def test_control_characters_after_4_kb_are_cleaned_and_reported(gazetteer_db, tmp_path):
    """A NUL past the binary check used to crash the whole PostgreSQL run."""
    assert NUL_PAGE.index(b"\x00") > 4096
    (tmp_path / "a-nul.txt").write_bytes(NUL_PAGE)
    (tmp_path / "b-good.txt").write_bytes(
        "本报讯 交城县召开会议，部署秋收工作。（孙宝忠）\n".encode()
    )
    out, err = run("import_pages", str(tmp_path))
    assert Page.objects.count() == 2
    page = Page.objects.get(filename="a-nul.txt")
    assert "\x00" not in page.raw_text and "\x1b" not in page.raw_text
    assert "\n" in page.raw_text
    for article in page.articles.all():
        assert "\x00" not in article.body
    assert "a-nul.txt" in out and "控制字符 2 个" in out
    assert "failed=0" in out
