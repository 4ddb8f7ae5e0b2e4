"""The place filter reads each article's own row (`Article.search_places`,
kept by the search index) and finds what joining the links of the place and
every confirmed place under it found: an article in a village matches its
town, county, city and province — on both databases, with and without a
query, and after staff confirm, merge or move places."""

import pytest
from django.contrib.auth import get_user_model

from articles import search, services
from articles.models import Article, Place
from articles.selectors import SearchError, article_search

pytestmark = pytest.mark.django_db


def place(name, kind, parent=None, confirmed=True):
    return Place.objects.create(
        name=name, slug=f"t-{name}", kind=kind, parent=parent, is_confirmed=confirmed
    )


def article(n, *places):
    made = Article.objects.create(
        headline=f"测试稿件{n}号",
        slug=f"place-test-{n}",
        body=f"正文第{n}篇，说的是合作社。",
        status=Article.Status.PUBLISHED,
    )
    made.places.add(*places)
    search.index_articles(articles=[made])
    return made


@pytest.fixture
def tree():
    t = {}
    t["province"] = place("甲省", "province")
    t["city"] = place("乙市", "prefecture", t["province"])
    t["county"] = place("丙县", "county", t["city"])
    t["town"] = place("丁镇", "town", t["county"])
    t["village"] = place("戊村", "village", t["town"])
    t["proposed"] = place("己村", "village", t["town"], confirmed=False)
    t["other"] = place("庚县", "county", t["city"])
    return t


def found(place: Place, q: str = "") -> set[int]:
    try:
        result = article_search(params={"place": place.slug, "q": q, "page_size": 100})
    except SearchError:  # no published article there: not public
        return set()
    assert result.count == len(result.articles)
    return {a.pk for a in result.articles}


def joined(place: Place) -> set[int]:
    """The filter as it was: the links of the place and those under it."""
    under = Place.objects.descendant_ids(Place.objects.get(pk=place.pk))
    return set(
        Article.objects.published()
        .filter(places__in=under)
        .values_list("pk", flat=True)
    )


def test_a_village_article_is_found_under_every_place_above(tree):
    in_village = article(1, tree["village"])
    in_town = article(2, tree["town"])
    elsewhere = article(3, tree["other"])
    in_proposed = article(4, tree["proposed"])
    for name in ("village", "town", "county", "city", "province"):
        assert in_village.pk in found(tree[name]), name
    assert found(tree["town"]) == {in_village.pk, in_town.pk}
    assert found(tree["city"]) == {in_village.pk, in_town.pk, elsewhere.pk}
    # A place staff have not confirmed is not under its town yet (as the
    # facets and place pages count).
    assert in_proposed.pk not in found(tree["town"])
    for p in tree.values():
        if p.is_confirmed:
            assert found(p) == joined(p), p.name
            assert found(p, "合作社") == joined(p), p.name
    assert found(tree["county"], "2篇") == {in_town.pk}


def test_confirming_moving_and_merging_places_follow(tree):
    staff = get_user_model().objects.create_superuser("boss", password="pw-123456789")
    in_proposed = article(1, tree["proposed"])
    services.entity_confirm(obj=tree["proposed"], user=staff)
    assert in_proposed.pk in found(tree["county"])
    # Staff hang the village under the other county.
    proposed = Place.objects.get(pk=tree["proposed"].pk)
    proposed.parent = tree["other"]
    services.entity_save(obj=proposed, user=staff)
    assert in_proposed.pk not in found(tree["county"])
    assert in_proposed.pk in found(tree["other"])
    # Merged into the village: found where the village is.
    services.place_merge(keep=tree["village"], remove=proposed, user=staff)
    assert in_proposed.pk in found(tree["town"])
    assert in_proposed.pk not in found(tree["other"])
    for p in Place.objects.filter(slug__startswith="t-"):
        assert found(p) == joined(p), p.name


def test_places_edited_on_the_article_form_follow(tree, client):
    staff = get_user_model().objects.create_superuser("boss", password="pw-123456789")
    client.force_login(staff)
    moved = article(1, tree["village"])
    services.article_places_saved(article=moved)
    moved.places.set([tree["other"]])
    services.article_places_saved(article=moved)
    assert moved.pk not in found(tree["town"])
    assert moved.pk in found(tree["other"]) and moved.pk in found(tree["city"])


def test_rebuild_fills_the_places(tree):
    kept = article(1, tree["village"])
    Article.objects.filter(pk=kept.pk).update(search_places=[])
    search.rebuild()
    assert kept.pk in found(tree["province"])
