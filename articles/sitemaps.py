from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from taggit.models import Tag

from people.models import Person

from . import printed
from .models import Article, Place, Program


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .order_by("-pub_date", "-id")
            .only("slug", "updated_at", "pub_date")
        )

    def lastmod(self, item):
        return item.updated_at


class IssueSitemap(Sitemap):
    changefreq = "yearly"
    limit = 5000

    def items(self):
        return printed.issues_public()

    def lastmod(self, item):
        return item.date


class PageSitemap(Sitemap):
    changefreq = "yearly"
    limit = 5000

    def items(self):
        return printed.pages_public().order_by("-issue_date", "page_number", "id")


class _EntitySitemap(Sitemap):
    """Places, programs, people and tags with a published article."""

    changefreq = "weekly"
    limit = 5000
    model = None
    relation = ""

    def items(self):
        published = Article.objects.published().filter(
            **{self.relation: OuterRef("pk")}
        )
        return self.model.objects.filter(Exists(published)).order_by("pk")


class PlaceSitemap(_EntitySitemap):
    model, relation = Place, "places"


class ProgramSitemap(_EntitySitemap):
    model, relation = Program, "programs"


class PersonSitemap(_EntitySitemap):
    model, relation = Person, "bylines__person"


class TagSitemap(_EntitySitemap):
    model, relation = Tag, "tags"

    def location(self, item):
        from django.urls import reverse

        return reverse("articles:tag_detail", args=[item.slug])


SITEMAPS = {
    "articles": ArticleSitemap,
    "issues": IssueSitemap,
    "pages": PageSitemap,
    "places": PlaceSitemap,
    "programs": ProgramSitemap,
    "people": PersonSitemap,
    "tags": TagSitemap,
}
