"""The public search's dimensions — tag, place, person, program, kind,
publication, year, month — each declared once: its parameter, its label,
how it filters and how its facet counts.  The django-filter `ArticleFilter`
and the facet counts beside the results are both built from `DIMENSIONS`,
so a new facet is one declaration here (and its label in templates, if it
needs one of its own)."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Count, F, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.http import Http404
from taggit.models import TaggedItem

from people.models import Byline

from . import search, visibility
from .models import Article
from .search import compiled

FACET_TOP = 12  # values listed per facet (dates list them all)


@dataclass
class Facet:
    param: str
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Scope:
    """The articles a facet counts: `ids` as a subquery or a list, and
    `articles` the same as a queryset."""

    ids: object
    articles: QuerySet

    @property
    def dated(self) -> QuerySet:
        return self.articles.exclude(pub_date__isnull=True)


@dataclass(frozen=True)
class Dimension:
    param: str
    label: str
    # A django-filter filter for the parameter (labelled with `label`).
    filter: Callable[[str], django_filters.Filter]
    # Rows of value `v` and label `l`, one per article (and thing) in scope…
    rows: Callable[[Scope], QuerySet] | None = None
    # … or, where a queryset cannot say it, the counted rows (v, l, n) as SQL.
    counts_sql: Callable[[Scope], tuple[str, list]] | None = None
    # Counted per value: every row (`*`: the rows' own indexes can answer,
    # no table read), or this column's distinct values.
    counted: str = "*"
    # Dates list every value in calendar order, labelled by this pattern;
    # the rest their FACET_TOP commonest.
    date_label: str = ""
    # Counted only when this parameter is set (months within a year).
    needs: str = ""
    # Labels for codes stored as values (the article kinds).
    choices: tuple = ()


# --- filtering ------------------------------------------------------------------
# Many-to-many filters use `pk IN (subquery)` rather than joins, so an article
# never comes back twice and counts need no DISTINCT.


def _lookup(getter, slug: str, label: str):
    # The same things a reader can open a page for (visibility.*_public):
    # nothing only drafts name, no place or program staff did not confirm.
    try:
        return getter(slug=slug)
    except Http404:
        raise forms.ValidationError(f"未知的{label}：{slug[:40]}") from None


def _filter_tag(queryset, name, value):
    tag = _lookup(visibility.tag_get_public, value, "标签")
    tagged = TaggedItem.objects.filter(
        tag=tag, content_type=ContentType.objects.get_for_model(Article)
    ).values("object_id")
    return queryset.filter(pk__in=tagged)


def _filter_place(queryset, name, value):
    place = _lookup(visibility.place_get_public, value, "地点")
    # The search index's copy of each article's places with those above
    # them: the same articles as joining the links of `descendant_ids`,
    # checked on the article's own row as a walk reads it.
    return search.in_place(queryset, place.pk)


def _filter_person(queryset, name, value):
    person = _lookup(visibility.person_get_public, value, "人物")
    return queryset.filter(
        pk__in=Byline.objects.filter(person=person).values("article_id")
    )


def _filter_program(queryset, name, value):
    program = _lookup(visibility.program_get_public, value, "政策项目")
    links = Article.programs.through.objects.filter(program=program)
    return queryset.filter(pk__in=links.values("article_id"))


def _place_counts_sql(ids) -> tuple[str, list]:
    """The place facet, rolled up as the place filter is: a place counts
    each article named with it or with any confirmed place under it, once —
    read from each article's own copy of those places (`search_places`),
    which is what the filter reads.  `ids` as given (the id list's
    subquery): through `Article.objects.filter(pk__in=ids)` each article
    was looked up twice and the ids sorted by date first."""
    if isinstance(ids, RawSQL):
        ids_sql, ids_params = ids.sql, ids.params
    else:
        ids_sql, ids_params = ids.query.sql_with_params()
    return search.backend().place_counts_sql(ids_sql, FACET_TOP), list(ids_params)


def _by_method(method):
    return lambda label: django_filters.CharFilter(method=method, label=label)


def _as_text(expression):
    return Cast(expression, CharField())


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "tag",
        "标签",
        filter=_by_method(_filter_tag),
        rows=lambda s: TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id__in=s.ids
        ).values(v=F("tag__slug"), l=F("tag__name")),
    ),
    Dimension(
        "place",
        "地点",
        filter=_by_method(_filter_place),
        counts_sql=lambda s: _place_counts_sql(s.ids),
    ),
    Dimension(
        "person",
        "人物",
        filter=_by_method(_filter_person),
        rows=lambda s: Byline.objects.filter(article_id__in=s.ids).values(
            v=F("person__slug"), l=F("person__name")
        ),
        # An article with two bylines of one person counts once.
        counted="article_id",
    ),
    Dimension(
        "program",
        "政策项目",
        filter=_by_method(_filter_program),
        rows=lambda s: Article.programs.through.objects.filter(
            article_id__in=s.ids, program__is_confirmed=True
        ).values(v=F("program__slug"), l=F("program__name")),
    ),
    Dimension(
        "kind",
        "体裁",
        filter=lambda label: django_filters.ChoiceFilter(
            choices=Article.Kind.choices, label=label
        ),
        rows=lambda s: s.articles.values(v=F("kind"), l=F("kind")),
        choices=tuple(Article.Kind.choices),
    ),
    Dimension(
        "publication",
        "报纸",
        filter=lambda label: django_filters.CharFilter(
            field_name="page__publication", label=label
        ),
        rows=lambda s: (
            s.articles.exclude(page__publication="")
            .exclude(page__isnull=True)
            .values(v=F("page__publication"), l=F("page__publication"))
        ),
    ),
    Dimension(
        "year",
        "年份",
        filter=lambda label: django_filters.NumberFilter(
            field_name="pub_date__year", label=label, min_value=1900, max_value=2100
        ),
        rows=lambda s: s.dated.values(
            v=_as_text(ExtractYear("pub_date")), l=_as_text(ExtractYear("pub_date"))
        ),
        date_label="{}年",
    ),
    Dimension(
        "month",
        "月份",
        filter=lambda label: django_filters.NumberFilter(
            field_name="pub_date__month", label=label, min_value=1, max_value=12
        ),
        rows=lambda s: s.dated.values(
            v=_as_text(ExtractMonth("pub_date")), l=_as_text(ExtractMonth("pub_date"))
        ),
        date_label="{}月",
        needs="year",
    ),
)

LABELS = {d.param: d.label for d in DIMENSIONS}


class _FilterBase(django_filters.FilterSet):
    def filter_queryset(self, queryset):
        # An unknown tag, place, person or program is the reader's error,
        # said in the form's errors, not a server error.
        try:
            return super().filter_queryset(queryset)
        except forms.ValidationError as exc:
            self.errors.setdefault("__all__", self.form.error_class()).extend(
                exc.messages
            )
            return queryset.none()


ArticleFilter = type(
    "ArticleFilter",
    (_FilterBase,),
    {
        **{d.param: d.filter(d.label) for d in DIMENSIONS},
        "__module__": __name__,
        "__doc__": "The public filters, one per dimension.  A place includes "
        "everything under it.",
        "Meta": type(
            "Meta", (), {"model": Article, "fields": [d.param for d in DIMENSIONS]}
        ),
    },
)


# --- counting -------------------------------------------------------------------


def facet_counts(ids, params) -> dict[str, list[Facet]]:
    """Counts per dimension over `ids` (a list or a values("pk") queryset):
    the commonest values, dates all of them in calendar order."""
    shown = [d for d in DIMENSIONS if not d.needs or params.get(d.needs)]
    if isinstance(ids, list) and not ids:  # `IN ()` cannot be compiled
        return {d.param: [] for d in shown}
    if isinstance(ids, list):
        statement = _statement(tuple(d.param for d in shown), _cache_key())
        sql, sql_params = statement.bind(ids)
    else:
        sql, sql_params = _union(shown, ids)
    facets: dict[str, list[Facet]] = {d.param: [] for d in shown}
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        for name, value, label, n in cursor.fetchall():
            facets[name].append(Facet(name, str(value), str(label), n))
    # UNION ALL keeps no order: each list sorted again.
    for dim in shown:
        found = facets[dim.param]
        labels = dict(dim.choices)
        for facet in found:
            if dim.date_label:
                facet.label = dim.date_label.format(facet.value)
            elif labels:
                facet.label = labels.get(facet.value, facet.value)
        if dim.date_label:
            found.sort(key=lambda f: int(f.value), reverse=dim.param == "year")
        else:
            found.sort(key=lambda f: (-f.count, f.label))
    return facets


def _union(shown, ids) -> tuple[str, list]:
    """One statement for all the lists (`ids` a subquery): each is a
    millisecond of work for the database but several for a round trip of
    its own."""
    scope = Scope(ids=ids, articles=Article.objects.filter(pk__in=ids))
    parts, sql_params = [], []
    for dim in shown:
        if dim.counts_sql:
            sql, part_params = dim.counts_sql(scope)
        else:
            rows = dim.rows(scope).annotate(
                n=Count(dim.counted, distinct=dim.counted != "*")
            )
            if not dim.date_label:
                rows = rows.order_by("-n", "l")[:FACET_TOP]
            sql, part_params = rows.query.sql_with_params()
        parts.append(f"SELECT '{dim.param}', f.v, f.l, f.n FROM ({sql}) f")
        sql_params.extend(part_params)
    return " UNION ALL ".join(parts), sql_params


def _cache_key() -> tuple:
    # The compiled statement holds the article content type's id.
    return (connection.alias, ContentType.objects.get_for_model(Article).pk)


@functools.lru_cache(maxsize=16)
def _statement(params: tuple[str, ...], key) -> compiled.Compiled:
    """The facet statement for these dimensions over a list of ids,
    compiled once (`search.compiled`)."""
    shown = [d for d in DIMENSIONS if d.param in params]
    return compiled.for_ids(lambda ids: _union(shown, ids))
