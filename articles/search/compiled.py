"""Statements over a list of ids, compiled once.

The search results page runs the same few statements for every search,
each over the ids of its matches: the facet counts, the page's articles and
their bylines.  Building those querysets and compiling them took longer
than the database takes to run them (5 ms a search for the facets alone),
so each is compiled once per process with a stand-in for the id list
(`backend().id_set_sql`, one parameter), and each search puts its ids in."""

from dataclasses import dataclass

from django.db.models.expressions import RawSQL

from .backends import backend


class _Ids:
    """Stands for the id list while a statement is compiled."""


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple
    at: tuple[int, ...]  # where in `params` the id list goes

    def bind(self, ids: list[int]) -> tuple[str, list]:
        """The statement and its parameters for these ids."""
        params = list(self.params)
        literal = backend().id_list(ids)
        for i in self.at:
            params[i] = literal
        return self.sql, params


def for_ids(build) -> Compiled:
    """Compile `build(ids)` — SQL and parameters, given `ids` as a subquery
    to use in place of the list (`pk__in=ids`)."""
    marker = _Ids()
    sql, params = build(RawSQL(backend().id_set_sql, [marker]))
    at = tuple(i for i, p in enumerate(params) if p is marker)
    return Compiled(sql, tuple(params), at)
