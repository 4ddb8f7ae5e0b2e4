from django.urls import path, register_converter

from . import api, feeds, views, views_print

app_name = "articles"
cached = views.public_cache  # feeds are lists: cached and versioned like them


class SlugText:
    """A slug as typed in a URL: anything but "/" and control characters.
    A NUL cannot be stored in PostgreSQL text, so looking it up would fail
    with a database error; no slug holds one, so such a URL is a 404."""

    regex = "[^/\x00-\x1f\x7f]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SlugText, "slugtext")

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("articles/<slugtext:slug>/", views.article_detail, name="article_detail"),
    path("places/<slugtext:slug>/", views.place_detail, name="place_detail"),
    path("programs/<slugtext:slug>/", views.program_detail, name="program_detail"),
    path("people/<slugtext:slug>/", views.person_detail, name="person_detail"),
    path("tags/<slugtext:slug>/", views.tag_detail, name="tag_detail"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:year>/", views.archive, name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.archive, name="archive_month"),
    path("issues/", views_print.issue_index, name="issue_index"),
    path(
        "issues/<slugtext:publication>/",
        views_print.issue_calendar,
        name="issue_calendar",
    ),
    path(
        "issues/<slugtext:publication>/<int:year>/",
        views_print.issue_calendar,
        name="issue_calendar_year",
    ),
    path(
        "issues/<slugtext:publication>/<slugtext:day>/",
        views_print.issue_detail,
        name="issue_detail",
    ),
    path("pages/<int:pk>/", views_print.page_detail, name="page_detail"),
    path("on-this-day/", views_print.on_this_day, name="on_this_day"),
    path("feeds/latest.rss", cached(feeds.LatestFeed()), name="feed_latest"),
    path(
        "feeds/latest.atom",
        cached(feeds.atom(feeds.LatestFeed)()),
        name="feed_latest_atom",
    ),
    path(
        "feeds/places/<slugtext:slug>.rss", cached(feeds.PlaceFeed()), name="feed_place"
    ),
    path(
        "feeds/programs/<slugtext:slug>.rss",
        cached(feeds.ProgramFeed()),
        name="feed_program",
    ),
    path(
        "feeds/people/<slugtext:slug>.rss",
        cached(feeds.PersonFeed()),
        name="feed_person",
    ),
    path("feeds/tags/<slugtext:slug>.rss", cached(feeds.TagFeed()), name="feed_tag"),
    path(
        "feeds/places/<slugtext:slug>.atom",
        cached(feeds.atom(feeds.PlaceFeed)()),
        name="feed_place_atom",
    ),
    path(
        "feeds/programs/<slugtext:slug>.atom",
        cached(feeds.atom(feeds.ProgramFeed)()),
        name="feed_program_atom",
    ),
    path(
        "feeds/people/<slugtext:slug>.atom",
        cached(feeds.atom(feeds.PersonFeed)()),
        name="feed_person_atom",
    ),
    path(
        "feeds/tags/<slugtext:slug>.atom",
        cached(feeds.atom(feeds.TagFeed)()),
        name="feed_tag_atom",
    ),
    path("api/articles/", api.article_list, name="api_articles"),
    path("api/articles/<int:pk>/", api.article_detail, name="api_article"),
    path("api/issues/", api.issue_list, name="api_issues"),
    path("api/pages/<int:pk>/", api.page_detail, name="api_page"),
    path("api/suggest/", api.suggest, name="api_suggest"),
    path("api/schema/", api.schema, name="api_schema"),
    path("api/", api.schema_page, name="api_docs"),
]
