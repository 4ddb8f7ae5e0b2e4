"""PostgreSQL: the search index's lexemes are computed from the stored
text by an SQL function and kept only in the GIN indexes, not in a
`vector` column besides.

Measured at 200,000 articles (358 MiB of text): the stored tsvectors took
1,014 MiB of the index's 1,972 MiB (5.5× the text) and were read only to
build the GIN indexes; matching asks the GIN index, and checks the text
with `strpos`.  `newsroom_lexemes(text)` gives exactly the lexemes
`articles.search.query.lexemes` gives (every pair of adjacent characters,
none across a space, and each word's last character; ASCII punctuation
moved to the Private Use Area first), so the GIN index over it answers the
same queries.  The redundant single-column index on article_id goes too
(the (article_id, kind) index serves it).  Run `manage.py
rebuild_search_index` after migrating if the index was built before
migration 0010."""

from django.db import migrations, models

# articles.search.query._ENCODING, frozen here: ASCII punctuation and
# control characters (not the space, not NUL, which text cannot hold)
# → U+E000 + the code point.
_FROM = "".join(chr(c) for c in range(1, 128) if not chr(c).isalnum() and c != 32)
_TO = "".join(chr(0xE000 + ord(c)) for c in _FROM)


def _literal(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


FUNCTION = f"""
CREATE OR REPLACE FUNCTION newsroom_lexemes(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- About 2 ms for an article's body: far dearer than PostgreSQL assumes of
-- a function (100 operators), which would otherwise let it check a few
-- candidates by computing their lexemes rather than ask the GIN index.
COST 1000000 AS $fn$
  SELECT array_to_tsvector(COALESCE(array_agg(l), '{{}}'))
  FROM (
    SELECT CASE WHEN i < length(w) THEN substr(w, i, 2) ELSE substr(w, i, 1) END
    FROM regexp_split_to_table(translate(t, {_literal(_FROM)}, {_literal(_TO)}), ' ')
         AS w,
         generate_series(1, length(w)) AS i
  ) AS x(l)
$fn$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(FUNCTION.replace("%", "%%"))
    run("DROP INDEX IF EXISTS articles_searchchunk_vector_gin")
    run("DROP INDEX IF EXISTS articles_searchchunk_title_gin")
    run(
        "CREATE INDEX articles_searchchunk_lexemes_gin ON articles_searchchunk "
        "USING gin (newsroom_lexemes(text))"
    )
    run(
        "CREATE INDEX articles_searchchunk_title_gin ON articles_searchchunk "
        "USING gin (newsroom_lexemes(text)) WHERE kind = 'title'"
    )
    # ANALYZE lists the 5,000 commonest lexemes (the planner's estimates).
    run(
        "ALTER INDEX articles_searchchunk_lexemes_gin "
        "ALTER COLUMN 1 SET STATISTICS 500"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run("DROP INDEX IF EXISTS articles_searchchunk_lexemes_gin")
    run("DROP INDEX IF EXISTS articles_searchchunk_title_gin")
    run("UPDATE articles_searchchunk SET vector = newsroom_lexemes(text)")
    run(
        "CREATE INDEX articles_searchchunk_vector_gin "
        "ON articles_searchchunk USING gin (vector)"
    )
    run(
        "CREATE INDEX articles_searchchunk_title_gin ON articles_searchchunk "
        "USING gin (vector) WHERE kind = 'title'"
    )
    run("DROP FUNCTION IF EXISTS newsroom_lexemes(text)")


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_search_places")]

    operations = [
        # Backwards, the column comes back (RemoveField reversed) before the
        # function fills it.
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="searchchunk", name="vector"),
        migrations.AlterField(
            model_name="searchchunk",
            name="article",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="search_chunks",
                to="articles.article",
            ),
        ),
    ]
