"""Headline-area marks and doubled captions: the quick answers agree with
the rules as first written."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importing.headings import (
    MAX_DOUBLED,
    _decompose,
    _respace,
    is_box_line,
    is_marked_line,
    is_subtitle_line,
    split_doubled,
)

_LINE_START = st.text(alphabet=st.sampled_from(list(" \u3000\t—-－―□■△x，标题")))
_LINES = st.builds(lambda a, b: a + b, _LINE_START, st.text(max_size=8))


@settings(max_examples=300, deadline=None)
@given(_LINES)
def test_a_marked_line_opens_with_a_dash_or_a_box(text):
    assert is_marked_line(text) == (is_subtitle_line(text) or is_box_line(text))


def _split_doubled_as_written(text: str, min_unit: int = 4) -> list[str] | None:
    tokens = [t for t in re.split(r"\s+", text.strip()) if t]
    flat = "".join(tokens)
    if not 2 * min_unit <= len(flat) <= MAX_DOUBLED:
        return None
    result = _decompose(flat, 0, min_unit, {})
    if result is None:
        return None
    units = []
    for unit in result:
        if len(set(unit)) <= 2:
            return None
        units.append(_respace(unit, text))
    return units


_UNITS = st.text(alphabet=st.sampled_from(list("家庭医生义诊关爱 ")), max_size=9)
_DOUBLED = st.lists(_UNITS.map(lambda u: u + u), max_size=3).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_DOUBLED, _DOUBLED.map(lambda t: t + "义"), st.text(max_size=20)))
def test_doubled_captions_found_as_first_written(text):
    assert split_doubled(text) == _split_doubled_as_written(text)
