"""The place-name index: every known name wherever it starts, the same with
the automaton as with the probe per character, before and after names are
added."""

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importing import gazetteer as gazetteer_module
from articles.importing.gazetteer import NameIndex

NAMES = [
    "交城",
    "交城县",
    "城关镇",
    "关镇",
    "西营镇",
    "石门村",
    "石门",
    "𠀀家庄",
    "乡村",
]
# Pieces of the names and characters around them, astral ones included, so
# that names overlap, nest and run into one another.
PIECES = st.sampled_from(
    [*NAMES, "交", "城", "县", "镇", "村", "，", " ", "𠀀", "e\u0301"]
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_starts_finds_what_the_probe_per_character_finds(text):
    index = NameIndex(NAMES)
    assert list(index.starts(text).items()) == list(index._scan(text).items())


@settings(max_examples=100, deadline=None)
@given(TEXTS, st.lists(st.sampled_from(["城关", "门村", "家庄", "村，", "交城县城"])))
def test_names_added_after_the_first_search_are_found(text, added):
    index = NameIndex(NAMES)
    index.starts("交城县")
    for name in added:
        index.add(name)
    assert list(index.starts(text).items()) == list(index._scan(text).items())


def test_many_names_added_rebuild_the_automaton(monkeypatch):
    monkeypatch.setattr(NameIndex, "LATE_NAMES", 2)
    index = NameIndex(NAMES)
    index.starts("")
    for name in ("城关", "门村", "家庄", "关镇西"):
        index.add(name)
    text = "交城县城关镇西营镇石门村𠀀家庄"
    assert list(index.starts(text).items()) == list(index._scan(text).items())
    assert "家庄" in index.starts(text)[text.index("家庄")]


def test_without_the_automaton_the_probe_is_used(monkeypatch):
    monkeypatch.setattr(gazetteer_module, "ahocorasick_rs", None)
    index = NameIndex(NAMES)
    assert index.starts("来到交城县城关镇") == {
        2: ["交城县", "交城"],
        5: ["城关镇"],
        6: ["关镇"],
    }
