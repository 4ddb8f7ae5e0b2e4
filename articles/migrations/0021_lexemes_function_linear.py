"""PostgreSQL: `newsroom_lexemes` computed in one pass over the text's
characters instead of `substr` at every offset.

The GIN indexes compute the function for every search row an import
writes, and it was most of the database server's work in an import:
`substr(w, i, 2)` finds character i by walking the text from its start
(UTF-8), so a body cost time in the square of its length — 4–5 ms for a
body of 1,500 characters.  Now the characters are split once
(`string_to_array(t, NULL)`) and each is paired with the next by zipping
the array with itself shifted by one: ~2 ms, and linear.  The lexemes are
the same for every text (tests/articles/test_search.py compares them with
`query.lexemes`), so the indexes built on the function stay valid and
need no rebuild."""

from importlib import import_module

from django.db import migrations

# The character mapping is 0019's (the queries' `query.encode`), frozen there.
_m19 = import_module("articles.migrations.0019_search_lexemes_expression")
_FROM, _TO, _literal = _m19._FROM, _m19._TO, _m19._literal

FUNCTION = f"""
CREATE OR REPLACE FUNCTION newsroom_lexemes(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- About 2 ms for an article's body: far dearer than PostgreSQL assumes of
-- a function (100 operators), which would otherwise let it check a few
-- candidates by computing their lexemes rather than ask the GIN index.
COST 1000000 AS $fn$
  SELECT array_to_tsvector(COALESCE(
           array_agg(CASE WHEN next IS NULL OR next = ' ' THEN c ELSE c || next END)
             FILTER (WHERE c <> ' '),
           '{{}}'))
  FROM (SELECT string_to_array(translate(t, {_literal(_FROM)}, {_literal(_TO)}), NULL)
        AS chars) AS s,
       unnest(s.chars, s.chars[2:]) AS x(c, next)
$fn$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION.replace("%", "%%"))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_m19.FUNCTION.replace("%", "%%"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0020_reprint_bands_unhashed")]

    operations = [migrations.RunPython(forwards, backwards)]
