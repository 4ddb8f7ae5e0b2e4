"""The page form's print fields (date, 期号, 版次, 版名, original): saved
through the issues services, so a corrected date reaches the page's
articles and an attached PDF gets its picture."""

from django import forms
from django.contrib import messages
from django.utils.html import format_html

from . import issues
from .models import Page
from .printmeta import PrintMeta


class PagePrintForm(forms.ModelForm):
    issue_number = forms.CharField(label="期号", max_length=50, required=False)
    original_upload = forms.FileField(
        label="附加原版",
        required=False,
        help_text="版面的 PDF 或扫描图（PNG、JPEG）；替换已有的原版",
    )

    class Meta:
        model = Page
        fields = ["filename", "publication", "issue_date", "page_number", "page_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.issue_id:
            self.fields["issue_number"].initial = self.instance.issue.number

    def clean_original_upload(self):
        upload = self.cleaned_data.get("original_upload")
        if upload:
            head = upload.read(16)
            upload.seek(0)
            if issues.original_kind(head) is None:
                raise forms.ValidationError(
                    "只能附加 PDF、PNG 或 JPEG 文件", code=issues.NOT_ORIGINAL
                )
        return upload


class PagePrintMixin:
    def original_link(self, obj):
        if not obj.original:
            return "—"
        return format_html(
            '<a href="{}">{}</a>{}',
            obj.original.url,
            obj.original.name.rsplit("/", 1)[-1],
            format_html(' · <a href="{}">版面图</a>', obj.image.url)
            if obj.image
            else "",
        )

    original_link.short_description = "原版文件"

    def save_print(self, request, obj, form):
        """After the page's own fields are saved: its print details through
        the issues services (a corrected date reaches its articles)."""
        data = form.cleaned_data
        issues.page_set_print(
            page=obj,
            meta=PrintMeta(
                publication=data.get("publication") or "",
                issue_date=data.get("issue_date"),
                issue_number=data.get("issue_number") or "",
                page_number=data.get("page_number"),
                page_name=data.get("page_name") or "",
            ),
        )
        upload = data.get("original_upload")
        if upload:
            try:
                issues.page_attach_original(
                    page=obj, raw=upload.read(), filename=upload.name
                )
            except issues.OriginalError as exc:
                self.message_user(request, str(exc), messages.ERROR)
