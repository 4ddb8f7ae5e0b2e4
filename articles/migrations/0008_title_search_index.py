"""PostgreSQL: a GIN index over headline-block chunks only, so a headline
lookup does not wade through every body chunk holding a common bigram."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS articles_searchchunk_title_gin "
            "ON articles_searchchunk USING GIN (vector) WHERE kind = 'title'"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS articles_searchchunk_title_gin")


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_byline_text")]

    operations = [migrations.RunPython(forwards, backwards)]
