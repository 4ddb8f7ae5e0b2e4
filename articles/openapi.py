"""The JSON API described in OpenAPI 3.1, kept by hand beside the four small
views it describes (tests/print/test_api.py checks every API route is here
and every response the tests get matches its schema's required keys)."""

_PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {
        "name": "page_size",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
    },
]


def _filter(name: str, description: str, kind: str = "string") -> dict:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": {"type": kind},
    }


_ERROR = {
    "description": "错误",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _list(item: str) -> dict:
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": {
                "type": "array",
                "items": {"$ref": f"#/components/schemas/{item}"},
            },
        },
    }


def _ok(schema: str) -> dict:
    return {
        "200": {
            "description": "成功",
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{schema}"}
                }
            },
        },
        "304": {"description": "未修改（If-None-Match / If-Modified-Since）"},
        "400": _ERROR,
        "404": _ERROR,
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}},
    },
    "ArticleSummary": {
        "type": "object",
        "required": ["id", "slug", "url", "headline", "kind", "published", "bylines"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "headline": {"type": "string"},
            "kicker": {"type": "string"},
            "subtitle": {"type": "string"},
            "kind": {"type": "string", "enum": ["article", "brief", "photo"]},
            "published": {
                "type": ["string", "null"],
                "format": "date",
                "description": "出版日期；null 为日期不详",
            },
            "bylines": {"type": "array", "items": {"type": "object"}},
            "places": {"type": "array", "items": {"type": "string"}},
            "programs": {"type": "array", "items": {"type": "string"}},
            "tags": {"type": "array", "items": {"type": "string"}},
            "snippet": {"type": ["string", "null"]},
        },
    },
    "ArticleList": {
        **_list("ArticleSummary"),
        "required": ["count", "next", "previous", "results", "facets"],
        "properties": {
            **_list("ArticleSummary")["properties"],
            "read_as": {
                "type": ["string", "null"],
                "description": "拼音检索词按原样没有结果时，按其读作的汉字检索"
                "（如 jiaocheng → 交城）；否则为 null",
            },
        },
    },
    "PageSource": {
        "type": "object",
        "required": ["id", "url", "publication", "date", "page_number", "page_name"],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "format": "uri"},
            "api": {"type": "string", "format": "uri"},
            "publication": {"type": "string"},
            "date": {"type": ["string", "null"], "format": "date"},
            "issue_number": {"type": "string"},
            "page_number": {"type": ["integer", "null"]},
            "page_name": {"type": "string"},
            "image": {"type": ["string", "null"], "format": "uri"},
            "original": {"type": ["string", "null"], "format": "uri"},
        },
    },
    "Article": {
        "allOf": [{"$ref": "#/components/schemas/ArticleSummary"}],
        "type": "object",
        "required": ["body", "paragraphs", "captions", "source"],
        "properties": {
            "body": {"type": "string"},
            "paragraphs": {"type": "array", "items": {"type": "string"}},
            "captions": {"type": "array", "items": {"type": "string"}},
            "source": {
                "oneOf": [{"$ref": "#/components/schemas/PageSource"}, {"type": "null"}]
            },
        },
    },
    "Page": {
        "allOf": [{"$ref": "#/components/schemas/PageSource"}],
        "type": "object",
        "required": ["articles", "raw_text"],
        "properties": {
            "articles": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ArticleSummary"},
            },
            "raw_text": {"type": "string"},
        },
    },
    "Issue": {
        "type": "object",
        "required": ["publication", "date", "issue_number", "url", "pages"],
        "properties": {
            "publication": {"type": "string"},
            "date": {"type": "string", "format": "date"},
            "issue_number": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "pages": {"type": "array", "items": {"type": "object"}},
        },
    },
    "IssueList": _list("Issue"),
    "Suggestion": {
        "type": "object",
        "required": ["kind", "kind_label", "name", "detail", "url", "count"],
        "properties": {
            "kind": {"type": "string", "enum": ["person", "place", "program", "tag"]},
            "kind_label": {
                "type": "string",
                "description": "人物、地名、政策项目、标签",
            },
            "name": {"type": "string"},
            "detail": {"type": "string", "description": "地名的上级、人物的单位"},
            "url": {"type": "string", "format": "uri"},
            "count": {
                "type": "integer",
                "description": "已发布稿件数，与点开后的页面所示相同",
            },
        },
    },
    "SuggestionList": {
        "type": "object",
        "required": ["query", "suggestions"],
        "properties": {
            "query": {"type": "string"},
            "suggestions": {
                "type": "array",
                "maxItems": 8,
                "items": {"$ref": "#/components/schemas/Suggestion"},
            },
        },
    },
}


def schema(server: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Newsroom 县报档案 API",
            "version": "1",
            "description": "只读。已发布的稿件、期与版面。所有响应带 ETag 和 "
            "Last-Modified，可用条件请求得到 304。",
        },
        "servers": [{"url": server}],
        "paths": {
            "/api/articles/": {
                "get": {
                    "summary": "检索稿件",
                    "parameters": [
                        _filter("q", "检索词"),
                        _filter("tag", "标签"),
                        _filter("place", "地名"),
                        _filter("program", "政策项目"),
                        _filter("person", "人物"),
                        _filter("kind", "体裁"),
                        _filter("publication", "报纸"),
                        _filter("year", "年", "integer"),
                        _filter("month", "月（需同时给出年）", "integer"),
                        _filter("sort", "排序"),
                        *_PAGING,
                    ],
                    "responses": _ok("ArticleList"),
                }
            },
            "/api/suggest/": {
                "get": {
                    "summary": "输入提示：名称、别名或拼音（全拼或首字母）以所输入内容"
                    "开头的人物、地名、政策项目和标签，按已发布稿件数排序",
                    "parameters": [_filter("q", "已输入的文字（汉字、繁体或拼音）")],
                    "responses": _ok("SuggestionList"),
                }
            },
            "/api/articles/{id}/": {
                "get": {
                    "summary": "一篇稿件",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": _ok("Article"),
                }
            },
            "/api/issues/": {
                "get": {
                    "summary": "期（报纸某日一期），新到旧",
                    "parameters": [
                        _filter("publication", "报纸"),
                        _filter("year", "年", "integer"),
                        _filter("month", "月（需同时给出年）", "integer"),
                        *_PAGING,
                    ],
                    "responses": _ok("IssueList"),
                }
            },
            "/api/pages/{id}/": {
                "get": {
                    "summary": "一个版面及其稿件（按版面顺序）",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": _ok("Page"),
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
