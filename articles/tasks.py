"""Background work, through Django's tasks API (the django-tasks backport;
`django.tasks` from Django 6).  A worker runs it: `manage.py db_worker`."""

from django_tasks import task


@task()
def import_run(run_id: int) -> dict:
    """Import the files of an ImportRun not done yet (see runs.py)."""
    from . import runs

    run = runs.run_execute(run_id=run_id)
    return {"run": run.pk, "status": run.status}
