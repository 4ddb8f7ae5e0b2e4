"""The JSON API: the same search and filters as the HTML pages."""

import json

from django.http import Http404, HttpResponse
from django.urls import reverse

from . import reprints, selectors
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


@read_only
@public_cache
def article_list(request):
    try:
        result = selectors.article_search(params=request.GET, with_entities=True)
    except selectors.SearchError as exc:
        return _json({"error": str(exc)}, status=400)
    base = request.build_absolute_uri(request.path)
    article_url = _article_url(request)

    def page_url(number):
        return (
            base
            + with_params(request.GET, page=number)
            + (f"&page_size={result.page_size}" if "page_size" in request.GET else "")
        )

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
    }
    return _json(data)


@read_only
@public_cache(listing=False)
def article_detail(request, pk):
    try:
        article = selectors.article_get_public_by_id(pk=pk)
    except Http404:
        return _json({"error": "没有这篇已发布的稿件"}, status=404)
    names = {
        "bylines": [(b.person.name, b.role) for b in article.bylines.all()],
        "places": [p.name for p in article.places.all()],
        "programs": [p.name for p in article.programs.all()],
        "tags": [t.name for t in article.tags.all()],
    }
    data = _article_summary(_article_url(request), article, names)
    data.pop("snippet")
    data.update(
        {
            "body": article.body,
            "paragraphs": article.paragraphs(),
            "captions": [c.text for c in article.captions.all()],
            "source": {
                "publication": article.page.publication,
                "page": article.page.page_label,
            }
            if article.page
            else None,
            # The same piece printed elsewhere (reprints.py), both ways.
            "also_printed_in": [
                {
                    "id": other.pk,
                    "title": other.public_title,
                    "url": _article_url(request).replace("SLUG", other.slug),
                    "publication": other.page.publication if other.page else "",
                    "page": other.page.page_label if other.page else "",
                    "date": other.pub_date.isoformat() if other.pub_date else None,
                }
                for other in reprints.also_printed_in(article)
            ],
        }
    )
    return _json(data)
