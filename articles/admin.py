"""The staff's workbench.  Saving and actions go through services.py."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from people.models import Byline

from . import services
from .models import Article, Caption, Page, Place, Program

admin.site.site_header = "Newsroom 报纸档案管理"
admin.site.site_title = "Newsroom"
admin.site.index_title = "稿件、版面与人物"


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


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "order"]


class CaptionInline(admin.TabularInline):
    model = Caption
    extra = 0
    fields = ["text", "position"]
    fk_name = "article"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "pub_date",
        "page_link",
        "position",
        "flag_list",
        "updated_at",
    ]
    list_filter = ["status", "kind", FlaggedFilter, "page__publication", "pub_date"]
    search_fields = ["headline", "kicker", "subtitle", "body", "slug"]
    date_hierarchy = "pub_date"
    list_select_related = ["page"]
    autocomplete_fields = ["page", "places", "programs"]
    readonly_fields = [
        "flag_list",
        "created_at",
        "updated_at",
        "version",
        "source_link",
    ]
    inlines = [BylineInline, CaptionInline]
    actions = ["publish", "send_to_review", "unpublish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kicker",
                    "headline",
                    "subtitle",
                    "suggested_headline",
                    "slug",
                ]
            },
        ),
        ("正文", {"fields": ["body", "kind"]}),
        ("发布", {"fields": ["status", "pub_date"]}),
        ("来源", {"fields": ["page", "position", "source_link"]}),
        ("标注", {"fields": ["places", "programs", "tags"]}),
        (
            "审核",
            {
                "fields": [
                    "flag_list",
                    "flags",
                    "is_edited",
                    "version",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description="来源版面")
    def page_link(self, obj):
        if not obj.page_id:
            return "—"
        url = reverse("admin:articles_page_change", args=[obj.page_id])
        return format_html('<a href="{}">{}</a>', url, obj.page.filename)

    @admin.display(description="来源")
    def source_link(self, obj):
        return self.page_link(obj)

    @admin.display(description="审核提示")
    def flag_list(self, obj):
        labels = obj.flag_labels()
        if not labels:
            return "—"
        return format_html_join(
            "", '<span class="flag">{}</span><br>', ((label,) for label in labels)
        )

    def save_model(self, request, obj, form, change):
        obj.is_edited = obj.is_edited or change
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.search.index_articles(articles=[form.instance])

    def _set_status(self, request, queryset, status, label):
        for article in queryset:
            services.article_set_status(article=article, status=status)
        self.message_user(
            request, f"{queryset.count()} 篇稿件已{label}", messages.SUCCESS
        )

    @admin.action(description="发布所选稿件")
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED, "发布")

    @admin.action(description="送审所选稿件")
    def send_to_review(self, request, queryset):
        self._set_status(request, queryset, Article.Status.REVIEW, "送审")

    @admin.action(description="撤回为草稿")
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT, "撤回")


class ArticleOnPageInline(admin.TabularInline):
    model = Article
    extra = 0
    fields = ["position", "article_link", "kind", "status", "flags"]
    readonly_fields = ["article_link", "flags"]
    ordering = ["position"]
    show_change_link = True
    can_delete = False

    @admin.display(description="稿件")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, str(obj))

    def has_add_permission(self, request, obj=None):
        return False


class PageCaptionInline(admin.TabularInline):
    model = Caption
    extra = 0
    fields = ["text", "article", "position"]
    autocomplete_fields = ["article"]
    fk_name = "page"


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "publication",
        "issue_date",
        "page_label",
        "article_count",
        "imported_at",
    ]
    list_filter = ["publication", "issue_date"]
    search_fields = ["filename", "publication", "sha256"]
    date_hierarchy = "imported_at"
    readonly_fields = ["sha256", "imported_at", "leftover_list", "raw_text"]
    fields = [
        "filename",
        "publication",
        "issue_date",
        "page_label",
        "sha256",
        "imported_at",
        "leftover_list",
        "raw_text",
    ]
    inlines = [ArticleOnPageInline, PageCaptionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description="稿件数", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles

    @admin.display(description="未归属文本")
    def leftover_list(self, obj):
        if not obj.leftovers:
            return "—"
        return format_html_join(
            "",
            "<div>[{}] {}</div>",
            ((item.get("kind", ""), item.get("text", "")) for item in obj.leftovers),
        )


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "parent_link",
        "aliases",
        "is_confirmed",
        "article_count",
    ]
    list_filter = ["kind", "is_confirmed"]
    search_fields = ["name", "aliases"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {}
    list_select_related = ["parent"]

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
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "aliases", "is_confirmed", "article_count"]
    list_filter = ["is_confirmed"]
    search_fields = ["name", "aliases", "description"]

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


@admin.register(Caption)
class CaptionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "page", "position"]
    search_fields = ["text"]
    autocomplete_fields = ["article", "page"]
    list_select_related = ["article", "page"]
