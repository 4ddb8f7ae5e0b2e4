"""What readers meet: 往期回顾 → issue → page → article, citation, metadata,
feeds and sitemap by print date, conditional GET and compression."""

import json
import re
from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from articles.models import Article, Issue, Page

pytestmark = pytest.mark.django_db


def test_calendar_issue_page_article(client, printed_pages):
    calendar = client.get("/issues/交城报/")
    assert calendar.status_code == 200
    html = calendar.content.decode()
    assert "2020年10月" in html
    issue = Issue.objects.get(date=date(2020, 10, 20))
    assert f'href="{issue.get_absolute_url()}"' in html
    # 2019 is offered as another year; the 21st (no issue) is no link.
    assert reverse("articles:issue_calendar_year", args=["交城报", 2019]) in html
    assert 'aria-label="2020年10月21日"' not in html

    issue_html = client.get(issue.get_absolute_url()).content.decode()
    assert issue_html.index("第01版") < issue_html.index("第03版")
    assert "全县秋收工作进展顺利" in issue_html
    assert "下一期 2020年10月23日" in issue_html
    assert "上一期 2019年10月20日" in issue_html

    page = Page.objects.get(issue=issue, page_number=1)
    page_html = client.get(page.get_absolute_url()).content.decode()
    third = Page.objects.get(issue=issue, page_number=3)
    assert f'href="{third.get_absolute_url()}">下一版 第03版' in page_html
    assert "<details" in page_html and "原文" in page_html
    article = page.articles.get()
    assert article.get_absolute_url() in page_html

    article_html = client.get(article.get_absolute_url()).content.decode()
    assert f'<a href="{page.get_absolute_url()}">交城报 2020年10月20日 第1版</a>' in (
        article_html
    )
    assert '<time datetime="2020-10-20">' in article_html
    assert "王小明. 全县秋收工作进展顺利[N]. 交城报, 2020-10-20(1)." in article_html


def test_article_metadata_for_search_engines_and_chat_apps(client, printed_pages):
    article = Article.objects.get(headline="县城新建三处口袋公园")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<meta name="description" content="本报讯' in html
    assert '<link rel="canonical" href="http://testserver/articles/' in html
    assert '<meta property="og:title" content="县城新建三处口袋公园">' in html
    assert 'type="application/rss+xml"' in html and 'rel="icon"' in html
    assert 'class="skip-link" href="#content"' in html
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(ld.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2020-10-20"
    assert data["publisher"]["name"] == "交城报"
    assert data["author"] == [{"@type": "Person", "name": "王小明"}]


def test_json_ld_cannot_close_its_script_element(client, printed_pages):
    article = Article.objects.get(headline="县城新建三处口袋公园")
    Article.objects.filter(pk=article.pk).update(headline="</script><b>x</b>")
    html = client.get(article.get_absolute_url()).content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1]
    assert block.index("</script>") > block.index("\\u003C/script\\u003E")


def test_undated_article_says_so(client, gazetteer_db):
    from tests.conftest import PAGES
    from tests.print.conftest import run

    run("import_pages", str(PAGES), publish=True)
    article = Article.objects.published().first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "日期不详" in html
    assert "datePublished" not in html
    # No year facet or archive year for articles without a date.
    assert "暂无已发布的稿件" in client.get("/archive/").content.decode()


def test_on_this_day(client, printed_pages):
    with mock.patch("django.utils.timezone.localdate", return_value=date(2021, 10, 20)):
        html = client.get("/on-this-day/").content.decode()
    assert "去年今日的一条消息" in html and "全县秋收工作进展顺利" in html
    assert "山区学校用上新课桌" not in html


def test_feeds_are_dated_by_print_date(client, printed_pages):
    rss = client.get("/feeds/latest.rss").content.decode()
    assert "Tue, 20 Oct 2020" in rss and "<pubDate>" in rss
    assert 'rel="alternate"' in client.get("/").content.decode()


def test_sitemap_lists_issues_pages_and_entities(client, printed_pages):
    xml = client.get("/sitemap.xml").content.decode()
    issue = Issue.objects.get(date=date(2020, 10, 20))
    assert issue.get_absolute_url() in xml
    assert Page.objects.first().get_absolute_url() in xml
    assert "/people/" in xml


@pytest.mark.parametrize(
    "url", ["/", "/feeds/latest.rss", "/sitemap.xml", "/api/issues/"]
)
def test_conditional_get(client, printed_pages, url):
    first = client.get(url)
    assert first.status_code == 200 and first.has_header("ETag")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    if url == "/sitemap.xml":
        assert first.has_header("Last-Modified")
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304


def test_responses_are_compressed(client, printed_pages):
    response = client.get("/issues/交城报/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_404_in_the_sites_design(client, db):
    response = client.get("/issues/交城报/2020-10-20/")
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()
    assert "site.css" in response.content.decode()
