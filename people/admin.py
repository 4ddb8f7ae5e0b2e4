from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from newsroom.admin_actions import ServiceDeleteMixin, merge_action

from . import services
from .models import Byline, Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    actions = [merge_action(services.person_merge, "人物")]
    list_display = ["name", "affiliation", "aliases", "byline_count", "created_at"]
    list_filter = ["affiliation"]
    search_fields = ["name", "aliases", "affiliation"]

    def save_model(self, request, obj, form, change):
        # A renamed person's articles are re-indexed by the service.
        services.person_save(person=obj, user=request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_bylines=Count("bylines"))
            .order_by("name", "id")
        )

    @admin.display(description="署名次数", ordering="n_bylines")
    def byline_count(self, obj):
        return obj.n_bylines


@admin.register(Byline)
class BylineAdmin(ServiceDeleteMixin, admin.ModelAdmin):
    list_display = ["person", "role", "article_link", "order"]
    list_filter = ["role"]
    search_fields = ["person__name", "article__headline"]
    autocomplete_fields = ["person", "article"]
    list_select_related = ["person", "article"]

    def save_model(self, request, obj, form, change):
        services.byline_save(byline=obj, user=request.user)

    def delete_service(self, obj, user):
        services.byline_delete(byline=obj, user=user)

    @admin.display(description="稿件")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, str(obj.article))
