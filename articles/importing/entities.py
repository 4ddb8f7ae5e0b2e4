"""Places, programs and tags found in an article's text.

Known names come from the gazetteer the caller passes in (the Place and
Program tables); new ones are proposed from suffix rules (…镇, …村, …社区) and
from quoted names with program words (“雪亮工程”), and marked as new so staff
confirm them.
"""

import re

import jieba
import jieba.analyse
import jieba.posseg

from .gazetteer import Gazetteer
from .places import find_places
from .text import CJK
from .words import cut, word_tag

__all__ = ["Gazetteer", "find_places", "find_programs", "find_tags"]

PROGRAM_WORDS = (
    "工程",
    "行动",
    "计划",
    "车间",
    "活动",
    "工作法",
    "保卫战",
    "攻坚战",
    "提升年",
    "建设年",
    "示范区",
    "革命",
    "战略",
    "制度",
    "机制",
    "模式",
    "项目",
    "工作队",
)
_PROGRAM_STOPS = {
    "活动",
    "工作",
    "项目",
    "行动",
    "计划",
    "工程",
    "主题活动",
    "公益活动",
    "系列活动",
}


_QUOTED_RE = re.compile(r"“([^“”]{2,14})”([\u4e00-\u9fff]{0,6})")


def find_programs(text: str, gazetteer: Gazetteer) -> tuple[list[str], list[str]]:
    """(known programs, proposed new ones) named in `text`."""
    known: list[str] = []
    pattern = gazetteer.program_pattern()
    if pattern:
        for m in pattern.finditer(text):
            name = gazetteer.program_for(m.group(0))
            if name not in known:
                known.append(name)
    proposed: list[str] = []
    for m in _QUOTED_RE.finditer(text):
        inner, after = m.group(1), m.group(2)
        if not re.fullmatch(f"[{CJK}0-9A-Za-z·]+", inner):
            continue
        name = None
        if inner.endswith(PROGRAM_WORDS) and inner not in _PROGRAM_STOPS:
            name = inner
        else:
            for word in PROGRAM_WORDS:
                if after.startswith(word) and len(inner) >= 2:
                    name = f"“{inner}”{word}" if inner.isdigit() else inner + word
                    break
        if not name or any(name in k or k in name for k in known):
            continue
        if name not in proposed:
            proposed.append(name)
    return known, proposed[:5]


_TAG_POS = ("n", "nz", "vn", "ns", "nt", "nr", "l", "j")


def find_tags(text: str, limit: int = 5) -> list[str]:
    """A few keywords that say what the article is about: TF-IDF over jieba's
    words with jieba's IDF table.  Part of speech comes from the dictionary
    (nouns, names, set phrases); words jieba's HMM finds that the dictionary
    lacks count as proper nouns.  (jieba.analyse with allowPOS runs the POS
    tagger's Viterbi over the whole text, which made it 20x slower.)"""
    tfidf = jieba.analyse.default_tfidf
    counts: dict[str, int] = {}
    for word in cut(text):
        if len(word) < 2 or word in _TAG_STOPS or re.search(r"[\d\W_a-zA-Z]", word):
            continue
        tag = word_tag(word)
        if tag is not None and not tag.startswith(_TAG_POS):
            continue
        if word in tfidf.stop_words:
            continue
        counts[word] = counts.get(word, 0) + 1
    total = sum(counts.values()) or 1
    scored = sorted(
        counts,
        key=lambda w: (
            -(counts[w] / total) * tfidf.idf_freq.get(w, tfidf.median_idf),
            w,
        ),
    )
    return scored[:limit]


_TAG_STOPS = {
    "本报讯",
    "记者",
    "工作",
    "活动",
    "全县",
    "该县",
    "我们",
    "目前",
    "近日",
    "同志",
    "负责人",
}
