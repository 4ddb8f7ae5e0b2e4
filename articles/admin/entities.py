"""Places and programs: confirm or reject what the importer proposed,
merge two names for one thing."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from newsroom.admin_actions import merge_action, report_each

from .. import services
from ..models import Place, Program
from .base import EntityAdminMixin


@admin.action(description="确认所选（不再标为新发现）")
def confirm_selected(modeladmin, request, queryset):
    report_each(
        modeladmin,
        request,
        lambda o: services.entity_confirm(obj=o, user=request.user),
        queryset,
        "确认",
    )


@admin.action(description="驳回所选新发现（解除关联并删除）")
def reject_selected(modeladmin, request, queryset):
    report_each(
        modeladmin,
        request,
        lambda o: services.entity_reject(obj=o, user=request.user),
        queryset,
        "驳回",
    )


@admin.register(Place)
class PlaceAdmin(EntityAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "parent_link",
        "aliases",
        "is_confirmed",
        "article_count",
    ]
    list_filter = ["is_confirmed", "kind"]
    search_fields = ["name", "aliases"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    actions = [
        confirm_selected,
        reject_selected,
        merge_action(services.place_merge, "地名"),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=Count("articles"))
            .order_by("name", "id")
        )

    @admin.display(description="上级")
    def parent_link(self, obj):
        if not obj.parent_id:
            return "—"
        url = reverse("admin:articles_place_change", args=[obj.parent_id])
        return format_html('<a href="{}">{}</a>', url, obj.parent.name)

    @admin.display(description="稿件数", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles


@admin.register(Program)
class ProgramAdmin(EntityAdminMixin, admin.ModelAdmin):
    list_display = ["name", "aliases", "is_confirmed", "article_count"]
    list_filter = ["is_confirmed"]
    search_fields = ["name", "aliases", "description"]
    actions = [
        confirm_selected,
        reject_selected,
        merge_action(services.program_merge, "政策项目"),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=Count("articles"))
            .order_by("name", "id")
        )

    @admin.display(description="稿件数", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles
