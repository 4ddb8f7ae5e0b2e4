"""Staff correct where a page was printed and attach its original."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Issue, Page

pytestmark = pytest.mark.django_db


def form_data(client, page, **changes):
    response = client.get(reverse("admin:articles_page_change", args=[page.pk]))
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[f"{management.prefix}-{name}"] = (
                management.initial.get(name, field.initial) or 0
            )
        for index, inline in enumerate(formset.formset.forms):
            data[f"{formset.formset.prefix}-{index}-id"] = inline.instance.pk
            for name, value in inline.initial.items():
                if value is not None:
                    data[f"{formset.formset.prefix}-{index}-{name}"] = value
    data.update(changes)
    return data


def test_editor_corrects_a_pages_date_and_its_articles_follow(
    editor_client, printed_pages
):
    page = Page.objects.get(issue_date=date(2020, 10, 23), filename="01.txt")
    url = reverse("admin:articles_page_change", args=[page.pk])
    response = editor_client.post(
        url,
        form_data(
            editor_client,
            page,
            issue_date="2020-10-24",
            page_number="2",
            page_name="综合",
            issue_number="第88期",
        ),
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
        [
            f.formset.non_form_errors()
            for f in response.context["inline_admin_formsets"]
        ],
    )
    page.refresh_from_db()
    assert (page.issue_date, page.page_number, page.page_name) == (
        date(2020, 10, 24),
        2,
        "综合",
    )
    assert page.issue.number == "第88期"
    assert set(page.articles.values_list("pub_date", flat=True)) == {date(2020, 10, 24)}
    # It left its issue (the sample pages stay in theirs).
    assert not Issue.objects.get(date=date(2020, 10, 23)).pages.filter(pk=page.pk)


def test_a_scan_attached_to_a_text_page_shows_in_the_page_view(
    editor_client, client, printed_pages
):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 30), "white").save(buffer, format="PNG")
    page = Page.objects.get(issue_date=date(2020, 10, 23), filename="01.txt")
    url = reverse("admin:articles_page_change", args=[page.pk])
    data = form_data(editor_client, page)
    data["original_upload"] = SimpleUploadedFile("scan.png", buffer.getvalue())
    assert editor_client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.original.name.endswith("scan.png") and page.image == page.original
    html = client.get(page.get_absolute_url()).content.decode()
    assert f'<img src="{page.image.url}"' in html


def test_a_pdf_uploaded_through_the_admin_import_gets_its_picture(
    editor_client, printed_pages
):
    from tests.print.pdfmaker import cjk_pdf
    from tests.print.test_import_print import BODY, HEADLINE

    upload = SimpleUploadedFile("交城报_20201101_02.pdf", cjk_pdf([(HEADLINE, BODY)]))
    response = editor_client.post(
        reverse("admin:articles_page_import"), {"files": [upload]}
    )
    assert HEADLINE in response.content.decode()
    token = response.context["token"]
    editor_client.post(reverse("admin:articles_page_import_confirm"), {"token": token})
    from tests.conftest import work_the_queue

    assert work_the_queue() == 1
    page = Page.objects.get(filename="交城报_20201101_02.pdf")
    assert (page.issue_date, page.page_number) == (date(2020, 11, 1), 2)
    assert page.image.name.endswith(".png")
