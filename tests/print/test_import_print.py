"""import_pages with print data: a year's tree in one run, PDFs, the
samples with no invented dates."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Issue, Page
from tests.conftest import PAGES
from tests.print.conftest import page_text, run
from tests.print.pdfmaker import cjk_pdf

pytestmark = pytest.mark.django_db


def test_a_year_of_issue_folders_in_one_run(year_tree):
    out = run("import_pages", str(year_tree), publish=True)
    assert "pages=4" in out and "failed=0" in out
    issue = Issue.objects.get(publication="交城报", date=date(2020, 10, 20))
    assert [p.page_number for p in issue.pages.order_by("page_number")] == [1, 3]
    page = Page.objects.get(issue=issue, page_number=3)
    assert page.number_label == "第03版"
    assert set(page.articles.values_list("pub_date", flat=True)) == {date(2020, 10, 20)}
    assert Issue.objects.count() == 3


def test_command_options_win_over_the_path(year_tree):
    run(
        "import_pages",
        str(year_tree / "2020-10-23"),
        page_number="5",
        page_name="专版",
        issue_number="1234",
    )
    page = Page.objects.get()
    assert (page.issue_date, page.page_number, page.page_name) == (
        date(2020, 10, 23),
        5,
        "专版",
    )
    assert page.issue.number == "1234"


def test_a_bad_manifest_stops_the_run_before_anything_is_imported(tmp_path):
    (tmp_path / "a.txt").write_bytes(page_text("一条消息"))
    (tmp_path / "manifest.csv").write_text("file,date\na.txt,20-10-2020\n", "utf-8")
    with pytest.raises(CommandError, match="manifest.csv"):
        run("import_pages", str(tmp_path))
    assert not Page.objects.exists()


def test_sample_pages_have_no_invented_date(gazetteer_db):
    """The sample texts print no date: 交城报 from the manifest, no date, no
    issue, and no article dated the day of the import."""
    run("import_pages", str(PAGES), publish=True)
    assert set(Page.objects.values_list("publication", flat=True)) == {"交城报"}
    assert not Page.objects.exclude(issue_date=None).exists()
    assert not Issue.objects.exists()
    assert not Article.objects.exclude(pub_date=None).exists()


def test_publishing_an_article_from_an_undated_page_keeps_it_undated(
    gazetteer_db, django_user_model
):
    from articles import services

    run("import_pages", str(PAGES))
    reviewer = django_user_model.objects.create_superuser("r", password="pw-r-12345")
    article = Article.objects.first()
    services.article_publish(article=article, user=reviewer)
    assert Article.objects.get(pk=article.pk).pub_date is None


HEADLINE = "县图书馆新馆开放"
BODY = [
    "　本报讯 十月二十日上午，县图书",
    "馆新馆正式向读者开放。新馆藏",
    "书十二万册，设有少儿阅览区。",
    "　开馆当天，读者排起了长队。",
    "（记者 王小明）",
]


def test_a_pdf_page_is_parsed_and_kept_with_its_picture(tmp_path):
    pdf = tmp_path / "交城报_20201020_03.pdf"
    pdf.write_bytes(cjk_pdf([(HEADLINE, BODY)]))
    out = run("import_pages", str(tmp_path), publish=True)
    assert "pages=1" in out
    page = Page.objects.get()
    assert (page.publication, page.issue_date, page.page_number) == (
        "交城报",
        date(2020, 10, 20),
        3,
    )
    assert page.original.name.endswith(".pdf")
    assert page.original.read().startswith(b"%PDF-")
    assert page.image.name.endswith(".png")
    assert page.image.read().startswith(b"\x89PNG")
    article = page.articles.get()
    assert article.headline == HEADLINE
    # Lines joined into the two printed paragraphs (the indents survive).
    assert [p[:6] for p in article.paragraphs()] == ["本报讯十月二", "开馆当天，读"]
    assert [b.person.name for b in article.bylines.all()] == ["王小明"]


def test_a_pdf_with_no_text_layer_is_refused_by_name(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    drawing = canvas.Canvas(str(path))
    drawing.rect(10, 10, 100, 100)
    drawing.save()
    with pytest.raises(CommandError):
        call_command("import_pages", str(path), stdout=open("/dev/null", "w"))
    assert not Page.objects.exists()


def test_a_corrected_date_moves_the_page_and_drops_its_empty_issue(year_tree):
    from articles import issues
    from articles.printmeta import PrintMeta

    run("import_pages", str(year_tree / "2020-10-23"))
    page = Page.objects.get()
    issues.page_set_print(
        page=page, meta=PrintMeta(publication="交城报", issue_date=date(2020, 10, 24))
    )
    assert list(Issue.objects.values_list("date", flat=True)) == [date(2020, 10, 24)]
    assert set(page.articles.values_list("pub_date", flat=True)) == {date(2020, 10, 24)}


def test_a_pdf_page_whose_import_fails_leaves_no_file_in_storage(tmp_path, monkeypatch):
    """One transaction a page loses nothing and leaves nothing: the PDF and
    its picture, stored during the import, go when the import rolls back."""
    from django.core.files.storage import default_storage

    from articles import reprints, services

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(reprints, "reprints_store", broken)

    def stored(folder=""):
        folders, files = default_storage.listdir(folder)
        for name in files:
            yield f"{folder}/{name}"
        for sub in folders:
            yield from stored(f"{folder}/{sub}".lstrip("/"))

    # The test storage lives as long as the process: other tests' files.
    before = set(stored())
    raw = cjk_pdf([(HEADLINE, BODY)])
    with pytest.raises(RuntimeError):
        services.page_import(raw=raw, filename="交城报_20201020_03.pdf")
    assert not Page.objects.exists()
    assert set(stored()) - before == set()
