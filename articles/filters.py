"""The public filters (django-filter): tag, place, person, program, kind,
publication, year, month.  A place includes everything under it."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from taggit.models import TaggedItem

from people.models import Byline

from . import selectors
from .models import Article


class ArticleFilter(django_filters.FilterSet):
    tag = django_filters.CharFilter(method="filter_tag", label="标签")
    place = django_filters.CharFilter(method="filter_place", label="地点")
    person = django_filters.CharFilter(method="filter_person", label="人物")
    program = django_filters.CharFilter(method="filter_program", label="政策项目")
    kind = django_filters.ChoiceFilter(choices=Article.Kind.choices, label="体裁")
    publication = django_filters.CharFilter(
        field_name="page__publication", label="报纸"
    )
    year = django_filters.NumberFilter(
        field_name="pub_date__year", label="年份", min_value=1900, max_value=2100
    )
    month = django_filters.NumberFilter(
        field_name="pub_date__month", label="月份", min_value=1, max_value=12
    )

    class Meta:
        model = Article
        fields = [
            "tag",
            "place",
            "person",
            "program",
            "kind",
            "publication",
            "year",
            "month",
        ]

    def _lookup(self, getter, slug, label):
        # The same things a reader can open a page for (selectors.*_public):
        # nothing only drafts name, no place or program staff did not confirm.
        try:
            return getter(slug=slug)
        except Http404:
            raise forms.ValidationError(f"未知的{label}：{slug[:40]}") from None

    # Many-to-many filters use `pk IN (subquery)` rather than joins, so an
    # article never comes back twice and counts need no DISTINCT.
    def filter_tag(self, queryset, name, value):
        tag = self._lookup(selectors.tag_get_public, value, "标签")
        tagged = TaggedItem.objects.filter(
            tag=tag, content_type=ContentType.objects.get_for_model(Article)
        ).values("object_id")
        return queryset.filter(pk__in=tagged)

    def filter_place(self, queryset, name, value):
        place = self._lookup(selectors.place_get_public, value, "地点")
        links = Article.places.through.objects.filter(
            place_id__in=selectors.place_descendant_ids(place)
        )
        return queryset.filter(pk__in=links.values("article_id"))

    def filter_person(self, queryset, name, value):
        person = self._lookup(selectors.person_get_public, value, "人物")
        return queryset.filter(
            pk__in=Byline.objects.filter(person=person).values("article_id")
        )

    def filter_program(self, queryset, name, value):
        program = self._lookup(selectors.program_get_public, value, "政策项目")
        links = Article.programs.through.objects.filter(program=program)
        return queryset.filter(pk__in=links.values("article_id"))

    def filter_queryset(self, queryset):
        try:
            return super().filter_queryset(queryset)
        except forms.ValidationError as exc:
            self.errors.setdefault("__all__", self.form.error_class()).extend(
                exc.messages
            )
            return queryset.none()
