"""Reading the archive for the public site: only published articles."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from people.models import Byline, Person

from .models import Article, Place, Program


def _with_relations(qs: QuerySet) -> QuerySet:
    return qs.select_related("page").prefetch_related(
        Prefetch(
            "bylines",
            queryset=Byline.objects.select_related("person").order_by("order", "id"),
        ),
    )


def article_list_public() -> QuerySet:
    return _with_relations(Article.objects.published().order_by("-pub_date", "-id"))


def article_get_public(*, slug: str) -> Article:
    qs = (
        Article.objects.published()
        .select_related("page")
        .prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("person").order_by(
                    "order", "id"
                ),
            ),
            "places",
            "programs",
            "tags",
            "captions",
        )
    )
    return get_object_or_404(qs, slug=slug)


def place_descendant_ids(place: Place) -> list[int]:
    """The place and everything under it (交城县 → its towns and villages)."""
    ids, frontier = [place.pk], [place.pk]
    while frontier:
        frontier = list(
            Place.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = [i for i in frontier if i not in ids]
        ids.extend(frontier)
    return ids


def articles_for_place(place: Place) -> QuerySet:
    return (
        article_list_public().filter(places__in=place_descendant_ids(place)).distinct()
    )


def articles_for_program(program: Program) -> QuerySet:
    return article_list_public().filter(programs=program)


def articles_for_person(person: Person) -> QuerySet:
    return article_list_public().filter(bylines__person=person).distinct()


def articles_for_tag(slug: str) -> QuerySet:
    return article_list_public().filter(tags__slug=slug).distinct()
