"""Articles and captions: the change list with the site's search, the
change form, whose saves go through services."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from newsroom.admin_actions import report_each
from people import services as people_services
from people.models import Byline

from .. import search, services
from ..models import Article, Caption
from .base import (
    TABULAR,
    EstimatedCountPaginator,
    FlaggedFilter,
    PublicationFilter,
    ServiceDeleteMixin,
)
from .forms import ArticleForm
from .tools import ArticleToolsMixin


class BylineInline(admin.TabularInline):
    template = TABULAR
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "order"]


class CaptionInline(admin.TabularInline):
    template = TABULAR
    model = Caption
    extra = 0
    fields = ["text", "position"]
    fk_name = "article"


class ArticleAdminBase(ServiceDeleteMixin, SimpleHistoryAdmin):
    form = ArticleForm

    def delete_service(self, obj, user):
        services.article_delete(article=obj, user=user)

    list_select_related = ["page"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = ["headline"]  # replaced by the site's search engine below
    search_help_text = (
        "与网站相同的全文检索：任意字词、人名、数字；空格分隔表示同时出现"
    )

    class Media:
        # Column and input widths, and names for the autocomplete inputs.
        css = {"all": ["articles/admin.css"]}
        js = ["articles/admin-a11y.js"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        try:
            query = search.parse_query(search_term)
        except search.QueryError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return queryset.none(), False
        return search.matching(query, queryset), False

    @admin.display(description="来源版面")
    def page_link(self, obj):
        if not obj.page_id:
            return "—"
        url = reverse("admin:articles_page_change", args=[obj.page_id])
        return format_html('<a href="{}">{}</a>', url, obj.page.filename)

    @admin.display(description="审核提示")
    def flag_list(self, obj):
        labels = obj.flag_labels()
        if not labels:
            return "—"
        return format_html_join(
            "", '<span class="flag">⚑ {}</span><br>', ((label,) for label in labels)
        )

    def can_publish(self, request) -> bool:
        return request.user.has_perm("articles.publish_article")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.can_publish(request):
            actions.pop("publish", None)
            actions.pop("unpublish", None)
        return actions

    def _each(self, request, queryset, service, done: str):
        report_each(
            self,
            request,
            lambda a: service(article=a, user=request.user),
            queryset,
            done,
        )

    @admin.action(description="发布所选稿件")
    def publish(self, request, queryset):
        self._each(request, queryset, services.article_publish, "发布")

    @admin.action(description="撤回所选稿件（改为草稿）")
    def unpublish(self, request, queryset):
        self._each(request, queryset, services.article_unpublish, "撤回")

    @admin.action(description="送审所选稿件")
    def send_to_review(self, request, queryset):
        self._each(request, queryset, services.article_submit, "送审")

    @admin.action(description="标记为已核查（清除审核提示）")
    def mark_reviewed(self, request, queryset):
        self._each(request, queryset, services.article_mark_reviewed, "核查")


class RevisionChanges(HistoricalRecordContextHelper):
    """The revision list's "改动" column as staff read it: an empty value is
    "（空）" rather than Python's "None", yes/no in Chinese, lists joined
    with 、 rather than printed as "[a, b]"."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if value is None or value == "" or value == []:
            return "（空）"
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list):
            return "、".join(str(item) for item in value)
        return value


@admin.register(Article)
class ArticleAdmin(ArticleToolsMixin, ArticleAdminBase):
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
    list_filter = ["status", "kind", FlaggedFilter, PublicationFilter, "pub_date"]
    date_hierarchy = "pub_date"
    autocomplete_fields = ["page", "places", "programs"]
    readonly_fields = [
        "flag_list",
        "created_at",
        "updated_at",
        "version",
        "page_link",
        "is_edited",
    ]
    inlines = [BylineInline, CaptionInline]
    actions = ["publish", "send_to_review", "unpublish", "mark_reviewed"]
    change_form_template = "admin/articles/article/change_form.html"
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
        ("正文", {"fields": ["body", "byline_text", "kind"]}),
        ("发布", {"fields": ["status", "pub_date"]}),
        # The source page once (its autocomplete links to it); the review
        # flags once, as labels (they change through 标记已核查, not by
        # typing JSON); the version the editor started from is a hidden
        # input the template places, with no label of its own.
        ("来源", {"fields": ["page", "position"]}),
        ("标注", {"fields": ["places", "programs", "tags"]}),
        (
            "审核",
            {
                "fields": [
                    "flag_list",
                    "is_edited",
                    "version",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    object_history_list_template = "admin/articles/article/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return RevisionChanges(self.model, historical_record)

    def view_on_site(self, obj):
        # One "view on site" button, and only where the page exists.
        return obj.get_absolute_url() if obj.is_published else None

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.can_publish(request):
            fields.append("status")  # editors move status with 送审 only
        return fields

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/headline/",
                wrap(self.headline_view),
                name="articles_article_headline",
            ),
            path(
                "<int:pk>/split/", wrap(self.split_view), name="articles_article_split"
            ),
            path(
                "<int:pk>/merge/", wrap(self.merge_view), name="articles_article_merge"
            ),
            path(
                "<int:pk>/status/",
                wrap(self.status_view),
                name="articles_article_status",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            article = (
                Article.objects.filter(pk=object_id).select_related("page").first()
            )
            if article is not None:
                extra_context.update(
                    tools=True,
                    can_publish=self.can_publish(request),
                    article_obj=article,
                )
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "newsroom_restoring", False):
            form = type(form.__name__, (form,), {"restoring": True})
        return form

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.newsroom_restoring = True
        try:
            return super().history_form_view(
                request, object_id, version_id, extra_context
            )
        except services.WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        restoring = getattr(request, "newsroom_restoring", False)
        services.article_save(
            article=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
            reason="恢复旧版本" if restoring else "编辑",
        )

    def save_related(self, request, form, formsets, change):
        # The form's places, programs and tags are saved after the article:
        # the public counts of what they name follow them (and the bylines).
        with services.names_follow(article_ids=[form.instance.pk]):
            super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        # Bylines and captions are part of the article's search text: their
        # services keep the index current (article_save did the article's).
        if formset.model is Byline:
            save, delete = people_services.byline_save, people_services.byline_delete
            name = "byline"
        elif formset.model is Caption:
            save, delete = services.caption_save, services.caption_delete
            name = "caption"
        else:
            return super().save_formset(request, form, formset, change)
        for obj in formset.save(commit=False):
            save(**{name: obj}, user=request.user)
        for obj in formset.deleted_objects:
            delete(**{name: obj}, user=request.user)


@admin.register(Caption)
class CaptionAdmin(ServiceDeleteMixin, admin.ModelAdmin):
    list_display = ["__str__", "article", "page", "position"]
    search_fields = ["text"]
    autocomplete_fields = ["article", "page"]
    list_select_related = ["article", "page"]

    def save_model(self, request, obj, form, change):
        services.caption_save(caption=obj, user=request.user)

    def delete_service(self, obj, user):
        services.caption_delete(caption=obj, user=user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)
