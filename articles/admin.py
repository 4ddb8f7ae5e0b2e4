"""The staff's workbench.  Every change goes through services.py, which also
checks permissions; the admin only shows, asks and reports."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from people.models import Byline

from . import runs, search, services
from .admin_print import PagePrintForm, PagePrintMixin
from .models import Article, Caption, Page, Place, Program, ReviewItem

admin.site.site_header = "Newsroom 报纸档案管理"
admin.site.site_title = "Newsroom"
admin.site.index_title = "稿件、版面与人物"


# --- helpers ----------------------------------------------------------------------


class EstimatedCountPaginator(Paginator):
    """Counting a million-row table costs seconds on PostgreSQL; unfiltered
    lists use the planner's row estimate instead (the admin shows it)."""

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [self.object_list.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > 100_000:
                return int(row[0])
        return super().count


def _report(modeladmin, request, func, queryset, done: str):
    """Run a service over a selection, reporting refusals per item."""
    ok = 0
    for obj in queryset:
        try:
            func(obj)
            ok += 1
        except services.WorkflowError as exc:
            modeladmin.message_user(request, f"“{obj}”：{exc}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, f"{ok} 项已{done}", messages.SUCCESS)


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


# --- articles ---------------------------------------------------------------------


TABULAR = "admin/articles/edit_inline/tabular.html"  # header cells named


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


class ArticleForm(forms.ModelForm):
    # The version the editor started from; saving over a newer one is refused.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "kicker",
            "headline",
            "subtitle",
            "suggested_headline",
            "slug",
            "body",
            "byline_text",
            "kind",
            "status",
            "pub_date",
            "page",
            "position",
            "places",
            "programs",
            "tags",
        ]
        # Sized for what they hold: headlines run to 30-40 characters, a body
        # to 3,000 (admin.css sets the widths).
        widgets = {
            name: forms.TextInput(attrs={"class": "vTextField newsroom-wide"})
            for name in ("kicker", "headline", "subtitle", "suggested_headline")
        } | {
            "byline_text": forms.TextInput(attrs={"class": "vTextField newsroom-wide"}),
            "body": forms.Textarea(attrs={"rows": 40, "class": "newsroom-body"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    # Restoring an old revision starts, on purpose, from an older version.
    restoring = False

    def clean(self):
        cleaned = super().clean()
        if self.restoring:
            cleaned["expected_version"] = None
            return cleaned
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            current = (
                Article.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != expected:
                raise forms.ValidationError(
                    "保存失败：在您编辑期间，这篇稿件已被他人修改并保存（版本 %(theirs)s，您的是 %(yours)s）。"
                    "您的输入仍在下面；请对照“历史”中的最新修改后再保存。",
                    code=services.CONFLICT,
                    params={"theirs": current, "yours": expected},
                )
        return cleaned


class ArticleAdminBase(SimpleHistoryAdmin):
    form = ArticleForm
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
        _report(
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


@admin.register(Article)
class ArticleAdmin(ArticleAdminBase):
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
        super().save_related(request, form, formsets, change)
        search.index_articles(articles=[form.instance])

    # -- fix tools --

    def _article(self, request, pk) -> Article:
        article = get_object_or_404(Article.objects.select_related("page"), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def _back(self, article):
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk])
        )

    def _tool_page(self, request, article, template, **context):
        return render(
            request,
            f"admin/articles/article/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "article": article,
                "title": context.pop("title", str(article)),
                **context,
            },
        )

    def headline_view(self, request, pk):
        """Choose the headline from the page's unassigned headline lines, or type one."""
        article = self._article(request, pk)
        lines = services.page_headline_lines(article.page) if article.page else []
        if request.method == "POST":
            chosen = request.POST.get("headline") or request.POST.get("custom", "")
            try:
                services.article_set_headline(
                    article=article, headline=chosen, user=request.user
                )
            except services.WorkflowError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request, f"标题已设为“{article.headline}”", messages.SUCCESS
                )
                return self._back(article)
        return self._tool_page(
            request, article, "headline.html", lines=lines, title="选择标题"
        )

    def split_view(self, request, pk):
        article = self._article(request, pk)
        if request.method == "POST":
            try:
                second = services.article_split(
                    article=article,
                    at=int(request.POST.get("at", 0)),
                    user=request.user,
                )
            except (ValueError, services.WorkflowError) as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request, f"已拆分，后半部分为新稿件 #{second.pk}", messages.SUCCESS
                )
                return self._back(article)
        return self._tool_page(
            request,
            article,
            "split.html",
            paragraphs=list(enumerate(article.paragraphs())),
            title="拆分稿件",
        )

    def merge_view(self, request, pk):
        article = self._article(request, pk)
        neighbours = (
            Article.objects.filter(page_id=article.page_id)
            .exclude(pk=article.pk)
            .order_by("position")
            if article.page_id
            else Article.objects.none()
        )
        if request.method == "POST":
            other = Article.objects.filter(pk=request.POST.get("other") or 0).first()
            if other is None:
                self.message_user(request, "请选择要并入的稿件", messages.ERROR)
            else:
                try:
                    services.article_merge(
                        first=article, second=other, user=request.user
                    )
                except services.WorkflowError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                else:
                    self.message_user(
                        request, "已合并，内容接在本稿之后", messages.SUCCESS
                    )
                    return self._back(article)
        return self._tool_page(
            request, article, "merge.html", neighbours=neighbours, title="合并转续稿件"
        )

    def status_view(self, request, pk):
        article = self._article(request, pk)
        if request.method != "POST":
            return self._back(article)
        action = request.POST.get("action")
        operations = {
            "publish": (services.article_publish, "已发布"),
            "unpublish": (services.article_unpublish, "已撤回"),
            "submit": (services.article_submit, "已送审"),
            "reviewed": (services.article_mark_reviewed, "已标记为核查完毕"),
        }
        if action not in operations:
            self.message_user(request, "未知操作", messages.ERROR)
            return self._back(article)
        func, done = operations[action]
        try:
            func(article=article, user=request.user)
        except services.WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return self._back(article)


# How much each review flag needs a person: an article without a headline
# cannot go out as it is; text joined from elsewhere may be wrong; a byline
# may name the wrong person; a new place or program only needs a yes or no.
NEED_WEIGHTS = {
    Article.Flag.NO_HEADLINE: 8,
    Article.Flag.JOINED: 6,
    Article.Flag.POSSIBLE_CONTINUATION: 5,
    Article.Flag.UNKNOWN_BYLINE: 4,
    Article.Flag.WEAK_HEADLINE: 3,
    Article.Flag.NEW_PLACE: 2,
    Article.Flag.NEW_PROGRAM: 2,
    Article.Flag.REPRINT: 3,
    Article.Flag.NO_BYLINE: 1,
}


def _need_score():
    """The sum of the weights of an article's flags, in SQL.  The codes are
    plain words, so a quoted substring of the JSON text is exact on both
    databases (JSON containment is not portable to SQLite)."""
    score = Value(0)
    for code, weight in NEED_WEIGHTS.items():
        score = score + Case(
            When(flags__icontains=f'"{code}"', then=Value(weight)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return score


@admin.register(ReviewItem)
class ReviewQueueAdmin(ArticleAdminBase):
    """Flagged articles first, the reasons shown, fixed in a click."""

    list_display = [
        "__str__",
        "flag_list",
        "status",
        "page_link",
        "position",
        "updated_at",
    ]
    list_filter = [FlaggedFilter, "status", "kind", PublicationFilter]
    actions = ["mark_reviewed", "publish", "send_to_review"]
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .exclude(status=Article.Status.PUBLISHED, flags=[])
            .prefetch_related(
                Prefetch(
                    "places",
                    queryset=Place.objects.filter(is_confirmed=False),
                    to_attr="new_places",
                ),
                Prefetch(
                    "programs",
                    queryset=Program.objects.filter(is_confirmed=False),
                    to_attr="new_programs",
                ),
            )
        )

    def get_ordering(self, request):
        # Most need first; equal need in page order.
        return [_need_score().desc(), "page_id", "position", "id"]

    @admin.display(description="审核提示")
    def flag_list(self, obj):
        """The reasons, naming the place or program that was new."""
        labels = dict(Article.Flag.choices)
        new_names = {
            Article.Flag.NEW_PLACE: getattr(obj, "new_places", []),
            Article.Flag.NEW_PROGRAM: getattr(obj, "new_programs", []),
        }
        reasons = []
        for code in sorted(obj.flags, key=lambda c: -NEED_WEIGHTS.get(c, 0)):
            label = labels.get(code, code)
            names = "、".join(x.name for x in new_names.get(code, []))
            reasons.append(f"{label}：{names}" if names else label)
        if not reasons:
            return "—"
        return format_html_join(
            "", '<span class="flag">⚑ {}</span><br>', ((r,) for r in reasons)
        )

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Work on an item in the full article form with its tools.
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[object_id])
        )


# --- pages and imports ------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # Empty files reach the importer, which names them in its error.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(label="版面文件（.txt 或 .pdf，可多选）")
    publication = forms.CharField(
        label="报纸", max_length=100, required=False, help_text="如 交城报"
    )
    issue_date = forms.DateField(
        label="出版日期", required=False, help_text="YYYY-MM-DD"
    )
    publish = forms.BooleanField(label="直接发布（需要发布权限）", required=False)


# Up to this many files are previewed before they are queued.
PREVIEW_LIMIT = 10


class ArticleOnPageInline(admin.TabularInline):
    template = TABULAR
    model = Article
    extra = 0
    fields = ["position", "article_link", "kind", "status", "flag_list"]
    readonly_fields = ["article_link", "flag_list", "position", "kind", "status"]
    ordering = ["position"]
    can_delete = False

    @admin.display(description="稿件")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, str(obj))

    @admin.display(description="审核提示")
    def flag_list(self, obj):
        return "、".join(obj.flag_labels()) or "—"

    def has_add_permission(self, request, obj=None):
        return False


class PageCaptionInline(admin.TabularInline):
    template = TABULAR
    model = Caption
    extra = 0
    fields = ["text", "article", "position"]
    autocomplete_fields = ["article"]
    fk_name = "page"


@admin.register(Page)
class PageAdmin(PagePrintMixin, admin.ModelAdmin):
    list_display = [
        "filename",
        "publication",
        "issue_date",
        "page_number",
        "page_name",
        "article_count",
        "imported_at",
    ]
    list_filter = ["publication", "issue_date"]
    search_fields = ["filename", "publication", "sha256"]
    date_hierarchy = "imported_at"
    readonly_fields = [
        "sha256",
        "imported_at",
        "leftover_list",
        "raw_text_view",
        "original_link",
    ]
    form = PagePrintForm
    fields = [
        "filename",
        "publication",
        "issue_date",
        "issue_number",
        "page_number",
        "page_name",
        "original_upload",
        "original_link",
        "sha256",
        "imported_at",
        "leftover_list",
    ]
    inlines = [ArticleOnPageInline, PageCaptionInline]
    change_list_template = "admin/articles/page/change_list.html"
    change_form_template = "admin/articles/page/change_form.html"
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=Count("articles"))
            .order_by("-imported_at", "-id")
        )

    @admin.display(description="稿件数", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles

    @admin.display(description="未归属文本")
    def leftover_list(self, obj):
        if not obj.leftovers:
            return "—"
        labels = Page.LEFTOVER_LABELS
        return format_html_join(
            "",
            "<div>[{}] {}</div>",
            (
                (
                    labels.get(item.get("kind"), item.get("kind", "")),
                    item.get("text", ""),
                )
                for item in obj.leftovers
            ),
        )

    @admin.display(description="原始文本")
    def raw_text_view(self, obj):
        return format_html('<pre class="raw-text">{}</pre>', obj.raw_text)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Caption:
            return super().save_formset(request, form, formset, change)
        # Moving a caption to another article goes through the service, so
        # both articles' search text is updated.
        for caption in formset.save(commit=False):
            services.caption_save(caption=caption, user=request.user)
        for caption in formset.deleted_objects:
            services.caption_delete(caption=caption, user=request.user)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="articles_page_import"),
            path(
                "import/confirm/",
                wrap(self.import_confirm_view),
                name="articles_page_import_confirm",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload page files; show what the importer proposes, save nothing."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "上传版面",
        }
        if request.method == "POST" and form.is_valid():
            if form.cleaned_data["publish"] and not request.user.has_perm(
                "articles.publish_article"
            ):
                form.add_error("publish", "您没有发布权限；稿件将进入待审。")
                return render(request, "admin/articles/page/import.html", context)
            uploads = [(u.name, u.read()) for u in form.cleaned_data["files"]]
            # The files go to media storage with a run; a few are previewed
            # first, many are queued at once (the report shows progress).
            run = runs.run_create_from_uploads(
                uploads=uploads,
                publication=form.cleaned_data["publication"],
                issue_date=form.cleaned_data["issue_date"],
                publish=form.cleaned_data["publish"],
                user=request.user,
                preview=len(uploads) <= PREVIEW_LIMIT and "queue" not in request.POST,
            )
            if run.status != run.Status.PREVIEW:
                return HttpResponseRedirect(
                    reverse("admin:articles_importrun_change", args=[run.pk])
                )
            previews, errors = [], []
            for name, raw in uploads:
                try:
                    parsed, warnings = services.page_preview(raw=raw, filename=name)
                except services.PageImportError as exc:
                    errors.append(str(exc))
                    continue
                previews.append(
                    {
                        "filename": name,
                        "page": parsed,
                        "warnings": warnings,
                        "already": services.page_exists(raw=raw),
                    }
                )
            context.update(
                previews=previews, errors=errors, token=run.pk, title="导入预览"
            )
            return render(request, "admin/articles/page/import_preview.html", context)
        return render(request, "admin/articles/page/import.html", context)

    def import_confirm_view(self, request):
        """Queue what was previewed (the same run service as import_pages),
        or drop it."""
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        run = runs.run_for_preview(token=request.POST.get("token"), user=request.user)
        if run is None:
            self.message_user(request, "预览已过期，请重新上传", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_page_import"))
        if "cancel" in request.POST:
            runs.run_discard(run=run)
            self.message_user(request, "已取消导入，没有保存任何内容", messages.INFO)
            return HttpResponseRedirect(reverse("admin:articles_page_changelist"))
        runs.run_queue(run=run)
        return HttpResponseRedirect(
            reverse("admin:articles_importrun_change", args=[run.pk])
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            page = Page.objects.filter(pk=object_id).first()
            if page is not None:
                extra_context["raw_text"] = page.raw_text
                extra_context["page_articles"] = page.articles.order_by("position")
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.WorkflowError as exc:  # a caption move the user may not make
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)


# --- places and programs ------------------------------------------------------------


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=None, label="保留", widget=forms.RadioSelect)

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = queryset


def merge_action(merge_service, label: str):
    """An admin action: merge the selected rows into the one staff keep."""

    @admin.action(description=f"合并所选{label}（所有关联移到保留的一项）")
    def action(modeladmin, request, queryset):
        if queryset.count() < 2:
            modeladmin.message_user(request, "请至少选择两项再合并", messages.WARNING)
            return None
        if "do_merge" in request.POST:
            form = MergeForm(request.POST, queryset=queryset)
            if form.is_valid():
                keep = form.cleaned_data["keep"]
                try:
                    for other in queryset.exclude(pk=keep.pk):
                        merge_service(keep=keep, remove=other, user=request.user)
                except services.WorkflowError as exc:
                    modeladmin.message_user(request, str(exc), messages.ERROR)
                else:
                    modeladmin.message_user(
                        request,
                        f"已合并到“{keep}”，其他名称作为别名保留",
                        messages.SUCCESS,
                    )
                return None
        else:
            form = MergeForm(queryset=queryset, initial={"keep": queryset.first()})
        return render(
            request,
            "admin/merge_confirm.html",
            {
                **modeladmin.admin_site.each_context(request),
                "opts": modeladmin.model._meta,
                "form": form,
                "queryset": queryset,
                "action": request.POST.get("action"),
                "title": f"合并{label}",
            },
        )

    action.__name__ = f"merge_{label}"
    return action


@admin.action(description="确认所选（不再标为新发现）")
def confirm_selected(modeladmin, request, queryset):
    _report(
        modeladmin,
        request,
        lambda o: services.entity_confirm(obj=o, user=request.user),
        queryset,
        "确认",
    )


@admin.action(description="驳回所选新发现（解除关联并删除）")
def reject_selected(modeladmin, request, queryset):
    _report(
        modeladmin,
        request,
        lambda o: services.entity_reject(obj=o, user=request.user),
        queryset,
        "驳回",
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
class ProgramAdmin(admin.ModelAdmin):
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


@admin.register(Caption)
class CaptionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "page", "position"]
    search_fields = ["text"]
    autocomplete_fields = ["article", "page"]
    list_select_related = ["article", "page"]

    def save_model(self, request, obj, form, change):
        services.caption_save(caption=obj, user=request.user)

    def delete_model(self, request, obj):
        services.caption_delete(caption=obj, user=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)


# Import runs: list, report, progress (kept in their own module).
from . import admin_runs  # noqa: E402, F401
