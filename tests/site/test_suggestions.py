"""Names readers type (issue 19): suggestions as they type, in Chinese,
traditional characters or pinyin; counts that are what clicking shows;
pinyin queries; what to try when a search finds nothing.  Both databases."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles import search, services, suggestions
from articles.models import Article, NameKey, Place
from articles.selectors import article_search
from people import services as people_services
from people.models import Byline, Person

pytestmark = pytest.mark.django_db


def suggested(client, q):
    response = client.get(reverse("articles:api_suggest"), {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()["suggestions"]


def names(found):
    return [(s["kind"], s["name"]) for s in found]


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("rev", password="pw-rev-12345")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=[
                "publish_article",
                "change_article",
                "delete_article",
                "change_person",
                "delete_person",
                "delete_byline",
                "change_place",
                "delete_place",
            ]
        )
    )
    return django_user_model.objects.get(pk=user.pk)


def article(headline, body="正文。", status="published", slug=None, **links):
    a = Article.objects.create(
        headline=headline,
        body=body,
        slug=slug or f"a{Article.objects.count()}",
        status=status,
    )
    with services.names_follow(article_ids=[a.pk]):
        for person in links.get("people", []):
            Byline.objects.create(article=a, person=person)
        a.places.add(*links.get("places", []))
        a.tags.add(*links.get("tags", []))
    search.index_articles(articles=[a])
    return a


@pytest.mark.parametrize("q", ["交城", "交城縣", "jiaocheng", "jiao cheng", "jc", "JC"])
def test_county_is_suggested_in_chinese_traditional_and_pinyin(
    client, imported_pages, q
):
    found = suggested(client, q)
    assert ("place", "交城县") in names(found), q
    place = next(s for s in found if s["name"] == "交城县" and s["kind"] == "place")
    assert place["url"].endswith(Place.objects.get(name="交城县").get_absolute_url())
    assert place["kind_label"] == "地名" and place["detail"] == "吕梁市"


def test_suggestion_counts_are_what_clicking_shows(client, imported_pages):
    checked = 0
    for q in ["交", "jc", "孙", "扶贫", "l", "x"]:
        for s in suggested(client, q):
            page = client.get(s["url"])
            assert page.status_code == 200, s
            assert page.context["result"].count == s["count"], s
            checked += 1
    assert checked >= 10


def test_suggestions_are_most_covered_first_and_at_most_eight(client, imported_pages):
    found = suggested(client, "j")
    assert 1 <= len(found) <= 8
    counts = [s["count"] for s in found]
    assert counts == sorted(counts, reverse=True)
    assert suggested(client, "") == []
    assert suggested(client, "量子计算机") == []
    assert (
        client.get(reverse("articles:api_suggest"), {"q": "字" * 101}).status_code
        == 400
    )


def test_only_public_confirmed_names_are_suggested(client, gazetteer_db, reviewer):
    county = Place.objects.get(name="交城县")
    proposed = Place.objects.create(
        name="石门岭村", slug="shimenling", parent=county, is_confirmed=False
    )
    writer = Person.objects.create(name="郝文明", slug="hao")
    draft = article("草稿", status="review", people=[writer])
    article("已发布", places=[proposed])
    assert names(suggested(client, "石门")) == []
    assert names(suggested(client, "郝")) == []  # named only in a draft
    assert names(suggested(client, "hwm")) == []
    services.article_publish(article=draft, user=reviewer)
    assert names(suggested(client, "hwm")) == [("person", "郝文明")]
    assert suggested(client, "haowenming")[0]["count"] == 1
    services.entity_confirm(obj=proposed, user=reviewer)
    assert names(suggested(client, "石门")) == [("place", "石门岭村")]
    # The county's count now includes its confirmed village.
    assert suggested(client, "交城县")[0]["count"] == 1
    services.article_unpublish(article=draft, user=reviewer)
    assert names(suggested(client, "hwm")) == []


def test_counts_follow_bylines_merges_and_deletes(client, db, reviewer):
    first = Person.objects.create(name="韩冬梅", slug="han1")
    second = Person.objects.create(name="韩东梅", slug="han2")
    a1 = article("一", people=[first])
    article("二", people=[first, second])
    assert {s["name"]: s["count"] for s in suggested(client, "韩")} == {
        "韩冬梅": 2,
        "韩东梅": 1,
    }
    people_services.byline_delete(
        byline=Byline.objects.get(article=a1, person=first), user=reviewer
    )
    assert suggested(client, "韩冬")[0]["count"] == 1
    people_services.person_merge(keep=first, remove=second, user=reviewer)
    assert names(suggested(client, "韩")) == [("person", "韩冬梅")]
    assert suggested(client, "韩东梅") and suggested(client, "韩东梅")[0]["name"] == (
        "韩冬梅"
    )  # the merged name stays as an alias
    services.article_delete(article=Article.objects.get(headline="二"), user=reviewer)
    assert suggested(client, "韩") == []


def test_polyphones_give_every_reading(client, db):
    article("一", people=[Person.objects.create(name="重阳", slug="p1")])
    article("二", tags=["银行长廊"])
    for q in ("zhongyang", "chongyang", "zy", "cy"):
        assert names(suggested(client, q)) == [("person", "重阳")], q
    for q in ("yinhangchanglang", "yinxingzhanglang", "yhcl", "yxzl"):
        assert names(suggested(client, q)) == [("tag", "银行长廊")], q


def test_suggestions_are_escaped(client, db):
    article("一", people=[Person.objects.create(name="<b>王&", slug="p1")])
    response = client.get(reverse("articles:api_suggest"), {"q": "<b"})
    text = response.content.decode()
    assert "<b>" not in text and "\\u003cb\\u003e王\\u0026" in text
    assert response.json()["suggestions"][0]["name"] == "<b>王&"


def test_suggest_is_one_indexed_query(
    client, imported_pages, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        suggested(client, "jc")


# --- pinyin queries ---------------------------------------------------------------


@pytest.mark.parametrize("q", ["jiaocheng", "jiao cheng", "jc", "JiaoCheng"])
def test_pinyin_query_finds_what_its_chinese_finds(imported_pages, q):
    chinese = article_search(params={"q": "交城", "page_size": 100})
    result = article_search(params={"q": q, "page_size": 100})
    assert result.read_as == "交城" and result.typed == q
    assert [a.pk for a in result.articles] == [a.pk for a in chinese.articles]
    assert result.count == chinese.count > 0


def test_pinyin_reads_headline_words_not_bodies(db):
    hit = article("扶贫车间开工", body="工人上岗。")
    article("别的消息", body="村里的合作社开始分红。")
    assert suggestions.pinyin_readings("chejian") == ["车间"]
    assert article_search(params={"q": "chejian"}).articles == [hit]
    # 合作社 is printed in a body only: its pinyin reads nothing.
    result = article_search(params={"q": "hezuoshe"})
    assert result.count == 0 and not result.read_as


def test_pinyin_parts_are_read_one_by_one(db):
    hit = article("扶贫车间开工 交城新闻")
    assert suggestions.pinyin_readings("fupin chejian") == ["扶贫 车间"]
    assert article_search(params={"q": "fupin chejian"}).articles == [hit]


def test_latin_that_is_printed_is_searched_as_printed(db):
    hit = article("新闻", body="网址 jiaocheng.gov.cn 可查。")
    result = article_search(params={"q": "jiaocheng"})
    assert result.articles == [hit] and not result.read_as


def test_search_page_says_how_pinyin_was_read(client, imported_pages):
    html = client.get("/search/", {"q": "jiaocheng"}).content.decode()
    assert "按拼音读作“交城”" in html
    assert "<mark>交城</mark>" in html


# --- when nothing is found ----------------------------------------------------------


def test_zero_results_suggest_the_query_without_its_rarest_term(client, db):
    article("交城新闻", body="交城县扶贫车间。")
    result = article_search(params={"q": "交城 扶贫 量子"})
    assert result.count == 0
    assert [(h.label, h.query) for h in result.hints][0] == (
        "去掉最少见的“量子”",
        "交城 扶贫",
    )


def test_zero_results_suggest_a_near_name(client, db):
    article("新闻", body="交城县的消息。", places=[])
    Place.objects.create(name="交城县", slug="jc-county")
    article("另一条", places=[Place.objects.get(slug="jc-county")])
    hints = article_search(params={"q": "交成县"}).hints
    assert ("相近的名称", "交城县") in [(h.label, h.query) for h in hints]


def test_zero_results_suggest_mainland_wording(db):
    article("软件园开园", body="新的软件企业入驻。")
    result = article_search(params={"q": "軟體"})
    assert result.count == 0
    assert ("按大陆简体用词", "软件") in [(h.label, h.query) for h in result.hints]


def test_zero_result_page_links_hints_escaped(client, db):
    article("交城新闻", body="交城县扶贫车间。")
    html = client.get("/search/", {"q": "交城 <i>量子"}).content.decode()
    assert "<i>" not in html
    assert "去掉最少见的" in html
    assert 'href="?q=%E4%BA%A4%E5%9F%8E' in html or "q=%E4%BA%A4%E5%9F%8E" in html


def test_hints_cost_nothing_when_there_are_results(db, monkeypatch):
    article("交城新闻", body="交城县扶贫车间。")

    def fail(*args, **kwargs):
        raise AssertionError("hints looked up for a search with results")

    monkeypatch.setattr(suggestions, "zero_result_hints", fail)
    monkeypatch.setattr(suggestions, "pinyin_reading_with_results", fail)
    assert article_search(params={"q": "交城"}).count == 1


def test_rebuild_command_fills_names(db):
    from django.core.management import call_command

    article("一", people=[Person.objects.create(name="重阳", slug="p1")])
    NameKey.objects.all().delete()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert NameKey.objects.filter(key="chongyang", article_count=1).exists()


def test_publishing_imports_add_to_the_counts(client, gazetteer_db):
    page = "本报讯 交城县西营镇新建扶贫车间，吸纳群众就业。（孙宝忠）\n"
    services.page_import(raw=page.encode(), filename="a.txt", publish=True)
    first = {s["name"]: s["count"] for s in suggested(client, "交城")}
    assert first.get("交城县") == 1
    again = page.replace("扶贫车间", "扶贫工厂")
    services.page_import(raw=again.encode(), filename="b.txt", publish=True)
    counts = {(s["kind"], s["name"]): s["count"] for s in suggested(client, "jc")}
    assert counts[("place", "交城县")] == 2
    for s in (
        suggested(client, "交城") + suggested(client, "孙") + suggested(client, "x")
    ):
        assert client.get(s["url"]).context["result"].count == s["count"], s
    # Replaced: counted again, not added to.
    services.page_import(
        raw=again.encode(), filename="b.txt", publish=True, replace=True
    )
    counts = {(s["kind"], s["name"]): s["count"] for s in suggested(client, "jc")}
    assert counts[("place", "交城县")] == 2
