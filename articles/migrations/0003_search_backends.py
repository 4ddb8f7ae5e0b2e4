"""Backend-specific search structures: a GIN index on PostgreSQL, an FTS5
table on SQLite.  Each runs only on its own database."""

from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS articles_searchchunk_vector_gin "
            "ON articles_searchchunk USING GIN (vector)"
        )
    elif vendor == "sqlite":
        # The 'ascii' tokenizer splits only at ASCII spaces and punctuation;
        # search.py maps ASCII punctuation out of the way, so each
        # space-separated token stays one FTS5 token at its own position.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search_fts "
            "USING fts5(tokens, tokenize='ascii', prefix='1')"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS articles_searchchunk_vector_gin")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS articles_search_fts")


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_search_chunks")]

    operations = [migrations.RunPython(forwards, backwards)]
