"""Last-Modified for feeds, the sitemap and the API: the latest change to
anything public.  ConditionalGetMiddleware adds an ETag to every response
and answers 304 to a client that already has it; this adds the date so
feed readers that only send If-Modified-Since get their 304 too."""

from datetime import datetime

from django.db.models import Max
from django.views.decorators.http import last_modified

from .models import Article


def latest_public_change(request, *args, **kwargs) -> datetime | None:
    return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


def public_last_modified(view):
    return last_modified(latest_public_change)(view)
