"""The reprint index's band keys, computed again: signatures now take the
packed 4-gram integers unhashed (datasketch's affine64 scheme) instead of
each 4-gram's SHA-1, so keys stored before would never match a new
article's.  Takes about a millisecond an article (most of it writing the
32 band rows)."""

from django.db import migrations

BATCH = 2000


def recompute(apps, schema_editor):
    # The keys as the import computes them now (not frozen here: the point
    # is to match what the code stores from now on; a later change of the
    # scheme comes with a migration of its own, as this one does).
    from articles.reprints import body_band_keys

    Article = apps.get_model("articles", "Article")
    ReprintBand = apps.get_model("articles", "ReprintBand")
    ReprintBand.objects.all().delete()
    last = 0
    while True:
        rows = list(
            Article.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "body")[:BATCH]
        )
        if not rows:
            break
        last = rows[-1][0]
        bands = [
            ReprintBand(article_id=pk, key=key)
            for pk, body in rows
            for key in body_band_keys(body) or ()
        ]
        ReprintBand.objects.bulk_create(bands, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_article_search_covering")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
