from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap
from articles.views import read_only, robots_txt
from newsroom.login import LockingAdminAuthenticationForm

admin.site.login_form = LockingAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        read_only(sitemap),
        {"sitemaps": {"articles": ArticleSitemap}},
        name="sitemap",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("articles.urls")),
]
