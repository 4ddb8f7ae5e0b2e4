"""Links that keep the rest of the query: facet links, pagination, sorting."""

from urllib.parse import urlencode

from .facets import ArticleFilter

# The query, every filter the public search knows, and the sort order.
FILTER_PARAMS = ("q", *ArticleFilter.Meta.fields, "sort")


def with_params(params, **changes) -> str:
    """`?…` for `params` (a QueryDict or dict) with some keys changed;
    None removes a key, and any change goes back to page 1."""
    merged = {k: params.get(k) for k in FILTER_PARAMS if params.get(k)}
    for key, value in changes.items():
        if value is None or value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    if "year" not in merged:
        merged.pop("month", None)
    page = changes.get("page")
    if page and page != 1:
        merged["page"] = page
    else:
        merged.pop("page", None)
    return "?" + urlencode(merged) if merged else "?"
