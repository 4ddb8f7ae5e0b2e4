"""The review queue: flagged articles first, the reasons shown, fixed in a
click."""

from django.contrib import admin
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join

from ..models import Article, Place, Program, ReviewItem
from .articles import ArticleAdminBase
from .base import FlaggedFilter, PublicationFilter

# How much each review flag needs a person: an article without a headline
# cannot go out as it is; text joined from elsewhere may be wrong; a byline
# may name the wrong person; a new place or program only needs a yes or no.
NEED_WEIGHTS = {
    Article.Flag.NO_HEADLINE: 8,
    Article.Flag.JOINED: 6,
    Article.Flag.POSSIBLE_CONTINUATION: 5,
    Article.Flag.UNKNOWN_BYLINE: 4,
    Article.Flag.WEAK_HEADLINE: 3,
    Article.Flag.NEW_PLACE: 2,
    Article.Flag.NEW_PROGRAM: 2,
    Article.Flag.REPRINT: 3,
    Article.Flag.NO_BYLINE: 1,
}


def _need_score():
    """The sum of the weights of an article's flags, in SQL.  The codes are
    plain words, so a quoted substring of the JSON text is exact on both
    databases (JSON containment is not portable to SQLite)."""
    score = Value(0)
    for code, weight in NEED_WEIGHTS.items():
        score = score + Case(
            When(flags__icontains=f'"{code}"', then=Value(weight)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return score


@admin.register(ReviewItem)
class ReviewQueueAdmin(ArticleAdminBase):
    """Flagged articles first, the reasons shown, fixed in a click."""

    list_display = [
        "__str__",
        "flag_list",
        "status",
        "page_link",
        "position",
        "updated_at",
    ]
    list_filter = [FlaggedFilter, "status", "kind", PublicationFilter]
    actions = ["mark_reviewed", "publish", "send_to_review"]
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .exclude(status=Article.Status.PUBLISHED, flags=[])
            .prefetch_related(
                Prefetch(
                    "places",
                    queryset=Place.objects.filter(is_confirmed=False),
                    to_attr="new_places",
                ),
                Prefetch(
                    "programs",
                    queryset=Program.objects.filter(is_confirmed=False),
                    to_attr="new_programs",
                ),
            )
        )

    def get_ordering(self, request):
        # Most need first; equal need in page order.
        return [_need_score().desc(), "page_id", "position", "id"]

    @admin.display(description="审核提示")
    def flag_list(self, obj):
        """The reasons, naming the place or program that was new."""
        labels = dict(Article.Flag.choices)
        new_names = {
            Article.Flag.NEW_PLACE: getattr(obj, "new_places", []),
            Article.Flag.NEW_PROGRAM: getattr(obj, "new_programs", []),
        }
        reasons = []
        for code in sorted(obj.flags, key=lambda c: -NEED_WEIGHTS.get(c, 0)):
            label = labels.get(code, code)
            names = "、".join(x.name for x in new_names.get(code, []))
            reasons.append(f"{label}：{names}" if names else label)
        if not reasons:
            return "—"
        return format_html_join(
            "", '<span class="flag">⚑ {}</span><br>', ((r,) for r in reasons)
        )

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Work on an item in the full article form with its tools.
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[object_id])
        )
