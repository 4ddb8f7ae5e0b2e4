"""What the article, page and entity screens share: the estimated-count
paginator (its estimate is the search backend's), list filters, and saving
or deleting through services."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.functional import cached_property

from newsroom.admin_actions import ServiceDeleteMixin

from .. import search, services
from ..models import Article, Page


class EstimatedCountPaginator(Paginator):
    """Counting a million-row table costs seconds on PostgreSQL; unfiltered
    lists use the planner's row estimate instead (the admin shows it)."""

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where:
            rows = search.backend().table_estimate(self.object_list.model)
            if rows and rows > 100_000:
                return rows
        return super().count


class PublicationFilter(admin.SimpleListFilter):
    """By newspaper, with articles from no named paper under a label of
    their own (Django's field filter gives them an empty link)."""

    title = "报纸"
    parameter_name = "publication"
    NONE = "_none"

    def lookups(self, request, model_admin):
        names = (
            Page.objects.exclude(publication="")
            .order_by("publication")
            .values_list("publication", flat=True)
            .distinct()
        )
        return [*((n, n) for n in names), (self.NONE, "（未注明报纸）")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NONE:
            return queryset.filter(Q(page__isnull=True) | Q(page__publication=""))
        if value:
            return queryset.filter(page__publication=value)
        return queryset


class FlaggedFilter(admin.SimpleListFilter):
    title = "审核提示"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [("any", "有提示"), ("none", "无提示"), *Article.Flag.choices]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "any":
            return queryset.flagged()
        if value == "none":
            return queryset.filter(flags=[])
        if value in Article.Flag.values:
            # JSON containment is not portable to SQLite; the codes are plain
            # words, so a quoted substring match is exact.
            return queryset.filter(flags__icontains=f'"{value}"')
        return queryset


TABULAR = "admin/articles/edit_inline/tabular.html"  # header cells named


class CountedListMixin:
    """A list with how many articles each row has (`counted`: the relation
    to them), ordered by `list_order`."""

    counted = "articles"
    list_order = ("name", "id")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=Count(self.counted))
            .order_by(*self.list_order)
        )

    @admin.display(description="稿件数", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles


class EntityAdminMixin(CountedListMixin, ServiceDeleteMixin):
    """Places and programs: saved and deleted through their services, listed
    with how many articles name them."""

    def save_model(self, request, obj, form, change):
        services.entity_save(obj=obj, user=request.user)

    def delete_service(self, obj, user):
        services.entity_delete(obj=obj, user=user)
