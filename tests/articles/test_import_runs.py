"""Import runs: recorded by `import_pages` and the admin upload alike, run in
the background by the task worker, interrupted by a killed worker and
finished by running them again."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles import runs, search, services
from articles.models import Article, ImportFile, ImportRun, Page
from tests.conftest import work_the_queue

pytestmark = pytest.mark.django_db

# Pages written for these tests (not from any real paper).
PAGE_TEXT = [
    "本报讯 近日，城关镇第{n}届农民运动会在镇文化广场开幕，来自各村的代表队参加了拔河、跳绳等比赛。"
    "镇里为获奖队伍颁发了奖品。（记者 王小明）\n\n城关镇举办第{n}届农民运动会\n",
    "本报讯 {n}月份以来，水利站组织技术人员深入田间，帮助农户检修灌溉设施，保障春耕用水。"
    "目前已检修水渠{n}十余处。（通讯员 李红）\n\n水利站助力春耕灌溉\n",
]


def page(n: int, kind: int = 0) -> bytes:
    return PAGE_TEXT[kind].format(n=n).encode()


def write_pages(folder, count: int, start: int = 1):
    folder.mkdir(exist_ok=True)
    for n in range(start, start + count):
        (folder / f"page-{n:03}.txt").write_bytes(page(n, n % 2))
    return folder


def run_command(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_pages", *args, stdout=out, stderr=err, **kwargs)
    except CommandError:
        pass
    return out.getvalue(), err.getvalue()


@pytest.fixture
def editor_client(client, django_user_model, gazetteer_db):
    user = django_user_model.objects.create_user(
        "bianji", password="pw-editor-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="编辑"))
    client.force_login(user)
    client.user = user
    return client


def test_import_pages_records_its_run_file_by_file(gazetteer_db, tmp_path):
    folder = write_pages(tmp_path / "pages", 3)
    (folder / "empty.txt").write_bytes(b"")
    out, err = run_command(str(folder), publication="交城报", issue_date="2021-03-01")
    assert "pages=3" in out and "failed=1" in out and "empty.txt" in err
    run = ImportRun.objects.get()
    assert run.source == ImportRun.Source.COMMAND and str(folder) in run.source_label
    assert run.options["publication"] == "交城报"
    assert run.options["issue_date"] == "2021-03-01"
    assert run.status == ImportRun.Status.DONE and run.finished_at >= run.started_at
    files = {f.filename: f for f in run.files.all()}
    assert files["empty.txt"].status == ImportFile.Status.FAILED
    assert "文件为空" in files["empty.txt"].error
    imported = [f for f in files.values() if f.status == ImportFile.Status.IMPORTED]
    assert len(imported) == 3 and all(f.page_id for f in imported)
    assert run.articles == Article.objects.count() == sum(f.articles for f in imported)
    assert run.flagged == Article.objects.flagged().count()

    # The same folder again: every page skipped, recorded in a second run.
    out, _ = run_command(str(folder), publication="交城报")
    again = ImportRun.objects.order_by("-id").first()
    counts = runs.run_counts(again)
    assert counts["skipped"] == 3 and counts["imported"] == 0
    assert "skipped=3" in out
    skipped = again.files.filter(status=ImportFile.Status.SKIPPED)
    assert {f.skip_reason for f in skipped} == {ImportFile.SkipReason.SAME_FILE}


def test_replace_run_records_replaced_files(gazetteer_db, tmp_path):
    folder = write_pages(tmp_path / "pages", 1)
    run_command(str(folder))
    run_command(str(folder), replace=True)
    run = ImportRun.objects.order_by("-id").first()
    assert run.options["replace"] is True
    assert run.files.get().status == ImportFile.Status.REPLACED


def test_admin_upload_queues_a_run_and_the_worker_imports_it(editor_client):
    files = [
        SimpleUploadedFile(f"p{n}.txt", page(n, n % 2))
        for n in range(1, 1 + 12)  # more than are previewed
    ]
    files.append(SimpleUploadedFile("broken.txt", b""))
    response = editor_client.post(
        reverse("admin:articles_page_import"),
        {"files": files, "publication": "交城报"},
    )
    # Returns at once with the run's page; nothing imported in the request,
    # nothing kept in the session.
    run = ImportRun.objects.get(source=ImportRun.Source.UPLOAD)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:articles_importrun_change", args=[run.pk]
    )
    assert Page.objects.count() == 0 and run.status == ImportRun.Status.QUEUED
    assert not any("import" in key for key in editor_client.session.keys())
    assert run.created_by == editor_client.user
    assert all(f.stored_file for f in run.files.all())

    report = editor_client.get(response["Location"]).content.decode()
    assert "排队中" in report and 'id="run-progress"' in report
    assert "articles/import-progress.js" in report
    progress = editor_client.get(
        reverse("admin:articles_importrun_progress", args=[run.pk])
    ).json()
    assert progress["done"] == 0 and progress["total"] == 13
    assert progress["finished"] is False

    assert work_the_queue() == 1
    progress = editor_client.get(
        reverse("admin:articles_importrun_progress", args=[run.pk])
    ).json()
    assert progress["done"] == progress["total"] == 13
    assert progress["status"] == "done" and progress["finished"] is True
    assert [e["filename"] for e in progress["errors"]] == ["broken.txt"]
    assert Page.objects.count() == 12

    report = editor_client.get(response["Location"]).content.decode()
    assert "已完成" in report and 'id="run-progress"' not in report
    assert "broken.txt" in report and "文件为空" in report
    for article in Article.objects.flagged():
        assert reverse("admin:articles_article_change", args=[article.pk]) in report
    # The failed file can be queued again from the report.
    assert 'id="rerun-button"' in report


def test_runs_list_is_in_chinese_and_for_importers_only(
    editor_client, client, django_user_model, tmp_path
):
    run_command(str(write_pages(tmp_path / "pages", 1)))
    html = editor_client.get(reverse("admin:articles_importrun_changelist")).content
    html = html.decode()
    assert "导入记录" in html and "命令行导入" in html and "已完成" in html
    outsider = django_user_model.objects.create_user(
        "wairen", password="pw-outsider-123", is_staff=True
    )
    client.force_login(outsider)
    run = ImportRun.objects.get()
    for url in (
        reverse("admin:articles_importrun_changelist"),
        reverse("admin:articles_importrun_change", args=[run.pk]),
        reverse("admin:articles_importrun_progress", args=[run.pk]),
    ):
        assert client.get(url).status_code == 403


def test_preview_cancel_deletes_the_stored_files(editor_client):
    response = editor_client.post(
        reverse("admin:articles_page_import"),
        {"files": [SimpleUploadedFile("one.txt", page(1))]},
    )
    run = ImportRun.objects.get(source=ImportRun.Source.UPLOAD)
    assert run.status == ImportRun.Status.PREVIEW
    stored = run.files.get().stored_file
    storage, name = stored.storage, stored.name
    assert storage.exists(name)
    editor_client.post(
        reverse("admin:articles_page_import_confirm"),
        {"token": response.context["token"], "cancel": "1"},
    )
    assert not ImportRun.objects.filter(pk=run.pk).exists()
    assert not storage.exists(name) and work_the_queue() == 0


class Killed(BaseException):
    """What a signal does to the worker mid-page (SystemExit from its handler)."""


def test_killed_worker_leaves_whole_pages_and_rerun_finishes(
    editor_client, monkeypatch
):
    files = [SimpleUploadedFile(f"p{n}.txt", page(n, n % 2)) for n in range(1, 5)]
    editor_client.post(
        reverse("admin:articles_page_import"), {"files": files, "queue": "1"}
    )
    run = ImportRun.objects.get(source=ImportRun.Source.UPLOAD)
    real_index = search.index_new_articles
    calls = {"n": 0}

    def dies_on_the_third_page(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            # Killed after the page's articles were written, before its
            # transaction committed.
            assert Article.objects.filter(page__filename="p3.txt").exists()
            raise Killed
        return real_index(**kwargs)

    monkeypatch.setattr(search, "index_new_articles", dies_on_the_third_page)
    work_the_queue()  # the worker records the task as failed and goes on
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INTERRUPTED
    # No half page: the third page and its articles are not there at all.
    assert set(Page.objects.values_list("filename", flat=True)) == {"p1.txt", "p2.txt"}
    assert not Article.objects.filter(page__isnull=True).exists()
    pending = run.files.filter(status=ImportFile.Status.PENDING)
    assert sorted(pending.values_list("filename", flat=True)) == ["p3.txt", "p4.txt"]

    report = editor_client.get(
        reverse("admin:articles_importrun_change", args=[run.pk])
    ).content.decode()
    assert "已中断" in report and "未完成 2" in report

    monkeypatch.setattr(search, "index_new_articles", real_index)
    editor_client.post(reverse("admin:articles_importrun_rerun", args=[run.pk]))
    assert work_the_queue() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert runs.run_counts(run)["imported"] == 4
    assert Page.objects.count() == 4


def test_a_worker_gone_silent_shows_its_run_interrupted(gazetteer_db, settings):
    # SIGKILL leaves no chance to record anything: the run is still marked
    # running, but no file has finished for longer than the limit.
    run = runs.run_create_from_uploads(uploads=[("a.txt", page(1))], preview=True)
    run.status = ImportRun.Status.RUNNING
    run.heartbeat_at = timezone.now() - timedelta(
        seconds=settings.NEWSROOM_RUN_STALE_SECONDS + 1
    )
    run.save()
    assert runs.run_status(run) == ImportRun.Status.INTERRUPTED
    run.heartbeat_at = timezone.now()
    assert runs.run_status(run) == ImportRun.Status.RUNNING
    run.heartbeat_at -= timedelta(seconds=settings.NEWSROOM_RUN_STALE_SECONDS + 1)
    run.save()
    assert runs.run_requeue(run=run) == 1
    assert work_the_queue() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and Page.objects.count() == 1


# --- the same page saved again differently -----------------------------------------


def test_same_page_with_other_spacing_and_punctuation_width_is_already_imported(
    gazetteer_db, tmp_path
):
    text = page(7).decode()
    resaved = (
        text.replace("，", ",")
        .replace("（", "(")
        .replace("）", ")")
        .replace("。", "。 ")
        .replace("\n\n", "\n \n\n")
        .replace("7", "７")
    )
    assert resaved != text
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(text, "utf-8")
    (folder / "b.txt").write_text(resaved, "utf-8")
    out, _ = run_command(str(folder))
    assert "pages=1" in out and "skipped=1" in out
    assert Page.objects.count() == 1
    run = ImportRun.objects.get()
    skipped = run.files.get(filename="b.txt")
    assert skipped.status == ImportFile.Status.SKIPPED
    assert skipped.skip_reason == ImportFile.SkipReason.SAME_TEXT
    assert skipped.page == Page.objects.get(filename="a.txt")
    # A different page is no duplicate, though it differs by one character.
    (folder / "c.txt").write_text(text.replace("拔河", "拔 河、游泳"), "utf-8")
    out, _ = run_command(str(folder / "c.txt"))
    assert "pages=1" in out and Page.objects.count() == 2


def test_preview_names_a_resaved_page_already_imported(editor_client):
    services.page_import(raw=page(3), filename="first.txt")
    resaved = page(3).decode().replace("，", ",").replace("\n", "\r\n").encode()
    response = editor_client.post(
        reverse("admin:articles_page_import"),
        {"files": [SimpleUploadedFile("again.txt", resaved)]},
    )
    assert "已导入过" in response.content.decode()


def test_migration_fills_the_hash_of_pages_imported_before(gazetteer_db):
    from django.apps import apps as global_apps

    from articles import pagetext

    migration = __import__(
        "articles.migrations.0013_page_text_hash", fromlist=["fill_text_hashes"]
    )
    services.page_import(raw=page(5), filename="old.txt")
    Page.objects.update(text_hash="")
    migration.fill_text_hashes(global_apps, None)
    stored = Page.objects.get()
    assert stored.text_hash == pagetext.text_hash(stored.raw_text)
