"""Import runs: recorded by `import_pages` and the admin upload alike, run in
the background by the task worker, interrupted by a killed worker and
finished by running them again."""

import io
from datetime import date, timedelta

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


def test_the_same_text_printed_in_another_issue_is_a_page_of_its_own(
    gazetteer_db, tmp_path
):
    """A page of notices run again word for word in the next issue is a
    second printed page (its articles are reprints), not "already imported":
    only the same printing — no print data saying otherwise — is."""
    text = page(7).decode()
    first = tmp_path / "交城报_2020-10-20_第3版.txt"
    first.write_text(text, "utf-8")
    again = tmp_path / "交城报_2020-10-27_第3版.txt"
    again.write_text(text.replace("。", "。 "), "utf-8")  # other bytes, same text
    run_command(str(first))
    # The upload preview says the same as the import will do.
    raw = again.read_bytes()
    assert not services.page_exists(raw=raw, filename=again.name)
    assert services.page_exists(raw=raw, filename=first.name)
    assert services.page_exists(raw=raw)  # nothing says it is another printing
    out, _ = run_command(str(again))
    assert "pages=1" in out and "skipped=0" in out
    assert sorted(Page.objects.values_list("issue_date", flat=True)) == [
        date(2020, 10, 20),
        date(2020, 10, 27),
    ]
    reprinted = Article.objects.filter(page__issue_date=date(2020, 10, 27))
    assert reprinted and all(
        Article.Flag.REPRINT in a.flags for a in reprinted if len(a.body) > 60
    )
    # The same printing saved again is still already imported.
    resaved = tmp_path / "resaved" / "交城报_2020-10-20_第3版.txt"
    resaved.parent.mkdir()
    resaved.write_text(text.replace("，", ","), "utf-8")
    out, _ = run_command(str(resaved))
    assert "skipped=1" in out and Page.objects.count() == 2
    # The very same file under another issue's name is kept once, and the
    # report says why it was not imported as that issue.
    copy = tmp_path / "交城报_2020-11-03_第3版.txt"
    copy.write_bytes(first.read_bytes())
    out, _ = run_command(str(copy))
    assert "skipped=1" in out and Page.objects.count() == 2
    skipped = ImportRun.objects.latest("pk").files.get()
    assert "出版信息不同" in " ".join(skipped.warnings)


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


# --- what a re-import changed -------------------------------------------------

THREE_ARTICLES = (
    "本报讯 近日，城关镇第一届农民运动会在镇文化广场开幕，来自各村的代表队参加了拔河、"
    "跳绳等比赛。\n\n镇里为获奖队伍颁发了奖品。（记者 王小明）\n\n"
    "本报讯 入春以来，水利站组织技术人员深入田间，帮助农户检修灌溉设施，保障春耕用水。"
    "目前已检修水渠三十余处。（通讯员 李红）\n\n"
    "本报讯 县图书馆近日开展读书月活动，向群众推荐农业科技图书，吸引了不少读者前来借阅。"
    "活动将持续到月底。（记者 赵刚）\n\n"
    "城关镇举办第一届农民运动会\n\n水利站助力春耕灌溉\n\n县图书馆开展读书月活动\n"
)


def changed_page() -> str:
    return (
        THREE_ARTICLES.replace("广场开幕", "广场隆重开幕")
        .replace("奖品。", "奖品<script>alert(1)</script>。")
        .replace("记者 王小明", "记者 张华")
        .replace("城关镇举办第一届农民运动会", "城关镇农民运动会隆重开幕")
        .replace("到月底", "到下月初")
    )


def replace_and_report(editor_client, folder, text):
    (folder / "a.txt").write_text(text, "utf-8")
    out, _ = run_command(str(folder), replace=True)
    run = ImportRun.objects.order_by("-id").first()
    run.out = out
    assert run.files.get().status == ImportFile.Status.REPLACED
    html = editor_client.get(
        reverse("admin:articles_importrun_change", args=[run.pk])
    ).content.decode()
    return run, html


def test_replace_run_report_shows_what_changed_per_article(editor_client, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(THREE_ARTICLES, "utf-8")
    run_command(str(folder))
    # Staff edited the third article: the re-import keeps it.
    Article.objects.filter(headline="县图书馆开展读书月活动").update(is_edited=True)

    run, html = replace_and_report(editor_client, folder, changed_page())
    changes = run.files.get().changes
    assert changes["unchanged"] == 1  # 水利站助力春耕灌溉
    assert [a["change"] for a in changes["articles"]] == ["changed", "kept"]
    assert "a.txt：稿件有变化 1 篇，未变 1 篇" in run.out

    assert 'id="run-changes"' in html
    assert "标题" in html and "城关镇举办第一届农民运动会" in html
    assert "城关镇农民运动会隆重开幕" in html
    # The body with its changed characters marked, and escaped.
    assert "正文" in html and "<ins>隆重</ins>" in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<script>alert" not in html
    assert "署名" in html and "<del>王小明（文字）</del>" in html
    assert "<ins>张华（文字）</ins>" in html
    # The edited article is kept as staff left it, and the report says so.
    assert "已人工编辑，保留原稿，未替换" in html
    kept = Article.objects.get(headline="县图书馆开展读书月活动")
    assert "到月底" in kept.body
    assert reverse("admin:articles_article_change", args=[kept.pk]) in html
    assert "1 篇未变" in html


def test_replace_with_an_unchanged_page_lists_no_changes(editor_client, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(THREE_ARTICLES, "utf-8")
    run_command(str(folder))
    run, html = replace_and_report(editor_client, folder, THREE_ARTICLES)
    assert run.files.get().changes == {"unchanged": 3, "articles": []}
    assert "a.txt：稿件有变化 0 篇，未变 3 篇" in run.out
    assert 'id="run-changes"' not in html and "<ins>" not in html
    assert "稿件无变化" in html


# --- done when: a large upload ------------------------------------------------


def test_upload_of_300_pages_queues_shows_progress_and_a_second_run_skips_all(
    editor_client, tmp_path, monkeypatch
):
    # 300 different pages (a month and a half of a four-page paper).
    folder = write_pages(tmp_path / "pages", 300)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 300

    def upload():
        return editor_client.post(
            reverse("admin:articles_page_import"),
            {
                "files": [
                    SimpleUploadedFile(name, (folder / name).read_bytes())
                    for name in names
                ],
                "publication": "交城报",
            },
        )

    parsed = {"n": 0}
    real_parse = services.pages.parse_page

    def counting_parse(*args, **kwargs):
        parsed["n"] += 1
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(services.pages, "parse_page", counting_parse)
    response = upload()
    # The request stores the files and queues the run; it imports nothing.
    assert response.status_code == 302
    run = ImportRun.objects.get(source=ImportRun.Source.UPLOAD)
    assert response["Location"] == reverse(
        "admin:articles_importrun_change", args=[run.pk]
    )
    assert parsed["n"] == 0 and Page.objects.count() == 0
    assert run.status == ImportRun.Status.QUEUED and run.files.count() == 300
    progress_url = reverse("admin:articles_importrun_progress", args=[run.pk])
    progress = editor_client.get(progress_url).json()
    assert (progress["done"], progress["total"], progress["finished"]) == (
        0,
        300,
        False,
    )

    # What the report page polls while the worker runs: pages done / total
    # and the file at hand, read half way through.
    seen = []
    real_import_file = runs._import_file

    def import_file_and_poll(file, *args):
        if file.order == 150:
            seen.append(editor_client.get(progress_url).json())
        return real_import_file(file, *args)

    monkeypatch.setattr(runs, "_import_file", import_file_and_poll)
    assert work_the_queue() == 1
    (half,) = seen
    assert (half["done"], half["total"]) == (150, 300)
    assert half["status"] == "running" and half["finished"] is False
    assert half["current_file"] == names[150] and half["errors"] == []

    progress = editor_client.get(progress_url).json()
    assert (progress["done"], progress["total"], progress["finished"]) == (
        300,
        300,
        True,
    )
    assert Page.objects.count() == 300
    report = editor_client.get(response["Location"]).content.decode()
    assert "已完成" in report and "共 300：已导入 300" in report
    assert 'id="run-progress"' not in report

    # The same folder again, uploaded and from the command: every page
    # skipped, nothing new.
    articles = Article.objects.count()
    response = upload()
    again = ImportRun.objects.filter(source=ImportRun.Source.UPLOAD).latest("id")
    assert again.pk != run.pk and work_the_queue() == 1
    assert runs.run_counts(again)["skipped"] == 300
    report = editor_client.get(response["Location"]).content.decode()
    assert "已跳过 300" in report
    out, _ = run_command(str(folder))
    assert "pages=0" in out and "skipped=300" in out
    assert Page.objects.count() == 300 and Article.objects.count() == articles


def named_bytes(name: str, raw: bytes):
    # Not an UploadedFile: the test client reads it whole to send it.
    handle = io.BytesIO(raw)
    handle.name = name
    return handle


def test_a_queued_upload_streams_its_files_to_storage_unread(
    editor_client, settings, monkeypatch
):
    """A year of PDFs is gigabytes: the upload streams each file to media
    storage as Django received it (in chunks, big ones from disk) rather than
    reading every file whole into memory first."""
    from django.core.files.uploadedfile import UploadedFile

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # these go to temporary files
    whole_reads = []

    def recording_read(self):
        def read(*args, **kwargs):
            if not args and not kwargs:  # all of it at once
                whole_reads.append(self.name)
            return self.file.read(*args, **kwargs)

        return read

    monkeypatch.setattr(UploadedFile, "read", property(recording_read))
    pages = {f"p{n}.txt": page(n, n % 2) * 3 for n in range(1, 13)}
    response = editor_client.post(
        reverse("admin:articles_page_import"),
        {
            "files": [named_bytes(n, raw) for n, raw in pages.items()],
            "publication": "交城报",
        },
    )
    assert response.status_code == 302
    assert whole_reads == []
    run = ImportRun.objects.get(source=ImportRun.Source.UPLOAD)
    stored = {f.filename: f.stored_file.read() for f in run.files.all()}
    assert stored == pages


def test_a_database_error_fails_its_file_and_the_run_goes_on(
    gazetteer_db, tmp_path, monkeypatch
):
    """What the database refuses after the import's own retries (a lock held
    too long, a collision three times) fails that one file, named, in
    Chinese; the run imports the rest and ends."""
    from django.db import OperationalError

    from articles.services import pages as page_services

    for n in (1, 2):
        (tmp_path / f"p{n}.txt").write_bytes(page(n))
    real = page_services._page_import

    def locked_once(**kwargs):
        if kwargs["filename"].endswith("p1.txt"):
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(page_services, "_page_import", locked_once)
    out, err = run_command(str(tmp_path))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE
    failed = run.files.get(status=ImportFile.Status.FAILED)
    assert failed.filename.endswith("p1.txt")
    assert "数据库" in failed.error and "Traceback" not in err
    assert run.files.get(status=ImportFile.Status.IMPORTED).filename.endswith("p2.txt")
