from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.conditional import public_last_modified
from articles.sitemaps import SITEMAPS
from articles.views import read_only, robots_txt
from newsroom.login import LockingAdminAuthenticationForm

admin.site.login_form = LockingAdminAuthenticationForm
handler400 = "articles.views.bad_request"

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        read_only(public_last_modified(sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("articles.urls")),
]
# Development only (static() is empty unless DEBUG): in production the web
# server or object storage serves MEDIA_URL, never Django.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
