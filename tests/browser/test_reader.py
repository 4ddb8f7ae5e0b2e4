"""A reader in a real browser: search, narrow by a facet, open an article,
follow a byline."""

import pytest

pytestmark = pytest.mark.browser


def test_search_facet_article_byline(page, published_site):
    page.goto(published_site.url + "/")
    page.fill("input[name=q]", "交城")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=*")
    count_text = page.text_content("#result-count")
    assert "共" in count_text
    assert page.locator("#results mark").first.text_content() == "交城"

    # Narrow by a person facet; the query stays.
    page.locator("ul[data-facet=person] a").first.click()
    page.wait_for_url("**person=*")
    assert "q=" in page.url
    narrowed = page.text_content("#result-count")
    assert narrowed != "" and int("".join(ch for ch in narrowed if ch.isdigit())) >= 1

    # Open the first article and follow its byline.
    page.locator("#results li a").first.click()
    page.wait_for_selector("article h1")
    byline = page.locator("a.byline").first
    name = byline.text_content()
    byline.click()
    page.wait_for_selector("h1")
    assert page.text_content("h1") == name
    assert page.locator("svg.chart").count() == 1


def test_search_page_is_responsive(page, published_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(published_site.url + "/search/?q=扶贫")
    assert page.locator("#results li").count() >= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no horizontal scrolling on a phone
