"""Search semantics against a plain-substring oracle, on both databases."""

import importlib
import random
import re

import pytest

from articles import search
from articles.models import Article
from articles.search.backends import postgres
from articles.selectors import SearchError, article_search

pytestmark = pytest.mark.django_db


def searchable(article) -> str:
    title, body = search.article_texts(article)
    return title + "\n" + body


@pytest.fixture
def corpus(imported_pages):
    articles = list(
        Article.objects.published().prefetch_related("captions", "bylines__person")
    )
    return {a.pk: searchable(a) for a in articles}


def oracle(corpus, terms, excluded=()):
    return {
        pk
        for pk, text in corpus.items()
        if all(search.normalize(t) in text for t in terms)
        and not any(search.normalize(t) in text for t in excluded)
    }


def found(q):
    return set(search.matching(search.parse_query(q)).values_list("pk", flat=True))


def generated_queries(corpus, n=160, seed=3):
    rng = random.Random(seed)
    texts = list(corpus.values())
    queries = []
    for _ in range(n):
        text = rng.choice(texts).replace("\n", " ")
        length = rng.randint(1, 8)
        start = rng.randrange(0, max(1, len(text) - length))
        piece = text[start : start + length].strip()
        # Quotes delimit phrases and a leading minus excludes: query syntax.
        if (
            piece
            and " " not in piece
            and not re.search('["“”]', piece)
            and not piece.startswith(("-", "－"))
        ):
            queries.append(piece)
    # Words that are in no article, and single characters of all kinds.
    queries += ["蛟龙", "量子", "zz", "县", "，", "1", "。"]
    return queries


def test_substring_recall_and_precision_generated(corpus):
    for q in generated_queries(corpus):
        assert found(q) == oracle(corpus, [q]), q


@pytest.mark.parametrize(
    "q",
    [
        "县",
        "交城",
        "扶贫车间",
        "刘巧艳",
        "1500",
        "150",
        "2019",
        "PM2.5",
        "pm2.5",
        "6133",
        "孙宝忠",
        "车间里",
    ],
)
def test_named_terms(corpus, q):
    assert found(q) == oracle(corpus, [q])


def test_names_numbers_and_latin_from_the_pages(corpus):
    names = {
        m for text in corpus.values() for m in re.findall(r"[0-9a-z.%-]{2,}", text)
    }
    for q in sorted(names)[:60]:
        assert found(q) == oracle(corpus, [q]), q


def test_and_phrase_and_exclusion(corpus):
    assert found("交城 扶贫") == oracle(corpus, ["交城", "扶贫"])
    assert found('"主题党日"') == oracle(corpus, ["主题党日"])
    assert found("交城 -扶贫") == oracle(corpus, ["交城"], ["扶贫"])
    assert found("-县") == set()


def test_quoted_phrases_across_spaces(corpus):
    """A phrase holding a space is exact on both sides of it, down to a
    single character after the last space (`"扶贫 县"` must not match
    `扶贫 乡`)."""
    rng = random.Random(5)
    texts = [t.replace("\n", " ") for t in corpus.values()]
    spaced = [(t, m.start()) for t in texts for m in re.finditer(" ", t)]
    assert spaced
    checked = 0
    for text, at in rng.sample(spaced, min(60, len(spaced))):
        for before, after in ((2, 1), (1, 2), (3, 3)):
            piece = text[max(0, at - before) : at + 1 + after]
            # Quotes and a leading minus are query syntax.
            if re.search('["“”]', piece) or piece.startswith(("-", "－")):
                continue
            if piece.strip() != piece or "  " in piece:
                continue
            assert found(f'"{piece}"') == oracle(corpus, [piece]), piece
            checked += 1
    assert checked > 20


def test_phrase_ending_in_one_character_after_a_space(db):
    article = Article.objects.create(
        headline="测试", slug="t", body="扶贫 乡里 PM 2", status="published"
    )
    search.index_articles(articles=[article])
    assert found('"扶贫 乡"') == {article.pk}
    assert found('"扶贫 乡里"') == {article.pk}
    assert found('"pm 2"') == {article.pk}
    assert not found('"扶贫 县"')
    assert not found('"扶贫 乡村"')
    assert not found('"pm 3"')


def test_punctuation_gap_is_not_bridged(gazetteer_db):
    from articles import services

    services.page_import(
        raw="本报讯 交城县新建车间。间里堆满了材料。（孙宝忠）\n".encode(),
        filename="a.txt",
        publish=True,
    )
    assert found("车间。间里")
    assert not found("车间里")


def test_full_width_query_forms(corpus):
    assert found("ＰＭ２．５") == found("pm2.5")
    assert found("交城\u3000扶贫") == found("交城 扶贫")
    assert found("“主题党日”") == found('"主题党日"')


def test_headline_hits_rank_above_body_hits(imported_pages):
    result = article_search(params={"q": "扶贫车间"})
    first = result.articles[0]
    assert "扶贫车间" in search.normalize(first.headline)
    result = article_search(params={"q": "交城"})
    ranks = [
        bool("交城" in search.normalize(a.headline + a.kicker + a.subtitle))
        for a in result.articles
    ]
    assert ranks == sorted(ranks, reverse=True)


def test_sort_options(imported_pages):
    for sort in ("newest", "oldest", "relevance"):
        result = article_search(params={"q": "交城", "sort": sort})
        assert result.count == len(found("交城"))
    with pytest.raises(SearchError):
        article_search(params={"q": "交城", "sort": "random"})


def test_highlight_escapes_html():
    marked = search.highlight("<b>交城</b>县", ["交城"])
    assert marked == "&lt;b&gt;<mark>交城</mark>&lt;/b&gt;县"
    assert "<script>" not in search.snippet("<script>alert(1)</script>交城", ["交城"])


def test_highlight_is_case_and_width_insensitive():
    assert (
        search.highlight("ＰＭ２．５浓度", ["pm2.5"]) == "<mark>ＰＭ２．５</mark>浓度"
    )


def test_highlight_after_characters_that_normalise_to_several():
    # `……` and `℃` become several characters under NFKC: the marks must
    # still land on the source text's own characters after them.
    text = "气温……零下５℃，ＰＭ２．５超标。交城县……ＰＭ２．５"
    assert search.highlight(text, ["pm2.5", "5°c"]) == (
        "气温……零下<mark>５℃</mark>，<mark>ＰＭ２．５</mark>超标。交城县……"
        "<mark>ＰＭ２．５</mark>"
    )
    assert search.snippet(text, ["交城"], width=8).startswith("…")
    assert "<mark>交城</mark>" in search.snippet(text, ["交城"], width=8)


def test_bad_queries_are_refused_with_a_message():
    with pytest.raises(SearchError, match="过长"):
        article_search(params={"q": "字" * 100})
    with pytest.raises(SearchError, match="太多"):
        article_search(params={"q": " ".join("甲乙丙丁戊己庚辛壬癸子丑")})


def test_drafts_are_never_found(imported_pages):
    article = Article.objects.published().first()
    article.status = Article.Status.DRAFT
    article.save()
    assert article.pk not in found(article.body[:6])


def test_edit_reindexes_without_full_rebuild(imported_pages):
    article = Article.objects.published().first()
    article.body += "\n\n独一无二的测试短语"
    article.save()
    search.index_articles(articles=[article])
    assert found("独一无二的测试短语") == {article.pk}


def test_a_removed_row_leaves_nothing_in_the_index(imported_pages):
    """SQLite's FTS5 table keeps no copy of the text: a row is forgotten by
    giving FTS5 its tokens again.  After an edit and a deletion, the index
    holds neither the old row's tokens nor the deleted article's."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("FTS5 is SQLite's")
    article = Article.objects.published().first()
    old_rows = set(article.search_chunks.values_list("pk", flat=True))
    article.body += "\n\n独一无二的测试短语"
    article.save()
    search.index_articles(articles=[article])
    new_rows = set(article.search_chunks.values_list("pk", flat=True))

    def indexed(token):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM articles_search_fts WHERE articles_search_fts "
                "MATCH %s",
                [f'"{token}"'],
            )
            return {row[0] for row in cursor.fetchall()}

    # Every pair of the article's text is indexed under its new rows only.
    pair = next(
        t
        for t in search.query.index_tokens(search.normalize(article.body))
        if len(t) == 2 and all("\u4e00" <= c <= "\u9fff" for c in t)
    )
    assert indexed(pair) & new_rows and not indexed(pair) & old_rows
    search.index_remove(article_ids=[article.pk])
    assert not indexed("独一") and not indexed(pair) & new_rows
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_search_fts (articles_search_fts) "
            "VALUES ('integrity-check')"
        )


def test_long_articles_are_found_anywhere(gazetteer_db):
    from articles import services

    # ~26,000 characters: more positions than a PostgreSQL tsvector keeps
    # (16,383) and more repeats of each pair than it keeps (256).
    filler = "交城县各乡镇积极推进工作，" * 2000
    raw = f"本报讯 {filler}终于找到了藏在后面的句子。（孙宝忠）\n".encode()
    services.page_import(raw=raw, filename="long.txt", publish=True)
    article = Article.objects.get(page__filename="long.txt")
    assert article.search_chunks.filter(kind="body").count() == 1
    assert found("藏在后面的句子") == {article.pk}
    assert found("工作，交城") == {article.pk}


def test_rebuild_search_index_command(imported_pages):
    import io

    from django.core.management import call_command

    before = found("扶贫")
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "已重建" in out.getvalue()
    assert found("扶贫") == before


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("walk", [False, True], ids=["index", "walk"])
def test_both_plans_page_through_exactly_the_matches(corpus, monkeypatch, walk, sort):
    """Listing matches through the index and walking the archive in date
    order checking each article are two plans for one answer."""
    from articles.search import planner

    monkeypatch.setattr(planner._Plan, "walk_beats_index", lambda self, n: walk)
    dates = dict(Article.objects.values_list("pk", "pub_date"))
    for q in ["县", "交城", "扶贫车间", "交城 -扶贫", "扶贫 交城"]:
        terms = [t for t in q.split() if not t.startswith("-")]
        excluded = [t[1:] for t in q.split() if t.startswith("-")]
        expected = oracle(corpus, terms, excluded)
        seen, page = [], 1
        while True:
            result = article_search(
                params={"q": q, "sort": sort, "page": page, "page_size": 4}
            )
            seen += [a.pk for a in result.articles]
            if not result.has_next or not result.articles:
                break
            page += 1
        assert len(seen) == len(set(seen)), q
        assert set(seen) == expected, q
        if sort != "relevance":
            newest = sorted(expected, key=lambda pk: (dates[pk], pk), reverse=True)
            assert seen == (newest if sort == "newest" else newest[::-1]), q


def test_share_estimates_come_from_postgresql_statistics(corpus):
    from django.db import connection

    if connection.vendor != "postgresql":
        assert search.backend().estimated_share(search.parse_query("县")) is None
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_searchchunk")
        cursor.execute("ANALYZE articles_article")
    postgres._stats_cache.clear()
    share = {
        q: search.backend().estimated_share(search.parse_query(q))
        for q in ("县", "交城", "交城县", "蛟龙", "交城 蛟龙")
    }
    truth = {q: len(oracle(corpus, q.split())) / len(corpus) for q in share}
    assert share["县"] >= share["交城"] >= share["交城县"] >= share["蛟龙"]
    assert share["交城 蛟龙"] <= share["蛟龙"]
    # Common terms are estimated within a factor of a few of the truth.
    for q in ("县", "交城"):
        assert truth[q] / 3 <= share[q] <= 3 * truth[q], (q, share[q], truth[q])
    # A term the statistics omit is counted on the index: its rows, one or
    # two per article holding it (headline block and body).
    stats = postgres._lexeme_stats()
    for q in ("交城", "蛟龙", "扶贫"):
        measured = postgres._measured_share(stats, search.make_term(q))
        truth = len(oracle(corpus, [q])) / stats.articles
        assert truth <= measured <= 2 * truth, q


def test_walk_reads_text_in_date_order_and_says_when_it_stopped(corpus):
    from django.db import connection

    newest = Article.objects.published().order_by("-pub_date", "-id")
    query = search.parse_query("县")
    expected = [
        pk for pk in newest.values_list("pk", flat=True) if pk in oracle(corpus, ["县"])
    ]
    ids, cut, read = search.backend().walk(
        newest, query, offset=1, size=3, bound=len(corpus)
    )
    assert (ids, cut) == (expected[1:4], False)
    if connection.vendor == "postgresql":
        # It read up to the fourth match, and said so.
        all_ids = list(newest.values_list("pk", flat=True))
        assert read == all_ids.index(expected[3]) + 1
    if connection.vendor == "postgresql":
        # Only the first two articles are read: too few for a page.
        ids, cut, read = search.backend().walk(
            newest, query, offset=0, size=20, bound=2
        )
        first_two = list(newest.values_list("pk", flat=True)[:2])
        assert cut and ids == [pk for pk in first_two if pk in expected]
        assert read == 2


def test_some_matching_gives_only_matches_within_the_filters(corpus):
    """The facets' sample of a broad search: as many matches as asked for
    (all of them when fewer), none outside the articles given."""
    half = sorted(corpus)[::2]
    for q in ["县", "交城 扶贫", "扶贫 -交城", "PM2.5", "蛟龙"]:
        terms = [t for t in q.split() if not t.startswith("-")]
        excluded = [t[1:] for t in q.split() if t.startswith("-")]
        expected = oracle(corpus, terms, excluded)
        query = search.parse_query(q)
        for articles, allowed in (
            (Article.objects.published(), expected),
            (Article.objects.filter(pk__in=half), expected & set(half)),
        ):
            ids = search.backend().some_matching(query, articles, limit=5)
            assert len(ids) == len(set(ids)) == min(5, len(allowed)), q
            assert set(ids) <= allowed, q


@pytest.mark.parametrize("walk", [False, True], ids=["index", "walk"])
def test_headline_block_hits_come_first_in_both_plans(corpus, monkeypatch, walk):
    from articles.search import planner

    monkeypatch.setattr(planner._Plan, "walk_beats_index", lambda self, n: walk)
    for q in ["交城", "扶贫 交城"]:
        result = article_search(params={"q": q, "page_size": 50})
        in_title = [
            all(t in search.article_texts(a)[0] for t in q.split())
            for a in result.articles
        ]
        assert any(in_title) and not all(in_title), q
        assert in_title == sorted(in_title, reverse=True), q


def test_sql_lexemes_are_the_python_lexemes(corpus):
    """PostgreSQL's GIN indexes are built on `newsroom_lexemes(text)`
    (migration 0017); the queries are built from `query.lexemes`.  The two
    must agree on every text, ASCII punctuation and spaces included."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite indexes tokens of its own (FTS5)")
    texts = list(corpus.values())[:40] + [
        "交城县 扶贫车间 pm2.5 “示范村”,全村",
        "a  b",
        'x\'y\\z "q" 100%',
        "县",
        "",
        " ",
        " a",
        "ab ",
        "a\nb",
    ]
    with connection.cursor() as cursor:
        for text in texts:
            norm = search.normalize(text)
            cursor.execute(
                "SELECT newsroom_lexemes(%s) = array_to_tsvector(%s::text[])",
                [norm, sorted(search.query.lexemes(norm))],
            )
            assert cursor.fetchone()[0], norm[:40]


def test_printed_text_spans_are_the_normalised_ones():
    """Highlighting finds the words in the printed text where that is exact
    (see `search.highlight`): on random text full of characters that
    normalise to others, to several, or combine with a neighbour, the spans
    are the ones normalising the whole text gives."""
    # (The package exports the function `highlight` under the module's name.)
    marks = importlib.import_module("articles.search.highlight")

    pool = list("交城县縣车間间业位的了，。、ＰＭ２．５pm2.5Pmab…℃°c①½ﬁ ") + [
        "e\u0301",
        "É",
        "é",
        "\u0301",
        "가",
        "\u1100\u1161",
        "ㄱㅏ",
        "𝐏",
        "\u3000",
        "“",
        '"',
    ]
    words = [
        ["交城"],
        ["县"],
        ["pm2.5"],
        ["2.5", "pm"],
        ["5°c"],
        ["é"],
        ["fi"],
        ["..."],
    ]
    words += [["가"], ["p"], ['"'], [" "], ["间业", "业位的"]]
    rng = random.Random(5)
    # Half the texts without combining characters, which send a text the
    # slow way whatever the words.
    plain = [c for c in pool if c.isprintable() and len(c) == 1 and c != "\u0301"]
    for i in range(3000):
        chars = plain if i % 2 else pool
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 30)))
        for ws in words:
            ordered = sorted(set(ws), key=len, reverse=True)
            assert marks._spans(text, ws) == marks._normalized_spans(text, ordered), (
                text,
                ws,
            )


def test_scanning_a_small_archive_counts_as_checking_each_article(corpus):
    """A small filtered archive is read once for both which articles match
    and their term counts (PostgreSQL): the same matches and counts as
    checking each article and counting apart."""
    from articles.search.backends.base import SearchBackend

    half = Article.objects.filter(pk__in=sorted(corpus)[::2])
    engine = search.backend()
    for q in ["县", "交城 扶贫", "扶贫 -交城", "PM2.5", "蛟龙", '"主题 党日"']:
        query = search.parse_query(q)
        rows, counts = engine.scan_counted(half, query)
        plain_rows, plain_counts = SearchBackend.scan_counted(engine, half, query)
        assert sorted(rows) == sorted(plain_rows), q
        assert counts == plain_counts, q
        terms = [t for t in q.split() if not t.startswith("-")]
        excluded = [t[1:] for t in q.split() if t.startswith("-")]
        expected = oracle(corpus, [t.strip('"') for t in terms], excluded)
        if '"' not in q:
            assert {pk for pk, _ in rows} == expected & set(
                half.values_list("pk", flat=True)
            ), q
