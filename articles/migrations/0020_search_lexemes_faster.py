"""PostgreSQL: `newsroom_lexemes` computed in a few whole-text string
operations instead of a row per character, with the same result, so the
GIN indexes built on it stay valid and nothing is rebuilt here.

Building the GIN index calls the function once per search row: the old
body took `substr(w, i, 2)` for every offset i of every word (PostgreSQL
finds the i-th character of multibyte text by counting from the start, so
a paragraph-long word cost its length squared) and aggregated a row per
character.  Measured on 3,000 bench articles' body rows (638 characters):
1.4–2.0 ms a row before, 0.8 ms after — a GIN build at 1,000,000 articles
went from over an hour to about half of that.

How: the pairs at even offsets come from one `regexp_replace` putting a
separator after every two characters, the pairs at odd offsets from the
same on the text less its first character.  A pair holding a space (none
is a lexeme) either ends in it — its first character ends a word, which
is a lexeme: the space is dropped — or starts with it, and is dropped
whole.  A word's last character is then always there: alone at the end of
a pass, or from its pair with the space after it.  The separator, U+E000,
is a Private Use Area character: `query.normalize` makes those spaces,
and `translate` maps ASCII punctuation to U+E001 and above.  Stored text
is normalised: single spaces, none at either end."""

from django.db import migrations

# articles.search.query._ENCODING, frozen here (as in 0019).
_FROM = "".join(chr(c) for c in range(1, 128) if not chr(c).isalnum() and c != 32)
_TO = "".join(chr(0xE000 + ord(c)) for c in _FROM)


def _literal(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


FUNCTION = f"""
CREATE OR REPLACE FUNCTION newsroom_lexemes(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- Still far dearer than PostgreSQL assumes of a function (see 0019).
COST 1000000 AS $fn$
  SELECT array_to_tsvector(array_remove(string_to_array(
    regexp_replace(
      replace(
        regexp_replace(u, '..', '\\&' || d, 'g') || d
          || regexp_replace(substr(u, 2), '..', '\\&' || d, 'g'),
        ' ' || d, d),
      ' .', '', 'g'),
    d), ''))
  FROM translate(t, {_literal(_FROM)}, {_literal(_TO)}) AS u, chr(57344) AS d
$fn$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION.replace("%", "%%"))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from importlib import import_module

        old = import_module("articles.migrations.0019_search_lexemes_expression")
        schema_editor.execute(old.FUNCTION.replace("%", "%%"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_search_lexemes_expression")]

    operations = [migrations.RunPython(forwards, backwards)]
