"""Articles as rows of a file: `export_articles` writes them,
`import_articles` loads them back."""

from datetime import date

from django.db import transaction

from people.models import Byline
from people.services import person_get_or_create

from .. import search
from ..models import Article, Caption, Page, Place, Program
from .articles import article_slug_for
from .entities import program_find_or_create
from .gazetteer import place_slug
from .names import names_follow


def article_export_row(article: Article) -> dict:
    """One line of `export_articles`: the article and everything linked."""
    return {
        "id": article.pk,
        "slug": article.slug,
        "headline": article.headline,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "suggested_headline": article.suggested_headline,
        "body": article.body,
        "byline_text": article.byline_text,
        "kind": article.kind,
        "status": article.status,
        "pub_date": article.pub_date.isoformat() if article.pub_date else None,
        "bylines": [
            {"name": b.person.name, "role": b.role, "affiliation": b.person.affiliation}
            for b in article.bylines.all()
        ],
        "places": [p.name for p in article.places.all()],
        "programs": [p.name for p in article.programs.all()],
        "tags": [t.name for t in article.tags.all()],
        "captions": [c.text for c in article.captions.all()],
        "source": article.page.filename if article.page else None,
        "publication": article.page.publication if article.page else "",
        "position": article.position,
        "flags": list(article.flags),
        "is_edited": article.is_edited,
    }


def article_import_row(*, row: dict) -> Article:
    """Load one exported line back (`import_articles`); the slug is kept when
    it is free.  Places and programs are matched by name or created."""
    with transaction.atomic(), names_follow() as names:
        page = None
        if row.get("source"):
            page = Page.objects.filter(filename=row["source"]).order_by("id").first()
        slug = row.get("slug") or ""
        if not slug or Article.objects.filter(slug=slug).exists():
            slug = article_slug_for(
                headline=row.get("headline", ""),
                fallback=row.get("suggested_headline", ""),
            )
        article = Article.objects.create(
            headline=row.get("headline", ""),
            kicker=row.get("kicker", ""),
            subtitle=row.get("subtitle", ""),
            suggested_headline=row.get("suggested_headline", ""),
            slug=slug,
            body=row["body"],
            byline_text=row.get("byline_text", ""),
            kind=row.get("kind", Article.Kind.ARTICLE),
            status=row.get("status", Article.Status.REVIEW),
            pub_date=date.fromisoformat(row["pub_date"])
            if row.get("pub_date")
            else None,
            page=page,
            position=row.get("position", 0),
            flags=row.get("flags", []),
            is_edited=row.get("is_edited", False),
        )
        for order, b in enumerate(row.get("bylines", [])):
            person = person_get_or_create(
                name=b["name"], affiliation=b.get("affiliation", "")
            )
            Byline.objects.get_or_create(
                article=article,
                person=person,
                role=b["role"],
                defaults={"order": order},
            )
        places = []
        for name in row.get("places", []):
            place = Place.objects.filter(name=name).order_by(
                "id"
            ).first() or Place.objects.create(
                name=name, slug=place_slug(name, None), is_confirmed=False
            )
            places.append(place)
        article.places.set(places)
        article.programs.set(
            [
                Program.objects.filter(name=n).first()
                or program_find_or_create(n, False, {})
                for n in row.get("programs", [])
            ]
        )
        article.tags.set(row.get("tags", []))
        for position, text in enumerate(row.get("captions", [])):
            Caption.objects.create(
                text=text, article=article, page=page, position=position
            )
        search.index_articles(articles=[article])
        names.articles.add(article.pk)
    return article
