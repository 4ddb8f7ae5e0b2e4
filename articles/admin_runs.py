"""Import runs in the admin: the list, one run as a report staff act on
(flagged articles, failed files, re-run), and its live progress as JSON."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from . import changes, runs
from .models import ImportFile, ImportRun


def _can_import(request) -> bool:
    # Whoever may import pages may read and re-run imports.
    return request.user.has_perm("articles.add_page")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "created_at",
        "created_by",
        "source",
        "source_label",
        "status_shown",
        "file_summary",
        "articles",
        "flagged",
        "duration",
    ]
    list_display_links = ["id", "created_at"]
    list_filter = ["source", "status"]
    list_select_related = ["created_by"]
    show_full_result_count = False

    class Media:
        css = {"all": ["articles/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(None)

    @admin.display(description="状态")
    def status_shown(self, obj):
        return ImportRun.Status(runs.run_status(obj)).label

    @admin.display(description="文件")
    def file_summary(self, obj):
        c = runs.run_counts(obj)
        parts = [f"共 {c['total']}"]
        for status in ImportFile.Status:
            if c[status.value] and status != ImportFile.Status.PENDING:
                parts.append(f"{status.label} {c[status.value]}")
        if c["pending"]:
            parts.append(f"未完成 {c['pending']}")
        return "，".join(parts)

    @admin.display(description="用时")
    def duration(self, obj):
        spent = runs.run_duration(obj)
        if spent is None:
            return "—"
        seconds = int(spent.total_seconds())
        return (
            f"{seconds // 60} 分 {seconds % 60} 秒"
            if seconds >= 60
            else f"{seconds} 秒"
        )

    def has_module_permission(self, request):
        return _can_import(request)

    def has_view_permission(self, request, obj=None):
        return _can_import(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/progress/",
                wrap(self.progress_view),
                name="articles_importrun_progress",
            ),
            path(
                "<int:pk>/rerun/",
                wrap(require_POST(self.rerun_view)),
                name="articles_importrun_rerun",
            ),
            *super().get_urls(),
        ]

    def _run(self, request, pk) -> ImportRun:
        if not _can_import(request):
            raise PermissionDenied
        return get_object_or_404(ImportRun, pk=pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self._run(request, object_id)
        counts = runs.run_counts(run)
        status = runs.run_status(run)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(run),
            "run": run,
            "status": status,
            "status_label": ImportRun.Status(status).label,
            "finished": status in (ImportRun.Status.DONE, ImportRun.Status.INTERRUPTED),
            "counts": counts,
            "duration": self.duration(run),
            "files": run.files.select_related("page").order_by("order", "id"),
            "changed_files": [
                (file, changes.labelled(file.changes))
                for file in run.files.filter(
                    status=ImportFile.Status.REPLACED
                ).order_by("order", "id")
                if file.changes.get("articles")
            ],
            "failed": run.files.filter(status=ImportFile.Status.FAILED).order_by(
                "order", "id"
            ),
            "flagged_articles": runs.run_flagged_articles(run)[:500],
            "can_rerun": status != ImportRun.Status.QUEUED
            and status != ImportRun.Status.RUNNING
            and (counts["failed"] or counts["pending"]),
        }
        return render(request, "admin/articles/importrun/report.html", context)

    def progress_view(self, request, pk):
        return JsonResponse(runs.run_progress(self._run(request, pk)))

    def rerun_view(self, request, pk):
        run = self._run(request, pk)
        if runs.run_status(run) in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING):
            self.message_user(request, "该导入仍在进行，不能重新导入", messages.ERROR)
        else:
            count = runs.run_requeue(run=run)
            self.message_user(
                request,
                f"已重新排队 {count} 个失败或未完成的文件"
                if count
                else "没有需要重新导入的文件",
                messages.SUCCESS if count else messages.INFO,
            )
        return HttpResponseRedirect(
            reverse("admin:articles_importrun_change", args=[run.pk])
        )
