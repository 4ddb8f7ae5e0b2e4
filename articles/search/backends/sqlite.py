"""SQLite: an FTS5 table holds each search row's tokens with positions
(contentless: the text itself is the search row's, `articles_searchchunk`).

One token per character offset — the bigram starting there, the character
alone before a space or the end, or a filler where the text has a space —
so a substring query is an exact phrase of its bigrams, and a
one-character query a prefix query.  Its 'ascii' tokenizer splits only at
ASCII spaces and punctuation; ASCII punctuation is mapped into the Private
Use Area first (`query.encode`).  FTS5 lists matches cheaply, so the
planner's walk here is one indexed query and there are no estimates."""

import json

from django.db import connection
from django.db.models import BooleanField, F, Func, Value

from ...models import SearchChunk
from ..query import Term, index_tokens
from .base import SearchBackend


def _fts_match(term: Term) -> str:
    return '"' + " ".join(term.tokens) + '"' + ("*" if term.prefix else "")


class _HasPlace(Func):
    """True when the JSON list (SQLite's JSON is text) holds the value; an
    expression, so the column keeps the alias of whatever subquery it is in."""

    arity = 2
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, value = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"EXISTS (SELECT 1 FROM json_each({column[0]}) WHERE value = {value[0]})"
        return sql, (*column[1], *value[1])


class SQLiteBackend(SearchBackend):
    walks_by_index = True

    def insert(self, rows):
        if not rows:
            return
        chunks = SearchChunk.objects.bulk_create(
            [SearchChunk(article_id=a, kind=k, text=t) for a, k, t in rows]
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO articles_search_fts (rowid, tokens) VALUES (%s, %s)",
                [(c.pk, " ".join(index_tokens(c.text))) for c in chunks],
            )

    def remove(self, article_ids):
        # The FTS5 table keeps no copy of its text (contentless: the rows'
        # text is in articles_searchchunk already, and the copy was the
        # largest table of the database): FTS5 forgets a row when told its
        # tokens again, made from the stored text as `insert` made them.
        with connection.cursor() as cursor:
            for start in range(0, len(article_ids), 500):
                part = article_ids[start : start + 500]
                marks = ",".join(["%s"] * len(part))
                cursor.execute(
                    "SELECT id, text FROM articles_searchchunk "
                    f"WHERE article_id IN ({marks})",
                    part,
                )
                cursor.executemany(
                    "INSERT INTO articles_search_fts (articles_search_fts, rowid, "
                    "tokens) VALUES ('delete', %s, %s)",
                    [
                        (pk, " ".join(index_tokens(text)))
                        for pk, text in cursor.fetchall()
                    ],
                )
        super().remove(article_ids)

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO articles_search_fts (articles_search_fts) "
                "VALUES ('delete-all')"
            )
        super().clear()

    def term_where(self, term):
        sql = (
            "id IN (SELECT rowid FROM articles_search_fts "
            "WHERE articles_search_fts MATCH %s)"
        )
        return sql, [_fts_match(term)]

    def in_place(self, articles, place_id):
        return articles.filter(_HasPlace(F("search_places"), Value(int(place_id))))

    def place_counts_sql(self, ids_sql, limit):
        return (
            "SELECT p.slug AS v, p.name AS l, COUNT(*) AS n "
            "FROM articles_article a, json_each(a.search_places) e "
            "JOIN articles_place p ON p.id = e.value AND p.is_confirmed "
            f"WHERE a.id IN ({ids_sql}) "
            f"GROUP BY p.slug, p.name ORDER BY n DESC, l LIMIT {int(limit)}"
        )

    id_set_sql = "SELECT value FROM json_each(%s)"

    def id_list(self, ids):
        return json.dumps(list(ids))
