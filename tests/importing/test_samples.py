"""Acceptance: each sample page parses to what staff expect of it."""

import re
import unicodedata

import pytest

from articles.importing import parse_page
from tests.conftest import expectations, sample_pages
from tests.importing.gazetteer import fixture_gazetteer

PAGES = sample_pages()
CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff][ \t\u3000\u00a0]+[\u4e00-\u9fff]")


def flat(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@pytest.fixture(scope="module", params=PAGES, ids=[p.name for p in PAGES])
def case(request):
    path = request.param
    return parse_page(
        path.read_text("utf-8"), gazetteer=fixture_gazetteer()
    ), expectations(path)


def test_article_count(case):
    page, expected = case
    assert len(page.articles) == len(expected["articles"])


def test_bodies_run_from_start_to_end(case):
    page, expected = case
    for got, want in zip(page.articles, expected["articles"], strict=True):
        body = flat(got.body)
        body = body.removeprefix("本报讯")
        assert body.startswith(flat(want["start"])), (want["start"], body[:40])
        assert body.endswith(flat(want["end"])), (want["end"], body[-40:])


def test_headline_blocks(case):
    page, expected = case
    for got, want in zip(page.articles, expected["articles"], strict=True):
        assert flat(got.headline) == flat(want["headline"])
        assert flat(got.kicker) == flat(want["kicker"])
        assert flat(got.subtitle) == flat(want["subtitle"])


def test_headlines_keep_their_printed_spaces(case):
    page, expected = case
    for got, want in zip(page.articles, expected["articles"], strict=True):
        assert got.headline == (want["headline"] or "")


def test_kind(case):
    page, expected = case
    assert [a.kind for a in page.articles] == [w["kind"] for w in expected["articles"]]


def test_bylines_with_roles(case):
    page, expected = case
    for got, want in zip(page.articles, expected["articles"], strict=True):
        assert [(b.name, b.role) for b in got.bylines] == [
            (b["name"], b["role"]) for b in want["bylines"]
        ]


def test_places_and_programs_found(case):
    page, expected = case
    for got, want in zip(page.articles, expected["articles"], strict=True):
        places = [p.name for p in got.places]
        programs = got.programs + got.new_programs
        for name in want["places"]:
            assert any(name in p for p in places), (name, places)
        for name in want["programs"]:
            assert any(name in p for p in programs), (name, programs)


def test_captions_found_once_and_attached(case):
    page, expected = case
    got = {flat(c.text): c.article_index for c in page.captions}
    assert len(got) == len(page.captions)
    assert sorted(got) == sorted(flat(c["text"]) for c in expected["captions"])
    for caption in expected["captions"]:
        # Where the expectation says the owner is not clear, the parser may
        # still propose the article the caption shares most with.
        if caption["article"] is not None:
            assert got[flat(caption["text"])] == caption["article"], caption


def test_no_layout_text_in_bodies(case):
    page, expected = case
    bodies = [flat(a.body) for a in page.articles]
    for article in page.articles:
        for text in (article.headline, article.kicker, article.subtitle):
            if text:
                assert not any(flat(text) in b for b in bodies), text
        for byline in article.bylines:
            assert not any(
                f"（{byline.name}" in b or f"□{byline.name}" in b for b in bodies
            )
    for caption in expected["captions"]:
        occurrences = sum(b.count(flat(caption["text"])) for b in bodies)
        assert occurrences <= caption.get("allowed_in_body", 0), caption["text"]
    for text in expected["not_in_body"]:
        assert not any(flat(text) in b for b in bodies), text


def test_no_space_between_chinese_characters(case):
    page, _ = case
    for article in page.articles:
        assert not CJK_SPACE_CJK.search(article.body)
        assert "\n\n\n" not in article.body


def test_untitled_bodies_are_flagged_with_a_suggestion(case):
    page, _ = case
    for article in page.articles:
        if not article.headline:
            assert "no_headline" in article.flags
            assert article.suggested_headline
            assert flat(article.suggested_headline) in flat(article.body)


def test_parsing_is_deterministic():
    text = PAGES[0].read_text("utf-8")
    first = parse_page(text, gazetteer=fixture_gazetteer())
    second = parse_page(text, gazetteer=fixture_gazetteer())
    assert first == second
