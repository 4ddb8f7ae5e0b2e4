"""Search queries and terms: pure text, no database.

Text is NFKC-normalised and lower-cased, whitespace runs become one space,
and every article is indexed as two rows of `SearchChunk`: its headline block
(kicker, headline, subtitle) and its body (body, captions, byline names),
each holding that normalised text.  A query term matches an article whose
normalised text contains it as a substring — any length from one character,
Chinese, digits, Latin, punctuation alike (`150` finds `1500`, `PM2.5` finds
`PM2.5`): recall and precision against plain substring matching are exact.

This module says what a term is in each engine's index terms — FTS5 tokens
(`index_tokens`, `Term.tokens`) and PostgreSQL lexemes (`lexemes`,
`Term.lexemes`) — as plain functions of text; how each engine stores and
asks for them is in `backends/`.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

MAX_TERM = 64  # longest query term, in characters
MAX_TERMS = 10
FILLER = "\ue0ff"
_PUA_BASE = 0xE000
_SPACES = re.compile(r"\s+")
_PUA = re.compile("[\ue000-\uf8ff]")


class QueryError(ValueError):
    """A query the engine will not run; the message says why, in Chinese."""


# --- tokens -------------------------------------------------------------------


# Quotation marks as pasted from a page, from a Hong Kong or Taiwan text
# (「」『』) or typed on a Western keyboard are one mark to search: the
# reader cannot tell which the page printed.
_QUOTES = {ord(c): '"' for c in "“”„‟「」『』〝〞"} | {ord(c): "'" for c in "‘’‚‛"}


@cache
def folding() -> dict[int, str]:
    """The character table `fold` applies: traditional characters to their
    simplified forms (OpenCC's t2s, character by character) and quotation
    marks to ASCII.  One character to one character, always, so an offset
    in folded text is an offset in the printed text (highlighting relies on
    it).  Built once per process from OpenCC's own dictionary (~30 ms): the
    library is kept current, and a table copied here would not be."""
    import opencc  # only here: importing this module needs no converter

    # Each character on a line of its own, so OpenCC's phrase rules never
    # join two: the table is per character (乾 → 干 in 乾隆 as everywhere;
    # the query folds the same way, so 乾隆 still finds 乾隆).
    chars = [chr(c) for c in range(0x3400, 0xA000)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table = {
        ord(a): b
        for a, b in zip(chars, converted, strict=True)
        if len(b) == 1 and a != b
    }
    return table | _QUOTES


def fold(text: str) -> str:
    """Traditional characters to simplified, curly quotes to straight: the
    last step of `normalize`, one character for one."""
    return text.translate(folding())


def normalize(text: str) -> str:
    """NFKC, lower case, traditional characters folded to simplified and
    quotation marks to ASCII (`fold`), one space for any run of whitespace.
    The index and the query share it: `交城縣` finds `交城县`, and a
    headline printed `車間` is found by `车间`."""
    text = fold(unicodedata.normalize("NFKC", text or "").lower())
    text = _PUA.sub(" ", text.replace("\x00", " "))
    return _SPACES.sub(" ", text).strip()


# FTS5's ascii tokenizer would split at ASCII punctuation: move it to the
# Private Use Area, one code point each, so it stays inside its token.  (So
# no token holds a quote or backslash either.)
_ENCODING = {c: _PUA_BASE + c for c in range(128) if not chr(c).isalnum()}
del _ENCODING[ord(" ")]


def encode(text: str) -> str:
    return text.translate(_ENCODING)


def index_tokens(norm: str) -> list[str]:
    """One token per character offset of normalised text (see module doc)."""
    if not norm:
        return []
    enc = encode(norm)
    tokens = [a + b for a, b in zip(enc, enc[1:], strict=False)]
    tokens.append(enc[-1])
    at = norm.find(" ")
    while at != -1:  # few spaces: mend the tokens around each
        tokens[at] = FILLER
        if at:
            tokens[at - 1] = enc[at - 1]
        at = norm.find(" ", at + 1)
    return tokens


@dataclass(frozen=True)
class Term:
    text: str  # normalised
    tokens: tuple[str, ...]  # FTS5 phrase at relative positions; '' = skip
    prefix: bool = False  # FTS5: the last token matches any token it starts

    @property
    def lexemes(self) -> list[tuple[str, bool]]:
        """The PostgreSQL lexemes every match holds, as (lexeme, is a
        prefix): the term's character pairs, and for a character standing
        alone between spaces a prefix (`乡`: whatever pair it starts in the
        text, or itself at a word's end)."""
        out: list[tuple[str, bool]] = []
        for word in encode(self.text).split(" "):
            found = [(p, False) for p in pairs(word)] if len(word) > 1 else []
            out.extend(x for x in found or [(word, True)] if x not in out)
        return out

    @property
    def proven_by_lexemes(self) -> bool:
        """A match needs no text check: the term is one lexeme."""
        return len(self.text) <= 2 and " " not in self.text


def pairs(word: str) -> list[str]:
    return [a + b for a, b in zip(word, word[1:], strict=False)]


def make_term(text: str) -> Term:
    norm = normalize(text)
    if len(norm) == 1:
        return Term(norm, (encode(norm),), prefix=True)
    tokens = index_tokens(norm)
    if norm[-2] != " ":
        # The last character is covered by the bigram before it.
        return Term(norm, tuple(tokens[:-1]))
    # A space comes before it (`扶贫 县`): it starts whatever token the text
    # has there (`县城`, or `县` alone), so it is a prefix, as in `县` alone.
    return Term(norm, tuple(tokens), prefix=True)


@dataclass
class ParsedQuery:
    terms: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    def __bool__(self):
        return bool(self.terms or self.excluded)

    @property
    def words(self) -> list[str]:
        return [t.text for t in self.terms]

    def without(self, term: Term) -> "ParsedQuery":
        """The query less one of its terms (already checked another way)."""
        return ParsedQuery(
            terms=[t for t in self.terms if t is not term], excluded=self.excluded
        )


_OPENING = '"“「『〝'
_CLOSING = '"”」』〞'
_MINUS = "-－"


def _phrases(text: str):
    """(excluded, text) of each term of a query: whitespace separates
    terms; a quotation mark *at a term's edge* opens a phrase that ends with
    the next term ending in one, spaces included (`"主题 党日"`, `“扶贫车间”`).
    A mark anywhere else, or one never closed, is part of the term: pasted
    text such as `示范村”，全村` or `的“扶贫车间”。` is searched as printed."""
    tokens = text.split()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _MINUS:  # a dash standing alone excludes nothing
            i += 1
            continue
        negative = token[0] in _MINUS
        body = token[1:] if negative else token
        end = None
        if body[:1] in _OPENING:
            if len(body) > 1 and body[-1] in _CLOSING:
                end = i
            else:
                end = next(
                    (j for j in range(i + 1, len(tokens)) if tokens[j][-1] in _CLOSING),
                    None,
                )
        if end is None:
            yield negative, body
            i += 1
            continue
        yield negative, " ".join([body, *tokens[i + 1 : end + 1]])[1:-1]
        i = end + 1


def parse_query(raw: str) -> ParsedQuery:
    """`扶贫 车间 "主题 党日" -交城` → AND terms, quoted phrases, exclusions.

    Full-width spaces, quotes and minus signs count as their ASCII forms
    (the query is NFKC-normalised like the index); a quotation mark inside
    a term is a character to find (see `_phrases`)."""
    text = unicodedata.normalize("NFKC", raw or "").replace("\x00", " ")
    query = ParsedQuery()
    seen: set[tuple[bool, str]] = set()
    for negative, phrase in _phrases(text):
        norm = normalize(phrase)
        if not norm:
            continue
        if len(norm) > MAX_TERM:
            raise QueryError(f"查询词过长（最多 {MAX_TERM} 个字）：{phrase[:20]}…")
        if (negative, norm) in seen:
            continue
        seen.add((negative, norm))
        (query.excluded if negative else query.terms).append(make_term(norm))
    if len(query.terms) + len(query.excluded) > MAX_TERMS:
        raise QueryError(f"查询词太多（最多 {MAX_TERMS} 个）")
    return query


def lexemes(norm: str) -> set[str]:
    """PostgreSQL's index terms for normalised text: every pair of adjacent
    characters, none across a space, and each word's last character alone
    (so every character starts some lexeme, and a one-character term is a
    prefix query)."""
    out: set[str] = set()
    for word in encode(norm).split(" "):
        out.update(pairs(word))
        out.add(word[-1:])
    out.discard("")
    return out
