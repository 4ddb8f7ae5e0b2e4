"""Tags in the admin: Chinese labels, and every change through the services,
so the tag pages, facets and the search box's suggestions follow (django-
taggit's own screen wrote to the tables directly, in English)."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles import search, services
from articles.models import Article, NameKey

pytestmark = pytest.mark.django_db


def tagged(headline: str, *tags: str) -> Article:
    article = Article.objects.create(
        headline=headline, body="正文。", slug=f"t{Article.objects.count()}"
    )
    with services.names_follow(article_ids=[article.pk]):
        article.status = Article.Status.PUBLISHED
        article.save()
        article.tags.add(*tags)
    search.index_articles(articles=[article])
    return article


def suggested(client, q):
    found = client.get(reverse("articles:api_suggest"), {"q": q}).json()
    return {(s["name"], s["count"]) for s in found["suggestions"] if s["kind"] == "tag"}


def test_tag_list_speaks_chinese_with_counts(editor_client):
    tagged("一", "秋收")
    page = editor_client.get(reverse("admin:taggit_tag_changelist")).content.decode()
    assert "稿件数" in page and "合并所选标签" in page
    assert "Merge selected tags" not in page


def test_renaming_a_tag_renames_what_readers_find(editor_client, client):
    tagged("一", "秋收")
    tag = Tag.objects.get(name="秋收")
    assert suggested(client, "秋收") == {("秋收", 1)}
    response = editor_client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]),
        {"name": "秋粮收购", "slug": tag.slug},
    )
    assert response.status_code == 302
    assert suggested(client, "秋收") == set()
    assert suggested(client, "秋粮") == {("秋粮收购", 1)}
    assert suggested(client, "qlsg") == {("秋粮收购", 1)}


def test_merging_tags_moves_their_articles_and_counts(reviewer_client, client):
    tagged("一", "秋收")
    tagged("二", "秋收", "秋粮收购")
    tagged("三", "秋粮收购")
    keep, remove = Tag.objects.get(name="秋收"), Tag.objects.get(name="秋粮收购")
    response = reviewer_client.post(
        reverse("admin:taggit_tag_changelist"),
        {
            "action": "merge_标签",
            "_selected_action": [keep.pk, remove.pk],
            "do_merge": "1",
            "keep": keep.pk,
        },
    )
    assert response.status_code == 302
    assert not Tag.objects.filter(pk=remove.pk).exists()
    assert {a.headline for a in Article.objects.filter(tags=keep)} == {"一", "二", "三"}
    assert suggested(client, "秋") == {("秋收", 3)}


def test_an_editor_cannot_merge_or_delete_tags(editor_client, editor):
    tagged("一", "秋收")
    tagged("二", "秋粮收购")
    ours = Tag.objects.filter(name__in=["秋收", "秋粮收购"])
    ids = list(ours.values_list("pk", flat=True))
    editor_client.post(
        reverse("admin:taggit_tag_changelist"),
        {
            "action": "merge_标签",
            "_selected_action": ids,
            "do_merge": "1",
            "keep": ids[0],
        },
        follow=True,
    )
    assert ours.count() == 2
    with pytest.raises(services.WorkflowError):
        services.tag_delete(tag=ours.first(), user=editor)


def test_deleting_a_tag_drops_its_suggestion(reviewer_client, client):
    tagged("一", "秋收")
    tag = Tag.objects.get(name="秋收")
    response = reviewer_client.post(
        reverse("admin:taggit_tag_delete", args=[tag.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert suggested(client, "秋收") == set()
    assert not NameKey.objects.filter(kind="tag", object_id=tag.pk).exists()
