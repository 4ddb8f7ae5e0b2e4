"""Public pages.  Thin: read the request, call a selector, render."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from people.models import Person

from . import selectors
from .models import Place, Program

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    latest = selectors.article_list_public()[:PAGE_SIZE]
    return render(request, "articles/home.html", {"articles": latest})


def article_detail(request, slug):
    article = selectors.article_get_public(slug=slug)
    return render(request, "articles/article_detail.html", {"article": article})


def place_detail(request, slug):
    place = get_object_or_404(Place.objects.select_related("parent"), slug=slug)
    page = _page(request, selectors.articles_for_place(place))
    return render(
        request,
        "articles/place_detail.html",
        {"place": place, "page_obj": page, "children": place.children.order_by("name")},
    )


def program_detail(request, slug):
    program = get_object_or_404(Program, slug=slug)
    page = _page(request, selectors.articles_for_program(program))
    return render(
        request, "articles/program_detail.html", {"program": program, "page_obj": page}
    )


def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    page = _page(request, selectors.articles_for_person(person))
    return render(
        request, "articles/person_detail.html", {"person": person, "page_obj": page}
    )


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = _page(request, selectors.articles_for_tag(slug))
    return render(request, "articles/tag_detail.html", {"tag": tag, "page_obj": page})
