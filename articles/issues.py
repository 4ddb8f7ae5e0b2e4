"""Writing where pages were printed: issues, page numbers, originals.

Services like those in services.py (keyword-only, <entity>_<action>); the
importer, the admin and the commands call them.  An article printed on a page
carries its page's date: when staff correct a page's date, its articles
follow.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from . import pdf
from .models import Article, Issue, Page
from .printmeta import PrintMeta

ORIGINAL_TYPES = {".pdf": "PDF", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}

NOT_ORIGINAL = "not_original"
PDF_UNREADABLE = "pdf_unreadable"


class OriginalError(ValueError):
    """A file that is not a PDF, PNG or JPEG page; `code` says why."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def original_kind(raw: bytes) -> str | None:
    """ ".pdf", ".png" or ".jpg" by the file's first bytes, not its name."""
    if pdf.is_pdf(raw):
        return ".pdf"
    for magic, suffix in _IMAGE_MAGIC.items():
        if raw.startswith(magic):
            return suffix
    return None


def page_text_from_pdf(*, raw: bytes, filename: str) -> str:
    limit = settings.NEWSROOM_MAX_ORIGINAL_BYTES
    if len(raw) > limit:
        raise OriginalError(
            f"{filename}: 文件过大（{len(raw)} 字节，上限 {limit} 字节）", "too_large"
        )
    try:
        text = pdf.extract_text(raw)
    except pdf.PdfError as exc:
        raise OriginalError(f"{filename}: {exc}", PDF_UNREADABLE) from exc
    if not text.strip():
        raise OriginalError(
            f"{filename}: PDF 没有文字层（扫描件请先识别文字，或作为原版附在文本版面上）",
            PDF_UNREADABLE,
        )
    return text


def issue_for(*, publication: str, issue_date, number: str = "") -> Issue | None:
    """The issue of a publication on a date (made on first use); None when
    either is unknown — a page with no date belongs to no issue."""
    if not publication or issue_date is None:
        return None
    issue, created = Issue.objects.get_or_create(
        publication=publication, date=issue_date, defaults={"number": number}
    )
    if number and not created and issue.number != number:
        issue.number = number
        issue.save(update_fields=["number"])
    return issue


def page_set_print(
    *, page: Page, meta: PrintMeta, keep: bool = False, announce: bool = True
) -> Page:
    """Set where a page was printed and date its articles by it.

    With `keep`, fields the page already has stay (a re-import with less
    information does not erase what staff entered)."""
    if keep:
        meta = PrintMeta(
            publication=page.publication,
            issue_date=page.issue_date,
            issue_number=page.issue.number if page.issue else "",
            page_number=page.page_number,
            page_name=page.page_name,
        ).over(meta)
    with transaction.atomic():
        old_issue = page.issue
        page.publication = meta.publication
        page.issue_date = meta.issue_date
        page.page_number = meta.page_number
        page.page_name = meta.page_name
        page.issue = issue_for(
            publication=meta.publication,
            issue_date=meta.issue_date,
            number=meta.issue_number,
        )
        page.save(
            update_fields=[
                "publication",
                "issue_date",
                "page_number",
                "page_name",
                "issue",
            ]
        )
        Article.objects.filter(page=page).update(pub_date=meta.issue_date)
        if old_issue is not None and old_issue != page.issue:
            # An issue no page is left in is no issue (a corrected date).
            Issue.objects.filter(pk=old_issue.pk, pages__isnull=True).delete()
        if announce:
            from .services import public_changed

            transaction.on_commit(public_changed)
    return page


def page_attach_original(
    *, page: Page, raw: bytes, filename: str, announce: bool = True
) -> Page:
    """Keep the printed page (PDF, PNG, JPEG) and a PNG picture of it for
    the page view, rendered now so no request renders it again."""
    kind = original_kind(raw)
    if kind is None:
        raise OriginalError(f"{filename}: 只能附加 PDF、PNG 或 JPEG 文件", NOT_ORIGINAL)
    limit = settings.NEWSROOM_MAX_ORIGINAL_BYTES
    if len(raw) > limit:
        raise OriginalError(
            f"{filename}: 文件过大（{len(raw)} 字节，上限 {limit} 字节）", "too_large"
        )
    name = PurePath(filename).name
    if PurePath(name).suffix.lower() != kind and not (
        kind == ".jpg" and name.lower().endswith(".jpeg")
    ):
        name = PurePath(name).stem + kind
    if kind == ".pdf":
        try:
            picture = pdf.render_png(raw)
        except pdf.PdfError as exc:
            raise OriginalError(f"{filename}: {exc}", PDF_UNREADABLE) from exc
    old = [f.name for f in (page.original, page.image) if f]
    page.original.save(name, ContentFile(raw), save=False)
    if kind == ".pdf":
        page.image.save(PurePath(name).stem + ".png", ContentFile(picture), save=False)
    else:
        # A scan is its own picture.
        page.image.name = page.original.name
    page.save(update_fields=["original", "image"])
    storage = page.original.storage
    for stale in set(old) - {page.original.name, page.image.name}:
        transaction.on_commit(lambda stale=stale: storage.delete(stale))
    if announce:
        from .services import public_changed

        transaction.on_commit(public_changed)
    return page
