"""Atom and RSS feeds: the latest articles, and per tag, place, person and
program."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.timezone import get_current_timezone

from . import selectors, visibility
from .views import read_only

LIMIT = 30


# Page text is plain text, but readers render an RSS <description> and an
# Atom summary of type "html" as markup: a <script> printed on a page would
# run in the reader.  RSS has no "text" type, so its description is the text
# HTML-escaped (the reader shows the characters); Atom says type="text".
class PlainTextRss(Rss201rev2Feed):
    def add_item_elements(self, handler, item):
        if item.get("description"):
            item = {**item, "description": escape(item["description"])}
        super().add_item_elements(handler, item)


class PlainTextAtom(Atom1Feed):
    def add_item_elements(self, handler, item):
        summary = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})


class LatestFeed(Feed):
    feed_type = PlainTextRss

    def __call__(self, request, *args, **kwargs):
        # GET, HEAD and OPTIONS like every public page; writes are 405.
        return read_only(super().__call__)(request, *args, **kwargs)

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
        # The day it was printed; an article with no known date has none in
        # the feed (its import time is not when it was published).
        if item.pub_date is None:
            return None
        return datetime.combine(item.pub_date, time(0), tzinfo=get_current_timezone())

    def item_updateddate(self, item):
        return item.updated_at

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
    lookup, label = staticmethod(visibility.place_get_public), "地点"

    def items(self, obj):
        return selectors.articles_for_place(obj)[:LIMIT]


class ProgramFeed(_EntityFeed):
    lookup, label = staticmethod(visibility.program_get_public), "政策项目"

    def items(self, obj):
        return selectors.articles_for_program(obj)[:LIMIT]


class PersonFeed(_EntityFeed):
    lookup, label = staticmethod(visibility.person_get_public), "人物"

    def items(self, obj):
        return selectors.articles_for_person(obj)[:LIMIT]


class TagFeed(_EntityFeed):
    lookup, label = staticmethod(visibility.tag_get_public), "标签"

    def items(self, obj):
        return selectors.articles_for_tag(obj.slug)[:LIMIT]


def atom(feed_class):
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": PlainTextAtom, "subtitle": feed_class.description},
    )
