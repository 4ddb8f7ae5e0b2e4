"""Tags: rename, delete and merge through the services (django-taggit's own
admin, replaced here, wrote to the tables directly and spoke English)."""

from django.contrib import admin
from taggit.models import Tag

from newsroom.admin_actions import ServiceDeleteMixin, merge_action

from .. import services
from .base import CountedListMixin

admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(CountedListMixin, ServiceDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [merge_action(services.tag_merge, "标签", aliases=False)]
    counted = "taggit_taggeditem_items"

    def save_model(self, request, obj, form, change):
        services.tag_save(tag=obj, user=request.user)

    def delete_service(self, obj, user):
        services.tag_delete(tag=obj, user=user)
