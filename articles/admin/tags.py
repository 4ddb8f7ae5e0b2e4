"""Tags: rename, delete and merge through the services (django-taggit's own
admin, replaced here, wrote to the tables directly and spoke English)."""

from django.contrib import admin
from django.db.models import Count
from taggit.models import Tag

from newsroom.admin_actions import ServiceDeleteMixin, merge_action

from .. import services

admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(ServiceDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [merge_action(services.tag_merge, "标签", aliases=False)]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=Count("taggit_taggeditem_items"))
            .order_by("name", "id")
        )

    @admin.display(description="稿件数", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles

    def save_model(self, request, obj, form, change):
        services.tag_save(tag=obj, user=request.user)

    def delete_service(self, obj, user):
        services.tag_delete(tag=obj, user=user)
