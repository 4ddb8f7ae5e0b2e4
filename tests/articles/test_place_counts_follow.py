"""A place's public count (what suggestions show) is the place filter's,
which reads each article's copy of its places: every change that moves an
article's places or a place itself leaves the two equal."""

import pytest

from articles import services
from articles.models import Article, NameKey, Place
from articles.services.names import public_count

pytestmark = pytest.mark.django_db


def stored_count(place):
    row = NameKey.objects.filter(kind="place", object_id=place.pk).first()
    return row.article_count if row else 0


def published(headline, places):
    article = Article.objects.create(
        headline=headline, body="正文。", slug=headline, status="published"
    )
    with services.names_follow(article_ids=[article.pk]):
        article.places.add(*places)
    return article


def test_counts_follow_an_article_whose_places_were_added():
    county = Place.objects.create(name="甲县", slug="jia", is_confirmed=True)
    town = Place.objects.create(
        name="乙镇", slug="yi", parent=county, is_confirmed=True
    )
    published("新闻一", [town])
    # The helper adds the link inside names_follow and indexes nothing: the
    # counts still follow, for the town and the county above it.
    assert stored_count(town) == public_count("place", "yi") == 1
    assert stored_count(county) == public_count("place", "jia") == 1


def test_deleting_a_place_takes_its_articles_out_of_the_counts_above(
    django_user_model,
):
    staff_user = django_user_model.objects.create_superuser("chief", password="x")
    county = Place.objects.create(name="丙县", slug="bing", is_confirmed=True)
    town = Place.objects.create(
        name="丁镇", slug="ding", parent=county, is_confirmed=True
    )
    published("新闻二", [town])
    assert public_count("place", "bing") == 1
    services.entity_delete(obj=town, user=staff_user)
    assert public_count("place", "bing") == 0 == stored_count(county)
