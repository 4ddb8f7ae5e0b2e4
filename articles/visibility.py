"""What readers may see of the people, places, programs and tags: each
has a public page only while a published article names it (a place: it or
a place under it), and a place or program only once staff confirmed it.
The pages, the feeds and the search filters all look them up here."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from taggit.models import Tag, TaggedItem

from people.models import Person

from . import search
from .models import Article, Place, Program


def _published_ids() -> QuerySet:
    return Article.objects.published().values("pk")


def place_get_public(*, slug: str) -> Place:
    place = get_object_or_404(
        Place.objects.select_related("parent"), slug=slug, is_confirmed=True
    )
    # Each article's own list of the places whose filter finds it (it and
    # the confirmed places above its own): one indexed lookup, where the
    # places under this one and their links were two statements and a
    # semi-join.
    if not search.in_place(Article.objects.published(), place.pk).exists():
        raise Http404("没有这个地点的已发布稿件")
    return place


def program_get_public(*, slug: str) -> Program:
    program = get_object_or_404(Program, slug=slug, is_confirmed=True)
    if not program.articles.published().exists():
        raise Http404("没有这个政策项目的已发布稿件")
    return program


def person_get_public(*, slug: str) -> Person:
    person = get_object_or_404(Person, slug=slug)
    if not person.bylines.filter(article__status=Article.Status.PUBLISHED).exists():
        raise Http404("没有这个人物的已发布稿件")
    return person


def tag_get_public(*, slug: str) -> Tag:
    tag = get_object_or_404(Tag, slug=slug)
    tagged = TaggedItem.objects.filter(
        tag=tag,
        content_type=ContentType.objects.get_for_model(Article),
        object_id__in=_published_ids(),
    )
    if not tagged.exists():
        raise Http404("没有这个标签的已发布稿件")
    return tag
