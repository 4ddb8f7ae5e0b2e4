"""Places named in an article's text.

Two sources, in this order:

1. Known names: every province, prefecture, county, town, township and 街道
   of the gazetteer the caller passes (the national division data), and their
   short names (交城, 秀山县).  A short name or a name that is also an
   ordinary word counts only where jieba's words begin and end with it
   (长治久安 names no city); a name whose last character starts a word with
   the next one (文明乡风, 城镇化, 县委) is no place.
2. Names found by rule before a suffix (…村, …社区, …镇 …).  A village or
   community counts when the national village names hold it — the longest
   such name that starts at a word boundary, so it is whole, never clipped
   or joined — or when the text prints it right after its town (某某镇石门村:
   the parent).  A town or county the data does not hold counts only right
   after its parent, before a known village, or as a former one (原某某乡).
   Category words (文明村, “网红村”, 美丽村庄) are no place.

Longer than the ~400 lines a module keeps to: matching known names, cutting
rule-found villages at real boundaries and choosing the parent are one
procedure over one index, read top to bottom; split, each part would need
the others' internals.
"""

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate

from .gazetteer import Gazetteer
from .model import ParsedPlace
from .text import CJK
from .words import cut, is_common_word, word_frequency, word_tag

SUFFIX_KINDS = {
    "社区": "community",
    "街道": "town",
    "家庄": "village",
    "村": "village",
    "镇": "town",
    "乡": "township",
    "县": "county",
}
_SUFFIX_RE = re.compile("|".join(sorted(SUFFIX_KINDS, key=len, reverse=True)))
# Up to six Chinese characters right before where the search stops (\Z:
# never before a line feed there).
_CJK_TAIL_RE = re.compile(f"[{CJK}]{{1,6}}\\Z")
_VILLAGE_SUFFIX_RE = re.compile("社区|村")
_WEAK = "weak"
# The suffix character starting a word with the next one: 乡村, 乡风, 镇长,
# 城镇化, 县委, 县城, 村民, 村庄 … — not the end of a place name.
_FOLLOWERS = {
    "乡": set("村镇亲土下愁音情风贤邻野"),
    "镇": set("长政区域内化"),
    "县": set("城委长级域区里乡"),
    "村": set("民庄落级镇容貌里干集组规两"),
}
# Grammar characters that cannot begin a place name (在太原 → 太原).
_LEFT_STOPS = set(
    "的在对于和与及到从是为将把向等了由让给跟同往至自即该本各全原每"
    "年月日个名户人次位使经据"
)
# The last character of a division's name: what follows it starts a name.
_DIVISION_ENDS = set("省市县区旗镇乡道村")
# What a village is, not which one: 文明村, 贫困村, 示范村 …
_CATEGORY_STEMS = {
    "文明",
    "美丽",
    "网红",
    "示范",
    "贫困",
    "先进",
    "重点",
    "特色",
    "明星",
    "富裕",
    "小康",
    "生态",
    "旅游",
    "专业",
    "行政",
    "自然",
    "中心",
    "边远",
    "偏远",
    "传统",
    "样板",
    "试点",
    "整体",
    "宜居",
    "和美",
    "红色",
    "绿色",
    "数字",
    "智慧",
    "卫生",
    "平安",
    "森林",
    "民主法治",
    "一个",
    "这个",
    "全国",
    "第一",
    "居民",
    "移民",
}
# Words around a category use: 创建文明村, 评为…村, …村建设, …村称号.
_CATEGORY_BEFORE = (
    "创建",
    "评为",
    "争创",
    "打造",
    "建成",
    "成为",
    "省级",
    "市级",
    "县级",
)
_CATEGORY_AFTER = ("建设", "创建", "称号", "标准", "评选")
# Who may be printed right before a place as its parent.
_PARENT_KINDS = {
    "village": ("town", "township", "county", "county_city"),
    "community": ("town", "township", "county", "county_city"),
    "town": ("county", "county_city"),
    "township": ("county", "county_city"),
    "county": ("prefecture",),
    "county_city": ("prefecture",),
    "prefecture": ("province",),
}


def find_places(
    text: str, gazetteer: Gazetteer, *, words: list[str] | None = None
) -> list[ParsedPlace]:
    """Places named in `text`, in order of appearance; names the gazetteer
    does not hold come back with known=False and, where the text prints it
    right before them, their parent.  `words`: the text as `cut` cuts it,
    when the caller has it already."""
    words = _Words(text, words)
    villages = _lexicon_spans(text, gazetteer, words)
    in_village = [False] * (len(text) + 1)
    for start, end in villages:
        for k in range(start, end):
            in_village[k] = True
    spans = _known_spans(text, gazetteer, words, in_village)
    named = {name for _, _, name, weak in spans if not weak}
    spans = [
        (start, end, name)
        for start, end, name, weak in spans
        if not weak or _ancestors(name, gazetteer) & named
    ]
    found: dict[str, ParsedPlace] = {}
    by_end: dict[int, ParsedPlace] = {}
    covered = [False] * (len(text) + 1)
    for start, end, name in spans:
        kind, parent = _resolve(name, gazetteer, named)
        place = found.setdefault(
            name, ParsedPlace(name=name, kind=kind, parent=parent, known=True)
        )
        by_end[end] = place
        for k in range(start, end):
            covered[k] = True
    ruled = [
        (start, end, text[start:end], _suffix_kind(text[start:end]))
        for start, end in villages
        if not any(covered[start:end])
    ]
    for start, end, _, _ in ruled:
        for k in range(start, end):
            covered[k] = True
    ruled += _rule_candidates(text, gazetteer, covered, by_end)
    for start, end, name, kind in sorted(ruled):
        before = by_end.get(start)
        parent = before.name if before and before.kind in _PARENT_KINDS[kind] else None
        sibling = by_end.get(start - 1) if text[start - 1 : start] == "、" else None
        if parent is None and sibling and sibling.kind == kind and not sibling.known:
            parent = sibling.parent  # 某镇甲村、乙村: both under 某镇
        place = found.get(name)
        if place is None:
            place = found[name] = ParsedPlace(
                name=name, kind=kind, parent=parent, known=False
            )
        elif place.parent is None and parent and not place.known:
            place.parent = parent
        by_end[end] = place
    return list(found.values())


class _Words:
    """jieba's word boundaries in the text, cut only when a rule asks (or
    handed over by a caller that has cut it already)."""

    def __init__(self, text: str, words: list[str] | None = None):
        self.text = text
        self._words = words
        self._bounds: set[int] | None = None
        self._ordered: list[int] | None = None

    @property
    def bounds(self) -> set[int]:
        if self._bounds is None:
            words = self._words if self._words is not None else cut(self.text)
            self._bounds = set(accumulate(map(len, words), initial=0))
        return self._bounds

    def before(self, pos: int) -> int:
        """The last boundary before `pos` (ValueError when none is)."""
        ordered = self._sorted()
        k = bisect_left(ordered, pos)
        if k == 0:
            raise ValueError(pos)
        return ordered[k - 1]

    def after(self, pos: int) -> int:
        """The first boundary after `pos` (ValueError when none is)."""
        ordered = self._sorted()
        k = bisect_right(ordered, pos)
        if k == len(ordered):
            raise ValueError(pos)
        return ordered[k]

    def _sorted(self) -> list[int]:
        # Rules ask for the neighbours of a position many times a text: a
        # search in the sorted boundaries, not a walk through all of them.
        if self._ordered is None:
            self._ordered = sorted(self.bounds)
        return self._ordered


def _suffix_kind(name: str) -> str:
    return "community" if name.endswith("社区") else "village"


def _known_spans(text: str, gazetteer: Gazetteer, words: _Words, in_village):
    """(start, end, place name) of gazetteer names, leftmost-longest.  A
    short name inside a village name the data holds is part of that name
    (西山 in 西山头村)."""
    named_at = gazetteer.place_index().starts(text)
    spans: list[tuple[int, int, str]] = []
    free = 0  # where the last name taken ends
    # The positions where names start, left to right (the index lists them
    # in order): a name taken covers the positions up to its end.
    for i, candidates in named_at.items():
        if i < free:
            continue
        for candidate in candidates:
            end = i + len(candidate)
            fits = _known_fits(
                text, i, end, candidate, gazetteer, words, spans, named_at
            )
            if fits and not (
                candidate not in gazetteer.places and any(in_village[i:end])
            ):
                name = (
                    candidate
                    if candidate in gazetteer.places
                    else gazetteer.place_aliases[candidate]
                )
                spans.append((i, end, name, fits is _WEAK))
                free = end
                break
    return spans


def _known_fits(text, start, end, candidate, gazetteer, words, spans, named_at) -> bool:
    follower = text[end : end + 1]
    if follower and follower in _FOLLOWERS.get(candidate[-1], ()):
        # 县城, 乡村 … unless a known name starts there (某县城关镇)
        if end not in named_at:
            return False
    is_alias = candidate not in gazetteer.places
    place = gazetteer.place_aliases[candidate] if is_alias else candidate
    parent = gazetteer.places.get(place, (None, None))[1]
    after_parent = bool(spans) and spans[-1][1] == start and spans[-1][2] == parent
    if is_common_word(candidate, min_frequency=100):
        return after_parent  # 城区, 郊区, 矿区: names only right after their city
    if is_alias:
        # 莆田仙游: right after its city.  Else a rare word standing as a
        # word of its own: a short name that is also an everyday word or a
        # given name (平原, 友谊, 新建, 建华 …) is too often not the place.
        if after_parent:
            return True
        if start not in words.bounds or end not in words.bounds:
            return False
        tag = word_tag(candidate)
        if gazetteer.places[place][0] == "province":
            return True  # 山西, 北京: 34 names no one uses for anything else
        if word_frequency(candidate) < 100 or tag is None or len(candidate) > 2:
            return True  # a rare word: 交城, 柘荣, 新郑
        return _WEAK  # only if the text names its city or province too
    if candidate[: -len(_suffix_of(candidate))] in _CATEGORY_STEMS:
        return after_parent  # 中心镇 is a real town's name, and a kind of town
    if start not in words.bounds and _word_across(text, start, words):
        return False  # 示范镇 is no 范镇, 文明城镇 no 明城镇
    return not (candidate[0] in _LEFT_STOPS and is_common_word(candidate[1:]))


def _suffix_of(name: str) -> str:
    for suffix in ("街道", "社区"):
        if name.endswith(suffix):
            return suffix
    return name[-1]


def _word_across(text: str, pos: int, words: "_Words") -> bool:
    """Does a dictionary word that is not a place name span `pos`?"""
    word = text[words.before(pos) : words.after(pos)]
    tag = word_tag(word)
    return (
        len(word) >= 2
        and tag is not None
        and not tag.startswith("ns")
        and word_frequency(word) >= 50  # the dictionary's rare odd entries
    )


def _ancestors(name: str, gazetteer: Gazetteer) -> set[str]:
    out: set[str] = set()
    parent = gazetteer.places.get(name, (None, None))[1]
    while parent and parent not in out:
        out.add(parent)
        parent = gazetteer.places.get(parent, (None, None))[1]
    return out


def _resolve(name: str, gazetteer: Gazetteer, named: set[str]):
    """(kind, parent) of a known name; of the places sharing it, the one whose
    parent (or grandparent) the text names too."""
    entries = gazetteer.homonyms.get(name)
    if not entries:
        return gazetteer.places.get(name, ("other", None))
    for kind, parent in entries:
        if parent in named:
            return kind, parent
    for kind, parent in entries:
        grandparent = gazetteer.places.get(parent or "", (None, None))[1]
        if grandparent in named:
            return kind, parent
    return entries[0][0], None


def _lexicon_spans(text: str, gazetteer: Gazetteer, words: "_Words"):
    """(start, end) of village and community names the national data holds:
    for each 村/社区, the longest such name ending there that starts at a
    word boundary, so a name is whole (北沙河村, not 沙河村) and never joined
    to the word before it.  Category uses (文明村) are left out."""
    if not gazetteer.villages:
        return []
    spans: list[tuple[int, int]] = []
    for m in _VILLAGE_SUFFIX_RE.finditer(text):
        s_start, end = m.start(), m.end()
        follower = text[end : end + 1]
        if m.group(0) == "村" and follower and follower in _FOLLOWERS["村"]:
            continue
        low = _cjk_run_start(text, s_start)
        if spans and spans[-1][1] > low:
            low = spans[-1][1]
        for start in range(low, s_start - 1):
            name = text[start:end]
            if name not in gazetteer.villages:
                continue
            # Right after a division's suffix (某某镇由桥村) a name starts
            # whatever its first character; elsewhere at a word boundary and
            # not with a grammar word (在大桥村 → 大桥村).
            after_suffix = text[start - 1 : start] in _DIVISION_ENDS
            if not after_suffix and (
                text[start] in _LEFT_STOPS
                or not (
                    start == low
                    or start in words.bounds
                    or text[start - 1] in _LEFT_STOPS
                )
            ):
                continue
            if not _is_category(text, start, s_start, end) and not _suffix_in_word(
                text, s_start, words
            ):
                spans.append((start, end))
            break
    return spans


def _suffix_in_word(text: str, s_start: int, words: "_Words") -> bool:
    """乡村, 农村: the suffix ends an ordinary word begun before it."""
    if s_start in words.bounds:
        return False
    word = text[words.before(s_start) : s_start + 1]
    return len(word) == 2 and is_common_word(word, min_frequency=1000)


def _rule_candidates(text, gazetteer, covered, by_end):
    """(start, end, name, kind) for names ending in a place suffix that the
    data does not hold."""
    taken = -1
    out = []
    for m in _SUFFIX_RE.finditer(text):
        s_start, end, suffix = m.start(), m.end(), m.group(0)
        if covered[s_start] or covered[end - 1] or s_start < taken:
            continue
        follower = text[end : end + 1]
        if follower and follower in _FOLLOWERS.get(suffix[-1], ()):
            continue
        # The run of Chinese characters before the suffix, up to a name
        # found already.
        low = _cjk_run_start(text, s_start)
        if True in covered[low:s_start]:
            low = s_start - covered[low:s_start][::-1].index(True)
        found = _ruled_name(text, low, s_start, end, suffix, gazetteer, by_end)
        if found:
            start, name_end = found
            taken = name_end
            out.append((start, name_end, text[start:name_end], SUFFIX_KINDS[suffix]))
    return out


def _cjk_run_start(text: str, end: int) -> int:
    """Where the run of up to six Chinese characters ending at `end` starts
    (`end` when text[end - 1] is none)."""
    run = _CJK_TAIL_RE.search(text, max(0, end - 6), end)
    return run.start() if run else end


def _is_category(text: str, start: int, s_start: int, end: int) -> bool:
    stem = text[start:s_start]
    if stem in _CATEGORY_STEMS:
        return True
    if text[start - 1 : start] == "“" and text[end : end + 1] == "”":
        return True  # “网红村”: a name for a kind of village
    return (
        text[max(0, start - 2) : start] in _CATEGORY_BEFORE
        or text[end : end + 2] in _CATEGORY_AFTER
    )


def _ruled_name(text, low, s_start, end, suffix, gazetteer, by_end):
    """A name the data does not hold: only with evidence around it."""
    i = s_start
    limit = 1 if suffix == "家庄" else 4
    while i > low and s_start - i < limit and text[i - 1] not in _LEFT_STOPS:
        i -= 1
    stem = _name_stem(text[i:s_start])
    if suffix == "家庄":
        if len(stem) != 1:
            return None
    elif len(stem) < 2 or stem[0] in "省市县区镇乡村" or stem[-1] in "省市县区镇乡村":
        return None
    if stem in _CATEGORY_STEMS:
        return None
    start = s_start - len(stem)
    kind = SUFFIX_KINDS[suffix]
    if any(text[t:end] in gazetteer.places for t in range(start + 1, s_start)):
        return None  # a known name with a character joined on (阳五龙洞镇)
    before = by_end.get(start)
    if before is not None and before.kind in _PARENT_KINDS[kind]:
        return start, end  # 某某镇石门村, 某县某家庄: printed under its parent
    if kind in ("town", "township") and (
        text[start - 1 : start] == "原" or _village_follows(text, end, gazetteer)
    ):
        return start, end  # 原某某乡 (merged since), 某某乡某某村
    return None


def _village_follows(text: str, end: int, gazetteer: Gazetteer) -> bool:
    for length in range(3, 8):
        if text[end : end + length] in gazetteer.villages:
            return True
    return False


@lru_cache(maxsize=1 << 14)  # a few characters, met again and again
def _name_stem(run: str) -> str:
    """The part of a run of characters before a suffix that can be a name:
    the trailing words that are not common words (选配好 → none, 磁窑 → 磁窑)."""
    if not run:
        return ""
    stem: list[str] = []
    for word in reversed(cut(run, hmm=False)):
        if len(word) >= 2 and is_common_word(word):
            break
        stem.insert(0, word)
        if len("".join(stem)) >= 2 and not all(len(w) == 1 for w in stem):
            break
    result = "".join(stem)
    return result if len(result) <= 4 else ""
