"""Public pages for the archive as printed: 往期回顾 (issue calendar), an
issue's pages, the page view (版面), 历史上的今天.  Thin, like views.py."""

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from . import printed
from .views import public_cache, read_only


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Http404("日期格式不对") from exc


@read_only
@public_cache
def issue_index(request):
    return render(
        request,
        "articles/issue_index.html",
        {"publications": printed.publications()},
    )


@read_only
@public_cache
def issue_calendar(request, publication, year=None):
    found = printed.issue_calendar(publication, year)
    if not found["years"] or (year is not None and year not in found["years"]):
        raise Http404("这一年没有报纸")
    return render(
        request,
        "articles/issue_calendar.html",
        {"publication": publication, **found},
    )


@read_only
@public_cache
def issue_detail(request, publication, day):
    issue = printed.issue_get(publication, _day(day))
    previous, following = printed.issue_neighbours(issue)
    return render(
        request,
        "articles/issue_detail.html",
        {
            "issue": issue,
            "pages": printed.issue_pages(issue),
            "previous_issue": previous,
            "next_issue": following,
        },
    )


@read_only
@public_cache
def page_detail(request, pk):
    page = printed.page_get(pk)
    previous, following = printed.page_neighbours(page)
    previous_issue = next_issue = None
    if page.issue is not None:
        previous_issue, next_issue = printed.issue_neighbours(page.issue)
    return render(
        request,
        "articles/page_detail.html",
        {
            "page": page,
            "articles": page.public_articles,
            "previous_page": previous,
            "next_page": following,
            "previous_issue": previous_issue,
            "next_issue": next_issue,
        },
    )


@read_only
@public_cache
def on_this_day(request):
    today = timezone.localdate()
    return render(
        request,
        "articles/on_this_day.html",
        {"today": today, "articles": list(printed.on_this_day(today))},
    )
