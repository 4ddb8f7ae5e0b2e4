"""Places, programs and tags found in an article's text.

Known names come from the gazetteer the caller passes in (the Place and
Program tables); new ones are proposed from suffix rules (…镇, …村, …社区) and
from quoted names with program words (“雪亮工程”), and marked as new so staff
confirm them.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
import jieba.analyse
import jieba.posseg

from .model import ParsedPlace
from .text import CJK
from .words import cut, is_common_word, word_tag

PLACE_SUFFIXES = {
    "省": "province",
    "市": "prefecture",
    "县": "county",
    "镇": "town",
    "乡": "township",
    "村": "village",
    "社区": "community",
    "小区": "community",
    "家庄": "village",
}
# Characters that end a run of text before a place name: grammar words that
# cannot be part of one (在太原市 → 太原市, 对沙沟村 → 沙沟村).
_LEFT_STOPS = set("的在对于和与及到从是为将把向等了由让给跟同往至自即该本各全原新每")
# 乡村, 乡镇, 村民 … : the suffix character starts a common word instead.
_SUFFIX_FOLLOWERS = {
    "乡": set("村镇亲土下愁音情"),
    "镇": set("长政区域内"),
    "县": set("城委长级域区里乡"),
    "市": set("场民长委级区场值面"),
    "省": set("委长级内外份"),
    "村": set("民"),
}
# Places the gazetteer can name a parent for, by the kind of the parent.
_PARENT_KINDS = {
    "village": ("town", "township"),
    "community": ("town", "township", "county", "county_city"),
    "town": ("county", "county_city"),
    "township": ("county", "county_city"),
    "county": ("prefecture",),
    "county_city": ("prefecture",),
    "prefecture": ("province",),
}
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


@dataclass
class Gazetteer:
    """What the archive already knows: place name → (kind, parent name),
    alias → place name, and program name → aliases."""

    places: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    place_aliases: dict[str, str] = field(default_factory=dict)
    programs: dict[str, list[str]] = field(default_factory=dict)

    def __hash__(self):
        return id(self)

    def place_pattern(self) -> re.Pattern | None:
        return _alternation(tuple(self.places) + tuple(self.place_aliases))

    def program_pattern(self) -> re.Pattern | None:
        names = list(self.programs)
        for aliases in self.programs.values():
            names.extend(aliases)
        return _alternation(tuple(names))

    def program_for(self, found: str) -> str:
        if found in self.programs:
            return found
        for name, aliases in self.programs.items():
            if found in aliases:
                return name
        return found


@lru_cache(maxsize=32)
def _alternation(names: tuple[str, ...]) -> re.Pattern | None:
    names = tuple(n for n in names if n)
    if not names:
        return None
    ordered = sorted(set(names), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in ordered))


def _is_common_word(word: str) -> bool:
    """A common non-place word (贫困, 行政, 移民, 中心 …) before a suffix means
    贫困村 is a category, not a village's name."""
    return is_common_word(word)


def find_places(text: str, gazetteer: Gazetteer) -> list[ParsedPlace]:
    """Places named in `text`, in order of appearance; new names (not in the
    gazetteer) come back with known=False and, where printed right after
    their parent (西营镇西营村), with that parent."""
    found: dict[str, ParsedPlace] = {}
    spans: list[tuple[int, int, str]] = []
    pattern = gazetteer.place_pattern()
    if pattern:
        for m in pattern.finditer(text):
            name = gazetteer.place_aliases.get(m.group(0), m.group(0))
            kind, parent = gazetteer.places.get(name, ("other", None))
            spans.append((m.start(), m.end(), name))
            found.setdefault(
                name, ParsedPlace(name=name, kind=kind, parent=parent, known=True)
            )
    new = list(_suffix_candidates(text, [(s, e) for s, e, _ in spans]))
    names = {name for _, _, name, _ in new}
    ends = {s: n for s, _, n in spans}
    ends_at = {e: n for _, e, n in spans}
    for start, end, name, kind in new:
        # 古韵磁窑村 where 磁窑村 stands alone elsewhere: the shorter name.
        shorter = [
            n
            for n in names
            if n != name
            and len(n) >= 3
            and name.endswith(n)
            and _stands_alone(text, n, name)
        ]
        if shorter:
            continue
        if name in found:
            continue
        parent = None
        before = ends_at.get(start)
        if before and found[before].kind in _PARENT_KINDS.get(kind, ()):
            parent = before
        found[name] = ParsedPlace(name=name, kind=kind, parent=parent, known=False)
        ends_at[end] = name
    del ends
    return list(found.values())


def _stands_alone(text: str, short: str, long: str) -> bool:
    """Is `short` printed somewhere other than as the end of `long`?"""
    return text.count(short) > text.count(long)


_LEFT_STOPS.update("年月日个名户人次位使经据由让该各")


def _suffix_candidates(text: str, known_spans: list[tuple[int, int]]):
    """(start, end, name, kind) for names ending in a place suffix."""
    covered: set[int] = set()
    for s, e in known_spans:
        covered.update(range(s, e))
    suffix_re = re.compile("|".join(sorted(PLACE_SUFFIXES, key=len, reverse=True)))
    taken: set[int] = set()
    for m in suffix_re.finditer(text):
        if m.start() in covered or (m.end() - 1) in covered or m.start() in taken:
            continue
        suffix, end = m.group(0), m.end()
        follower = text[end : end + 1]
        if follower and follower in _SUFFIX_FOLLOWERS.get(suffix, ()):
            continue
        # Walk left over Chinese characters, stopping at a known name,
        # a grammar word or the longest name stem.
        i = m.start()
        limit = 1 if suffix == "家庄" else 4
        while i > 0 and m.start() - i < limit:
            ch = text[i - 1]
            if not re.match(f"[{CJK}]", ch) or (i - 1) in covered or ch in _LEFT_STOPS:
                break
            i -= 1
        if suffix != "家庄" and _inside_common_word(text, i, m.start(), end):
            continue
        stem = _name_stem(text[i : m.start()])
        if suffix == "家庄":
            if len(stem) != 1:
                continue
        elif (
            len(stem) < 2 or stem[0] in "省市县区镇乡村" or stem[-1] in "省市县区镇乡村"
        ):
            continue
        start = m.start() - len(stem)
        name = stem + suffix
        if suffix == "家庄" and text[end : end + 1] == "村":
            name, end = name + "村", end + 1
        taken.update(range(start, end))
        yield start, end, name, PLACE_SUFFIXES[suffix]


def _inside_common_word(text: str, left: int, start: int, end: int) -> bool:
    """下乡, 农村, 驻村, 贫困村 …: the suffix is bound into an ordinary word
    that begins before it.  (村委会 begins at the suffix: 东沟村委会 is fine.)"""
    pos = left
    for word in cut(text[left : end + 3]):
        w_start, w_end = pos, pos + len(word)
        pos = w_end
        if w_start <= start < w_end:
            if w_start == start:
                return False
            if start - w_start == 1:
                return True  # one character + suffix: 驻村, 回乡, 全县
            if w_start == left and w_end == end:
                return False  # the word is the whole name: 沙沟村
            return _is_common_word(word)
    return False


def _name_stem(run: str) -> str:
    """The part of a run of characters before a suffix that can be a name:
    the trailing words that are not common words (选配好 → none, 磁窑 → 磁窑)."""
    if not run:
        return ""
    words = cut(run, hmm=False)
    stem: list[str] = []
    for word in reversed(words):
        if len(word) >= 2 and _is_common_word(word):
            break
        stem.insert(0, word)
        if len("".join(stem)) >= 2 and not all(len(w) == 1 for w in stem):
            break
    result = "".join(stem)
    return result if len(result) <= 4 else ""


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
