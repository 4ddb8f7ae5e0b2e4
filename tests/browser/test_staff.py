"""A staff member in a real browser: upload a page, preview, confirm, fix a
headline, publish — and the reader sees it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.conftest import work_the_queue

pytestmark = pytest.mark.browser

PAGE = (
    "本报讯 近日，交城县西营镇举办第三届\n\n果蔬采摘节，游客们走进大棚采摘\n\n新鲜果蔬。（郭 晋）\n\n"
    "本报讯 近日，交城县天宁镇组织开展\n\n消防安全演练，百余名职工参加。\n\n（孙宝忠）\n\n"
    "西营镇举办果蔬采摘节\n"
)


def ensure_groups():
    """Live-server tests flush the database, data migrations included."""
    import importlib

    from django.apps import apps

    importlib.import_module("articles.migrations.0005_staff_groups").create_groups(
        apps, None
    )


def test_upload_preview_confirm_fix_headline_publish(page, published_site, tmp_path):
    ensure_groups()
    reviewer = get_user_model().objects.create_user(
        "shenhe", password="pw-reviewer-123", is_staff=True
    )
    reviewer.groups.add(Group.objects.get(name="审核"))
    upload = tmp_path / "xin-ban.txt"
    upload.write_text(PAGE, encoding="utf-8")

    page.goto(published_site.url + "/admin/login/")
    page.fill("#id_username", "shenhe")
    page.fill("#id_password", "pw-reviewer-123")
    page.click("input[type=submit]")
    page.goto(published_site.url + "/admin/articles/page/")
    page.click("#upload-pages")
    page.set_input_files("input[type=file]", str(upload))
    page.fill("input[name=publication]", "交城报")
    page.fill("input[name=issue_date]", "2021-09-20")
    page.click("#preview-button")
    page.wait_for_selector("#confirm-import")
    preview = page.content()
    assert (
        "西营镇举办果蔬采摘节" in preview
        and "郭晋" in preview
        and "（版面上无标题）" in preview
    )
    page.click("#confirm-import")
    # Queued: the run's report polls its progress until a worker is done,
    # then shows the file's page.
    page.wait_for_selector("#run-progress")
    assert work_the_queue() == 1
    page.wait_for_selector("#run-files a[href*='/admin/articles/page/']")
    assert "已完成" in page.text_content("#run-status")
    page.click("#run-files a[href*='/admin/articles/page/']")
    page.wait_for_selector("#page-articles")

    # The second article has no headline on the page: give it one.
    page.locator("#page-articles a").nth(1).click()
    page.wait_for_selector("#review-tools")
    assert "版面上没有标题" in page.text_content("#review-tools")
    page.click("text=选择标题")
    page.fill("#custom", "天宁镇开展消防安全演练")
    page.click("#set-headline")
    page.wait_for_selector("#review-tools")
    assert page.input_value("#id_headline") == "天宁镇开展消防安全演练"

    page.click("#publish-button")
    page.wait_for_selector(".messagelist")
    assert "已发布" in page.text_content(".messagelist")

    page.goto(published_site.url + "/search/?q=消防安全演练")
    page.locator("#results li a").first.click()
    page.wait_for_selector("article h1")
    assert page.text_content("article h1") == "天宁镇开展消防安全演练"


def test_upload_of_300_pages_returns_at_once_and_ends_in_a_report(
    page, published_site, tmp_path
):
    ensure_groups()
    editor = get_user_model().objects.create_user(
        "bianji", password="pw-editor-123", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="编辑"))
    files = []
    for n in range(1, 301):
        path = tmp_path / f"ban-{n:03}.txt"
        path.write_text(
            f"本报讯 第{n}期农技培训班近日开班，学员们学习了果树修剪和病虫害防治技术。"
            f"（记者 王小明）\n\n第{n}期农技培训班开班\n",
            encoding="utf-8",
        )
        files.append(str(path))

    page.goto(published_site.url + "/admin/login/")
    page.fill("#id_username", "bianji")
    page.fill("#id_password", "pw-editor-123")
    page.click("input[type=submit]")
    page.goto(published_site.url + "/admin/articles/page/")
    page.click("#upload-pages")
    page.set_input_files("input[type=file]", files)
    page.fill("input[name=publication]", "交城报")
    page.click("#preview-button")
    # Too many to preview: queued, and the run's page is there before any
    # page is imported.
    page.wait_for_selector("#run-progress")
    assert "0 / 300" in page.text_content("#run-progress-text")
    assert "排队中" in page.text_content("#run-status")
    assert work_the_queue() == 1
    # The page polls, sees the run finished and reloads as the report.
    page.wait_for_selector("#run-progress", state="detached", timeout=30_000)
    assert "已完成" in page.text_content("#run-status")
    assert "共 300：已导入 300" in page.text_content("#run-summary")
