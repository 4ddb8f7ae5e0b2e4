"""Last-Modified for the sitemap: the latest change to anything public.
ConditionalGetMiddleware adds an ETag to every response and answers 304 to
a client that already has it.  Feeds and the API are served from the page
cache without a query (pinned in tests/site/test_page_cache.py), so they
rely on the ETag alone; the sitemap is not cached and can afford the one
query that dates it."""

from datetime import datetime

from django.db.models import Max
from django.views.decorators.http import last_modified

from .models import Article


def latest_public_change(request, *args, **kwargs) -> datetime | None:
    return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


def public_last_modified(view):
    return last_modified(latest_public_change)(view)
