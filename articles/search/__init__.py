"""Full-text search that misses nothing, in one package.

- `query`: parsing queries into terms, and what a term is in each
  engine's index terms (pure text);
- `backends/`: one module per database engine, the only places with its
  SQL — keeping the index, matching, walking, statistics, estimates;
- `index`: what of an article is indexed, and rebuilding it all;
- `planner`: list every match or walk the archive, from the backend's
  estimates; `search_page` is the entry point the selectors call;
- `highlight`: marking the query's words in what the reader sees.
"""

from django.db.models import QuerySet

from ..models import Article
from .backends import backend
from .highlight import highlight, snippet
from .index import (
    article_texts,
    index_article_places,
    index_articles,
    index_new_articles,
    index_places,
    index_remove,
    paths_of,
    place_paths,
    rebuild,
)
from .planner import SearchPage, search_page
from .query import ParsedQuery, QueryError, Term, make_term, normalize, parse_query

__all__ = [
    "ParsedQuery",
    "QueryError",
    "SearchPage",
    "Term",
    "article_texts",
    "backend",
    "highlight",
    "id_set",
    "in_place",
    "index_article_places",
    "index_articles",
    "index_new_articles",
    "index_places",
    "index_remove",
    "make_term",
    "matching",
    "normalize",
    "parse_query",
    "paths_of",
    "place_paths",
    "rebuild",
    "search_page",
    "snippet",
]


def matching(
    query: ParsedQuery,
    articles: QuerySet | None = None,
    *,
    kind: str | None = None,
    per_article: bool = False,
) -> QuerySet:
    """The articles (of `articles`, default: published ones) whose text holds
    every term and none of the excluded ones, as substrings; with `kind`,
    the terms must be in that part (the headline block).  `per_article`
    phrases it as a check of each article's own text where the engine
    does that better, for a few candidates the caller already has."""
    qs = articles if articles is not None else Article.objects.published()
    return backend().matching(query, qs, kind=kind, per_article=per_article)


def id_set(ids: list[int]):
    """Ids as a subquery of one parameter, for `pk__in=` (see the backend)."""
    return backend().id_set(ids)


def in_place(articles: QuerySet, place_id: int) -> QuerySet:
    """The articles in the place or any confirmed place under it, from
    their own rows (`Article.search_places`): no join per article."""
    return backend().in_place(articles, place_id)
