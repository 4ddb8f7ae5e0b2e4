"""Import runs: every import of page files, from the admin upload (in the
background, see tasks.py) or from `import_pages` (in the foreground), is
recorded here the same way, file by file.

Each file is imported by `services.page_import` in its own transaction, so a
worker killed mid-run leaves whole pages only; the files it did not reach
stay "not done" and running the import again finishes them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from . import services
from .models import Article, ImportFile, ImportRun
from .printmeta import PrintMeta, from_path, from_values


@dataclass
class FileOutcome:
    """What one file came to, for a caller drawing progress."""

    file: ImportFile
    result: services.PageImportResult | None = None


def _options(
    *, publication: str, issue_date: date | None, publish: bool, replace: bool
) -> dict:
    return {
        "publication": publication,
        "issue_date": issue_date.isoformat() if issue_date else "",
        "publish": publish,
        "replace": replace,
    }


def run_create_from_paths(
    *,
    paths: list[Path],
    label: str,
    publication: str = "",
    issue_date: date | None = None,
    publish: bool = False,
    replace: bool = False,
    user=None,
    print_meta: list | None = None,
) -> ImportRun:
    """A run over files on disk (`import_pages`); they are read when run.
    `print_meta`: where each file was printed (printmeta.PrintMeta), in the
    order of `paths`."""
    with transaction.atomic():
        run = ImportRun.objects.create(
            created_by=user,
            source=ImportRun.Source.COMMAND,
            source_label=label[:500],
            options=_options(
                publication=publication,
                issue_date=issue_date,
                publish=publish,
                replace=replace,
            )
            | (
                {"print": {str(n): m.as_json() for n, m in enumerate(print_meta)}}
                if print_meta
                else {}
            ),
        )
        ImportFile.objects.bulk_create(
            ImportFile(run=run, order=n, filename=p.name, source_path=str(p))
            for n, p in enumerate(paths)
        )
    return run


def run_create_from_uploads(
    *,
    uploads: list[tuple[str, bytes | File]],
    publication: str = "",
    issue_date: date | None = None,
    publish: bool = False,
    user=None,
    preview: bool = False,
) -> ImportRun:
    """A run over uploaded files, kept in media storage (not the session)
    until the worker imports them: queued now, or after staff confirm the
    preview (`run_queue`)."""
    names = [name for name, _ in uploads]
    with transaction.atomic():
        run = ImportRun.objects.create(
            created_by=user,
            source=ImportRun.Source.UPLOAD,
            status=ImportRun.Status.PREVIEW if preview else ImportRun.Status.QUEUED,
            source_label="、".join(names[:5])
            + (f" 等 {len(names)} 个文件" if len(names) > 5 else ""),
            options=_options(
                publication=publication,
                issue_date=issue_date,
                publish=publish,
                replace=False,
            ),
        )
        for n, (name, content) in enumerate(uploads):
            row = ImportFile(run=run, order=n, filename=name)
            # An uploaded file is copied in chunks, never read whole.
            if not isinstance(content, File):
                content = ContentFile(content)
            row.stored_file.save(name, content, save=False)
            row.save()
        if not preview:
            run_enqueue(run=run)
    return run


def run_for_preview(*, token, user) -> ImportRun | None:
    """The previewed run `user` uploaded, if it is still waiting."""
    try:
        pk = int(token)
    except (TypeError, ValueError):
        return None
    return ImportRun.objects.filter(
        pk=pk, created_by=user, status=ImportRun.Status.PREVIEW
    ).first()


def run_queue(*, run: ImportRun) -> None:
    """Staff confirmed the preview: the worker takes it from here."""
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED)
        run.status = ImportRun.Status.QUEUED
        run_enqueue(run=run)


def run_discard(*, run: ImportRun) -> None:
    """Staff cancelled the preview: the stored files and the run go."""
    with transaction.atomic():
        for file in run.files.all():
            if file.stored_file:
                file.stored_file.delete(save=False)
        run.delete()


def run_enqueue(*, run: ImportRun) -> None:
    """Queue the run for a worker.  Called inside the transaction that
    writes the run: the database backend's queue row commits (or not) with
    it, so a worker never sees a run that is not there."""
    from .tasks import import_run

    import_run.enqueue(run_id=run.pk)


def run_requeue(*, run: ImportRun) -> int:
    """Run the failed files and the ones an interrupted run did not reach
    again, in the same run; returns how many files were queued."""
    with transaction.atomic():
        files = run.files.filter(
            status__in=[ImportFile.Status.FAILED, ImportFile.Status.PENDING]
        )
        count = files.update(
            status=ImportFile.Status.PENDING,
            error="",
            warnings=[],
            changes={},
            finished_at=None,
        )
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.QUEUED, finished_at=None, current_file=""
        )
        if count:
            run_enqueue(run=run)
        else:
            _finish(run.pk)
    return count


def _read(file: ImportFile) -> bytes:
    if file.stored_file:
        with file.stored_file.open("rb") as handle:
            return handle.read()
    return Path(file.source_path).read_bytes()


def _finish(run_id: int) -> None:
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.DONE, finished_at=timezone.now(), current_file=""
    )


def run_execute(
    *, run_id: int, on_file: Callable[[FileOutcome], None] | None = None
) -> ImportRun:
    """Import the run's files not done yet, one page (one transaction) at a
    time, recording each file's outcome as it goes."""
    run = ImportRun.objects.get(pk=run_id)
    options = run.options
    issue_date = (
        date.fromisoformat(options["issue_date"]) if options.get("issue_date") else None
    )
    now = timezone.now()
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.RUNNING,
        started_at=run.started_at or now,
        heartbeat_at=now,
    )
    try:
        for file in run.files.filter(status=ImportFile.Status.PENDING).order_by(
            "order", "id"
        ):
            ImportRun.objects.filter(pk=run_id).update(
                current_file=file.filename, heartbeat_at=timezone.now()
            )
            outcome = _import_file(file, options, issue_date)
            if on_file is not None:
                on_file(outcome)
    except BaseException:
        # Stopped by a signal (or a crash): the page being imported rolled
        # back with its transaction; what is left stays pending.
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.INTERRUPTED, current_file=""
        )
        raise
    _finish(run_id)
    run.refresh_from_db()
    return run


def _print_meta(file: ImportFile, options: dict) -> PrintMeta:
    """Where the file was printed: as the command resolved it, or for an
    upload what its name says (交城报_20201020_03.pdf)."""
    given = options.get("print", {}).get(str(file.order))
    if given is not None:
        return from_values(given)
    return from_path(PurePath(file.filename))


def _import_file(file: ImportFile, options: dict, issue_date) -> FileOutcome:
    result = None
    try:
        raw = _read(file)
        result = services.page_import(
            raw=raw,
            filename=file.filename,
            publication=options.get("publication", ""),
            issue_date=issue_date,
            publish=bool(options.get("publish")),
            replace=bool(options.get("replace")),
            meta=_print_meta(file, options),
        )
    except services.PageImportError as exc:
        file.status, file.error = ImportFile.Status.FAILED, str(exc)
    except OSError as exc:
        file.status = ImportFile.Status.FAILED
        file.error = f"{file.filename}: 无法读取（{exc.strerror or exc}）"
    except DatabaseError as exc:
        # Left after page_import's own retries (a lock held too long, the
        # same collision three times): this file fails, the run goes on.
        file.status = ImportFile.Status.FAILED
        file.error = f"{file.filename}: 数据库暂时无法写入，请稍后重新导入（{exc}）"
    else:
        file.page = result.page
        file.warnings = result.warnings
        if result.status == "skipped":
            file.status = ImportFile.Status.SKIPPED
            file.skip_reason = (
                getattr(result, "skip_reason", "") or ImportFile.SkipReason.SAME_FILE
            )
        else:
            file.status = (
                ImportFile.Status.REPLACED
                if result.status == "replaced"
                else ImportFile.Status.IMPORTED
            )
            file.articles = len(result.articles)
            file.captions = result.captions
            file.flagged = result.flagged
            file.kept_edited = len(result.kept_edited)
            file.changes = result.changes
    file.finished_at = timezone.now()
    with transaction.atomic():
        file.save()
        ImportRun.objects.filter(pk=file.run_id).update(
            articles=F("articles") + file.articles,
            captions=F("captions") + file.captions,
            flagged=F("flagged") + file.flagged,
            heartbeat_at=timezone.now(),
        )
    return FileOutcome(file=file, result=result)


# --- reading runs -----------------------------------------------------------


def run_status(run: ImportRun) -> str:
    """The status staff see: a running run whose worker has gone silent
    (killed) is interrupted."""
    if run.status == ImportRun.Status.RUNNING:
        stale = timedelta(seconds=settings.NEWSROOM_RUN_STALE_SECONDS)
        if run.heartbeat_at is None or timezone.now() - run.heartbeat_at > stale:
            return ImportRun.Status.INTERRUPTED
    return run.status


def run_counts(run: ImportRun) -> dict:
    """Files per outcome: total, done, imported, skipped, replaced, failed,
    pending."""
    counts = run.files.aggregate(
        total=Count("id"),
        **{
            status: Count("id", filter=Q(status=status))
            for status in ImportFile.Status.values
        },
    )
    counts["done"] = counts["total"] - counts["pending"]
    return counts


def run_progress(run: ImportRun) -> dict:
    """What the run page polls: pages done / total, the file at hand, the
    errors so far."""
    counts = run_counts(run)
    status = run_status(run)
    errors = list(
        run.files.filter(status=ImportFile.Status.FAILED)
        .order_by("order", "id")
        .values_list("filename", "error")[:50]
    )
    return {
        "status": status,
        "status_label": ImportRun.Status(status).label,
        "finished": status in (ImportRun.Status.DONE, ImportRun.Status.INTERRUPTED),
        "done": counts["done"],
        "total": counts["total"],
        "counts": counts,
        "current_file": run.current_file,
        "articles": run.articles,
        "flagged": run.flagged,
        "errors": [{"filename": f, "error": e} for f, e in errors],
    }


def run_duration(run: ImportRun) -> timedelta | None:
    if run.started_at is None:
        return None
    return (run.finished_at or run.heartbeat_at or run.started_at) - run.started_at


def run_flagged_articles(run: ImportRun):
    """The flagged articles this run's pages hold, for staff to check."""
    return (
        Article.objects.filter(page__import_files__run=run)
        .exclude(flags=[])
        .distinct()
        .order_by("page_id", "position")
    )
