"""Admin actions shared by the articles and people apps: run a service
over a selection, and merge the selected rows into one.  The services do
the work and check permissions; these only ask and report."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render

from articles.services import WorkflowError


def report_each(modeladmin, request, func, queryset, done: str):
    """Run a service over a selection, reporting refusals per item."""
    ok = 0
    for obj in queryset:
        try:
            func(obj)
            ok += 1
        except WorkflowError as exc:
            modeladmin.message_user(request, f"“{obj}”：{exc}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, f"{ok} 项已{done}", messages.SUCCESS)


def service_action(name: str, service, description: str, done: str):
    """An admin action running `service(obj=…, user=…)` on each selected row."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        report_each(
            modeladmin,
            request,
            lambda obj: service(obj=obj, user=request.user),
            queryset,
            done,
        )

    action.__name__ = name  # the action's key in the admin's form
    return action


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=None, label="保留", widget=forms.RadioSelect)

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = queryset


def merge_action(merge_service, label: str, *, aliases: bool = True):
    """An admin action: merge the selected rows into the one staff keep
    (whose aliases take the others' names, unless `aliases` is False)."""

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
                except WorkflowError as exc:
                    modeladmin.message_user(request, str(exc), messages.ERROR)
                else:
                    kept = "，其他名称作为别名保留" if aliases else ""
                    modeladmin.message_user(
                        request, f"已合并到“{keep}”{kept}", messages.SUCCESS
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


class ServiceDeleteMixin:
    """Deleting through a service, one row at a time, refusals reported."""

    def delete_service(self, obj, user):
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.delete_service(obj, request.user)

    def delete_queryset(self, request, queryset):
        report_each(
            self,
            request,
            lambda obj: self.delete_service(obj, request.user),
            queryset,
            "删除",
        )
