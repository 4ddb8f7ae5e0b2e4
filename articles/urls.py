from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<str:slug>/", views.article_detail, name="article_detail"),
    path("places/<str:slug>/", views.place_detail, name="place_detail"),
    path("programs/<str:slug>/", views.program_detail, name="program_detail"),
    path("people/<str:slug>/", views.person_detail, name="person_detail"),
    path("tags/<str:slug>/", views.tag_detail, name="tag_detail"),
]
