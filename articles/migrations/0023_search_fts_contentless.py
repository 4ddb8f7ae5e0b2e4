"""SQLite: the FTS5 table keeps no copy of what it indexes.

Its stored copy of every row's tokens (two characters and a space for each
character of the text) was the largest table of the database, read by
nothing: matching reads the index, the text is the search row's own.  The
table is made again contentless (`content=''`, no column sizes, which
nothing ranks by) and filled from the search rows, tokenised as the search
backend tokenises them; rows are removed by telling FTS5 their tokens
again (search/backends/sqlite.py)."""

from django.db import migrations

BATCH = 2000

CREATE = (
    "CREATE VIRTUAL TABLE articles_search_fts USING fts5(tokens, {options}"
    "tokenize='ascii', prefix='1')"
)


def _rebuild(apps, schema_editor, options: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    # The tokens as the backend makes them now: the index must be the one
    # its queries expect.
    from articles.search.query import index_tokens

    SearchChunk = apps.get_model("articles", "SearchChunk")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS articles_search_fts")
        cursor.execute(CREATE.format(options=options))
        last = 0
        while True:
            rows = list(
                SearchChunk.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "text")[:BATCH]
            )
            if not rows:
                break
            last = rows[-1][0]
            cursor.executemany(
                "INSERT INTO articles_search_fts (rowid, tokens) VALUES (%s, %s)",
                [(pk, " ".join(index_tokens(text))) for pk, text in rows],
            )


def forwards(apps, schema_editor):
    _rebuild(apps, schema_editor, "content='', columnsize=0, ")


def backwards(apps, schema_editor):
    _rebuild(apps, schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("articles", "0022_reprint_bands_unhashed")]

    operations = [migrations.RunPython(forwards, backwards)]
