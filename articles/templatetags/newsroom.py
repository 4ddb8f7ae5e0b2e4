from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articles.querystring import with_params

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """{% query_with tag="扶贫" %} → the current query with tag changed."""
    return with_params(context["request"].GET, **changes)


@register.filter
def label_of(code, vocabulary):
    """The Chinese label of a code the parser emits: `kind` (体裁), `flag`
    (审核提示) or `leftover` (未归属文本); staff never see the codes."""
    from articles.models import Article, Page

    labels = {
        "kind": dict(Article.Kind.choices),
        "flag": dict(Article.Flag.choices),
        "leftover": Page.LEFTOVER_LABELS,
    }[vocabulary]
    return labels.get(code, code)


@register.simple_tag
def field_label(opts, name):
    """A model field's label (verbose name) for its code name."""
    try:
        return opts.get_field(name).verbose_name
    except FieldDoesNotExist:  # a field since removed: its name is all there is
        return name


@register.simple_tag
def article_title(article, highlighted=None):
    """An article's title as HTML: its headline, or — printed without one —
    the 无题 mark and the suggested excerpt styled apart from headlines.
    `highlighted` is the already escaped text with search matches marked."""
    text = mark_safe(highlighted) if highlighted is not None else None  # noqa: S308 - escaped by search.highlight
    if not article.headline_is_editorial:
        return text if text is not None else escape(article.headline)
    return format_html(
        '<span class="editorial-label" title="版面上没有印标题，后面是编辑从正文摘录的提示">{}</span>'
        '<span class="editorial-title">{}</span>',
        article.EDITORIAL_MARK,
        text if text is not None else article.title_excerpt,
    )


@register.simple_tag
def month_chart(rows, width=640, height=120, link=""):
    """Articles per month as a server-rendered SVG bar chart; with `link`
    (a search URL with the page's filter), each bar opens that month."""
    if not rows:
        return ""
    peak = max(n for _, n in rows) or 1
    bar = max(2.0, (width - 40) / len(rows))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 24}" role="img" '
        f'aria-label="每月稿件数" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (month, n) in enumerate(rows):
        h = (height - 10) * n / peak
        x = 30 + i * bar
        rect = format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#b3261e"><title>{}：{} 篇</title></rect>',
            f"{x:.1f}",
            f"{height - h:.1f}",
            f"{max(bar - 1, 1):.1f}",
            f"{h:.1f}",
            month,
            n,
        )
        if link and n:
            year, number = month.split("-")
            rect = format_html(
                '<a href="{}&amp;year={}&amp;month={}">{}</a>',
                link,
                year,
                int(number),
                rect,
            )
        parts.append(rect)
    parts.append(
        format_html(
            '<text x="30" y="{}" font-size="11">{}</text>', height + 16, rows[0][0]
        )
    )
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
            width - 4,
            height + 16,
            rows[-1][0],
        )
    )
    parts.append(format_html('<text x="0" y="12" font-size="11">{}</text>', peak))
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every piece is formatted/escaped above
