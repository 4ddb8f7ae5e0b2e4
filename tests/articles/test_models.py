import pytest
from django.db import IntegrityError, transaction

from articles.models import Article, Page, Place
from articles.services import article_slug_for, person_get_or_create
from articles.slugs import pinyin_slug

pytestmark = pytest.mark.django_db


def test_same_page_hash_is_refused():
    Page.objects.create(filename="a.txt", sha256="0" * 64, raw_text="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.create(filename="b.txt", sha256="0" * 64, raw_text="y")


def test_slug_is_pinyin_of_the_headline():
    assert pinyin_slug("交城举行庆祝少先队建队71周年主题队日活动").startswith(
        "jiao-cheng-ju-xing-qing-zhu"
    )
    assert "71" in pinyin_slug("交城举行庆祝少先队建队71周年")
    assert pinyin_slug("“扶贫车间”到家门") == "fu-pin-che-jian-dao-jia-men"


def test_slugs_are_unique_and_untitled_articles_get_one():
    first = article_slug_for(headline="交城举行主题队日活动")
    Article.objects.create(slug=first, body="正文")
    second = article_slug_for(headline="交城举行主题队日活动")
    assert second == f"{first}-2"
    untitled = article_slug_for(headline="", fallback="近年来交城县积极探索")
    assert untitled.startswith("wu-biao-ti-jin-nian-lai")
    Article.objects.create(slug=untitled, body="正文")
    assert (
        article_slug_for(headline="", fallback="近年来交城县积极探索")
        == f"{untitled}-2"
    )
    assert article_slug_for(headline="", fallback="") == "wu-biao-ti"


def test_place_hierarchy():
    province = Place.objects.create(
        name="示例省", slug="shili-sheng", kind=Place.Kind.PROVINCE
    )
    city = Place.objects.create(
        name="示例市", slug="shili-shi", kind=Place.Kind.PREFECTURE, parent=province
    )
    county = Place.objects.create(
        name="示例县", slug="shili-xian", kind=Place.Kind.COUNTY, parent=city
    )
    town = Place.objects.create(
        name="示例镇", slug="shili-zhen", kind=Place.Kind.TOWN, parent=county
    )
    village = Place.objects.create(
        name="示例村", slug="shili-cun", kind=Place.Kind.VILLAGE, parent=town
    )
    assert village.ancestors() == [province, city, county, town]
    assert village.path() == "示例省 > 示例市 > 示例县 > 示例镇 > 示例村"
    assert list(county.children.all()) == [town]


def test_place_names_unique_within_parent_only():
    county = Place.objects.create(name="交城县", slug="jc")
    town_a = Place.objects.create(name="西营镇", slug="a", parent=county)
    town_b = Place.objects.create(name="天宁镇", slug="b", parent=county)
    Place.objects.create(name="东关村", slug="c", parent=town_a)
    Place.objects.create(
        name="东关村", slug="d", parent=town_b
    )  # same name, other town
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(name="东关村", slug="e", parent=town_a)


def test_person_name_loses_alignment_spaces_and_is_reused():
    person = person_get_or_create(name="郭 晋")
    assert person.name == "郭晋"
    assert person_get_or_create(name="郭晋") == person
    agency = person_get_or_create(name="张丽", affiliation="新华社")
    assert agency.affiliation == "新华社" and agency.slug != person.slug
