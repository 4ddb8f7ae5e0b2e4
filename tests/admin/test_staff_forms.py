"""What staff see in the admin: Chinese labels everywhere, each thing once,
forms sized for the text they hold."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.admin.test_workflow import change_url

pytestmark = pytest.mark.django_db

CODES = [code for code, _ in Article.Flag.choices] + ["brief", "photo"]


def flagged_published():
    article = Article.objects.published().exclude(flags=[]).first()
    if article is None:
        article = Article.objects.published().first()
        Article.objects.filter(pk=article.pk).update(flags=["no_headline"])
        article.refresh_from_db()
    return article


def test_article_form_shows_each_thing_once_in_chinese(reviewer_client):
    article = flagged_published()
    html = reviewer_client.get(change_url(article)).content.decode()
    assert 'name="flags"' not in html  # no raw JSON box
    for code in article.flags:
        assert code not in html
    for label in article.flag_labels():
        assert label in html
    assert html.count("来源版面") == 1
    assert html.count(f'href="{article.get_absolute_url()}"') == 1  # view on site
    assert 'for="id_expected_version"' not in html
    assert 'type="hidden" name="expected_version"' in html
    headline = re.search(r'<input[^>]*name="headline"[^>]*>', html).group(0)
    assert "newsroom-wide" in headline
    body = re.search(r'<textarea[^>]*name="body"[^>]*>', html).group(0)
    assert 'rows="40"' in body


def test_draft_has_no_view_on_site_button(editor_client):
    article = Article.objects.first()
    Article.objects.filter(pk=article.pk).update(status="review")
    html = editor_client.get(change_url(article)).content.decode()
    assert "viewsitelink" not in html and article.get_absolute_url() not in html


def test_saving_the_form_keeps_the_flags(reviewer_client):
    from tests.admin.test_workflow import form_data

    article = flagged_published()
    flags = list(article.flags)
    reviewer_client.post(change_url(article), form_data(reviewer_client, article))
    article.refresh_from_db()
    assert article.flags == flags and article.version > 1


PAGE = (
    "本报讯 近日，交城县西营镇举办第三届\n\n果蔬采摘节，游客们走进大棚采摘\n\n新鲜果蔬。（郭 晋）\n\n"
    "本报讯 近日，交城县天宁镇组织开展\n\n消防安全演练，百余名职工参加。\n\n（某某）\n\n"
    "西营镇举办果蔬采摘节\n"
)


def test_upload_preview_shows_labels_not_codes(editor_client):
    upload = SimpleUploadedFile("p.txt", PAGE.encode(), content_type="text/plain")
    response = editor_client.post(
        reverse("admin:articles_page_import"), {"files": [upload]}
    )
    html = response.content.decode()
    assert "版面上没有标题" in html and "简讯" in html
    for code in CODES:
        assert code not in html, code


def test_history_page_in_chinese(reviewer_client, reviewer):
    article = Article.objects.published().exclude(headline="").first()
    services.article_set_headline(article=article, headline="新的标题", user=reviewer)
    url = reverse("admin:articles_article_history", args=[article.pk])
    html = reviewer_client.get(url).content.decode()
    table = html.split('id="change-history"')[1].split("</table>")[0]
    assert "None" not in table and "CHANGES" not in table.upper()
    assert "导入" in table  # the importer's revision
    assert "改动" in table and "原因" in table and "设置标题" in table
    assert "标题：" in table and "headline" not in table


def test_history_shows_empty_values_in_chinese(reviewer_client, reviewer):
    # A date set where there was none: the old value is "empty", not "None".
    article = Article.objects.published().first()
    article.pub_date = None
    services.article_save(article=article, user=reviewer, reason="日期不详")
    article.pub_date = datetime.date(2020, 5, 4)
    services.article_save(article=article, user=reviewer, reason="补日期")
    url = reverse("admin:articles_article_history", args=[article.pk])
    html = reviewer_client.get(url).content.decode()
    table = html.split('id="change-history"')[1].split("</table>")[0]
    assert "发表日期：" in table and "2020" in table
    assert "None" not in table and "（空）" in table


def test_changelist_filters_have_no_empty_links(editor_client):
    Article.objects.filter(pk=Article.objects.first().pk).update(page=None)
    for name in ("article", "reviewitem"):
        html = editor_client.get(
            reverse(f"admin:articles_{name}_changelist")
        ).content.decode()
        panel = html.split('id="changelist-filter"')[1].split("</nav>")[0]
        texts = re.findall(r"<a [^>]*>([^<]*)</a>", panel)
        assert texts and all(t.strip() for t in texts), texts
        assert "（未注明报纸）" in panel
    filtered = editor_client.get(
        reverse("admin:articles_article_changelist"), {"publication": "_none"}
    )
    shown = filtered.context["cl"].result_list
    assert all(a.page is None or a.page.publication == "" for a in shown)
    assert None in [a.page_id for a in shown]


def test_too_many_files_at_once_are_refused_in_chinese(editor_client, settings):
    # Django stops reading a request with more files than it allows (a
    # bare 400 before): staff are told the limit and what to do instead.
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    uploads = [
        SimpleUploadedFile(f"p{i}.txt", PAGE.encode(), content_type="text/plain")
        for i in range(4)
    ]
    response = editor_client.post(
        reverse("admin:articles_page_import"), {"files": uploads}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "一次最多上传 3 个文件" in html and "import_pages" in html
