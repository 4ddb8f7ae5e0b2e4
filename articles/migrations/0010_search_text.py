"""Search rows hold their normalised text; no more chunks.

PostgreSQL matches through a GIN index of each row's characters and
character pairs, then checks the text itself with `strpos` (see search.py),
so vectors lose their positions and articles are no longer split.  The text
is lz4-compressed where the server has it: walking the archive reads it.
Run `manage.py rebuild_search_index` after migrating."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DO $$ BEGIN "
        "ALTER TABLE articles_searchchunk ALTER COLUMN text SET COMPRESSION lz4; "
        "EXCEPTION WHEN OTHERS THEN NULL; END $$"
    )


def clear(apps, schema_editor):
    # Old rows hold positional chunks without text: drop them, the rebuild
    # (or the next save of each article) writes the new ones.
    apps.get_model("articles", "SearchChunk").objects.all().delete()
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DELETE FROM articles_search_fts")


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_search_vector_storage")]

    operations = [
        migrations.RunPython(clear, migrations.RunPython.noop),
        migrations.RemoveField(model_name="searchchunk", name="seq"),
        migrations.AddField(
            model_name="searchchunk",
            name="text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
