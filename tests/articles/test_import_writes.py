"""What a page import writes, and how many statements it takes: one revision
per article (with its places and programs in it), and a number of queries
that does not grow with the number of articles on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search, services
from articles.models import Article, HeadlineWord, Reprint, SearchChunk
from articles.selectors import article_search
from articles.services import gazetteer

pytestmark = pytest.mark.django_db

# Text written for these tests.
TOPICS = ["小麦春管", "道路养护", "校园安全", "秋季征兵", "森林防火", "文化下乡"]


def page(n: int, step: str = "一", photo: bool = False) -> bytes:
    """A page of `n` short articles, each naming a town, its county, a
    program and the same reporter; the headlines printed below them."""
    bodies, heads = [], []
    for topic in TOPICS[:n]:
        bodies.append(
            f"本报讯 近日，交城县夏家营镇召开{topic}工作推进会，安排部署第{step}阶段"
            f"{topic}和乡村振兴任务。会议要求各村把{topic}工作抓实抓细，"
            "确保按期完成。（记者 王建国）"
        )
        heads.append(f"夏家营镇部署{topic}工作")
    if photo:  # a photo story: its words, the credit, a caption
        bodies.append("秋收时节，田野里一片金黄，\n\n农户们忙着收割晾晒。")
        bodies.append("李平 摄\n\n农户在场院晾晒玉米。")
        heads.append("秋收忙")
    return ("\n\n".join(bodies) + "\n\n" + "\n\n".join(heads) + "\n").encode()


def test_one_revision_per_imported_article_with_its_places_and_programs(
    gazetteer_db,
):
    result = services.page_import(raw=page(3), filename="a.txt")
    assert len(result.articles) == 3
    History = Article.history.model
    assert History.objects.count() == 3
    for article in result.articles:
        (record,) = article.history.all()
        assert record.history_type == "+"
        assert record.history_user is None and record.history_change_reason == ""
        # The revision is the article as imported, every field.
        article.refresh_from_db()
        assert (record.headline, record.slug, record.body, record.flags) == (
            article.headline,
            article.slug,
            article.body,
            article.flags,
        )
        assert record.created_at == article.created_at
        assert (
            {p.place.name for p in record.places.all()}
            == {p.name for p in article.places.all()}
            == {"夏家营镇", "交城县"}
        )
        assert {p.program.name for p in record.programs.all()} == {"乡村振兴"}


def test_imported_article_history_shows_in_admin(gazetteer_db, admin_client):
    article = services.page_import(raw=page(1), filename="a.txt").articles[0]
    response = admin_client.get(
        reverse("admin:articles_article_history", args=[article.pk])
    )
    assert response.status_code == 200
    assert article.headline in response.content.decode()


def index_rows():
    return sorted(SearchChunk.objects.values_list("article_id", "kind", "text"))


def test_index_written_at_import_is_what_reindexing_writes(gazetteer_db):
    result = services.page_import(
        raw=page(3, photo=True),
        filename="a.txt",
        publish=True,
    )
    assert result.captions == 1
    at_import = index_rows()
    words = set(HeadlineWord.objects.values_list("word", "key"))
    assert ("部署", "bushu") in words
    assert any("场院晾晒玉米" in text and "李平" in text for *_, text in at_import)
    search.index_articles(articles=result.articles)
    assert index_rows() == at_import
    assert set(HeadlineWord.objects.values_list("word", "key")) == words
    for words in ("场院晾晒", "李平", "部署小麦春管"):
        found = article_search(params={"q": words}).articles
        assert {a.pk for a in found} & {a.pk for a in result.articles}


def queries_to_import(raw: bytes, filename: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = services.page_import(raw=raw, filename=filename)
    assert result.status == "imported"
    return len(queries)


def test_queries_to_import_a_page_do_not_grow_with_its_articles(
    gazetteer_db, monkeypatch
):
    # The gazetteer is read again once a minute: not inside this count (a
    # slow machine took more than a minute between the pages).
    monkeypatch.setattr(gazetteer, "GAZETTEER_CACHE_SECONDS", 10**6)
    # The reporter, tags and slugs' stems exist after a first page, as in
    # a running archive; then two and six articles take as many queries.
    services.page_import(raw=page(6, "一"), filename="first.txt")
    two = queries_to_import(page(2, "二"), "two.txt")
    six = queries_to_import(page(6, "三"), "six.txt")
    assert two == six
    # 37 after bulk writes (79 and 175 before); 43 with the headline words,
    # place copies and name counts readers' search keeps.
    assert six <= 45
    # The later pages' articles were linked to the first page's as reprints
    # (the same text but for a word), in those same queries.
    assert Reprint.objects.count() >= 6


def test_the_same_piece_twice_on_a_page_links_both_to_the_archived_one(
    gazetteer_db,
):
    [first] = services.page_import(raw=page(1), filename="a.txt").articles
    body = page(1, "二").decode().split("\n\n")[0]
    again = body.replace("召开", "举行").replace("本报讯 ", "")
    twice = f"{body}\n\n{again}\n\n夏家营镇部署小麦春管工作\n\n夏家营镇举行推进会\n"
    result = services.page_import(raw=twice.encode(), filename="b.txt")
    assert len(result.articles) == 2
    for article in result.articles:
        assert Reprint.objects.filter(article=article, original=first).exists()


def test_headline_words_are_offered_again_after_a_restore(
    gazetteer_db, django_capture_on_commit_callbacks
):
    """The import remembers which headline words it has stored (their
    pinyin keys cost more than the rest of indexing a page); a restored,
    older database lacks some, and moves the page cache's token."""
    from articles import pagecache
    from articles.models import HeadlineWord

    with django_capture_on_commit_callbacks(execute=True):
        services.page_import(raw=page(1), filename="a.txt")
    assert HeadlineWord.objects.filter(word="部署").exists()
    HeadlineWord.objects.all().delete()  # what the restored database holds
    pagecache.everything_changed()  # what restore_database does
    with django_capture_on_commit_callbacks(execute=True):
        services.page_import(raw=page(2), filename="b.txt")
    assert HeadlineWord.objects.filter(word="部署").exists()


def test_statements_stay_within_the_databases_parameter_limit(
    gazetteer_db, monkeypatch
):
    """Rows are sent in parts one statement can take (SQLite: 32,766
    parameters; a revision row alone has 22): the same import with a limit
    of ten parameters a statement writes the same rows."""
    from articles import rows
    from articles.models import ReprintBand

    monkeypatch.setattr(rows, "_max_params", lambda: 10)
    result = services.page_import(raw=page(3), filename="a.txt", publish=True)
    assert Article.history.model.objects.count() == 3
    assert ReprintBand.objects.count() == 3 * 32
    again = services.page_import(raw=page(3, step="二"), filename="b.txt")
    assert all(Article.Flag.REPRINT in a.flags for a in again.articles)
    assert len(result.articles) == 3
