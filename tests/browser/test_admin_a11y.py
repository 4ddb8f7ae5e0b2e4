"""The staff's pages checked with axe-core in a real browser: no critical or
serious accessibility violations on the article form and the article list,
and the list keeps room for the headline at 1366 px.

axe-core comes from the npm registry (`npm pack`, once, into .venv/); the
test is skipped with the reason where npm or the registry is unavailable."""

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article, Place, Program
from tests.browser.test_staff import ensure_groups
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

AXE = "axe-core@4"
AXE_FILE = ROOT / ".venv" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_FILE.exists():
        npm = shutil.which("npm")
        if not npm:
            pytest.skip("npm is not installed; axe-core cannot be fetched")
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run(
                [npm, "pack", AXE, "--pack-destination", tmp, "--silent"],
                capture_output=True,
                text=True,
                timeout=300,
            )
            packed = list(Path(tmp).glob("axe-core-*.tgz"))
            if done.returncode or not packed:
                pytest.skip(f"npm pack {AXE} failed: {done.stderr.strip()[:200]}")
            with tarfile.open(packed[0]) as tar:
                source = tar.extractfile("package/axe.min.js").read()
        AXE_FILE.parent.mkdir(parents=True, exist_ok=True)
        AXE_FILE.write_bytes(source)
    return AXE_FILE.read_text("utf-8")


@pytest.fixture
def staff_page(browser, published_site):
    ensure_groups()
    user = get_user_model().objects.create_user(
        "shenhe", password="pw-reviewer-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="审核"))
    # axe is injected by the test, not served by the site: the page's own
    # Content-Security-Policy is not what is being checked here.
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1366, "height": 768}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(published_site.url + "/admin/login/")
    page.fill("#id_username", "shenhe")
    page.fill("#id_password", "pw-reviewer-123")
    page.click("input[type=submit]")
    page.wait_for_selector("#content")
    yield page
    context.close()


def serious_violations(page, axe_source) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary)"
        ".slice(0, 5)}))"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes']}"
        for v in result
        if v["impact"] in ("critical", "serious")
    ]


def test_article_form_has_no_serious_violations(staff_page, published_site, axe_source):
    article = Article.objects.filter(bylines__isnull=False).first()
    article.places.add(Place.objects.get(name="交城县"))
    article.programs.add(Program.objects.filter(is_confirmed=True).first())
    staff_page.goto(f"{published_site.url}/admin/articles/article/{article.pk}/change/")
    staff_page.wait_for_selector(".select2-selection")
    found = serious_violations(staff_page, axe_source)
    assert found == [], "\n".join(found)
    # Names given to the autocomplete inputs, and no label for the hidden one.
    assert staff_page.locator(".select2-selection:not([aria-label])").count() == 0
    assert staff_page.locator("label[for=id_expected_version]").count() == 0


def test_article_list_has_no_serious_violations_and_room_for_headlines(
    staff_page, published_site, axe_source
):
    Article.objects.filter(pk=Article.objects.first().pk).update(page=None)
    staff_page.goto(published_site.url + "/admin/articles/article/")
    staff_page.wait_for_selector("#result_list")
    found = serious_violations(staff_page, axe_source)
    assert found == [], "\n".join(found)
    widths = staff_page.eval_on_selector_all(
        "#result_list td.field-__str__, #result_list th.field-__str__",
        "cells => cells.map(c => c.getBoundingClientRect().width)",
    )
    # At least 12 characters of a headline a line (14-px type).
    assert widths and min(widths) >= 12 * 14, widths
