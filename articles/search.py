"""Full-text search that misses nothing: the one module that knows how text is
tokenised and how each database indexes and queries it.

Text is NFKC-normalised and lower-cased, whitespace runs become one space,
and every article is indexed as two rows of `SearchChunk`: its headline block
(kicker, headline, subtitle) and its body (body, captions, byline names),
each holding that normalised text.  A query term matches an article whose
normalised text contains it as a substring — any length from one character,
Chinese, digits, Latin, punctuation alike (`150` finds `1500`, `PM2.5` finds
`PM2.5`): recall and precision against plain substring matching are exact.

PostgreSQL.  Each row has a `tsvector` of its distinct characters and
character pairs (bigrams; none across a space), without positions, under a
GIN index.  A term asks for every character pair it contains (a lone
character for itself), which the GIN index answers alone; then the stored
text is checked with `strpos`, so `车间。间里` can never match `车间里`.  A
one-character or two-character term is a single lexeme and needs no check.
Positions are not kept because checking them means unpacking each
candidate's whole tsvector (about 0.1 ms), while `strpos` on its text is a
few microseconds; and a vector without positions has no length limits, so
articles need no splitting.  The same text check, without the index, is how
the archive is walked newest first for a term found in much of it.

SQLite.  An FTS5 table holds each row's tokens with positions: one token per
character offset — the bigram starting there, the character alone before a
space or the end, or a filler where the text has a space — so a substring
query is an exact phrase of its bigrams, and a one-character query a
prefix query.  Its 'ascii' tokenizer splits only at ASCII spaces and
punctuation; ASCII punctuation is mapped into the Private Use Area first.
"""

import html
import re
import time
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from .models import Article, SearchChunk

MAX_TERM = 64  # longest query term, in characters
MAX_TERMS = 10
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
    tokens: tuple[str, ...]  # FTS5 phrase at relative positions; '' = skip
    prefix: bool = False  # FTS5: the last token matches any token it starts

    @property
    def lexemes(self) -> list[tuple[str, bool]]:
        """The PostgreSQL lexemes every match holds, as (lexeme, is a
        prefix): the term's character pairs, and for a character standing
        alone between spaces a prefix (`乡`: whatever pair it starts in the
        text, or itself at a word's end)."""
        out: list[tuple[str, bool]] = []
        for word in _encode(self.text).split(" "):
            found = [(p, False) for p in _pairs(word)] if len(word) > 1 else []
            out.extend(x for x in found or [(word, True)] if x not in out)
        return out

    @property
    def proven_by_lexemes(self) -> bool:
        """A match needs no text check: the term is one lexeme."""
        return len(self.text) <= 2 and " " not in self.text


def _pairs(word: str) -> list[str]:
    return [a + b for a, b in zip(word, word[1:], strict=False)]


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

    def without(self, term: Term) -> "ParsedQuery":
        """The query less one of its terms (already checked another way)."""
        return ParsedQuery(
            terms=[t for t in self.terms if t is not term], excluded=self.excluded
        )


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


def lexemes(norm: str) -> set[str]:
    """PostgreSQL's index terms for normalised text: every pair of adjacent
    characters, none across a space, and each word's last character alone
    (so every character starts some lexeme, and a one-character term is a
    prefix query)."""
    out: set[str] = set()
    for word in _encode(norm).split(" "):
        out.update(_pairs(word))
        out.add(word[-1:])
    out.discard("")
    return out


def _tsvector(norm: str) -> str:
    """The tsvector literal of a text's lexemes.  They need no escaping
    inside '…': ASCII punctuation, quotes included, was encoded away."""
    return " ".join(f"'{lexeme}'" for lexeme in lexemes(norm))


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
            if title:
                rows.append((article.pk, SearchChunk.Kind.TITLE, title))
            if body:
                rows.append((article.pk, SearchChunk.Kind.BODY, body))
        _insert(rows)


def _insert(rows: list[tuple[int, str, str]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: several times faster than INSERTs for a bulk rebuild.
            with cursor.cursor.copy(
                "COPY articles_searchchunk (article_id, kind, text, vector) FROM STDIN"
            ) as copy:
                for article_id, kind, text in rows:
                    copy.write_row((article_id, kind, text, _tsvector(text)))
        else:
            chunks_ = SearchChunk.objects.bulk_create(
                [SearchChunk(article_id=a, kind=k, text=t) for a, k, t in rows]
            )
            cursor.executemany(
                "INSERT INTO articles_search_fts (rowid, tokens) VALUES (%s, %s)",
                [(c.pk, " ".join(index_tokens(c.text))) for c in chunks_],
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
    every row is in: building a GIN index in one pass is far faster than
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
    """Every lexeme of the term (PostgreSQL): what the GIN index answers."""
    return " & ".join(
        f"'{_quote(lexeme)}'" + (":*" if prefix else "")
        for lexeme, prefix in term.lexemes
    )


def _fts_match(term: Term) -> str:
    return '"' + " ".join(term.tokens) + '"' + ("*" if term.prefix else "")


def _chunk_where(term: Term, kind: str | None) -> tuple[str, list]:
    """Conditions on a search row matching `term` through the index."""
    if connection.vendor == "postgresql":
        sql, params = "vector @@ %s::tsquery", [_tsquery(term)]
        if not term.proven_by_lexemes:
            sql += " AND strpos(text, %s) > 0"
            params.append(term.text)
    else:
        sql = (
            "id IN (SELECT rowid FROM articles_search_fts "
            "WHERE articles_search_fts MATCH %s)"
        )
        params = [_fts_match(term)]
    if kind:
        sql += " AND kind = %s"
        params.append(kind)
    return sql, params


def _article_ids_sql(term: Term, kind: str | None = None) -> RawSQL:
    """SQL for the ids of articles with a row matching `term`."""
    where, params = _chunk_where(term, kind)
    return RawSQL(f"SELECT article_id FROM articles_searchchunk WHERE {where}", params)


def chunk_article_ids(term: Term, *, kind: str | None, limit: int) -> list[int]:
    """Ids of articles of any status with a row matching `term`, at most
    `limit`, straight from the index: no join for the planner to misjudge
    (its statistics cover all rows, not the headline ones alone)."""
    ids = _article_ids_sql(term, kind)
    with index_plan(), connection.cursor() as cursor:
        cursor.execute(f"{ids.sql} LIMIT %s", [*ids.params, limit])
        return list(dict.fromkeys(row[0] for row in cursor.fetchall()))


def _has_text_sql(term: Term, kind: str | None, outer: str) -> tuple[str, list]:
    """SQL true when the article `outer`.id has a row whose text holds
    `term` (PostgreSQL): a check of one article's own text, no index."""
    where_kind = " AND c.kind = %s" if kind else ""
    return (
        "EXISTS (SELECT 1 FROM articles_searchchunk c WHERE "
        f"c.article_id = {outer}.id AND strpos(c.text, %s) > 0{where_kind})",
        [term.text, *([kind] if kind else [])],
    )


def _text_checks(query: ParsedQuery, kind: str | None, outer: str) -> tuple[str, list]:
    """SQL true when the article `outer`.id holds every term (in `kind`)
    and none of the excluded ones, read from its own text (PostgreSQL)."""
    checks, params = [], []
    for term in query.terms:
        sql, p = _has_text_sql(term, kind, outer)
        checks.append(sql)
        params += p
    for term in query.excluded:
        sql, p = _has_text_sql(term, None, outer)
        checks.append(f"NOT {sql}")
        params += p
    return " AND ".join(checks) or "TRUE", params


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
    phrases it as a check of each article's own text (PostgreSQL), for a
    few candidates the caller already has."""
    qs = articles if articles is not None else Article.objects.published()
    if per_article and connection.vendor == "postgresql":
        sql, params = _text_checks(query, kind, Article._meta.db_table)
        return qs.filter(RawSQL(sql, params, output_field=BooleanField()))
    for term in query.terms:
        qs = qs.filter(pk__in=_article_ids_sql(term, kind))
    for term in query.excluded:
        qs = qs.exclude(pk__in=_article_ids_sql(term))
    return qs


def some_matching(query: ParsedQuery, articles: QuerySet, *, limit: int) -> list[int]:
    """Ids of up to `limit` matches in `articles`, in the order the index
    gives them, reading only as many candidates as that takes.

    `matching(...)[:limit]` would be planned as a set of every candidate
    row, each checked on its text, before the first id comes out (450 ms
    for a term in 30,000 articles).  Here the index's rows for one term
    drive the statement, each candidate's article is checked against the
    filters and the other terms, and the statement stops at `limit`."""
    if connection.vendor != "postgresql" or not query.terms:
        ids = matching(query, articles).order_by().values_list("pk", flat=True)
        return list(ids[:limit])
    # The longest term has the most lexemes: as a rule the fewest candidates.
    lead = max(query.terms, key=lambda t: len(t.text))
    lead_ids = _article_ids_sql(lead)
    inner, inner_params = articles.order_by().values("id").query.sql_with_params()
    checks, check_params = _text_checks(query.without(lead), None, "m")
    sql = (
        f"SELECT m.id FROM ({lead_ids.sql}) AS m(id) "
        f"WHERE m.id IN ({inner}) AND {checks} LIMIT %s"
    )
    with index_plan(), connection.cursor() as cursor:
        # An article's headline block and body may both match: twice the rows.
        cursor.execute(sql, [*lead_ids.params, *inner_params, *check_params, 2 * limit])
        found = dict.fromkeys(row[0] for row in cursor.fetchall())
    return list(found)[:limit]


def walk(
    ordered: QuerySet,
    query: ParsedQuery,
    *,
    offset: int,
    size: int,
    bound: int,
    kind: str | None = None,
) -> tuple[list[int], bool]:
    """A page of the matches among the first `bound` articles of `ordered`
    (a queryset ordered by date), found by reading each one's text in that
    order — no index: for a term in a good share of the archive a page is
    found after a few hundred articles.  Returns the ids and whether the
    walk reached `bound` (then more matches may lie beyond).  SQLite's
    FTS5 lists matches cheaply: there it is one indexed query, never cut."""
    if connection.vendor != "postgresql":
        ids = matching(query, ordered, kind=kind).values_list("pk", flat=True)
        return list(ids[offset : offset + size]), False
    order = ordered.query.order_by
    inner, params = ordered.values("id", "pub_date")[:bound].query.sql_with_params()
    checks, check_params = _text_checks(query, kind, "w")
    direction = "DESC" if order and str(order[0]).startswith("-") else "ASC"
    sql = (
        f"SELECT w.id FROM ({inner}) w WHERE {checks} "
        f"ORDER BY w.pub_date {direction}, w.id {direction} LIMIT %s OFFSET %s"
    )
    with walk_plan(), connection.cursor() as cursor:
        cursor.execute(sql, [*params, *check_params, size, offset])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) == size:
        return ids, False
    # Short: either the matches ran out, or the walk stopped at `bound`.
    return ids, ordered.order_by()[bound : bound + 1].exists()


# --- ranking and highlighting -----------------------------------------------------


def relevance(title: str, body: str, query: ParsedQuery) -> float:
    """Term frequency with a bonus for the headline block, on normalised
    text (as the index stores it)."""
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
    # Runs of characters that normalise one to one (ASCII, CJK ideographs
    # and punctuation, full-width forms) in one call; the rest (`……`,
    # `℃`) one by one.
    for piece in _PIECES.finditer(text):
        norm = unicodedata.normalize("NFKC", piece.group()).lower()
        out.append(norm)
        if piece.group(1):
            origin.extend(range(piece.start(), piece.end()))
        else:
            origin.extend([piece.start()] * len(norm))
    return "".join(out), origin


_PIECES = re.compile("([\x00-\x7f\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]+)|.", re.S)


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    if not any(words):
        # Nothing to find: normalising a whole body for it took a third of
        # an unfiltered API page's time.
        return []
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
    # first character → the shares of the lexemes it begins (a one-character
    # term is a prefix: it matches every lexeme it begins)
    by_first: dict[str, list[float]]
    floor: float  # below the least common lexeme the statistics list
    chunks_per_article: float
    articles: int
    # tsquery → share counted on the index, kept as long as the statistics
    measured: dict[str, float] = field(default_factory=dict)


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
            by_first=_by_first(zip(elems, freqs, strict=False)),
            floor=freqs[len(elems)] / 2,  # after the list: its minimum
            chunks_per_article=max(
                1.0, tuples.get("articles_searchchunk", 0) / articles
            ),
            articles=int(articles),
        )
    _stats_cache[key] = (now, stats)
    return stats


MEASURE_CAP = 10_000  # rows counted on the index for a term the statistics omit


def estimated_share(query: ParsedQuery) -> float | None:
    """The estimated share of articles holding every term, terms taken as
    independent.  A term whose lexemes the statistics list is no commoner
    than its rarest lexeme; a term with a lexeme they omit (rarer than
    all they list, by how much unknown: `pm2.5`, a name) is measured on
    the index instead.  None without statistics (SQLite, or an index never
    analysed): then plans go by exact counts alone."""
    stats = _lexeme_stats()
    if stats is None or not query.terms:
        return None
    share = 1.0
    for term in query.terms:
        if all(_listed(stats, *x) for x in term.lexemes):
            row_share = min(_lexeme_share(stats, *x) for x in term.lexemes)
            share *= min(1.0, row_share * stats.chunks_per_article)
        else:
            share *= _measured_share(stats, term)
    return share


def _measured_share(stats: _LexemeStats, term: Term) -> float:
    """The share of articles with a row holding all of the term's lexemes,
    counted on the GIN index up to MEASURE_CAP rows (a lower bound past
    that), and kept as long as the statistics (a few minutes).  No text
    is read: with no positions in the query the index needs no recheck,
    where confirming thousands of candidates on their text (as listing
    them does) costs a hundred milliseconds."""
    tsquery = _tsquery(term)
    if tsquery not in stats.measured:
        with index_plan(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM articles_searchchunk "
                "WHERE vector @@ %s::tsquery LIMIT %s) c",
                [tsquery, MEASURE_CAP],
            )
            rows = cursor.fetchone()[0]
        if len(stats.measured) >= 10_000:  # bounded, whatever the traffic
            stats.measured.clear()
        stats.measured[tsquery] = min(1.0, rows / stats.articles)
    return stats.measured[tsquery]


def _by_first(pairs) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for lexeme, freq in pairs:
        if lexeme:
            out.setdefault(lexeme[0], []).append(freq)
    return out


def _lexeme_share(stats: _LexemeStats, lexeme: str, prefix: bool) -> float:
    """The share of rows holding a lexeme; for a prefix, any listed lexeme
    it begins (taken as independent)."""
    if not prefix:
        return stats.freqs.get(lexeme, stats.floor)
    missing = 1.0
    for freq in stats.by_first.get(lexeme, ()):
        missing *= 1 - freq
    return max(1 - missing, stats.floor)


def _listed(stats: _LexemeStats, lexeme: str, prefix: bool) -> bool:
    if not prefix:
        return lexeme in stats.freqs
    return lexeme in stats.by_first


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
