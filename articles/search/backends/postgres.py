"""PostgreSQL: a GIN index over each search row's character pairs.

Each row's lexemes — its distinct character pairs (bigrams; none across a
space) and each word's last character, without positions — are computed
from its stored text by the SQL function `newsroom_lexemes` (migration
0017; the same lexemes as `query.lexemes`) and kept only in GIN indexes on
that expression (all rows, and headline rows alone): storing the tsvectors
as a column besides cost half the index and served nothing the index does
not.  A
term asks for every character pair it contains (a lone character for
itself), which the GIN index answers alone; then the stored text is checked
with `strpos`, so `车间。间里` can never match `车间里`.  A one-character or
two-character term is a single lexeme and needs no check.  Positions are
not kept because checking them means unpacking each candidate's whole
tsvector (about 0.1 ms), while `strpos` on its text is a few microseconds;
and a vector without positions has no length limits, so articles need no
splitting.  The same text check, without the index, is how the archive is
walked newest first for a term found in much of it.

The statistics ANALYZE keeps of the most common lexemes estimate how much
of the archive a query matches; the planner (`..planner`) chooses between
listing and walking from them.
"""

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from ...models import Article, SearchChunk
from ..query import ParsedQuery, Term
from .base import SearchBackend, grouped_counts

# What the GIN indexes are built on (migration 0017): a query must name the
# same expression for PostgreSQL to use them.
LEXEMES = "newsroom_lexemes(text)"


def _quote(token: str) -> str:
    return token.replace("\\", "\\\\").replace("'", "''")


def _tsquery(term: Term) -> str:
    """Every lexeme of the term: what the GIN index answers."""
    return " & ".join(
        f"'{_quote(lexeme)}'" + (":*" if prefix else "")
        for lexeme, prefix in term.lexemes
    )


def _has_text_sql(term: Term, kind: str | None, outer: str) -> tuple[str, list]:
    """SQL true when the article `outer`.id has a row whose text holds
    `term` (in `kind`), read from the article's own text, no index."""
    where_kind = " AND c.kind = %s" if kind else ""
    return (
        "EXISTS (SELECT 1 FROM articles_searchchunk c WHERE "
        f"c.article_id = {outer}.id AND strpos(c.text, %s) > 0{where_kind})",
        [term.text, *([kind] if kind else [])],
    )


def _text_checks(query: ParsedQuery, kind: str | None, outer: str) -> tuple[str, list]:
    """SQL true when the article `outer`.id holds every term (in `kind`)
    and none of the excluded ones, read from its own text."""
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


# Plan types PostgreSQL may not use for a statement (see the backend's
# `run`): "index", the GIN index lists; "filter", the filters' own indexes
# give the articles, each checked on its text; "walk", articles in date
# order, each checked on its text; "ids", the articles of a list, each
# looked up by key (`among`).
_PLANS = {
    "index": ("seqscan", "indexscan"),
    "filter": ("seqscan", "hashjoin", "mergejoin"),
    "walk": ("bitmapscan", "seqscan", "hashjoin", "mergejoin"),
    "ids": ("bitmapscan", "seqscan", "hashjoin", "mergejoin"),
}


def _run(sql: str, params, plan: str | None = None) -> list[tuple]:
    """The rows of one statement, planned without the plan types `plan`
    names — and without parallel workers: starting one takes longer (15–30
    ms) than these statements run, and the lexeme function's cost
    (migration 0017) would otherwise make PostgreSQL plan one for a short
    list.  The settings go with the statement in one round trip (a query
    string of several statements is one transaction, in which SET LOCAL
    holds): a transaction and two more statements around it cost five
    round trips, a millisecond or more a search on a busy machine.  Inside
    a transaction they are put back after it, or every later statement of
    that transaction (a test's, a facet count) would be planned without
    them."""
    if plan is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    settings = [f"enable_{m}" for m in _PLANS[plan]]
    settings.append("max_parallel_workers_per_gather")
    before = [f"SET LOCAL {s} = 0" for s in settings]
    after = []
    if connection.in_atomic_block:
        after = [f"SET LOCAL {s} TO DEFAULT" for s in settings]
    with connection.cursor() as cursor:
        cursor.execute("; ".join([*before, sql, *after]), params)
        for _ in before:
            cursor.nextset()
        return cursor.fetchall()


def drop_gin_indexes() -> list[str]:
    """Drop the search table's GIN indexes; their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'articles_searchchunk' AND indexdef LIKE '%%USING gin%%'"
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def create_gin_indexes(definitions: list[str]) -> None:
    """Create the indexes `drop_gin_indexes` dropped, with the statistics
    target the planner's lexeme estimates need (5,000 commonest lexemes),
    which a bare definition loses."""
    with connection.cursor() as cursor:
        for definition in definitions:
            cursor.execute(definition)
        if any("articles_searchchunk_lexemes_gin" in d for d in definitions):
            cursor.execute(
                "ALTER INDEX articles_searchchunk_lexemes_gin "
                "ALTER COLUMN 1 SET STATISTICS 500"
            )


# --- statistics ----------------------------------------------------------------------

_STATS_SECONDS = 300
_stats_cache: dict[str, tuple[float, "_LexemeStats | None"]] = {}
MEASURE_CAP = 10_000  # rows counted on the index for a term the statistics omit


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
    # filters' statement → articles passing them (`filtered_total`), likewise
    totals: dict[tuple, int] = field(default_factory=dict)
    # (query, filters' statement) → a count's walk: (matches, articles read)
    walks: dict[tuple, tuple[int, int]] = field(default_factory=dict)


def _lexeme_stats() -> "_LexemeStats | None":
    """PostgreSQL's statistics of the index's most common lexemes (ANALYZE
    keeps them in pg_stats), read at most every few minutes."""
    key = connection.alias
    now = time.monotonic()
    cached = _stats_cache.get(key)
    if cached and now - cached[0] < _STATS_SECONDS:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs "
            "FROM pg_stats WHERE tablename = 'articles_searchchunk_lexemes_gin'"
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


def _measured_share(stats: _LexemeStats, term: Term) -> float:
    """The share of articles with a row holding all of the term's lexemes,
    counted on the GIN index up to MEASURE_CAP rows (a lower bound past
    that), and kept as long as the statistics (a few minutes).  No text
    is read: with no positions in the query the index needs no recheck,
    where confirming thousands of candidates on their text (as listing
    them does) costs a hundred milliseconds."""
    tsquery = _tsquery(term)
    if tsquery not in stats.measured:
        rows = _run(
            "SELECT count(*) FROM (SELECT 1 FROM articles_searchchunk "
            f"WHERE {LEXEMES} @@ %s::tsquery LIMIT %s) c",
            [tsquery, MEASURE_CAP],
            "index",
        )[0][0]
        if len(stats.measured) >= 10_000:  # bounded, whatever the traffic
            stats.measured.clear()
        stats.measured[tsquery] = min(1.0, rows / stats.articles)
    return stats.measured[tsquery]


def _filters_key(queryset) -> tuple:
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    # By repr: a JSON parameter (the place filter's) is a new wrapper
    # object each time, equal to none before it.
    return (sql, tuple(repr(p) for p in params))


def _walk_key(query: ParsedQuery, queryset) -> tuple:
    terms = tuple(t.text for t in query.terms), tuple(t.text for t in query.excluded)
    return (terms, _filters_key(queryset))


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


class PostgresBackend(SearchBackend):
    walks_by_index = False

    # --- keeping the index current ---------------------------------------------

    def insert(self, rows):
        if not rows:
            return
        # COPY: several times faster than INSERTs for a bulk rebuild.  The
        # GIN indexes compute the lexemes from the text.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                "COPY articles_searchchunk (article_id, kind, text) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)

    @contextmanager
    def bulk_load(self):
        """The GIN indexes are dropped first and created again once every
        row is in: building a GIN index in one pass is far faster than
        keeping it current row by row."""
        indexes = drop_gin_indexes()
        yield
        with connection.cursor() as cursor:
            if indexes:
                # Foreign keys are checked at commit; CREATE INDEX refuses a
                # table with checks pending, so run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        create_gin_indexes(indexes)

    def analyze(self):
        # The planner reads the lexeme statistics and both tables' sizes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_searchchunk, articles_article")
        _stats_cache.clear()

    # --- matching ----------------------------------------------------------------

    def term_where(self, term):
        sql, params = f"{LEXEMES} @@ %s::tsquery", [_tsquery(term)]
        if not term.proven_by_lexemes:
            sql += " AND strpos(text, %s) > 0"
            params.append(term.text)
        return sql, params

    def matching(self, query, articles, *, kind=None, per_article=False):
        """`per_article` phrases it as a check of each article's own text,
        for a few candidates the caller already has."""
        if per_article:
            sql, params = _text_checks(query, kind, Article._meta.db_table)
            return articles.filter(RawSQL(sql, params, output_field=BooleanField()))
        return super().matching(query, articles, kind=kind)

    def some_matching(self, query, articles, *, limit):
        """Reading only as many candidates as `limit` takes.

        `matching(...)[:limit]` would be planned as a set of every candidate
        row, each checked on its text, before the first id comes out (450 ms
        for a term in 30,000 articles).  Here the index's rows for one term
        drive the statement, each candidate's article is checked against the
        filters and the other terms, and the statement stops at `limit`."""
        if not query.terms:
            return super().some_matching(query, articles, limit=limit)
        # The longest term has the most lexemes: as a rule the fewest candidates.
        lead = max(query.terms, key=lambda t: len(t.text))
        lead_ids = self.article_ids_sql(lead)
        inner, inner_params = articles.order_by().values("id").query.sql_with_params()
        checks, check_params = _text_checks(query.without(lead), None, "m")
        sql = (
            f"SELECT m.id FROM ({lead_ids.sql}) AS m(id) "
            f"WHERE m.id IN ({inner}) AND {checks} LIMIT %s"
        )
        # An article's headline block and body may both match: twice the rows.
        rows = _run(
            sql, [*lead_ids.params, *inner_params, *check_params, 2 * limit], "index"
        )
        return list(dict.fromkeys(row[0] for row in rows))[:limit]

    def walk(self, ordered, query, *, offset, size, bound, kind=None):
        """Found by reading each article's text in date order — no index:
        for a term in a good share of the archive a page is found after a
        few hundred articles.  Each walked article is numbered as it is
        read, so the last match's number says how many were read."""
        rows, cut = self._walk(ordered, query, offset + size, bound, kind, False)
        ids = [row[0] for row in rows[offset:]]
        if len(ids) == size:
            return ids, False, rows[-1][1]
        return ids, cut, bound if cut else None

    def walk_titled(self, ordered, query, *, size, bound):
        """In the same statement: each match's headline block is checked
        for every term only once it is found to match."""
        rows, cut = self._walk(ordered, query, size, bound, None, True)
        ids = [row[0] for row in rows]
        titled = [row[0] for row in rows if row[2]]
        if len(ids) == size:
            return ids, False, rows[-1][1], titled
        return ids, cut, bound if cut else None, titled

    def _walk(self, ordered, query, size, bound, kind, titles):
        """Up to `size` matches (id, number read, [every term in the
        headline block]) among the first `bound` articles of `ordered`, and
        whether there were more articles than `bound`."""
        # One article past `bound`, never checked, comes out after the
        # matches when there is one and they are fewer than `size`: whether
        # the walk was cut, without asking in a statement of its own.
        inner, params = ordered.values("id")[: bound + 1].query.sql_with_params()
        checks, check_params = _text_checks(query, kind, "w")
        title_sql, title_params = "", []
        if titles:
            sql, title_params = _text_checks(
                ParsedQuery(terms=query.terms), SearchChunk.Kind.TITLE, "w"
            )
            title_sql = f", {sql}"
        # No ORDER BY outside: PostgreSQL does not see that the numbered
        # rows are still in date order and would sort all `bound` of them
        # before the first came out (130 ms for 5,000).  The rows come out
        # in the inner order: planned as a walk, the text check can only be a
        # nested loop, which keeps its outer side's order.
        sql = (
            f"SELECT w.id, w.n{title_sql} FROM (SELECT i.id, row_number() OVER () "
            f"AS n FROM ({inner}) i) w WHERE w.n > %s OR ({checks}) LIMIT %s"
        )
        rows = _run(sql, [*title_params, *params, bound, *check_params, size], "walk")
        cut = bool(rows) and rows[-1][1] > bound
        if cut:
            rows.pop()
        return rows, cut

    def in_place(self, articles, place_id):
        # jsonb containment, read from the row a walk reads anyway; a GIN
        # index (jsonb_path_ops, migration 0016) lists a small place's
        # articles when the filter alone is the query.
        return articles.filter(search_places__contains=[place_id])

    def place_counts_sql(self, ids_sql, limit):
        # Each article's own list (ids are distinct in it): no walk up the
        # place tree.  Counted by place id, commonest first; each place is
        # then looked up only until the list is full (the incremental sort
        # needs only the top counts' names): 14 look-ups rather than one
        # per place named (544 for 100 articles; 2.9 → 1.1 ms at
        # 1,000,000 articles).
        return (
            "SELECT p.slug AS v, p.name AS l, c.n FROM ("
            "SELECT e.value::bigint AS id, COUNT(*) AS n FROM articles_article a "
            "CROSS JOIN LATERAL jsonb_array_elements(a.search_places) e "
            f"WHERE a.id IN ({ids_sql}) GROUP BY 1 ORDER BY 2 DESC) c "
            "CROSS JOIN LATERAL (SELECT p.slug, p.name FROM articles_place p "
            "WHERE p.id = c.id AND p.is_confirmed) p "
            f"ORDER BY c.n DESC, p.name LIMIT {int(limit)}"
        )

    id_set_sql = "SELECT unnest(%s::bigint[])"

    def id_list(self, ids):
        # As an array literal: psycopg takes 1 ms to adapt 4,000 ints.
        return "{" + ",".join(str(int(i)) for i in ids) + "}"

    # --- planning ------------------------------------------------------------------

    def run(self, sql, params, plan=None):
        """PostgreSQL may misjudge what `newsroom_lexemes(text) @@ query`
        costs without the index (the lexemes of every row's text, computed)
        and filter every row instead of asking the GIN index: 150 ms for a
        term that is nowhere, growing with the archive.  Planned for
        "index" it may use only bitmap scans, which is what the GIN index
        offers (2 ms).  For "filter", the filters' own indexes (bitmap
        scans: the place list's GIN) give the articles; each is checked by
        its rows' index, never a scan or hash of every search row.  For
        "walk", a term in a large share of the archive: a page is found
        after a few dozen checks of each article's own chunks, while the GIN
        index would list every match first."""
        return _run(sql, params, plan)

    def fetch(self, queryset, plan=None):
        sql, params = queryset.query.sql_with_params()
        return _run(sql, params, plan)

    def count_columns(self, terms, alias):
        # In bytes: the length of UTF-8 text in characters is counted by
        # reading it, in bytes it is known (480 matches' rows: 8.3 → 5.9 ms).
        sql = ", ".join(
            f"(octet_length({alias}.text) - octet_length(replace({alias}.text, %s, '')))"
            " / octet_length(%s::text)"
            for _ in terms
        )
        return sql, [t for t in terms for _ in (0, 1)]

    def fetch_counted(self, queryset, plan, terms, limit):
        """In one statement: the matches, kept apart (a materialised CTE),
        joined to their rows for the counts only when there are no more
        than `limit` of them — a round trip less a page of a rare term."""
        sql, params = queryset.query.sql_with_params()
        if not terms:
            return _run(sql, params, plan), None
        counts, count_params = self.count_columns(terms, "c")
        rows = _run(
            f"WITH m(id, day) AS MATERIALIZED ({sql}) "
            f"SELECT m.id, m.day, c.kind, length(c.text), {counts} FROM m "
            "LEFT JOIN articles_searchchunk c ON c.article_id = m.id "
            "AND (SELECT count(*) FROM m) <= %s",
            [*params, *count_params, limit],
            plan,
        )
        days = dict((pk, day) for pk, day, *_ in rows)
        if rows and rows[0][2] is None:
            return list(days.items()), None
        return list(days.items()), grouped_counts([row[:1] + row[2:] for row in rows])

    def scan_counted(self, articles, query):
        """One read of each article's rows: a term is found where it is
        counted, so the counts also say which articles match."""
        inner, params = (
            articles.order_by().values("id", "pub_date").query.sql_with_params()
        )
        terms = [t.text for t in query.terms]
        checked = terms + [t.text for t in query.excluded]
        counts, count_params = self.count_columns(checked, "c")
        rows = _run(
            f"SELECT a.id, a.pub_date, c.kind, length(c.text), {counts} "
            f"FROM ({inner}) a JOIN articles_searchchunk c ON c.article_id = a.id",
            [*count_params, *params],
            "filter",
        )
        found: dict[int, list[bool]] = {}
        days = {}
        for pk, day, _, _, *n in rows:
            days[pk] = day
            seen = found.setdefault(pk, [False] * len(checked))
            for i, k in enumerate(n):
                seen[i] = seen[i] or k > 0
        matches = {
            pk
            for pk, seen in found.items()
            if all(seen[: len(terms)]) and not any(seen[len(terms) :])
        }
        counts = grouped_counts(
            [
                (pk, kind, length, *n[: len(terms)])
                for pk, _, kind, length, *n in rows
                if pk in matches
            ]
        )
        return [(pk, days[pk]) for pk in matches], counts

    def count(self, queryset, plan=None):
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        return _run(f"SELECT count(*) FROM ({sql}) c", params, plan)[0][0]

    def estimated_share(self, query):
        """Terms taken as independent.  A term whose lexemes the statistics
        list is no commoner than its rarest lexeme; a term with a lexeme
        they omit (rarer than all they list, by how much unknown: `pm2.5`,
        a name) is measured on the index instead.  None for an index never
        analysed."""
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

    def among(self, articles, ids):
        # `= ANY` of an array the planner sees, not `IN (SELECT unnest…)`:
        # with the latter it read a place's 509 articles for each of 255
        # candidates (24 ms); by key, 1.4 ms.
        return articles.filter(
            RawSQL(
                '"articles_article"."id" = ANY(%s::bigint[])',
                [self.id_list(ids)],
                output_field=BooleanField(),
            )
        )

    def candidates(self, query, *, limit):
        if not query.terms or _lexeme_stats() is None:
            return None
        shares = {
            term: self.estimated_share(ParsedQuery(terms=[term]))
            for term in query.terms
        }
        lead = min(query.terms, key=lambda t: shares[t])
        if shares[lead] * self.article_total() > limit:
            return None
        # Two rows an article at most (headline block and body): more rows
        # than that means more articles than `limit`.
        ids = self.chunk_article_ids(lead, kind=None, limit=2 * limit + 2)
        return (lead, ids) if len(ids) <= limit else None

    def article_total(self):
        stats = _lexeme_stats()
        return stats.articles if stats else None

    def estimate_count(self, queryset: QuerySet):
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    def remembered_walk(self, query, queryset):
        """Kept as long as the statistics (a few minutes), like the shares
        and totals: the estimate of a broad search's count is its walk's hit
        rate over 400 matches — up to 5,000 articles read, 40 ms at
        1,000,000 articles for a term in 3–7% of them — and the same
        search again (the next page, a reader coming back) reads only as
        far as its page and its facets need.  Its count is the same
        estimate each time, within the same error."""
        stats = _lexeme_stats()
        if stats is None:
            return None
        return stats.walks.get(_walk_key(query, queryset))

    def remember_walk(self, query, queryset, matches, read):
        stats = _lexeme_stats()
        if stats is None:
            return
        if len(stats.walks) >= 10_000:  # bounded, whatever the traffic
            stats.walks.clear()
        stats.walks[_walk_key(query, queryset)] = (matches, read)

    def filtered_total(self, queryset, *, exact_below):
        """Kept as long as the statistics (a few minutes), like the lexeme
        shares: the planner's inputs, not the counts shown — a statement
        and a round trip less a search (its EXPLAIN, or a count of a
        village's articles)."""
        stats = _lexeme_stats()
        if stats is None:
            return super().filtered_total(queryset, exact_below=exact_below)
        key = _filters_key(queryset)
        if key not in stats.totals:
            if len(stats.totals) >= 10_000:  # bounded, whatever the traffic
                stats.totals.clear()
            stats.totals[key] = super().filtered_total(
                queryset, exact_below=exact_below
            )
        return stats.totals[key]

    def table_estimate(self, model):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                [model._meta.db_table],
            )
            row = cursor.fetchone()
        return int(row[0]) if row else None

    # --- names readers type (suggestions, pinyin) ------------------------------------

    def prefix_q(self, field, prefix):
        """`LIKE 'prefix%'`, which the `varchar_pattern_ops` index Django
        adds beside a CharField's own answers whatever the database's
        collation (a range is only safe under C)."""
        return Q(**{f"{field}__startswith": prefix})

    # --- the server ------------------------------------------------------------------

    def index_bytes(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('articles_searchchunk')")
            return int(cursor.fetchone()[0])

    def server_settings(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_size_bytes(current_setting('shared_buffers')), "
                "pg_size_bytes(current_setting('effective_cache_size')), "
                "pg_size_bytes(current_setting('work_mem')), "
                "current_setting('jit')::boolean"
            )
            shared, cache, work, jit = cursor.fetchone()
        return {
            "shared_buffers": int(shared),
            "effective_cache_size": int(cache),
            "work_mem": int(work),
            "jit": bool(jit),
        }
