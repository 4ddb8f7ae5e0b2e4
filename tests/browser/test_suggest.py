"""A reader typing into the search box (issue 19): traditional characters
or pinyin initials, a suggestion picked with the keyboard, the right page;
the box as an ARIA combobox; the form without a pick still searches."""

import pytest

pytestmark = pytest.mark.browser

BOX = "#site-q"


def pick_with_keyboard(page, typed: str, name: str):
    page.locator(BOX).press_sequentially(typed, delay=40)
    options = page.locator("#site-q-suggestions [role=option]")
    options.first.wait_for()
    assert page.get_attribute(BOX, "aria-expanded") == "true"
    texts = options.all_text_contents()
    index = next(i for i, t in enumerate(texts) if name in t and "地名" in t)
    for _ in range(index + 1):
        page.press(BOX, "ArrowDown")
    active = page.get_attribute(BOX, "aria-activedescendant")
    assert active and page.get_attribute(f"#{active}", "aria-selected") == "true"
    shown = page.text_content(f"#{active} .count")
    page.press(BOX, "Enter")
    return shown


@pytest.mark.parametrize("typed", ["交城縣", "jc"])
def test_typing_and_picking_a_suggestion_opens_its_page(page, published_site, typed):
    page.goto(published_site.url + "/")
    assert page.get_attribute(BOX, "role") == "combobox"
    shown = pick_with_keyboard(page, typed, "交城县")
    page.wait_for_url("**/places/**")
    assert page.text_content("h1").strip() == "交城县"
    # The count the suggestion gave is the count its page shows.
    assert f"共 {shown}" in page.text_content("p.count")


def test_escape_closes_and_enter_searches_what_was_typed(page, published_site):
    page.goto(published_site.url + "/")
    page.locator(BOX).press_sequentially("jiaocheng", delay=40)
    page.locator("#site-q-suggestions [role=option]").first.wait_for()
    page.press(BOX, "Escape")
    assert page.get_attribute(BOX, "aria-expanded") == "false"
    assert page.locator("#site-q-suggestions").is_hidden()
    page.press(BOX, "Enter")
    page.wait_for_url("**/search/?q=jiaocheng*")
    assert "按拼音读作“交城”" in page.text_content("main")
    assert page.locator("#results mark").first.text_content() == "交城"


def test_the_form_works_without_script(browser, published_site):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(published_site.url + "/")
    assert page.get_attribute(BOX, "role") is None  # not announced as a combobox
    page.fill(BOX, "車間")
    page.press(BOX, "Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("#results mark").first.text_content() == "车间"
    context.close()
