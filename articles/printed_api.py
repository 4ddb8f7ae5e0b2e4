"""The issue list of the JSON API: filters and paging as for articles."""

from dataclasses import dataclass

from django.db.models import Prefetch

from . import printed
from .selectors import MAX_PAGE_SIZE, SearchError, _positive_int

ISSUE_FILTERS = ("publication", "year", "month")


@dataclass
class IssuePage:
    issues: list
    count: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def issue_search(*, params, page_size_default: int = 20) -> IssuePage:
    issues = printed.issues_public()
    if params.get("publication"):
        issues = issues.filter(publication=params["publication"])
    year = _positive_int(params.get("year"), "year", 0, 9999)
    if year:
        issues = issues.filter(date__year=year)
    month = _positive_int(params.get("month"), "month", 0, 12)
    if month:
        if not year:
            raise SearchError("参数 month 需要同时给出 year")
        issues = issues.filter(date__month=month)
    page = _positive_int(params.get("page"), "page", 1)
    page_size = _positive_int(
        params.get("page_size"), "page_size", page_size_default, MAX_PAGE_SIZE
    )
    count = issues.count()
    offset = (page - 1) * page_size
    rows = list(
        issues.prefetch_related(
            Prefetch(
                "pages",
                queryset=printed.pages_public().order_by("page_number", "id"),
                to_attr="public_pages",
            )
        )[offset : offset + page_size]
    )
    return IssuePage(issues=rows, count=count, page=page, page_size=page_size)
