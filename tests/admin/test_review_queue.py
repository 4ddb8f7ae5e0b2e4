"""The review queue puts first what most needs a person, and says which
place or program the importer found new."""

import pytest
from django.urls import reverse

from articles.models import Article, Place, Program

pytestmark = pytest.mark.django_db

QUEUE = "admin:articles_reviewitem_changelist"
F = Article.Flag


def queue(client):
    response = client.get(reverse(QUEUE))
    assert response.status_code == 200
    return response, list(response.context["cl"].result_list)


def test_queue_orders_by_need_not_page_order(editor_client):
    Article.objects.update(status="review", flags=[])
    chosen = list(Article.objects.order_by("page_id", "position")[:6])
    flags = [
        [F.NEW_PLACE],
        [F.NO_HEADLINE, F.JOINED, F.UNKNOWN_BYLINE],
        [F.NO_BYLINE],
        [F.NO_HEADLINE],
        [F.UNKNOWN_BYLINE],
        [F.JOINED],
    ]
    for article, codes in zip(chosen, flags, strict=True):
        Article.objects.filter(pk=article.pk).update(flags=codes)
    _, rows = queue(editor_client)
    # Most need first: several problems, no headline, a joined continuation,
    # an uncertain byline, a new place, no byline.
    expected = [chosen[i].pk for i in (1, 3, 5, 4, 0, 2)]
    assert [a.pk for a in rows[:6]] == expected
    assert all(not a.flags for a in rows[6:])


def test_queue_names_the_new_place_and_program(editor_client):
    Article.objects.update(status="review", flags=[])
    article = Article.objects.order_by("pk").first()
    Article.objects.filter(pk=article.pk).update(flags=[F.NEW_PLACE, F.NEW_PROGRAM])
    place = Place.objects.create(
        name="新发现村", slug="xin-fa-xian-cun", kind="village", is_confirmed=False
    )
    program = Program.objects.create(
        name="新发现工程", slug="xin-fa-xian", is_confirmed=False
    )
    article.places.add(place, Place.objects.get(name="交城县"))
    article.programs.add(program)
    response, rows = queue(editor_client)
    text = response.content.decode()
    new_places = text.split("发现新的地名：")[1].split("<")[0].split("、")
    new_programs = text.split("发现新的政策项目：")[1].split("<")[0].split("、")
    assert "新发现村" in new_places and "交城县" not in new_places
    assert "新发现工程" in new_programs


def test_queue_query_count_is_pinned(editor_client, django_assert_max_num_queries):
    Article.objects.update(status="review")
    with django_assert_max_num_queries(14):
        editor_client.get(reverse(QUEUE))
