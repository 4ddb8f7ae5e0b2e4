from django.contrib.sitemaps import Sitemap

from .models import Article


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
