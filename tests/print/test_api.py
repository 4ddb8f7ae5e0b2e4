"""The JSON API's issues and pages, paging, and its OpenAPI description."""

import pytest
from django.urls import get_resolver

from articles import openapi

pytestmark = pytest.mark.django_db


def test_issues_and_pages(client, printed_pages):
    data = client.get("/api/issues/?publication=交城报&year=2020").json()
    assert data["count"] == 2
    first = data["results"][0]
    assert first["date"] == "2020-10-23"
    page_api = data["results"][1]["pages"][0]["api"]
    page = client.get(page_api).json()
    assert page["date"] == "2020-10-20" and page["page_number"] == 1
    assert page["articles"][0]["headline"] == "全县秋收工作进展顺利"
    assert page["articles"][0]["published"] == "2020-10-20"
    assert client.get("/api/pages/999999/").status_code == 404


def test_paging_past_the_end_is_404_and_links_are_clean(client, printed_pages):
    data = client.get("/api/issues/?page_size=1").json()
    assert data["next"] == "http://testserver/api/issues/?page=2&page_size=1"
    second = client.get(data["next"]).json()
    assert second["previous"] == "http://testserver/api/issues/?page_size=1"
    assert client.get("/api/issues/?page=9").status_code == 404
    assert client.get("/api/articles/?page=99").status_code == 404
    articles = client.get("/api/articles/?page_size=1").json()
    assert articles["next"] == "http://testserver/api/articles/?page=2&page_size=1"


def test_article_source_names_its_page(client, printed_pages):
    listed = client.get("/api/articles/?q=口袋公园").json()["results"][0]
    source = client.get(f"/api/articles/{listed['id']}/").json()["source"]
    assert (source["publication"], source["date"], source["page_number"]) == (
        "交城报",
        "2020-10-20",
        3,
    )


def test_schema_describes_every_api_route(client, printed_pages):
    schema = client.get("/api/schema/").json()
    assert schema["openapi"].startswith("3.")
    routes = {
        "/" + str(p.pattern).replace("<int:pk>", "{id}")
        for p in get_resolver().url_patterns[-1].url_patterns
        if str(p.pattern).startswith("api/")
        and p.name not in ("api_schema", "api_docs")
    }
    assert routes == set(schema["paths"])
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"].rsplit("/", 1)[-1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert refs <= set(schema["components"]["schemas"])
    # What the API answers has what the schema says it must.
    samples = {
        "IssueList": client.get("/api/issues/").json(),
        "ArticleList": client.get("/api/articles/").json(),
        "Page": client.get(
            client.get("/api/issues/").json()["results"][0]["pages"][0]["api"]
        ).json(),
    }
    for name, sample in samples.items():
        assert set(openapi.SCHEMAS[name]["required"]) <= set(sample), name
    assert "GET /api/issues/" in client.get("/api/").content.decode()
