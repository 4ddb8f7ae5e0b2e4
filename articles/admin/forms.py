"""The admin's forms: the article form (with the version it was begun
from) and the page upload form."""

from django import forms

from .. import services
from ..models import Article


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
        if self.instance.pk:
            try:
                services.article_check_version(
                    article=self.instance,
                    expected_version=cleaned.get("expected_version"),
                )
            except services.WorkflowError as exc:
                # The form is shown again with the editor's input in it.
                raise forms.ValidationError(
                    f"{exc}（您的输入仍在下面。）", code=exc.code
                ) from exc
        return cleaned


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
