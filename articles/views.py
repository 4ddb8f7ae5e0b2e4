"""Public pages.  Thin: read the request, call a selector, render."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_http_methods

from . import browsing, facets, pagecache, reprints, selectors, visibility
from .models import Article, Place, Program
from .querystring import with_params

PAGE_SIZE = 20


PUBLIC_METHODS = ("GET", "HEAD", "OPTIONS")


def read_only(view):
    """GET, and what link checkers, crawlers and monitors send: HEAD (the
    handler drops the body) and OPTIONS (which methods work); writes are 405."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse()
            response["Allow"] = ", ".join(PUBLIC_METHODS)
            return response
        return view(request, *args, **kwargs)

    return require_http_methods(PUBLIC_METHODS)(wrapper)


def public_cache(view=None, *, listing: bool = True):
    """Cache a public page for NEWSROOM_PAGE_CACHE_SECONDS in the "pages"
    cache, under the versions it depends on (pagecache): a list of articles
    is redone when articles were added, an article page only when something
    readers saw changed."""
    if view is None:
        return lambda view: public_cache(view, listing=listing)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if not seconds or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        prefix = pagecache.key_prefix(listing=listing)
        cached_view = cache_page(seconds, cache="pages", key_prefix=prefix)(view)
        return cached_view(request, *args, **kwargs)

    return wrapper


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _bad_request(request, message: str):
    return render(
        request, "articles/bad_request.html", {"message": message}, status=400
    )


def bad_request(request, exception=None):
    """`handler400`: a request Django refused before any view read it, said
    in Chinese — above all an upload of more files than it reads at once
    (the admin's page upload, a year of pages in one go)."""
    if isinstance(exception, TooManyFilesSent):
        message = (
            f"一次最多上传 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个文件："
            "请分批上传，或在服务器上用 import_pages 命令导入整个文件夹。"
        )
    else:
        message = "请求无法处理：内容不完整或格式有误，请返回重试。"
    return _bad_request(request, message)


@read_only
@public_cache
def home(request):
    return render(
        request,
        "articles/home.html",
        {
            "articles": selectors.article_list_public()[:PAGE_SIZE],
            "programs": browsing.most_covered(Program, "articles"),
            "places": browsing.most_covered(Place, "articles"),
            "years": browsing.archive_years(),
        },
    )


@read_only
@public_cache(listing=False)
def article_detail(request, slug):
    try:
        article = selectors.article_get_public(slug=slug)
    except Http404:
        # A headline fixed since: the old address moved for good.
        moved = selectors.article_moved_to(slug=slug)
        if moved is None:
            raise
        return redirect("articles:article_detail", slug=moved, permanent=True)
    previous, following = browsing.article_neighbours(article)
    also_printed_in = reprints.also_printed_in(article)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            # Readers only see published printings, and related lists only
            # published articles: the same ids keep reprints out of them.
            "related": browsing.related_articles(
                article, same_piece={other.pk for other in also_printed_in}
            ),
            "also_printed_in": also_printed_in,
            "previous": previous,
            "next": following,
        },
    )


@read_only
@public_cache
def search(request):
    try:
        result = selectors.article_search(params=request.GET)
    except selectors.SearchError as exc:
        return _bad_request(request, str(exc))
    return render(
        request,
        "articles/search.html",
        {
            "result": result,
            "q": request.GET.get("q", ""),
            "facet_groups": _facet_groups(request.GET, result),
            "active": _active_filters(request),
            "hints": [
                (
                    hint.label,
                    hint.query,
                    with_params(request.GET, q=hint.query, page=None),
                )
                for hint in result.hints
            ],
            **_pager_links(request.GET, result),
            "sort_links": [
                (label, with_params(request.GET, sort=key), key == result.sort)
                for key, label in (
                    ("relevance", "相关度"),
                    ("newest", "最新"),
                    ("oldest", "最早"),
                )
            ],
        },
    )


def _facet_groups(params, result, base: str = "", fixed: str | None = None):
    """Facet links whose counts are what following them shows.  A filter
    takes one value, so a link in the group of a filter already applied
    replaces it: only the places under the current one are offered there
    (their articles are all within it); the current value itself removes
    the filter, unless it is the entity page's own (`fixed`)."""
    groups = []
    for param, found in result.facets.items():
        current = params.get(param)
        if current:
            inside = set(
                selectors.place_descendant_slugs(slug=current)
                if param == "place"
                else []
            )
            found = [
                f
                for f in found
                if f.value in inside or (f.value == current and param != fixed)
            ]
        if not found:
            continue
        items = [
            {
                "label": f.label,
                "count": f.count,
                "active": current == f.value,
                "url": base
                + with_params(
                    params, **{param: None if current == f.value else f.value}
                ),
            }
            for f in found
        ]
        groups.append({"param": param, "label": facets.LABELS[param], "items": items})
    return groups


def _active_filters(request):
    return [
        {
            "param": p,
            "label": facets.LABELS[p],
            "value": request.GET[p],
            "remove": with_params(request.GET, **{p: None}),
        }
        for p in facets.LABELS
        if request.GET.get(p)
    ]


def _pager_links(params, result) -> dict:
    """Links to the results' previous and next pages, keeping the query."""
    return {
        "prev_url": with_params(params, page=result.page - 1)
        if result.has_previous
        else None,
        "next_url": with_params(params, page=result.page + 1)
        if result.has_next
        else None,
    }


def _entity_page(request, template, context, param, value):
    """Tag, place, person and program pages: the thing, its articles with
    the same facets as search, and a chart of articles per month."""
    params = request.GET.copy()
    params[param] = value
    try:
        result = selectors.article_search(params=params)
    except selectors.SearchError as exc:
        return _bad_request(request, str(exc))
    search_url = reverse("articles:search")
    context.update(
        {
            "result": result,
            "facet_groups": _facet_groups(params, result, search_url, fixed=param),
            "chart": browsing.cached(
                f"chart:{param}:{value}",
                lambda: browsing.articles_per_month(
                    selectors.articles_filtered({param: value})
                ),
            ),
            "chart_param": urlencode({param: value}),
            "chart_link": f"{search_url}?{urlencode({param: value})}",
            "search_url": search_url + with_params(params),
            **_pager_links(request.GET, result),
        }
    )
    return render(request, template, context)


def _entity_view(param: str, lookup, extra=lambda obj: {}):
    """The page of one tag, place, person or program: `lookup(slug=…)`
    gives the thing (404 unless readers may see it), `extra(thing)` what
    its page shows beside the articles."""

    @read_only
    @public_cache
    def view(request, slug):
        obj = lookup(slug=slug)
        return _entity_page(
            request,
            f"articles/{param}_detail.html",
            {param: obj, **extra(obj)},
            param,
            obj.slug,
        )

    view.__name__ = f"{param}_detail"
    return view


def _person_roles(person) -> dict:
    roles = (
        person.bylines.filter(article__status=Article.Status.PUBLISHED)
        .values("role")
        .annotate(n=Count("id"))
    )
    return {"roles": browsing.role_counts(roles)}


place_detail = _entity_view(
    "place",
    visibility.place_get_public,
    lambda place: {"children": selectors.place_children_public(place)},
)
program_detail = _entity_view("program", visibility.program_get_public)
person_detail = _entity_view("person", visibility.person_get_public, _person_roles)
tag_detail = _entity_view("tag", visibility.tag_get_public)


@read_only
@public_cache
def archive(request, year=None, month=None):
    if year is not None and not 1 <= year <= 9999:  # what a date can hold
        raise Http404("没有这一年")
    if month is not None and not 1 <= month <= 12:
        raise Http404("没有这个月份")
    qs = selectors.article_list_public()
    if year is not None:
        qs = qs.filter(pub_date__year=year)
    if month is not None:
        qs = qs.filter(pub_date__month=month)
    return render(
        request,
        "articles/archive.html",
        {
            "year": year,
            "month": month,
            "years": browsing.archive_years(),
            "months": browsing.archive_months(year) if year else [],
            "page_obj": _page(request, qs) if year else None,
        },
    )


@read_only
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )
