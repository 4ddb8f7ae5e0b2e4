"""Places and programs: confirm or reject what the importer proposed,
merge two names for one thing."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from newsroom.admin_actions import merge_action, service_action

from .. import services
from ..models import Place, Program
from .base import EntityAdminMixin

confirm_selected = service_action(
    "confirm_selected", services.entity_confirm, "确认所选（不再标为新发现）", "确认"
)
reject_selected = service_action(
    "reject_selected",
    services.entity_reject,
    "驳回所选新发现（解除关联并删除）",
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

    @admin.display(description="上级")
    def parent_link(self, obj):
        if not obj.parent_id:
            return "—"
        url = reverse("admin:articles_place_change", args=[obj.parent_id])
        return format_html('<a href="{}">{}</a>', url, obj.parent.name)


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
