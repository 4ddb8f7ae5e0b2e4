"""Where an article was printed, as readers cite it and as machines read it."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _authors(article) -> list[str]:
    return [b.person.name for b in article.bylines.all()]


@register.simple_tag
def citation(article) -> str:
    """GB/T 7714-2015 for a newspaper article:
    作者. 标题[N]. 报纸名, 出版日期(版次)."""
    title = article.headline or article.suggested_headline or "无标题"
    parts = []
    authors = _authors(article)
    if authors:
        # GB/T 7714: at most three authors, then "等".
        parts.append(
            ", ".join(authors[:3]) + (", 等" if len(authors) > 3 else "") + ". "
        )
    parts.append(f"{title}[N]. ")
    page = article.page
    source = page.publication if page and page.publication else ""
    when = article.pub_date.isoformat() if article.pub_date else ""
    if source:
        parts.append(source + (f", {when}" if when else ""))
        if when and page.page_number:
            parts.append(f"({page.page_number})")
        parts.append(".")
    return "".join(parts).strip()


def _script_safe(data) -> str:
    # JSON inside <script> ends at "</": escape <, > and & so page text
    # cannot close the element (the same escaping as Django's json_script).
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


@register.simple_tag(takes_context=True)
def news_article_ld(context, article) -> str:
    """schema.org NewsArticle as JSON-LD: data, not script (no CSP needed)."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": (article.headline or article.suggested_headline)[:110],
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "author": [{"@type": "Person", "name": n} for n in _authors(article)],
        "inLanguage": "zh-Hans",
    }
    if article.pub_date:
        data["datePublished"] = article.pub_date.isoformat()
    page = article.page
    if page and page.publication:
        data["publisher"] = {"@type": "Organization", "name": page.publication}
        if page.page_number:
            data["printPage"] = str(page.page_number)
        if page.issue_id:
            data["printEdition"] = str(page.issue)
    if page and page.image:
        data["image"] = request.build_absolute_uri(page.image.url)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(_script_safe(data))
    )
