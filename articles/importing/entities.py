"""Places, programs and tags found in an article's text.

Known names come from the gazetteer the caller passes in (the Place and
Program tables); new ones are proposed from suffix rules (…镇, …村, …社区) and
from quoted names with program words (“雪亮工程”), and marked as new so staff
confirm them.
"""

import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from itertools import accumulate, compress, islice

import jieba
import jieba.analyse
import jieba.posseg

from .gazetteer import Gazetteer
from .places import find_places
from .text import CJK
from .words import cut, is_common_word, word_tag

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


_QUOTED_RE = re.compile(r"[“‘]([^“”‘’]{2,14})[”’]([\u4e00-\u9fff]{0,6})")
_NAME_CHARS_RE = re.compile(f"[{CJK}0-9A-Za-z·]+")
_CJK_RUN_RE = re.compile(f"[{CJK}]+")


def find_programs(
    text: str, gazetteer: Gazetteer, *, words: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """(known programs, proposed new ones) named in `text`.  `words`: the
    text as `cut` cuts it, when the caller has it already."""
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
        if not _NAME_CHARS_RE.fullmatch(inner):
            continue
        name = None
        if inner.endswith(PROGRAM_WORDS) and inner not in _PROGRAM_STOPS:
            name = inner
        elif len(inner) >= 2 and after.startswith(PROGRAM_WORDS):
            for word in PROGRAM_WORDS:  # the first that it starts with
                if after.startswith(word):
                    name = f"“{inner}”{word}" if inner.isdigit() else inner + word
                    break
        if not name and _quoted_program(
            text, m.start(), m.start(1) + len(inner), inner
        ):
            name = inner
        if not name or any(name in k or k in name for k in known):
            continue
        if name not in proposed:
            proposed.append(name)
    for name in _headed_programs(text, cut(text) if words is None else words):
        if not any(name in k or k in name for k in known + proposed):
            proposed.append(name)
    return known, proposed[:8]


# A quoted phrase is a program's name when the text treats it as one: it is
# carried out, held, awarded or created (开展“某某”), or followed by the work
# it names (“某某”活动, “某某”工作); or it is shaped like a slogan — a number
# starts it (一村一品, 五城同创, 百日某某) or a title word ends it (…户, …日).
_PROGRAM_VERBS = (
    "开展",
    "举行",
    "举办",
    "评选",
    "创建",
    "实施",
    "推进",
    "推行",
    "启动",
    "争创",
    "评为",
    "获评",
    "设立",
    "设了",
    "深化",
    "落实",
    "组织",
    "参与",
    "打造",
)
_PROGRAM_AFTER = (
    "工作",
    "活动",
    "行动",
    "创建",
    "评选",
    "积分",
    "志愿",
    "主导",
    "文化",
    "建设",
    "示范",
    "工程",
    "品牌",
    "专项",
    "集中",
    "战略",
    "政策",
)
_SLOGAN_START = set("一二三四五六七八九十百千万双")
_TITLE_ENDS = ("户", "日", "年", "月", "周", "大会战", "攻坚战", "革命", "下乡", "书屋")


def _quoted_program(text: str, open_at: int, close_at: int, inner: str) -> bool:
    if not 3 <= len(inner) <= 10 or not _CJK_RUN_RE.fullmatch(inner):
        return False
    if "的" in inner or is_common_word(inner):
        return False  # a sentence or an ordinary word quoted for emphasis
    before = text[max(0, open_at - 4) : open_at]
    after = text[close_at + 1 : close_at + 3]
    if before.endswith(_PROGRAM_VERBS) or after in _PROGRAM_AFTER:
        return True
    if before.endswith("”") or text[close_at + 1 : close_at + 2] == "“":
        return True  # one of a list of quoted names: “甲”“乙”
    return (inner[0] in _SLOGAN_START and len(inner) >= 4) or inner.endswith(
        _TITLE_ENDS
    )


# Unquoted programs: a head word that names a campaign, year, title or post
# (…革命, …建设年, 农家书屋-like …书屋, …签约服务, 全国文明城市) with the words
# that make it one program (the nouns right before it).
_PROGRAM_HEADS = (
    "革命",
    "建设年",
    "书屋",
    "签约服务",
    "文明城市",
    "大会战",
    "攻坚战",
    "村官",
    "第一书记",
    "示范户",
    "文明户",
)


def _headed_programs(text: str, words: list[str]) -> list[str]:
    found: list[str] = []
    starts: list[int] = []  # where each word begins, once a head is printed
    for head in _PROGRAM_HEADS:
        if head not in text:
            continue
        if not starts:
            starts = list(accumulate(map(len, words), initial=0))
            del starts[-1]  # (the text's end)
        for m in re.finditer(head, text):
            # the one or two words before the head, if they are nouns
            i = bisect_left(starts, m.start())
            if i == len(starts) or starts[i] != m.start():
                continue
            taken = []
            for word in reversed(words[max(0, i - 2) : i]):
                tag = word_tag(word)
                if len(word) < 2 or tag is None or not tag.startswith(("n", "vn")):
                    break
                taken.insert(0, word)
            if head in ("村官", "第一书记", "文明城市") and not taken:
                continue
            if not taken and len(head) < 4:
                continue
            name = "".join(taken) + head
            if len(name) >= 4 and name not in found:
                found.append(name)
    return found


_TAG_POS = ("n", "nz", "vn", "ns", "nt", "nr", "l", "j")
_NOT_A_TAG_RE = re.compile(r"[\d\W_a-zA-Z]")


def find_tags(
    text: str, limit: int = 5, *, words: list[str] | None = None
) -> list[str]:
    """A few keywords that say what the article is about: TF-IDF over jieba's
    words with jieba's IDF table.  Part of speech comes from the dictionary
    (nouns, names, set phrases); words jieba's HMM finds that the dictionary
    lacks count as proper nouns.  (jieba.analyse with allowPOS runs the POS
    tagger's Viterbi over the whole text, which made it 20x slower.)
    `words`: the text as `cut` cuts it, when the caller has it already."""
    if words is None:
        words = cut(text)
    # Each distinct word is weighed once (a text repeats half its words):
    # every check but two depends on the word alone (_topic_word); a given
    # name after its surname is counted off below, and a word printed only
    # inside place names is left out.
    counts: dict[str, int] = {}
    weights: dict[str, float] = {}
    after_surname = set(
        compress(islice(words, 1, None), map(_SURNAMES.__contains__, words))
    )
    uses = Counter(words)
    before_suffix = _before_place_suffixes(text)
    for word, times in uses.items():
        topic = _topic_word(word)
        if topic is None:
            continue
        weight, given_name = topic
        if given_name and word in after_surname:
            times -= _uses_after_surname(word, words, times)
            if not times:
                continue
        # 西湾 of 大西湾乡: part of a name, not a topic
        may_be_inside = len(word) > _SHORT_WORD or word in before_suffix
        if may_be_inside and _inside_place_names(text, word):
            continue
        counts[word] = times
        weights[word] = weight
    total = sum(counts.values()) or 1
    scored = sorted([(-(n / total) * weights[w], w) for w, n in counts.items()])
    return [w for _, w in scored[:limit]]


@lru_cache(maxsize=1 << 16)
def _topic_word(word: str) -> tuple[float, bool] | None:
    """What the word alone says as a tag: None when it cannot be one, else
    its IDF weight and whether it could be a given name.  Every article asks
    this of hundreds of words, nearly all asked before, and the answer comes
    from jieba's dictionary and IDF table, which do not change."""
    if len(word) < 2 or word in _TAG_STOPS or _NOT_A_TAG_RE.search(word):
        return None
    tag = word_tag(word)
    # Only nouns, names and set phrases; people are bylines and mentions.
    if tag is not None and (not tag.startswith(_TAG_POS) or tag.startswith("nr")):
        return None
    if _person_name(word, tag):
        return None
    tfidf = jieba.analyse.default_tfidf
    if word in tfidf.stop_words or (
        word[-1] in "村镇乡县区" and word[:-1] in _TAG_STOPS
    ):
        return None
    return tfidf.idf_freq.get(word, tfidf.median_idf), _given_name(word, tag)


def _person_name(word: str, tag: str | None) -> bool:
    """范某某: a name the dictionary lacks, starting with a surname."""
    return tag is None and 2 <= len(word) <= 3 and word[0] in _SURNAMES


def _given_name(word: str, tag: str | None) -> bool:
    """Could be a given name: 东林 of 侯 + 东林, which jieba cut off its
    surname."""
    return len(word) == 2 and (tag is None or tag.startswith(("nr", "ns", "nz")))


def _uses_after_surname(word: str, words: list[str], times: int) -> int:
    """How many of the word's `times` uses follow a surname before the first
    that does not: a person's given name until then, a word from there on."""
    uses, at = 0, -1
    for _ in range(times):
        at = words.index(word, at + 1)
        if not (at > 0 and words[at - 1] in _SURNAMES):
            break
        uses += 1
    return uses


_PLACE_SUFFIX_RE = re.compile("[村镇乡县区市]")
_SHORT_WORD = 4  # characters; nearly every tag is as short


def _before_place_suffixes(text: str) -> set[str]:
    """The two to _SHORT_WORD characters printed right before each place
    suffix: a short word found nowhere in this is never inside a place name
    (its first use is not), which spares searching the text for it."""
    ends = [m.start() for m in _PLACE_SUFFIX_RE.finditer(text)]
    return {text[j - k : j] for j in ends for k in range(2, _SHORT_WORD + 1) if k <= j}


def _inside_place_names(text: str, word: str) -> bool:
    """Every time the word is printed, a place suffix follows it."""
    at = text.find(word)
    if at < 0:
        return False
    while at >= 0:
        end = at + len(word)
        if end >= len(text) or text[end] not in "村镇乡县区市":
            return False
        at = text.find(word, end)
    return True


# The commonest surnames (百家姓 by frequency): a single one of them before a
# word jieba does not know makes that word a given name.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
    "尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)

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
    # words every article has, that say nothing about this one
    "目标",
    "问题",
    "主题",
    "情况",
    "方面",
    "时候",
    "过程",
    "方式",
    "措施",
    "意见",
    "要求",
    "任务",
    "内容",
    "作用",
    "同时",
    "今年",
    "去年",
    "大家",
    "群众",
    "村民",
    "干部",
}
