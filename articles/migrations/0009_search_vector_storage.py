"""PostgreSQL: how the search vectors are stored and analysed.

lz4 instead of pglz for the out-of-line tsvectors: checking a phrase reads
a chunk's whole tsvector, and lz4 unpacks it several times faster.  A larger
statistics target makes ANALYZE list the 5,000 commonest lexemes with their
frequencies, which the search planner uses to tell broad terms from rare."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE articles_searchchunk ALTER COLUMN vector SET STATISTICS 500"
    )
    # A server built without lz4 keeps its default compression.
    schema_editor.execute(
        "DO $$ BEGIN "
        "ALTER TABLE articles_searchchunk ALTER COLUMN vector SET COMPRESSION lz4; "
        "EXCEPTION WHEN OTHERS THEN NULL; END $$"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE articles_searchchunk ALTER COLUMN vector SET STATISTICS -1"
    )
    schema_editor.execute(
        "ALTER TABLE articles_searchchunk ALTER COLUMN vector SET COMPRESSION default"
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_title_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
