"""jieba's dictionary, asked the questions the parser needs answered."""

from functools import lru_cache

import jieba
import jieba.posseg

try:  # jieba's dictionary and algorithm in Rust: same words, ~20x faster.
    import rjieba
except ImportError:  # pragma: no cover - the pure-Python jieba does the same
    rjieba = None

jieba.setLogLevel(60)


def cut(text: str, *, hmm: bool = True) -> list[str]:
    """jieba's word segmentation (rjieba when installed)."""
    if rjieba is not None:
        return rjieba.cut(text, hmm=hmm)
    return jieba.lcut(text, HMM=hmm)


def word_tag(word: str) -> str | None:
    """jieba's part-of-speech tag for a dictionary word (ns = place name,
    nr = person name …), None for words it does not know."""
    return jieba.posseg.dt.word_tag_tab.get(word)


def word_frequency(word: str) -> int:
    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(word, 0)


@lru_cache(maxsize=1 << 16)  # asked of the same words page after page
def is_common_word(word: str, *, min_frequency: int = 0) -> bool:
    """A dictionary word that is not a proper name (贫困, 行政, 居民 …)."""
    tag = word_tag(word)
    if tag is None or tag.startswith(("ns", "nr", "nz")):
        return False
    return word_frequency(word) >= min_frequency


def reads_on(left: str, right: str) -> bool:
    """A word runs across the break between two printed lines: the text
    goes on (县委宣传部副部 / 长…), it did not end at the first."""
    a, b = _flat(left)[-4:], _flat(right)[:4]
    if not a or not b:
        return False
    edge = len(a)
    pos = 0
    for word in cut(a + b):
        end = pos + len(word)
        if pos < edge < end and len(word) >= 2:
            return True
        pos = end
    return False


def _flat(text: str) -> str:
    return "".join(text.split())


# Parts of speech a phrase does not end with: adverbs, prepositions,
# conjunctions, particles, pronouns (…也分别 / 成立了…).
_DANGLING_TAGS = ("d", "p", "c", "u", "r")


def ends_dangling(text: str) -> bool:
    """The text stops on a word that needs more after it."""
    words = cut(text)
    if not words:
        return False
    tag = word_tag(words[-1]) or ""
    return tag.startswith(_DANGLING_TAGS)
