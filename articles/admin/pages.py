"""Pages and the upload wizard: choose files, preview what the importer
will make of them, confirm."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .. import runs, services
from ..admin_print import PagePrintForm, PagePrintMixin
from ..models import Article, Caption, Page
from .base import TABULAR, CountedListMixin, ServiceDeleteMixin
from .forms import UploadForm

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
class PageAdmin(CountedListMixin, PagePrintMixin, ServiceDeleteMixin, admin.ModelAdmin):
    list_order = ("-imported_at", "-id")
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

    def save_model(self, request, obj, form, change):
        services.page_save(page=obj, user=request.user)
        self.save_print(request, obj, form)

    def delete_service(self, obj, user):
        services.page_delete(page=obj, user=user)

    @admin.display(description="未归属文本")
    def leftover_list(self, obj):
        if not obj.leftovers:
            return "—"
        labels = dict(Page.LeftoverKind.choices)
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
            uploads = form.cleaned_data["files"]
            # The files go to media storage with a run, streamed as Django
            # received them (a year of PDFs is gigabytes); a few are
            # previewed first, many are queued at once (the report shows
            # progress).
            run = runs.run_create_from_uploads(
                uploads=[(u.name, u) for u in uploads],
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
            for upload in uploads:
                upload.seek(0)
                name, raw = upload.name, upload.read()
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
                        "already": services.page_exists(
                            raw=raw,
                            filename=name,
                            publication=form.cleaned_data["publication"],
                            issue_date=form.cleaned_data["issue_date"],
                        ),
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
