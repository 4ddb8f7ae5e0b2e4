"""Headless Chromium (Debian's package) driven by Playwright.  The tests are
skipped, saying why, where Chromium or Playwright is missing; .ci/run
installs Chromium so CI runs them."""

import io
import os
import shutil

import pytest
from django.core.management import call_command

from tests.conftest import PAGES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser(allow_orm_beside_event_loop):
    if not CHROMIUM:
        pytest.skip(
            "Chromium is not installed (apt-get install chromium); browser tests skipped"
        )
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed"
    )
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def allow_orm_beside_event_loop():
    # Playwright's sync API runs an event loop in this thread; the Django ORM
    # calls the fixtures make are synchronous and safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1200, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    # The Content-Security-Policy must not block anything the pages need:
    # Chromium reports each blocked script, style or handler on the console.
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not blocked, blocked


@pytest.fixture
def published_site(transactional_db, live_server):
    from django.contrib.contenttypes.models import ContentType

    # The flush between live-server tests makes content types anew, with new
    # ids: the ids cached from an earlier test would point at nothing.
    ContentType.objects.clear_cache()
    call_command("load_gazetteer", stdout=io.StringIO())
    # Dated for the run (the samples print no date), as staff would.
    call_command(
        "import_pages",
        str(PAGES),
        publish=True,
        issue_date="2020-10-23",
        stdout=io.StringIO(),
    )
    return live_server


from tests.print.conftest import year_tree  # noqa: E402, F401
