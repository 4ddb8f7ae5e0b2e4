"""Property-based tests: whatever the page, the parser does not crash, loses
no text and gives the same answer twice."""

import unicodedata
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing import decode_page, parse_page
from articles.importing.decode import DecodeError
from tests.conftest import sample_pages
from tests.importing.gazetteer import fixture_gazetteer

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def significant(text: str) -> Counter:
    """Letters and digits, after the same NFKC the site searches with."""
    text = unicodedata.normalize("NFKC", text)
    return Counter(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def output_text(page) -> str:
    parts = []
    for a in page.articles:
        parts += [a.body, a.headline, a.kicker, a.subtitle, a.byline_text]
    parts += [c.text for c in page.captions]
    parts += [lo.text for lo in page.leftovers]
    return "\n".join(parts)


def assert_nothing_lost(text: str, page) -> None:
    missing = significant(text) - significant(output_text(page))
    assert not missing, f"lost: {''.join(sorted(missing.elements()))[:80]}"


def parse(text):
    return parse_page(text, gazetteer=fixture_gazetteer())


def test_sample_pages_lose_nothing():
    for path in sample_pages():
        text = path.read_text("utf-8")
        assert_nothing_lost(text, parse(text))


# Chinese text, headline-ish lines, bylines, captions and layout debris.
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCT = st.sampled_from(
    list("，。、；：？！…“”（）《》——,.;:!?()\"'- 　□■0123456789ABCxyz%/")
)
piece = st.text(alphabet=st.one_of(CJK, PUNCT), min_size=0, max_size=40)
line = st.one_of(
    piece,
    piece.map(lambda t: "本报讯 " + t),
    piece.map(lambda t: t + "。"),
    piece.map(lambda t: "——" + t),
    st.sampled_from(
        [
            "（孙宝忠 周爱爱）",
            "（文/张丽 赵 刚 图/刘明）",
            "王 强 摄",
            "□ 新华社记者 张丽 赵刚",
            "(王 强 李红梅)",
        ]
    ),
    piece.map(lambda t: (t * 2) if len(t) >= 4 else t),
)
pages = st.lists(line, min_size=0, max_size=40).flatmap(
    lambda lines: st.sampled_from(["\n", "\n\n"]).map(lambda sep: sep.join(lines))
)


@SETTINGS
@given(pages)
def test_structured_random_pages(text):
    first = parse(text)
    assert_nothing_lost(text, first)
    assert parse(text) == first


def test_a_joined_continuation_keeps_the_byline_the_headline_block_gave():
    """Found by the property above: an article whose byline came from its
    headline block (■ …记者…) and whose body then joined a continuation
    lost the printed byline when the joined body was read again."""
    text = "0000000000000\n00\n■一社记者赵一\n。"
    page = parse(text)
    assert_nothing_lost(text, page)
    assert "■一社记者赵一" in page.articles[0].byline_text


@SETTINGS
@given(st.text(max_size=2000))
def test_any_unicode(text):
    page = parse(text)
    assert_nothing_lost(text, page)


@SETTINGS
@given(
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=300)
)
def test_control_characters_and_nul(text):
    parse(text)


@settings(max_examples=10, deadline=None)
@given(
    st.integers(min_value=5_000, max_value=60_000),
    st.sampled_from(["交城县", "a b", "，", "哒"]),
)
def test_huge_lines(length, unit):
    text = (unit * (length // len(unit)))[:length]
    page = parse(text)
    assert_nothing_lost(text, page)


@SETTINGS
@given(
    st.lists(st.text(alphabet=CJK, min_size=4, max_size=14), min_size=1, max_size=12)
)
def test_only_headlines(headlines):
    text = "\n\n".join(headlines)
    assert_nothing_lost(text, parse(text))


@SETTINGS
@given(st.lists(st.text(alphabet=CJK, min_size=5, max_size=20), min_size=1, max_size=8))
def test_only_captions(captions):
    text = "\n\n".join(c + c for c in captions)
    page = parse(text)
    assert_nothing_lost(text, page)


@SETTINGS
@given(st.binary(max_size=3000))
def test_any_bytes_decode_or_refuse(data):
    try:
        text = decode_page(data)
    except DecodeError as exc:
        assert exc.code in ("empty", "binary", "undecodable")
    else:
        parse(text)


@SETTINGS
@given(st.text(alphabet=st.one_of(CJK, PUNCT), min_size=1, max_size=200))
def test_mixed_encodings(text):
    data = text.encode("utf-8") + "交城县".encode("gb18030")
    try:
        decoded = decode_page(data)
    except DecodeError:
        return
    parse(decoded)
