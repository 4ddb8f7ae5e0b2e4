"""Full-text search that misses nothing: the one module that knows how text is
tokenised and how each database indexes and queries it.

Tokens.  Text is NFKC-normalised and lower-cased, whitespace runs become one
space.  Every character offset gets exactly one token: the two characters
starting there (a bigram), or the character alone when a space or the end
follows it, or a filler token where the text has a space.  Because positions
are character offsets, a substring query is an exact phrase of the bigrams it
contains (`车间里` is `车间` then `间里` one position later, and `车间。间里`
cannot match: its `间里` is three positions on).  A one-character query is a
prefix query: every occurrence of `县` starts some token.  Digits, Latin
letters and punctuation are characters like any other, so `150` finds `1500`
and `PM2.5` finds `PM2.5` — recall and precision against plain substring
matching are both exact.

Backends.  PostgreSQL keeps each chunk's tokens in a `tsvector` with explicit
positions (GIN index, phrase `tsquery`).  It caps positions at 16,383 and keeps
at most 256 positions per lexeme, so articles are indexed in chunks of at most
`CHUNK` characters that overlap by `MAX_TERM` characters (no term longer than
that can straddle a cut unseen).  Chunks are kept small because checking a
phrase's positions means reading the whole tsvector of each candidate chunk.  SQLite keeps the same tokens, space-joined,
in an FTS5 table whose 'ascii' tokenizer splits only at ASCII spaces and
punctuation; ASCII punctuation is mapped into the Private Use Area first, and
the filler keeps FTS5's token positions equal to character offsets.
"""

import html
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from .models import Article, SearchChunk

MAX_TERM = 64  # longest query term, in characters
MAX_TERMS = 10
CHUNK = 2000
FILLER = "\ue0ff"
_PUA_BASE = 0xE000
_SPACES = re.compile(r"\s+")
_PUA = re.compile("[\ue000-\uf8ff]")


class QueryError(ValueError):
    """A query the engine will not run; the message says why, in Chinese."""


# --- tokens -------------------------------------------------------------------


def normalize(text: str) -> str:
    """NFKC, lower case, one space for any run of whitespace."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _PUA.sub(" ", text.replace("\x00", " "))
    return _SPACES.sub(" ", text).strip()


# FTS5's ascii tokenizer would split at ASCII punctuation: move it to the
# Private Use Area, one code point each, so it stays inside its token.  (So
# no token holds a quote or backslash either.)
_ENCODING = {c: _PUA_BASE + c for c in range(128) if not chr(c).isalnum()}
del _ENCODING[ord(" ")]


def _encode(text: str) -> str:
    return text.translate(_ENCODING)


def index_tokens(norm: str) -> list[str]:
    """One token per character offset of normalised text (see module doc)."""
    if not norm:
        return []
    enc = _encode(norm)
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
    tokens: tuple[str, ...]  # relative positions 0..n-1; '' = skip
    prefix: bool = False  # the last token matches any token it starts

    @property
    def exact_tokens(self) -> list[str]:
        """The tokens matched whole (not the prefix, not fillers)."""
        end = -1 if self.prefix else None
        return [t for t in self.tokens[:end] if t != FILLER]


def make_term(text: str) -> Term:
    norm = normalize(text)
    if len(norm) == 1:
        return Term(norm, (_encode(norm),), prefix=True)
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


_QUERY_RE = re.compile(r'(-?)"([^"]*)"|(\S+)')


def parse_query(raw: str) -> ParsedQuery:
    """`扶贫 车间 "主题 党日" -交城` → AND terms, quoted phrases, exclusions.

    Full-width spaces, quotes and minus signs count as their ASCII forms
    (the query is NFKC-normalised like the index)."""
    text = unicodedata.normalize("NFKC", raw or "").replace("\x00", " ")
    text = text.replace("“", '"').replace("”", '"').replace("－", "-")
    query = ParsedQuery()
    seen: set[tuple[bool, str]] = set()
    for match in _QUERY_RE.finditer(text):
        negative = bool(match.group(1))
        phrase = match.group(2) if match.group(2) is not None else match.group(3)
        if phrase.startswith("-") and match.group(3) is not None:
            negative, phrase = True, phrase[1:]
        phrase = phrase.strip('"')
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


# --- what is indexed ------------------------------------------------------------


def article_texts(article: Article) -> tuple[str, str]:
    """(title text, body text) of an article as the index sees them."""
    title = " ".join(
        p for p in (article.kicker, article.headline, article.subtitle) if p
    )
    captions = [c.text for c in article.captions.all()]
    names = [b.person.name for b in article.bylines.all()]
    body = " ".join(p for p in (article.body, *captions, *names) if p)
    return normalize(title), normalize(body)


def chunks(norm: str) -> list[str]:
    """Pieces of at most CHUNK characters overlapping by MAX_TERM, split
    further where one token would repeat more than PostgreSQL keeps."""
    if len(norm) <= CHUNK:
        pieces = [norm]
    else:
        step = CHUNK - MAX_TERM
        pieces = [norm[i : i + CHUNK] for i in range(0, len(norm) - MAX_TERM, step)]
    out = []
    for piece in pieces:
        out.extend(_split_dense(piece))
    return [p for p in out if p.strip()]


def _split_dense(piece: str) -> list[str]:
    counts = Counter(zip(piece, piece[1:], strict=False)).most_common(1)
    if not counts or counts[0][1] <= 250 or len(piece) <= 2 * MAX_TERM:
        return [piece]
    half = len(piece) // 2
    return _split_dense(piece[: half + MAX_TERM]) + _split_dense(piece[half:])


def _tsvector(norm: str) -> str:
    """The tsvector literal of a chunk: each token at its offset (1-based).
    Tokens need no quoting inside '…': they hold no ASCII punctuation."""
    entries: dict[str, str] = {}
    for i, token in enumerate(index_tokens(norm), start=1):
        entry = entries.get(token)
        entries[token] = f"{entry},{i}" if entry else f"'{token}':{i}"
    entries.pop(FILLER, None)
    return " ".join(entries.values())


def _quote(token: str) -> str:
    return token.replace("\\", "\\\\").replace("'", "''")


# --- keeping the index current ---------------------------------------------------


def index_articles(*, articles: Iterable[Article]) -> None:
    """(Re)index these articles; the services call this whenever they save."""
    articles = list(articles)
    if not articles:
        return
    ids = [a.pk for a in articles]
    fresh = Article.objects.filter(pk__in=ids).prefetch_related(
        "captions", "bylines__person"
    )
    with transaction.atomic():
        index_remove(article_ids=ids)
        rows = []
        for article in fresh:
            title, body = article_texts(article)
            for kind, text in (
                (SearchChunk.Kind.TITLE, title),
                (SearchChunk.Kind.BODY, body),
            ):
                for seq, piece in enumerate(chunks(text) if text else []):
                    rows.append((article.pk, kind, seq, piece))
        _insert(rows)


def _insert(rows: list[tuple[int, str, int, str]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: several times faster than INSERTs for a bulk rebuild.
            with cursor.cursor.copy(
                "COPY articles_searchchunk (article_id, kind, seq, vector) FROM STDIN"
            ) as copy:
                for a, k, s, text in rows:
                    copy.write_row((a, k, s, _tsvector(text)))
        else:
            chunks_ = SearchChunk.objects.bulk_create(
                [SearchChunk(article_id=a, kind=k, seq=s) for a, k, s, _ in rows]
            )
            cursor.executemany(
                "INSERT INTO articles_search_fts (rowid, tokens) VALUES (%s, %s)",
                [
                    (c.pk, " ".join(index_tokens(text)))
                    for c, (_, _, _, text) in zip(chunks_, rows, strict=True)
                ],
            )


def index_remove(*, article_ids: Iterable[int]) -> None:
    ids = list(article_ids)
    if not ids:
        return
    chunk_ids = SearchChunk.objects.filter(article_id__in=ids)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                marks = ",".join(["%s"] * len(part))
                cursor.execute(
                    "DELETE FROM articles_search_fts WHERE rowid IN "
                    f"(SELECT id FROM articles_searchchunk WHERE article_id IN ({marks}))",
                    part,
                )
    chunk_ids.delete()


def rebuild(*, batch: int = 2000, progress=None) -> int:
    """Drop and rebuild the whole index; returns the number of articles.

    On PostgreSQL the GIN indexes are dropped first and created again once
    every chunk is in: building a GIN index in one pass is far faster than
    keeping it current row by row.  All in one transaction: a failed
    rebuild leaves the old index as it was."""
    with transaction.atomic():
        indexes = _drop_gin_indexes()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM articles_search_fts")
        SearchChunk.objects.all().delete()
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            part = ids[start : start + batch]
            index_articles(articles=Article.objects.filter(pk__in=part))
            if progress:
                progress(min(start + batch, len(ids)), len(ids))
        with connection.cursor() as cursor:
            if indexes:
                # Foreign keys are checked at commit; CREATE INDEX refuses a
                # table with checks pending, so run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for definition in indexes:
                cursor.execute(definition)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_searchchunk")
    return len(ids)


def _drop_gin_indexes() -> list[str]:
    """Drop the search table's GIN indexes (PostgreSQL); their definitions."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'articles_searchchunk' AND indexdef LIKE '%%USING gin%%'"
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


# --- matching ---------------------------------------------------------------------


def _tsquery(term: Term) -> str:
    """The phrase of the term's tokens at their relative offsets: a
    two-character term is one lexeme, a one-character term a prefix."""
    parts: list[str] = []
    gap = 1
    for token in term.tokens:
        if token == FILLER:
            gap += 1
            continue
        if parts:
            parts.append("<->" if gap == 1 else f"<{gap}>")
        parts.append(f"'{_quote(token)}'")
        gap = 1
    if term.prefix:
        parts[-1] += ":*"
    return " ".join(parts)


def _fts_match(term: Term) -> str:
    return '"' + " ".join(term.tokens) + '"' + ("*" if term.prefix else "")


def _article_ids_sql(term: Term, kind: str | None = None) -> RawSQL:
    """SQL for the ids of articles that have a chunk matching `term`."""
    where_kind = " AND kind = %s" if kind else ""
    extra = [kind] if kind else []
    if connection.vendor == "postgresql":
        sql = f"SELECT article_id FROM articles_searchchunk WHERE vector @@ %s::tsquery{where_kind}"
        return RawSQL(sql, [_tsquery(term), *extra])
    sql = (
        "SELECT article_id FROM articles_searchchunk WHERE id IN "
        f"(SELECT rowid FROM articles_search_fts WHERE articles_search_fts MATCH %s){where_kind}"
    )
    return RawSQL(sql, [_fts_match(term), *extra])


def chunk_article_ids(term: Term, *, kind: str | None, limit: int) -> list[int]:
    """Ids of articles of any status with a chunk matching `term`, at most
    `limit`, straight from the index: no join for the planner to misjudge
    (its statistics cover all chunks, not the headline ones alone)."""
    ids = _article_ids_sql(term, kind)
    sql, params = ids.sql, ids.params
    with index_plan(), connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s", [*params, limit])
        return list(dict.fromkeys(row[0] for row in cursor.fetchall()))


def _has_chunk_sql(term: Term, kind: str | None = None) -> RawSQL:
    """SQL true when the article of the row in hand has a chunk matching
    `term` (PostgreSQL): a check per article, for walking in date order."""
    where_kind = " AND c.kind = %s" if kind else ""
    return RawSQL(
        "EXISTS (SELECT 1 FROM articles_searchchunk c WHERE "
        f"c.article_id = articles_article.id AND c.vector @@ %s::tsquery{where_kind})",
        [_tsquery(term), *([kind] if kind else [])],
        output_field=BooleanField(),
    )


def matching(
    query: ParsedQuery,
    articles: QuerySet | None = None,
    *,
    kind: str | None = None,
    per_article: bool = False,
) -> QuerySet:
    """The articles (of `articles`, default: published ones) whose text holds
    every term and none of the excluded ones, as substrings; with `kind`,
    the terms must be in that part (the headline block).  `per_article`
    phrases it as a check of each article's own chunks (see walk_plan)."""
    qs = articles if articles is not None else Article.objects.published()
    per_article = per_article and connection.vendor == "postgresql"
    for term in query.terms:
        if per_article:
            qs = qs.filter(_has_chunk_sql(term, kind))
        else:
            qs = qs.filter(pk__in=_article_ids_sql(term, kind))
    for term in query.excluded:
        if per_article:
            qs = qs.exclude(_has_chunk_sql(term))
        else:
            qs = qs.exclude(pk__in=_article_ids_sql(term))
    return qs


# --- ranking and highlighting -----------------------------------------------------


def relevance(article: Article, query: ParsedQuery) -> float:
    """Term frequency with a bonus for covering every term, on clean text."""
    title = normalize(" ".join((article.kicker, article.headline, article.subtitle)))
    body = normalize(article.body)
    score = 0.0
    for term in query.terms:
        score += 3 * title.count(term.text) + min(body.count(term.text), 20) / (
            1 + len(body) / 2000
        )
    return score


def _normalized_map(text: str) -> tuple[str, list[int] | None]:
    """Normalised text (without whitespace folding) and, for each of its
    characters, the index of the source character it came from (None when
    normalising kept every character in place, as for nearly all text)."""
    whole = unicodedata.normalize("NFKC", text).lower()
    if len(whole) == len(text):
        return whole, None
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFKC", ch).lower()
        for n in norm:
            out.append(n)
            origin.append(i)
    return "".join(out), origin


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    norm, origin = _normalized_map(text)
    spans: list[tuple[int, int]] = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        start = norm.find(word)
        while start != -1:
            if origin is None:
                s, e = start, start + len(word)
            else:
                s, e = origin[start], origin[start + len(word) - 1] + 1
            if not any(s < e2 and s2 < e for s2, e2 in spans):
                spans.append((s, e))
            start = norm.find(word, start + 1)
    return sorted(spans)


def highlight(text: str, words: list[str]) -> str:
    """`text` escaped, with every occurrence of the words in <mark>."""
    out, last = [], 0
    for s, e in _spans(text, words):
        out.append(html.escape(text[last:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        last = e
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, words: list[str], width: int = 120) -> str:
    """An escaped stretch of `text` around the first match, matches marked."""
    spans = _spans(text, words)
    if not spans:
        piece = text[:width]
        return html.escape(piece) + ("…" if len(text) > width else "")
    first = spans[0][0]
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    piece = text[start:end]
    marked = highlight(piece, words)
    return ("…" if start else "") + marked + ("…" if end < len(text) else "")


@contextmanager
def index_plan():
    """Run the queries inside on the search index.

    PostgreSQL underestimates what `vector @@ query` costs on a table whose
    tsvectors live out of line (TOAST), and filters every row instead of
    asking the GIN index: 150 ms for a term that is nowhere, growing with the
    archive.  Inside this block it may use only bitmap scans, which is what
    the GIN index offers (2 ms).  SQLite's FTS5 needs no help.
    """
    with _planner_off("seqscan", "indexscan"):
        yield


def estimate_count(queryset: QuerySet) -> int | None:
    """The planner's row estimate for a query (PostgreSQL), else None."""
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


# --- planning -----------------------------------------------------------------------

_STATS_SECONDS = 300
_stats_cache: dict[str, tuple[float, "_LexemeStats | None"]] = {}


@dataclass
class _LexemeStats:
    freqs: dict[str, float]  # share of chunks holding the lexeme
    floor: float  # below the least common lexeme the statistics list
    chunks_per_article: float
    articles: int


def _lexeme_stats() -> "_LexemeStats | None":
    """PostgreSQL's statistics of the index's most common lexemes (ANALYZE
    keeps them in pg_stats), read at most every few minutes."""
    if connection.vendor != "postgresql":
        return None
    key = connection.alias
    now = time.monotonic()
    cached = _stats_cache.get(key)
    if cached and now - cached[0] < _STATS_SECONDS:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs "
            "FROM pg_stats WHERE tablename = 'articles_searchchunk' "
            "AND attname = 'vector'"
        )
        row = cursor.fetchone()
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class "
            "WHERE relname IN ('articles_searchchunk', 'articles_article')"
        )
        tuples = dict(cursor.fetchall())
    stats = None
    articles = tuples.get("articles_article", 0)
    if row and row[0] and articles > 0:
        elems, freqs = row
        stats = _LexemeStats(
            freqs=dict(zip(elems, freqs, strict=False)),
            floor=freqs[len(elems)] / 2,  # after the list: its minimum
            chunks_per_article=max(
                1.0, tuples.get("articles_searchchunk", 0) / articles
            ),
            articles=int(articles),
        )
    _stats_cache[key] = (now, stats)
    return stats


def estimated_share(query: ParsedQuery) -> float | None:
    """The estimated share of articles holding every term, from the
    statistics of the most common lexemes: a term is no commoner than its
    rarest bigram, a one-character term is any lexeme it begins, terms are
    taken as independent.  None without statistics (SQLite, or an index
    never analysed): then plans go by exact counts alone."""
    stats = _lexeme_stats()
    if stats is None or not query.terms:
        return None
    share = 1.0
    for term in query.terms:
        exact = term.exact_tokens
        if not exact:  # one character
            missing = 1.0
            for lexeme, freq in stats.freqs.items():
                if lexeme.startswith(term.tokens[0]):
                    missing *= 1 - freq
            chunk_share = max(1 - missing, stats.floor)
        else:
            chunk_share = min(stats.freqs.get(t, stats.floor) for t in exact)
        share *= min(1.0, chunk_share * stats.chunks_per_article)
    return share


def is_listed(query: ParsedQuery) -> bool:
    """Is every term's rarest bigram among the lexemes the statistics list?
    If not, the term is rarer than all of them, by how much is unknown."""
    stats = _lexeme_stats()
    if stats is None:
        return False
    for term in query.terms:
        exact = term.exact_tokens
        if exact and not all(t in stats.freqs for t in exact):
            return False
        if not exact and not any(t.startswith(term.tokens[0]) for t in stats.freqs):
            return False  # one character that begins no listed lexeme
    return True


def article_total() -> int | None:
    """The planner's idea of how many articles there are (PostgreSQL)."""
    stats = _lexeme_stats()
    return stats.articles if stats else None


@contextmanager
def walk_plan():
    """Run the queries inside by walking articles in order and checking
    each one's own chunks (PostgreSQL): for a term in a large share of the
    archive, a page is found after a few dozen checks, while the GIN index
    would list every match first."""
    with _planner_off("bitmapscan", "seqscan", "hashjoin", "mergejoin"):
        yield


@contextmanager
def _planner_off(*methods: str):
    """A transaction in which PostgreSQL's planner may not use `methods`."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("; ".join(f"SET LOCAL enable_{m} = off" for m in methods))
        yield
