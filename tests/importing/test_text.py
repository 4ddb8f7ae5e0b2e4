import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importing.text import (
    _SPACE_RE,
    _keeps_space,
    clean_heading,
    clean_inline,
    fix_punctuation,
    nfkc,
    remove_alignment_spaces,
    visual_length,
)


def test_spaced_characters_are_joined():
    assert (
        clean_inline("困 户 ，她 主 动 报 了 名 ，成 了 一 名 车 间 工")
        == "困户，她主动报了名，成了一名车间工"
    )


def test_spaces_around_numbers_go():
    assert clean_inline("我现在月工资在 1500 元以上") == "我现在月工资在1500元以上"
    assert clean_inline("2021 年 1-3 月 ，城 区 PM2.5 平") == "2021年1-3月，城区PM2.5平"


def test_latin_words_keep_their_space():
    assert remove_alignment_spaces("Hello  World 你好") == "Hello World你好"


def test_ascii_punctuation_becomes_full_width_in_chinese():
    assert (
        fix_punctuation("交城县,西营镇:好;是吗?好!") == "交城县，西营镇：好；是吗？好！"
    )
    assert fix_punctuation("(孙宝忠)") == "（孙宝忠）"


def test_ascii_kept_inside_numbers_and_latin():
    assert (
        fix_punctuation("PM2.5浓度1.988亿元,共1,000人")
        == "PM2.5浓度1.988亿元，共1,000人"
    )
    assert fix_punctuation("时间10:30开始") == "时间10:30开始"


def test_ascii_quotes_pair_up():
    assert fix_punctuation('他说"好"。') == "他说“好”。"


def test_ascii_full_stop_after_chinese():
    assert fix_punctuation("今天开会.明天放假.") == "今天开会。明天放假。"


def test_full_width_digits_become_ascii():
    assert clean_inline("２０１９年") == "2019年"


def test_headline_keeps_phrase_space_but_not_alignment():
    assert clean_heading("守初心 担使命") == "守初心 担使命"
    assert clean_heading("交 城 县 举 办") == "交城县举办"
    assert clean_heading("发放了 600 多个花糕") == "发放了600多个花糕"


def test_control_characters_removed():
    assert clean_inline("交\x00城\x07县") == "交城县"


# Full-width forms, compatibility characters, combining marks and what they
# compose with, astral characters: nfkc must agree with unicodedata on all.
_UNICODE_MIX = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            list("，。（）％１Ａａ…℃①㎡　ｶﾞ가\u0301\u0308\u1100\u1161eEＥ한")
        ),
        st.characters(),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_UNICODE_MIX)
def test_nfkc_is_unicodedatas(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_visual_width_counts_ascii_half():
    assert visual_length("交城 PM2.5") == 2 + 0.5 * 5
    assert visual_length("") == 0


def _spaces_removed_part_by_part(text: str) -> str:
    """The rule as first written: split at runs of spaces, rejoin, one space
    only between two Latin letters or digits."""
    parts = _SPACE_RE.split(text.strip())
    out = parts[0]
    for part in parts[1:]:
        if not part:
            continue
        if out and _keeps_space(out[-1], part[0]):
            out += " " + part
        else:
            out += part
    return out


_SPACED = st.text(
    alphabet=st.sampled_from(list("困户她aZ09.， \t\u00a0\u2003\u200b\u3000\u202f\n")),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_SPACED)
def test_alignment_spaces_removed_as_part_by_part(text):
    assert remove_alignment_spaces(text) == _spaces_removed_part_by_part(text)
