"""The JSON API: the same search and filters as the HTML pages."""

import json
from urllib.parse import parse_qsl, urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from . import openapi, printed, printed_api, reprints, selectors, suggestions
from .querystring import with_params
from .views import public_cache, read_only


def _json(data, status: int = 200) -> HttpResponse:
    """UTF-8 JSON with <, > and & escaped, so text that came from a page file
    stays inert even if a reader's tool pastes it into HTML."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return HttpResponse(
        text, status=status, content_type="application/json; charset=utf-8"
    )


def _article_summary(article_url: str, article, names: dict, snippet=None) -> dict:
    return {
        "id": article.pk,
        "slug": article.slug,
        "url": article_url.replace("SLUG", article.slug),
        # `headline` is what the page printed (or staff wrote), possibly "";
        # `title` is what to show, marked 〔无题〕 when editorial.
        "title": article.public_title,
        "headline": article.headline,
        "headline_is_editorial": article.headline_is_editorial,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "kind": article.kind,
        # The print date; null when the page gives none (日期不详).
        "published": article.pub_date.isoformat() if article.pub_date else None,
        "bylines": [{"name": name, "role": role} for name, role in names["bylines"]],
        "places": names["places"],
        "programs": names["programs"],
        "tags": names["tags"],
        "snippet": snippet,
    }


def _article_url(request) -> str:
    """An article's absolute URL with SLUG for its slug: reversing and
    building it once, not per article."""
    return request.build_absolute_uri(reverse("articles:article_detail", args=["SLUG"]))


def _page_link(request, query: str, number: int) -> str:
    """An absolute link to another page of the same list: the query as
    given, `page` changed, `page_size` kept, no stray "?" or "&"."""
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?")) if k != "page"]
    if number != 1:
        pairs.append(("page", str(number)))
    if request.GET.get("page_size"):
        pairs.append(("page_size", request.GET["page_size"]))
    base = request.build_absolute_uri(request.path)
    return base + ("?" + urlencode(pairs) if pairs else "")


def _names(article) -> dict:
    return {
        "bylines": [(b.person.name, b.role) for b in article.bylines.all()],
        "places": [p.name for p in article.places.all()],
        "programs": [p.name for p in article.programs.all()],
        "tags": [t.name for t in article.tags.all()],
    }


@read_only
@public_cache
def article_list(request):
    try:
        result = selectors.article_search(params=request.GET, with_entities=True)
    except selectors.SearchError as exc:
        return _json({"error": str(exc)}, status=400)
    if result.page > 1 and result.page > result.num_pages:
        return _json({"error": "没有这一页"}, status=404)
    article_url = _article_url(request)

    def page_url(number):
        return _page_link(request, with_params(request.GET, page=number), number)

    data = {
        "count": result.count,
        "count_is_estimate": result.count_is_estimate,
        "next": page_url(result.page + 1) if result.has_next else None,
        "previous": page_url(result.page - 1) if result.has_previous else None,
        "results": [
            _article_summary(article_url, a, a.names, a.snippet_html)
            for a in result.articles
        ],
        "facets": {
            name: [
                {"value": f.value, "label": f.label, "count": f.count} for f in facets
            ]
            for name, facets in result.facets.items()
        },
        # A pinyin query that found nothing as typed: the Chinese it was read as.
        "read_as": result.read_as or None,
    }
    return _json(data)


MAX_SUGGEST_QUERY = 100


@read_only
@public_cache
def suggest(request):
    """Names for the search box as the reader types: people, places,
    programs and tags (Chinese or pinyin), with their public article
    counts.  Index lookups only (see suggestions.py)."""
    q = request.GET.get("q", "")
    if len(q) > MAX_SUGGEST_QUERY:
        return _json({"error": f"q 最长 {MAX_SUGGEST_QUERY} 个字"}, status=400)
    found = suggestions.suggest(q)
    return _json(
        {
            "query": q,
            "suggestions": [
                {
                    "kind": s.kind,
                    "kind_label": s.kind_label,
                    "name": s.name,
                    "detail": s.detail,
                    "url": request.build_absolute_uri(s.url),
                    "count": s.count,
                }
                for s in found
            ],
        }
    )


@read_only
@public_cache(listing=False)
def article_detail(request, pk):
    try:
        article = selectors.article_get_public_by_id(pk=pk)
    except Http404:
        return _json({"error": "没有这篇已发布的稿件"}, status=404)
    data = _article_summary(_article_url(request), article, _names(article))
    data.pop("snippet")
    data.update(
        {
            "body": article.body,
            "paragraphs": article.paragraphs(),
            "captions": [c.text for c in article.captions.all()],
            "source": _page_source(request, article.page) if article.page else None,
            # The same piece printed elsewhere (reprints.py), both ways.
            "also_printed_in": [
                {
                    "id": other.pk,
                    "title": other.public_title,
                    "url": _article_url(request).replace("SLUG", other.slug),
                    "publication": other.page.publication if other.page else "",
                    "page_number": other.page.page_number if other.page else None,
                    "date": other.pub_date.isoformat() if other.pub_date else None,
                }
                for other in reprints.also_printed_in(article)
            ],
        }
    )
    return _json(data)


def _page_source(request, page) -> dict:
    return {
        "id": page.pk,
        "url": request.build_absolute_uri(page.get_absolute_url()),
        "api": request.build_absolute_uri(reverse("articles:api_page", args=[page.pk])),
        "publication": page.publication,
        "date": page.issue_date.isoformat() if page.issue_date else None,
        "issue_number": page.issue.number if page.issue_id else "",
        "page_number": page.page_number,
        "page_name": page.page_name,
        "image": request.build_absolute_uri(page.image.url) if page.image else None,
        "original": request.build_absolute_uri(page.original.url)
        if page.original
        else None,
    }


@read_only
@public_cache
def issue_list(request):
    """Issues with a published article, newest first; filters publication,
    year, month; paged like the articles."""
    try:
        found = printed_api.issue_search(params=request.GET)
    except selectors.SearchError as exc:
        return _json({"error": str(exc)}, status=400)
    if found.page > 1 and found.page > found.pages:
        return _json({"error": "没有这一页"}, status=404)
    query = "?" + urlencode(
        [(k, v) for k, v in request.GET.items() if k in printed_api.ISSUE_FILTERS]
    )
    return _json(
        {
            "count": found.count,
            "next": _page_link(request, query, found.page + 1)
            if found.page < found.pages
            else None,
            "previous": _page_link(request, query, found.page - 1)
            if found.page > 1
            else None,
            "results": [
                {
                    "publication": issue.publication,
                    "date": issue.date.isoformat(),
                    "issue_number": issue.number,
                    "url": request.build_absolute_uri(issue.get_absolute_url()),
                    "pages": [
                        {
                            "id": page.pk,
                            "page_number": page.page_number,
                            "page_name": page.page_name,
                            "api": request.build_absolute_uri(
                                reverse("articles:api_page", args=[page.pk])
                            ),
                        }
                        for page in issue.public_pages
                    ],
                }
                for issue in found.issues
            ],
        }
    )


@read_only
@public_cache
def page_detail(request, pk):
    try:
        page = printed.page_get(pk)
    except Http404:
        return _json({"error": "没有这个版面"}, status=404)
    data = _page_source(request, page)
    article_url = _article_url(request)
    data["articles"] = [
        _article_summary(article_url, a, _names(a)) for a in page.public_articles
    ]
    for item in data["articles"]:
        item.pop("snippet")
    data["raw_text"] = page.raw_text
    return _json(data)


@read_only
def schema(request):
    return _json(openapi.schema(request.build_absolute_uri("/")))


@read_only
def schema_page(request):
    return render(request, "articles/api_schema.html", {"schema": openapi.schema("/")})
