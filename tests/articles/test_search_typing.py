"""What readers type (issue 19): traditional characters, pasted text with
curly quotes, on both databases."""

import pytest

from articles import search
from articles.models import Article
from articles.selectors import article_search

pytestmark = pytest.mark.django_db


def found(q):
    return set(search.matching(search.parse_query(q)).values_list("pk", flat=True))


def make(headline, body, slug, status="published"):
    article = Article.objects.create(
        headline=headline, body=body, slug=slug, status=status
    )
    search.index_articles(articles=[article])
    return article


# --- traditional characters ---------------------------------------------------------


def test_normalize_folds_traditional_to_simplified_character_for_character():
    assert search.normalize("交城縣車間") == "交城县车间"
    assert search.normalize("「扶貧」") == '"扶贫"'
    text = "臺灣後來的頭髮與發展"
    assert len(search.normalize(text)) == len(text)


def test_traditional_query_finds_simplified_text(db):
    article = make("交城县建成扶贫车间", "全县新建车间十个。", "a")
    for q in ("交城縣", "車間", "交城县", "车间", "扶貧車間"):
        assert found(q) == {article.pk}, q


def test_simplified_query_finds_a_headline_printed_in_traditional(db):
    article = make("交城縣建成扶貧車間", "本報訊 全縣新建車間十個。", "b")
    assert found("交城县") == {article.pk}
    assert found("扶贫车间") == {article.pk}
    assert found("交城縣") == {article.pk}
    assert found("本报讯") == {article.pk}


def test_highlight_marks_the_printed_characters():
    assert search.highlight("交城縣建成車間", ["交城县", "车间"]) == (
        "<mark>交城縣</mark>建成<mark>車間</mark>"
    )
    assert (
        search.highlight("交城县建成车间", ["交城县"]) == "<mark>交城县</mark>建成车间"
    )
    # Folding keeps offsets: a full-width form before a traditional one too.
    assert (
        search.highlight("ＰＭ２．５與車間", ["车间"])
        == "ＰＭ２．５與<mark>車間</mark>"
    )


def test_search_page_for_traditional_query(client, db):
    make("交城縣建成扶貧車間", "全縣新建車間十個。", "c")
    html = client.get("/search/", {"q": "交城县"}).content.decode()
    assert "<mark>交城縣</mark>" in html
    html = client.get("/search/", {"q": "車間"}).content.decode()
    assert "<mark>車間</mark>" in html


# --- pasted text ------------------------------------------------------------------------


def test_pasted_text_with_unbalanced_curly_quotes_finds_the_article(db):
    article = make(
        "一个村的变化",
        "这里是全省“美丽乡村”示范村”，全村建起了自己的“扶贫车间”。村民说：好。",
        "d",
    )
    for q in ("示范村”，全村", "的“扶贫车间”。", "“美丽乡村”示范村", "“扶贫车间"):
        assert found(q) == {article.pk}, q
    # Quotes around whole terms still mark a phrase.
    assert found("“扶贫车间”") == {article.pk}
    assert found('"村民说 好"') == set()


def test_quote_marks_of_any_style_find_each_other(db):
    article = make("题", "他说：「扶貧車間」辦得好。", "e")
    assert found("“扶贫车间”办得好") == {article.pk}
    assert found('"扶贫车间"办得好') == {article.pk}


def test_quoted_phrases_and_exclusions_still_parse():
    query = search.parse_query('"主题 党日" -交城 “扶贫 车间” -"县 乡"')
    assert query.words == ["主题 党日", "扶贫 车间"]
    assert [t.text for t in query.excluded] == ["交城", "县 乡"]
    assert search.parse_query("示范村”，全村").words == ['示范村",全村']
    assert not search.parse_query("- ")


def test_search_page_for_pasted_text(client, db):
    make("一个村的变化", "全村建起了“扶贫车间”。", "f")
    response = client.get("/search/", {"q": "的“扶贫车间”。"})
    assert response.context["result"].count == 0  # 的 is not printed before it
    response = client.get("/search/", {"q": "了“扶贫车间”。"})
    assert response.context["result"].count == 1
    assert "<mark>了“扶贫车间”。</mark>" in response.content.decode()


def test_article_search_counts_traditional_like_simplified(db):
    make("交城縣建成扶貧車間", "全縣新建車間。", "g")
    make("交城县建成扶贫车间", "全县新建车间。", "h")
    make("交城县草稿", "车间", "i", status="draft")
    assert article_search(params={"q": "車間"}).count == 2
    assert article_search(params={"q": "车间"}).count == 2
