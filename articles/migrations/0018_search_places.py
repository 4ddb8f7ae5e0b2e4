"""Article.search_places: the place filter's copy of each article's places
with the confirmed chain above them (see articles.search.index.place_paths),
filled here for existing articles; on PostgreSQL a GIN index lists a small
place's articles when the filter alone is the query."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Place = apps.get_model("articles", "Place")
    tree = {
        pk: (parent, confirmed)
        for pk, parent, confirmed in Place.objects.values_list(
            "pk", "parent_id", "is_confirmed"
        )
    }
    paths: dict[int, list[int]] = {}
    links = Article.places.through.objects.values_list("article_id", "place_id")
    for article_id, node in links.iterator(chunk_size=10_000):
        path = paths.setdefault(article_id, [])
        while node is not None and node not in path:
            path.append(node)
            parent, confirmed = tree.get(node, (None, False))
            node = parent if confirmed else None
    batch = []
    for pk, path in paths.items():
        batch.append(Article(pk=pk, search_places=sorted(path)))
        if len(batch) == 2000:
            Article.objects.bulk_update(batch, ["search_places"])
            batch = []
    Article.objects.bulk_update(batch, ["search_places"])


def gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX article_search_places ON articles_article "
            "USING gin (search_places jsonb_path_ops)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_places")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_reader_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_places",
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(gin_index, drop_gin_index),
    ]
