"""The JSON API: the same search and filters as the HTML pages."""

import json

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from . import selectors
from .querystring import with_params


def _json(data, status: int = 200) -> HttpResponse:
    """UTF-8 JSON with <, > and & escaped, so text that came from a page file
    stays inert even if a reader's tool pastes it into HTML."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return HttpResponse(
        text, status=status, content_type="application/json; charset=utf-8"
    )


def _article_summary(request, article, snippet: str | None = None) -> dict:
    return {
        "id": article.pk,
        "slug": article.slug,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        # `headline` is what the page printed (or staff wrote), possibly "";
        # `title` is what to show, marked 〔无题〕 when editorial.
        "title": article.public_title,
        "headline": article.headline,
        "headline_is_editorial": article.headline_is_editorial,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "kind": article.kind,
        "published": article.pub_date.isoformat() if article.pub_date else None,
        "bylines": [
            {"name": b.person.name, "role": b.role} for b in article.bylines.all()
        ],
        "places": [p.name for p in article.places.all()],
        "programs": [p.name for p in article.programs.all()],
        "tags": [t.name for t in article.tags.all()],
        "snippet": snippet,
    }


@require_GET
def article_list(request):
    try:
        result = selectors.article_search(params=request.GET, with_entities=True)
    except selectors.SearchError as exc:
        return _json({"error": str(exc)}, status=400)
    base = request.build_absolute_uri(request.path)

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
            _article_summary(request, a, a.snippet_html) for a in result.articles
        ],
        "facets": {
            name: [
                {"value": f.value, "label": f.label, "count": f.count} for f in facets
            ]
            for name, facets in result.facets.items()
        },
    }
    return _json(data)


@require_GET
def article_detail(request, pk):
    try:
        article = selectors.article_get_public_by_id(pk=pk)
    except Http404:
        return _json({"error": "没有这篇已发布的稿件"}, status=404)
    data = _article_summary(request, article)
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
        }
    )
    return _json(data)
