"""An article as the re-import diff (`changes.py`) compares it: its text
and the display names of what it links to.  Read on the `--replace` path
only, before the old articles are deleted and after the new ones are
written."""

from django.db.models import Prefetch

from people.models import Byline

from ..models import Article, Caption


def article_snapshots(*, ids: list[int]) -> list[dict]:
    """Snapshots of the articles `ids`, in page order (six queries)."""
    articles = (
        Article.objects.filter(pk__in=ids)
        .order_by("position", "id")
        .prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("person").order_by(
                    "order", "id"
                ),
            ),
            "places",
            "programs",
            "tags",
            Prefetch("captions", queryset=Caption.objects.order_by("position", "id")),
        )
    )
    return [
        {
            "id": a.pk,
            "position": a.position,
            "title": str(a),
            "headline": a.headline,
            "kicker": a.kicker,
            "subtitle": a.subtitle,
            "kind": a.get_kind_display(),
            "body": a.body,
            "bylines": [str(b) for b in a.bylines.all()],
            "places": [p.name for p in a.places.all()],
            "programs": [p.name for p in a.programs.all()],
            "tags": [t.name for t in a.tags.all()],
            "captions": [c.text for c in a.captions.all()],
        }
        for a in articles
    ]
