from django.urls import path

from . import api, feeds, views

app_name = "articles"
cached = views.public_cache  # feeds are lists: cached and versioned like them

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("articles/<str:slug>/", views.article_detail, name="article_detail"),
    path("places/<str:slug>/", views.place_detail, name="place_detail"),
    path("programs/<str:slug>/", views.program_detail, name="program_detail"),
    path("people/<str:slug>/", views.person_detail, name="person_detail"),
    path("tags/<str:slug>/", views.tag_detail, name="tag_detail"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:year>/", views.archive, name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.archive, name="archive_month"),
    path("feeds/latest.rss", cached(feeds.LatestFeed()), name="feed_latest"),
    path(
        "feeds/latest.atom",
        cached(feeds.atom(feeds.LatestFeed)()),
        name="feed_latest_atom",
    ),
    path("feeds/places/<str:slug>.rss", cached(feeds.PlaceFeed()), name="feed_place"),
    path(
        "feeds/programs/<str:slug>.rss",
        cached(feeds.ProgramFeed()),
        name="feed_program",
    ),
    path("feeds/people/<str:slug>.rss", cached(feeds.PersonFeed()), name="feed_person"),
    path("feeds/tags/<str:slug>.rss", cached(feeds.TagFeed()), name="feed_tag"),
    path(
        "feeds/places/<str:slug>.atom",
        cached(feeds.atom(feeds.PlaceFeed)()),
        name="feed_place_atom",
    ),
    path(
        "feeds/programs/<str:slug>.atom",
        cached(feeds.atom(feeds.ProgramFeed)()),
        name="feed_program_atom",
    ),
    path(
        "feeds/people/<str:slug>.atom",
        cached(feeds.atom(feeds.PersonFeed)()),
        name="feed_person_atom",
    ),
    path(
        "feeds/tags/<str:slug>.atom",
        cached(feeds.atom(feeds.TagFeed)()),
        name="feed_tag_atom",
    ),
    path("api/articles/", api.article_list, name="api_articles"),
    path("api/articles/<int:pk>/", api.article_detail, name="api_article"),
]
