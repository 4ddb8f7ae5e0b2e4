"""Reading the archive as printed: issues by date, an issue's pages, a page's
articles in printed order, and what was printed on this day in other years.
Only what readers may see: issues and pages holding a published article."""

import calendar
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404

from .models import Article, Issue, Page

_PUBLISHED = Q(articles__status=Article.Status.PUBLISHED)


def _published_on_page():
    return Article.objects.published().filter(page=OuterRef("pk"))


def pages_public():
    return Page.objects.filter(Exists(_published_on_page()))


def issues_public(publication: str | None = None):
    issues = Issue.objects.filter(
        Exists(pages_public().filter(issue=OuterRef("pk")))
    ).order_by("-date", "publication")
    if publication is not None:
        issues = issues.filter(publication=publication)
    return issues


def publications() -> list[tuple[str, int]]:
    rows = (
        issues_public()
        .order_by()
        .values("publication")
        .annotate(n=Count("pk"))
        .order_by("publication")
    )
    return [(r["publication"], r["n"]) for r in rows]


def issue_calendar(publication: str, year: int | None) -> dict:
    """Years with issues; for the chosen year each month as weeks of days,
    a day with an issue carrying it (往期回顾)."""
    issues = issues_public(publication)
    years = sorted(
        {d.year for d in issues.values_list("date", flat=True)}, reverse=True
    )
    if year is None and years:
        year = years[0]
    by_day = {i.date: i for i in issues.filter(date__year=year)} if year else {}
    months = []
    for month in range(1, 13):
        if not any(d.month == month for d in by_day):
            continue
        weeks = [
            [
                (date(year, month, day), by_day.get(date(year, month, day)))
                if day
                else None
                for day in week
            ]
            for week in calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)
        ]
        months.append({"month": month, "weeks": weeks})
    return {"years": years, "year": year, "months": months}


def issue_get(publication: str, day: date) -> Issue:
    return get_object_or_404(issues_public(publication), date=day)


def issue_pages(issue: Issue) -> list[Page]:
    """The issue's pages by 版次, each with its published articles in
    printed order (two queries)."""
    return list(
        pages_public()
        .filter(issue=issue)
        .order_by("page_number", "id")
        .prefetch_related(
            Prefetch(
                "articles",
                queryset=Article.objects.published().order_by("position", "id"),
                to_attr="public_articles",
            )
        )
    )


def issue_neighbours(issue: Issue) -> tuple[Issue | None, Issue | None]:
    """上一期 / 下一期 of the same publication."""
    same = issues_public(issue.publication)
    before = same.filter(date__lt=issue.date).order_by("-date").first()
    after = same.filter(date__gt=issue.date).order_by("date").first()
    return before, after


def page_get(pk: int) -> Page:
    return get_object_or_404(
        pages_public()
        .select_related("issue")
        .prefetch_related(
            Prefetch(
                "articles",
                queryset=Article.objects.published().order_by("position", "id"),
                to_attr="public_articles",
            )
        ),
        pk=pk,
    )


def page_neighbours(page: Page) -> tuple[Page | None, Page | None]:
    """上一版 / 下一版 in the same issue."""
    if page.issue_id is None or page.page_number is None:
        return None, None
    same = pages_public().filter(issue_id=page.issue_id)
    before = (
        same.filter(page_number__lt=page.page_number).order_by("-page_number").first()
    )
    after = (
        same.filter(page_number__gt=page.page_number).order_by("page_number").first()
    )
    return before, after


def on_this_day(today: date, limit: int = 20):
    """Articles printed on this month and day in earlier years (历史上的今天)."""
    return (
        Article.objects.published()
        .filter(
            pub_date__month=today.month,
            pub_date__day=today.day,
            pub_date__year__lt=today.year,
        )
        .select_related("page")
        .order_by("-pub_date", "page__page_number", "position", "id")[:limit]
    )


def page_issue_url(page: Page) -> str | None:
    return page.issue.get_absolute_url() if page.issue_id else None
