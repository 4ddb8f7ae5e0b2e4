"""Atom and RSS feeds: the latest articles, and per tag, place, person and
program."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import selectors

LIMIT = 30


class LatestFeed(Feed):
    title = "Newsroom 县报档案 · 最新稿件"
    description = "吕梁市县级报纸最新发布的稿件"

    def link(self):
        return reverse("articles:home")

    def items(self):
        return selectors.article_list_public()[:LIMIT]

    def item_title(self, item):
        return item.public_title  # 〔无题〕… when the page printed none

    def item_description(self, item):
        return item.body[:300]

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return "、".join(b.person.name for b in item.bylines.all()) or None


class _EntityFeed(LatestFeed):
    label = ""

    def get_object(self, request, slug):
        # The same things that have a public page (a 404 otherwise).
        return self.lookup(slug=slug)

    def title(self, obj):
        return f"Newsroom · {self.label}：{obj}"

    def link(self, obj):
        return (
            obj.get_absolute_url()
            if hasattr(obj, "get_absolute_url")
            else reverse("articles:tag_detail", args=[obj.slug])
        )

    def description(self, obj):
        return f"{self.label}“{obj}”的最新稿件"


class PlaceFeed(_EntityFeed):
    lookup, label = staticmethod(selectors.place_get_public), "地点"

    def items(self, obj):
        return selectors.articles_for_place(obj)[:LIMIT]


class ProgramFeed(_EntityFeed):
    lookup, label = staticmethod(selectors.program_get_public), "政策项目"

    def items(self, obj):
        return selectors.articles_for_program(obj)[:LIMIT]


class PersonFeed(_EntityFeed):
    lookup, label = staticmethod(selectors.person_get_public), "人物"

    def items(self, obj):
        return selectors.articles_for_person(obj)[:LIMIT]


class TagFeed(_EntityFeed):
    lookup, label = staticmethod(selectors.tag_get_public), "标签"

    def items(self, obj):
        return selectors.articles_for_tag(obj.slug)[:LIMIT]


def atom(feed_class):
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )
