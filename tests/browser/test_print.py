"""A reader in a real browser walks the paper as printed: 往期回顾 calendar →
an issue → a page (版面) → an article, and back to the page by its line."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser


@pytest.fixture
def printed_site(transactional_db, live_server, year_tree):
    call_command("import_pages", str(year_tree), publish=True, stdout=io.StringIO())
    return live_server


def test_calendar_issue_page_article(page, printed_site):
    page.goto(printed_site.url + "/")
    page.click("text=往期回顾")
    page.click("text=交城报")
    page.wait_for_selector("table.calendar")
    page.click('a[aria-label="2020年10月20日"]')
    page.wait_for_selector("ol.pages")
    assert "2020年10月20日" in page.text_content("h1")
    page.click("ol.pages h2 a >> text=第01版")
    page.wait_for_selector(".page-view")
    page.click("text=下一版 第03版")
    page.wait_for_selector("text=县城新建三处口袋公园")
    # The raw text is behind its toggle until asked for.
    assert not page.is_visible("details.raw pre")
    page.click("details.raw summary")
    assert page.is_visible("details.raw pre")
    page.click(".page-view a >> text=县城新建三处口袋公园")
    page.wait_for_selector("article h1")
    assert page.text_content("p.printed a") == "交城报 2020年10月20日 第3版"
    assert "[N]. 交城报, 2020-10-20(3)." in page.text_content("p.citation")
    page.click("p.printed a")
    page.wait_for_selector(".page-view")
    assert "第03版" in page.text_content("h1")
