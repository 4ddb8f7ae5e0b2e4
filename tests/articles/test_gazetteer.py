"""Loading the national gazetteer and linking what the importer finds."""

import io

import pytest
from django.core.management import call_command

from articles import services
from articles.models import Article, Place

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    call_command("load_gazetteer", stdout=out)
    return out.getvalue()


def test_divisions_load_with_their_hierarchy(gazetteer_db):
    county = Place.objects.get(name="蔚县")
    assert county.kind == "county" and county.is_confirmed
    assert county.path() == "河北省 > 张家口市 > 蔚县"
    town = Place.objects.get(name="西合营镇")
    assert town.kind == "town" and town.parent == county
    # 北京市 > 北京市 > 东城区 in the data: one 北京市.
    assert Place.objects.get(name="东城区", parent__name="北京市").parent.parent is None
    assert Place.objects.filter(name="城关镇").count() > 10  # one per county


def test_loading_twice_changes_nothing_and_keeps_staff_aliases(gazetteer_db):
    count = Place.objects.count()
    county = Place.objects.get(name="交城县")
    county.aliases = "交城，卦山脚下"
    county.save()
    load()
    assert Place.objects.count() == count
    county.refresh_from_db()
    assert "卦山脚下" in county.alias_list() and county.slug == "交城县"


def test_same_name_towns_get_distinct_slugs(gazetteer_db):
    slugs = set(Place.objects.filter(name="城关镇").values_list("slug", flat=True))
    assert len(slugs) == Place.objects.filter(name="城关镇").count()


def test_import_links_known_places_and_proposes_villages_under_their_town(
    gazetteer_db,
):
    text = (
        "本报讯 日前，河北省蔚县西合营镇石门岭村的村民修好了村道，"
        "三是以县乡两级联动推进。\n"
    )
    result = services.page_import(raw=text.encode(), filename="made-up.txt")
    article = Article.objects.get(pk=result.articles[0].pk)
    names = set(article.places.values_list("name", flat=True))
    assert {"河北省", "蔚县", "西合营镇", "石门岭村"} <= names
    assert not any(n.endswith("以县") for n in names)
    village = Place.objects.get(name="石门岭村")
    assert not village.is_confirmed
    assert village.parent == Place.objects.get(name="西合营镇")


def test_the_gazetteer_is_read_once_and_follows_new_places(
    gazetteer_db, django_capture_on_commit_callbacks
):
    first = services.gazetteer_current()
    assert services.gazetteer_current() is first
    assert "蔚县" in first.places and first.villages
    with django_capture_on_commit_callbacks(execute=True):  # committed
        Place.objects.create(name="某某新区", slug="mou-xin-qu", kind="county")
    again = services.gazetteer_current()
    assert "某某新区" in again.places
    Place.objects.filter(name="某某新区").delete()
    assert "某某新区" not in services.gazetteer_current().places


def test_a_place_whose_import_rolled_back_stays_unknown(gazetteer_db):
    """The next page (or the same page tried again) must find the name new
    and flag it, not take a rolled-back place for a known one."""
    from django.db import transaction

    services.gazetteer_current()
    with pytest.raises(RuntimeError), transaction.atomic():
        Place.objects.create(name="某某新区", slug="mou-xin-qu", kind="county")
        raise RuntimeError("the import failed")
    assert "某某新区" not in services.gazetteer_current().places


def test_a_new_gazetteer_file_renews_what_readers_find(gazetteer_db, tmp_path, client):
    """load_gazetteer with a newer file (an alias added, a proposed village
    now in the data): the search box suggests the new alias and the
    confirmed village, with true counts, without a rebuild."""
    import json

    from django.urls import reverse

    from articles.models import NameKey

    county = Place.objects.get(name="交城县")
    town = Place.objects.get(name="西营镇", parent=county)
    village = Place.objects.create(
        name="试验新村",
        kind="village",
        parent=town,
        slug="试验新村",
        is_confirmed=False,
    )
    article = Article.objects.create(
        headline="新村建起文化广场", body="正文。", slug="x", status="published"
    )
    with services.names_follow(article_ids=[article.pk]):
        article.places.add(village)

    def suggested(q):
        found = client.get(reverse("articles:api_suggest"), {"q": q}).json()
        return {(s["name"], s["count"]) for s in found["suggestions"]}

    # Proposed, not public: nothing counts the article yet.
    assert suggested("试验新村") == set()
    assert not any(name == "交城县" for name, _ in suggested("交城"))
    data = {
        "places": [
            {
                "name": "山西省",
                "kind": "province",
                "children": [
                    {
                        "name": "吕梁市",
                        "kind": "prefecture",
                        "children": [
                            {
                                "name": "交城县",
                                "kind": "county",
                                "aliases": ["卦山县"],
                                "children": [
                                    {
                                        "name": "西营镇",
                                        "kind": "town",
                                        "children": [
                                            {"name": "试验新村", "kind": "village"}
                                        ],
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        ]
    }
    newer = tmp_path / "gazetteer.json"
    newer.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    services.gazetteer_load(path=newer)
    assert ("交城县", 1) in suggested("卦山")  # the new alias, the new count
    assert ("交城县", 1) in suggested("交城")
    assert suggested("试验新村") == {("试验新村", 1)}
    assert NameKey.objects.filter(object_id=village.pk, article_count=1).exists()
