"""Reading what readers type, for the public site: names suggested as they
type (Chinese or pinyin), the Chinese a pinyin query stands for, and what
to try when a search finds nothing.  Reads only (`NameKey` and
`HeadlineWord` are kept by services/names.py and search/index.py); every
lookup is a prefix lookup on an index, and none counts articles."""

from dataclasses import dataclass
from functools import cache

from django.urls import reverse

from . import search
from .models import Article, HeadlineWord, NameKey
from .search.pinyin import looks_like_pinyin, read_prefix, typed_key

MAX_SUGGESTIONS = 8
MAX_KEY = 40  # longer input is no name being typed
_CANDIDATES = 200  # rows read per prefix lookup


@dataclass(frozen=True)
class Suggestion:
    kind: str  # person, place, program, tag
    kind_label: str  # 人物 …
    name: str
    detail: str  # a place's parent, a person's affiliation
    url: str
    count: int  # published articles, as the entity's page counts them


def _key(text: str) -> str:
    """The key a typed text is looked up by: normalised Chinese, or pinyin
    without spaces."""
    norm = search.normalize(text)
    return typed_key(norm) if looks_like_pinyin(norm) else norm


def _prefixed(model, prefix: str):
    return search.backend().prefix_filter(model.objects.all(), "key", prefix)


def suggest(text: str) -> list[Suggestion]:
    """People, places, programs and tags with a public page whose name, an
    alias, or their pinyin (full or initials) starts with `text`; most
    articles first."""
    key = _key(text)
    if not key or len(key) > MAX_KEY:
        return []
    rows = (
        _prefixed(NameKey, key)
        .order_by("-article_count", "name", "kind", "object_id")
        .values_list("kind", "object_id", "name", "detail", "slug", "article_count")
    )
    labels = dict(NameKey.Kind.choices)
    found: dict[tuple[str, int], Suggestion] = {}
    for kind, pk, name, detail, slug, count in rows[: MAX_SUGGESTIONS * 8]:
        if (kind, pk) in found:
            continue
        found[(kind, pk)] = Suggestion(
            kind=kind,
            kind_label=labels[kind],
            name=name,
            detail=detail,
            url=reverse(f"articles:{kind}_detail", args=[slug]),
            count=count,
        )
        if len(found) == MAX_SUGGESTIONS:
            break
    return list(found.values())


def _has_results(query_text: str, articles=None) -> bool:
    try:
        query = search.parse_query(query_text)
    except search.QueryError:
        return False
    if not query.terms:
        return False
    base = articles if articles is not None else Article.objects.published()
    return bool(search.backend().some_matching(query, base, limit=1))


def pinyin_readings(text: str, limit: int = 5) -> list[str]:
    """The Chinese a pinyin query may stand for, likeliest first: the
    names of people, places, programs and tags it reads (most articles
    first), then headline words.  `jiaocheng`, `jiao cheng`, `jc` → 交城;
    each space-separated part is read alone when the whole reads nothing
    (`fupin chejian` → 扶贫 车间)."""
    norm = search.normalize(text)
    if not looks_like_pinyin(norm):
        return []
    found = _readings(typed_key(norm), limit)
    if found or " " not in norm:
        return found
    parts = [_readings(typed_key(p), 1) for p in norm.split()]
    if all(parts):
        return [" ".join(p[0] for p in parts)]
    return []


def _readings(key: str, limit: int) -> list[str]:
    if not key or len(key) > MAX_KEY:
        return []
    weights: dict[str, int] = {}
    names = (
        _prefixed(NameKey, key)
        .order_by("-article_count")
        .values_list("text", "article_count")
    )
    for text, count in names[:_CANDIDATES]:
        n = read_prefix(text, key)
        if n:
            weights[text[:n]] = max(weights.get(text[:n], 0), count + 1)
    words = _prefixed(HeadlineWord, key).order_by("word").values_list("word", flat=True)
    for word in words[:_CANDIDATES]:
        n = read_prefix(word, key)
        if n:
            weights.setdefault(word[:n], 0)
    ranked = sorted(weights, key=lambda w: (-weights[w], len(w), w))
    return ranked[:limit]


def pinyin_reading_with_results(text: str, articles=None) -> str | None:
    """The likeliest Chinese reading of a pinyin query that finds articles."""
    for reading in pinyin_readings(text):
        if _has_results(reading, articles):
            return reading
    return None


# --- when a search finds nothing ---------------------------------------------------


@dataclass(frozen=True)
class Hint:
    label: str  # what it is, in Chinese
    query: str  # the query to try


def _query_text(terms: list[str]) -> str:
    return " ".join(f'"{t}"' if " " in t else t for t in terms)


def zero_result_hints(raw: str, query, articles=None) -> list[Hint]:
    """What to try instead of a query that found nothing, each tried first:
    the query without its rarest term, a mainland reading of Taiwan or Hong
    Kong wording, a pinyin reading, a name one character away."""
    base = articles if articles is not None else Article.objects.published()
    hints: list[Hint] = []
    words = query.words
    if len(words) > 1:
        rarest = min(
            query.terms,
            key=lambda t: len(
                search.backend().some_matching(
                    search.ParsedQuery(terms=[t]), base, limit=1000
                )
            ),
        )
        rest = _query_text([w for w in words if w != rarest.text])
        if _has_results(rest, base):
            hints.append(Hint(f"去掉最少见的“{rarest.text}”", rest))
    for converted in _mainland_readings(raw):
        if _has_results(converted, base):
            hints.append(Hint("按大陆简体用词", converted))
            break
    reading = pinyin_reading_with_results(raw, base)
    if reading:
        hints.append(Hint("按拼音", reading))
    for word in words:
        for name in near_names(word):
            replaced = _query_text([name if w == word else w for w in words])
            if _has_results(replaced, base):
                hints.append(Hint("相近的名称", replaced))
                break
    seen, unique = set(), []
    for hint in hints:
        if hint.query not in seen and search.normalize(hint.query) != search.normalize(
            raw
        ):
            seen.add(hint.query)
            unique.append(hint)
    return unique


@cache
def _converters():
    import opencc

    # Phrase-level (软體 → 软件, 資訊 → 信息): more than the character
    # folding every query gets.
    return [opencc.OpenCC("tw2sp"), opencc.OpenCC("hk2s")]


def _mainland_readings(raw: str) -> list[str]:
    norm = search.normalize(raw)
    out = []
    for converter in _converters():
        converted = search.normalize(converter.convert(raw))
        if converted != norm and converted not in out:
            out.append(converted)
    return out


def near_names(word: str, limit: int = 3) -> list[str]:
    """Public names (and aliases) one edit from `word` (a character added,
    dropped or changed), most articles first.  Candidates come from two
    prefix lookups — names starting with its first character, or with its
    second (the first one extra or wrong)."""
    if not 2 <= len(word) <= 20 or looks_like_pinyin(word):
        return []
    weights: dict[str, int] = {}
    for prefix in {word[:1], word[1:2]}:
        rows = (
            _prefixed(NameKey, prefix)
            .order_by("-article_count")
            .values_list("text", "article_count")
        )
        for text, count in rows[: _CANDIDATES * 5]:
            if text != word and _one_edit(text, word):
                weights[text] = max(weights.get(text, 0), count)
    return sorted(weights, key=lambda t: (-weights[t], t))[:limit]


def _one_edit(a: str, b: str) -> bool:
    """Levenshtein distance exactly 1 (`a` != `b`)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long)):
        if long[:i] + long[i + 1 :] == short:
            return True
    return False
