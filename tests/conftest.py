import json
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "fixtures" / "pages"


def sample_pages() -> list[Path]:
    return sorted(PAGES.glob("*.txt"))


def expectations(page: Path) -> dict:
    return json.loads(
        page.with_suffix("").with_suffix(".expected.json").read_text("utf-8")
    )


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches (the test settings keep them in
    process memory, which would otherwise carry pages between tests)."""
    from django.core.cache import caches

    from articles.search.index import forget_stored_words
    from articles.services.gazetteer import gazetteer_recheck

    for cache in caches.all():
        cache.clear()
    # Tests with transactions empty the tables after themselves.
    forget_stored_words()
    # Each test's transaction rolls back the places its imports proposed.
    gazetteer_recheck()


def _load_gazetteer():
    call_command("load_gazetteer", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """China's divisions (43,000 places) loaded once into the test database,
    not once a test: every test's transaction rolls back to it."""
    with django_db_blocker.unblock():
        _load_gazetteer()


@pytest.fixture
def gazetteer_db(db):
    from articles.models import Place, Program

    # A test on a live server or with transactions empties the tables after
    # itself: load again then (load_gazetteer is idempotent).
    if not (Place.objects.exists() and Program.objects.exists()):
        _load_gazetteer()


@pytest.fixture
def imported_pages(gazetteer_db):
    """The sample pages imported and published, as `make run` does."""
    # The samples print no date (`make run` shows them as 日期不详); here
    # staff give one for the run, so the date pages, feeds and issue views
    # have something to show.
    call_command(
        "import_pages",
        str(PAGES),
        publish=True,
        issue_date="2020-10-23",
        stdout=open("/dev/null", "w"),
    )


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "staff", password="pw-staff-123", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def work_the_queue() -> int:
    """Run the queued background tasks as `manage.py db_worker` would (its
    Worker.run_task on each claimed task), without its polling loop, which
    closes database connections a test's transaction needs.  Returns how
    many tasks ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (
        task := DBTaskResult.objects.ready().order_by("enqueued_at").first()
    ) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran
