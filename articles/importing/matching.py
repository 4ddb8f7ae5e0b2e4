"""Which headline goes with which body: the words they share, weighed by how
rare they are on the page, then one headline per body by an optimal
assignment (not a greedy first pick)."""

import math
import operator
import re
from functools import lru_cache
from itertools import compress

import jieba

from .text import compact
from .words import cut

jieba.setLogLevel(60)

STOP_WORDS = frozenset(
    "的 了 在 是 和 与 及 等 为 对 将 把 被 从 到 向 以 于 之 其 这 那 有 也 都 而 并 或 就 但 又 "
    "一个 我们 他们 她们 你们 这个 那个 这些 那些 以及 进行 开展 工作 全面 不断 积极 推进 "
    "通过 加强 实现 提升 坚持 相关 有关 今年 近日 日前 目前 同时 当日 据悉 记者 本报讯 本报".split()
)
_WORD_RE = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z0-9.]{2,}")


@lru_cache(maxsize=4096)
def content_words(text: str) -> tuple[str, ...]:
    """The words of a headline or caption worth matching on."""
    words = []
    # Spaces in a headline separate phrases (守初心 担使命): cut each alone.
    for phrase in text.split():
        for word in cut(compact(phrase)):
            if _WORD_RE.fullmatch(word) and word not in STOP_WORDS:
                words.append(word)
    return tuple(dict.fromkeys(words))


_NOT_GRAM_RE = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")


def _gram_text(text: str) -> str:
    """The text's letters and digits run together: its bigrams are the
    pairs of neighbours in this."""
    return _NOT_GRAM_RE.sub("", compact(text))


def _bigrams(text: str) -> set[str]:
    flat = _gram_text(text)
    # Each character joined to the next (flat[i] + flat[i + 1]), built in C.
    return set(map(operator.add, flat, flat[1:]))


class Matcher:
    """Scores short texts (headlines, captions) against the page's bodies."""

    def __init__(self, bodies: list[str], *, like: "Matcher | None" = None):
        """`like`: a matcher made earlier for the same page, whose work on
        the bodies that are still the same is taken over.  The bodies are
        prepared (compacted, their bigrams collected) at the first score, so
        a page with nothing to score never pays for it."""
        self._raw = bodies
        self._like = like
        self._prepared: dict[str, tuple[str, set[str]]] | None = None
        # Headlines and captions are scored again and again as they are
        # joined, split and weighed: each text once a page, each word too.
        self._scored: dict[str, list[float]] = {}
        self._idfs: dict[str, float] = {}

    def _prepare(self) -> None:
        like = self._like
        known = like._prepared if like is not None and like._prepared else {}
        self._prepared = {}
        for body in self._raw:
            if body not in self._prepared:
                if body in known:
                    self._prepared[body] = known[body]
                else:
                    flat = compact(body)
                    self._prepared[body] = (flat, _bigrams(flat))
        self.bodies = [self._prepared[b][0] for b in self._raw]
        self._body_grams = [self._prepared[b][1] for b in self._raw]
        self._like = None  # (taken over: no need to keep it alive)

    def _idf(self, word: str) -> float:
        if word not in self._idfs:
            # A word no body has is as telling as one that only one body
            # has: it should not outweigh the words that do match.
            df = max(1, sum(1 for body in self.bodies if word in body))
            self._idfs[word] = math.log((len(self.bodies) + 1) / (df + 0.5)) + 0.1
        return self._idfs[word]

    def score(self, text: str, body_index: int) -> float:
        """0..1: how much of `text` the body `body_index` accounts for."""
        return self.scores(text)[body_index]

    def scores(self, text: str) -> list[float]:
        """`score` against every body, as a list of the caller's own."""
        if self._prepared is None:
            self._prepare()
        if text not in self._scored:
            self._scored[text] = self._score(text)
        return list(self._scored[text])

    def _score(self, text: str) -> list[float]:
        # The text's words, their weights and its bigrams are the same for
        # every body: worked out once.
        words = content_words(text)
        weights = {w: len(w) * self._idf(w) for w in words} if words else {}
        total = sum(weights.values())
        grams = _bigrams(text)
        out = []
        for body, body_grams in zip(self.bodies, self._body_grams, strict=True):
            word_score = 0.0
            if words:
                # The weights of the words the body has, added in order.
                found = compress(weights.values(), map(body.__contains__, weights))
                word_score = sum(found) / total
            shared = len(grams & body_grams)
            gram_score = shared / len(grams) if grams else 0.0
            out.append(0.7 * word_score + 0.3 * gram_score)
        return out


def assign(scores: list[list[float]], threshold: float) -> dict[int, int]:
    """Optimal one-to-one assignment of rows (headlines) to columns (bodies)
    maximising the total score; pairs under `threshold` are never made.
    Returns {row: column}."""
    rows = len(scores)
    cols = len(scores[0]) if rows else 0
    if not rows or not cols:
        return {}
    # Each row may also stay unassigned: add one dummy column per row.
    size = max(rows, cols + rows)
    big = 1e6
    cost = [[0.0] * size for _ in range(size)]
    for r in range(size):
        for c in range(size):
            if r < rows and c < cols:
                s = scores[r][c]
                cost[r][c] = -s if s >= threshold else big
            else:
                cost[r][c] = 0.0
    match = _hungarian(cost)
    return {
        r: c
        for r, c in enumerate(match[:rows])
        if c < cols and scores[r][c] >= threshold
    }


def _hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost perfect matching on a square matrix (Kuhn-Munkres,
    O(n^3)); returns the column chosen for each row."""
    n = len(cost)
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    p = [0] * (n + 1)
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    result = [0] * n
    for j in range(1, n + 1):
        if p[j]:
            result[p[j] - 1] = j - 1
    return result
