"""What every engine answers for search, and the parts they share.

A backend keeps the index (`insert`, `remove`, `clear`, `bulk_load`),
matches terms (`chunk_where`, from which `matching` and the rest are built),
walks the archive in date order, and estimates (`estimated_share`,
`estimate_count`, `table_estimate`) — `None` where the engine has no cheap
estimate, and then the planner goes by exact counts.  Each subclass holds
all of its engine's SQL; this one holds none that is particular to one."""

from contextlib import nullcontext

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from ...models import Article, SearchChunk
from ..query import ParsedQuery, Term


def grouped_counts(rows) -> dict[int, tuple]:
    """(article id, kind, length, *counts) rows → `term_counts`."""
    out: dict[int, tuple] = {}
    for pk, kind, length, *found in rows:
        title, body, body_length = out.get(pk, (None, None, 0))
        if kind == SearchChunk.Kind.TITLE:
            title = found
        else:
            body, body_length = found, length
        out[pk] = (title, body, body_length)
    return out


class SearchBackend:
    # Is a walk one indexed query (so sampling the newest matches is cheap
    # however broad the term)?  True where the index lists matches cheaply.
    walks_by_index = True

    # --- keeping the index current ---------------------------------------------

    def insert(self, rows: list[tuple[int, str, str]]) -> None:
        """Store (article id, kind, normalised text) rows."""
        raise NotImplementedError

    def remove(self, article_ids: list[int]) -> None:
        """Drop the rows of these articles."""
        SearchChunk.objects.filter(article_id__in=article_ids).delete()

    def clear(self) -> None:
        """Drop every row (a rebuild follows)."""
        SearchChunk.objects.all().delete()

    def bulk_load(self):
        """A block in which a whole rebuild is loaded."""
        return nullcontext()

    def analyze(self) -> None:
        """Refresh the engine's statistics after a rebuild."""

    # --- matching ----------------------------------------------------------------

    def term_where(self, term: Term) -> tuple[str, list]:
        """Conditions on a search row matching `term` through the index."""
        raise NotImplementedError

    def chunk_where(self, term: Term, kind: str | None) -> tuple[str, list]:
        """`term_where`, in the rows of one kind (the headline block) if given."""
        sql, params = self.term_where(term)
        if kind:
            sql += " AND kind = %s"
            params = [*params, kind]
        return sql, params

    def article_ids_sql(self, term: Term, kind: str | None = None) -> RawSQL:
        """SQL for the ids of articles with a row matching `term`."""
        where, params = self.chunk_where(term, kind)
        return RawSQL(
            f"SELECT article_id FROM articles_searchchunk WHERE {where}", params
        )

    def matching(
        self,
        query: ParsedQuery,
        articles: QuerySet,
        *,
        kind: str | None = None,
        per_article: bool = False,
    ) -> QuerySet:
        """The articles whose text holds every term and none of the excluded
        ones (see `articles.search.matching`)."""
        qs = articles
        for term in query.terms:
            qs = qs.filter(pk__in=self.article_ids_sql(term, kind))
        for term in query.excluded:
            qs = qs.exclude(pk__in=self.article_ids_sql(term))
        return qs

    def chunk_article_ids(self, term: Term, *, kind: str | None, limit: int) -> list:
        """Ids of articles of any status with a row matching `term`, at most
        `limit`, straight from the index: no join for the planner to
        misjudge (its statistics cover all rows, not the headline ones
        alone)."""
        ids = self.article_ids_sql(term, kind)
        rows = self.run(f"{ids.sql} LIMIT %s", [*ids.params, limit], "index")
        return list(dict.fromkeys(row[0] for row in rows))

    def count_columns(self, terms: list[str], alias: str) -> tuple[str, list]:
        """SQL columns counting each term in the row `alias`'s text: each
        occurrence removed shortens the text by the term's length."""
        sql = ", ".join(
            f"(length({alias}.text) - length(replace({alias}.text, %s, ''))) / %s"
            for _ in terms
        )
        return sql, [p for t in terms for p in (t, len(t))]

    def term_counts(self, ids: list[int], terms: list[str]) -> dict[int, tuple]:
        """For each article of `ids` with rows: how many times each term
        occurs (not overlapping, as `str.count`) in its headline block and in
        its body (None for a part it lacks), and its body's length."""
        if not ids or not terms:
            return {}
        counts, params = self.count_columns(terms, "c")
        rows = self.run(
            f"SELECT c.article_id, c.kind, length(c.text), {counts} FROM "
            f"articles_searchchunk c WHERE c.article_id IN ({self.id_set_sql})",
            [*params, self.id_list(ids)],
        )
        return grouped_counts(rows)

    def fetch_counted(
        self, queryset: QuerySet, plan: str | None, terms: list[str], limit: int
    ) -> tuple[list, dict[int, tuple] | None]:
        """`fetch` of (id, date) rows, and when they are no more than
        `limit`, each one's `term_counts`."""
        rows = self.fetch(queryset, plan)
        if not terms or len(rows) > limit:
            return rows, None
        return rows, self.term_counts([pk for pk, _ in rows], terms)

    def scan_counted(
        self, articles: QuerySet, query: ParsedQuery
    ) -> tuple[list, dict[int, tuple]]:
        """The (id, date) rows of the articles of `articles` matching
        `query`, each checked on its text, and their `term_counts`."""
        matched = self.matching(query, articles, per_article=True)
        rows = self.fetch(matched.order_by().values_list("pk", "pub_date"), "filter")
        terms = [t.text for t in query.terms]
        return rows, self.term_counts([pk for pk, _ in rows], terms)

    def among(self, articles: QuerySet, ids: list[int]) -> QuerySet:
        """`articles` with one of these ids (for `run`'s "ids" plan)."""
        return articles.filter(pk__in=self.id_set(ids))

    def candidates(
        self, query: ParsedQuery, *, limit: int
    ) -> tuple[Term, list[int]] | None:
        """The query's rarest term and the ids of the articles (any status)
        holding it, when there are no more than `limit`; None where the
        engine cannot tell which term is rarest, or there are more."""
        return None

    def some_matching(
        self, query: ParsedQuery, articles: QuerySet, *, limit: int
    ) -> list[int]:
        """Ids of up to `limit` matches in `articles`, in the order the index
        gives them."""
        ids = self.matching(query, articles).order_by().values_list("pk", flat=True)
        return list(ids[:limit])

    def walk(
        self,
        ordered: QuerySet,
        query: ParsedQuery,
        *,
        offset: int,
        size: int,
        bound: int,
        kind: str | None = None,
    ) -> tuple[list[int], bool, int | None]:
        """A page of the matches among the first `bound` articles of
        `ordered`; whether the walk stopped at `bound`; and how many
        articles it read to find them (the place of the last one in
        `ordered`; `bound` when cut; None when it read them all, or where
        the walk is an index query).  Matches over articles read is the
        walk's own hit rate, from which the planner estimates a count.
        Here: one indexed query, never cut."""
        ids = self.matching(query, ordered, kind=kind).values_list("pk", flat=True)
        return list(ids[offset : offset + size]), False, None

    def walk_titled(
        self, ordered: QuerySet, query: ParsedQuery, *, size: int, bound: int
    ) -> tuple[list[int], bool, int | None, list[int]]:
        """`walk` from the first match, and of its matches those with every
        term in the headline block, in the same order.  Here: a second
        statement checks the headline blocks of the matches found."""
        ids, cut, read = self.walk(ordered, query, offset=0, size=size, bound=bound)
        if not ids:
            return ids, cut, read, []
        titled = self.matching(
            ParsedQuery(terms=query.terms),
            Article.objects.filter(pk__in=self.id_set(ids)),
            kind=SearchChunk.Kind.TITLE,
            per_article=True,
        )
        found = {pk for (pk,) in self.fetch(titled.values_list("pk"), "walk")}
        return ids, cut, read, [pk for pk in ids if pk in found]

    def in_place(self, articles: QuerySet, place_id: int) -> QuerySet:
        """The articles whose `search_places` holds `place_id`."""
        raise NotImplementedError

    def place_counts_sql(self, ids_sql: str, limit: int) -> str:
        """The place facet over the articles `ids_sql` selects: each
        confirmed place in their `search_places`, with how many of them
        hold it — the articles its filter finds — commonest first.  Columns
        v (slug), l (name), n."""
        raise NotImplementedError

    # Ids as a subquery of one parameter (`id_list`), for `pk__in=`.  A
    # list of thousands of ids costs the driver more than the database:
    # psycopg splits the statement at each placeholder, and caches no
    # statement longer than 4 KiB.
    id_set_sql = ""

    def id_list(self, ids: list[int]) -> str:
        """The one parameter of `id_set_sql` that stands for `ids`."""
        raise NotImplementedError

    def id_set(self, ids: list[int]) -> RawSQL:
        """Ids as a subquery (`id_set_sql`), for `pk__in=`."""
        return RawSQL(self.id_set_sql, [self.id_list(ids)])

    # --- planning ------------------------------------------------------------------

    def run(self, sql: str, params, plan: str | None = None) -> list[tuple]:
        """The rows of a statement, planned for `plan`: "index" (the search
        index lists the matches), "filter" (the filters' own indexes give
        the articles, each checked on its text), "walk" (articles in date
        order, each checked on its text) or "ids" (articles of a list of
        ids, `among`, each looked up by key); None: as the engine sees
        fit."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def fetch(self, queryset: QuerySet, plan: str | None = None) -> list:
        """The rows of a `values_list` queryset of ids and dates, planned
        for `plan` (see `run`)."""
        return list(queryset)

    def count(self, queryset: QuerySet, plan: str | None = None) -> int:
        """How many rows `queryset` has, planned for `plan` (see `run`)."""
        return queryset.count()

    def estimated_share(self, query: ParsedQuery) -> float | None:
        """The estimated share of articles holding every term; None without
        statistics: then plans go by exact counts alone."""
        return None

    def article_total(self) -> int | None:
        """The engine's idea of how many articles there are."""
        return None

    def estimate_count(self, queryset: QuerySet) -> int | None:
        """The engine's row estimate for a query, without counting."""
        return None

    def filtered_total(self, queryset: QuerySet, *, exact_below: int) -> int:
        """How many rows `queryset` (filtered articles) has: the engine's
        estimate, or counted (up to `exact_below`) when that is smaller."""
        total = self.estimate_count(queryset) or 0
        if total < exact_below:
            total = queryset.order_by().values("pk")[:exact_below].count()
        return total

    def remembered_walk(
        self, query: ParsedQuery, queryset: QuerySet
    ) -> tuple[int, int] | None:
        """(matches, articles read) of an earlier count's walk of `query`
        over `queryset`, while the engine's statistics are kept; None."""
        return None

    def remember_walk(
        self, query: ParsedQuery, queryset: QuerySet, matches: int, read: int
    ) -> None:
        """Keep what a count's walk found (see `remembered_walk`)."""

    def table_estimate(self, model) -> int | None:
        """The engine's idea of how many rows a whole table holds."""
        return None

    # --- names readers type (suggestions, pinyin) ------------------------------------

    def prefix_filter(self, queryset: QuerySet, field: str, prefix: str) -> QuerySet:
        """Rows whose `field` starts with `prefix`, answered by the field's
        B-tree index."""
        return queryset.filter(self.prefix_q(field, prefix))

    def prefix_q(self, field: str, prefix: str) -> Q:
        """The condition of `prefix_filter`: a range, which a binary
        collation (SQLite's) orders with every string that starts with
        `prefix` inside it (`LIKE` with Django's ESCAPE clause reads every
        row)."""
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})

    # --- the server ------------------------------------------------------------------

    def index_bytes(self) -> int | None:
        """The search index's size on disk (rows, stored text, indexes);
        None where the engine does not say."""
        return None

    def server_settings(self) -> dict | None:
        """The engine's memory and planner settings that decide whether
        searches are served from memory: `shared_buffers`,
        `effective_cache_size` and `work_mem` in bytes, `jit` as a bool;
        None for an engine without such settings (SQLite)."""
        return None
