"""Public pages.  Thin: read the request, call a selector, render."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_http_methods

from . import pagecache, reprints, selectors
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


@read_only
@public_cache
def home(request):
    return render(
        request,
        "articles/home.html",
        {
            "articles": selectors.article_list_public()[:PAGE_SIZE],
            "programs": selectors.most_covered(Program, "articles"),
            "places": selectors.most_covered(Place, "articles"),
            "years": selectors.archive_years(),
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
    previous, following = selectors.article_neighbours(article)
    also_printed_in = reprints.also_printed_in(article)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            # Readers only see published printings, and related lists only
            # published articles: the same ids keep reprints out of them.
            "related": selectors.related_articles(
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
            "prev_url": with_params(request.GET, page=result.page - 1)
            if result.has_previous
            else None,
            "next_url": with_params(request.GET, page=result.page + 1)
            if result.has_next
            else None,
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
    for param, facets in result.facets.items():
        current = params.get(param)
        if current:
            inside = set(
                selectors.place_descendant_slugs(slug=current)
                if param == "place"
                else []
            )
            facets = [
                f
                for f in facets
                if f.value in inside or (f.value == current and param != fixed)
            ]
        if not facets:
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
            for f in facets
        ]
        groups.append(
            {"param": param, "label": selectors.FACET_LABELS[param], "items": items}
        )
    return groups


def _active_filters(request):
    return [
        {
            "param": p,
            "label": selectors.FACET_LABELS[p],
            "value": request.GET[p],
            "remove": with_params(request.GET, **{p: None}),
        }
        for p in selectors.FACET_LABELS
        if request.GET.get(p)
    ]


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
            "chart": selectors.cached(
                f"chart:{param}:{value}",
                lambda: selectors.articles_per_month(
                    selectors.articles_filtered({param: value})
                ),
            ),
            "chart_param": urlencode({param: value}),
            "chart_link": f"{search_url}?{urlencode({param: value})}",
            "search_url": search_url + with_params(params),
            "prev_url": with_params(request.GET, page=result.page - 1)
            if result.has_previous
            else None,
            "next_url": with_params(request.GET, page=result.page + 1)
            if result.has_next
            else None,
        }
    )
    return render(request, template, context)


@read_only
@public_cache
def place_detail(request, slug):
    place = selectors.place_get_public(slug=slug)
    return _entity_page(
        request,
        "articles/place_detail.html",
        {"place": place, "children": selectors.place_children_public(place)},
        "place",
        place.slug,
    )


@read_only
@public_cache
def program_detail(request, slug):
    program = selectors.program_get_public(slug=slug)
    return _entity_page(
        request,
        "articles/program_detail.html",
        {"program": program},
        "program",
        program.slug,
    )


@read_only
@public_cache
def person_detail(request, slug):
    person = selectors.person_get_public(slug=slug)
    roles = (
        person.bylines.filter(article__status=Article.Status.PUBLISHED)
        .values("role")
        .annotate(n=Count("id"))
    )
    return _entity_page(
        request,
        "articles/person_detail.html",
        {"person": person, "roles": selectors.role_counts(roles)},
        "person",
        person.slug,
    )


@read_only
@public_cache
def tag_detail(request, slug):
    tag = selectors.tag_get_public(slug=slug)
    return _entity_page(
        request,
        "articles/tag_detail.html",
        {"tag": tag},
        "tag",
        tag.slug,
    )


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
            "years": selectors.archive_years(),
            "months": selectors.archive_months(year) if year else [],
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
