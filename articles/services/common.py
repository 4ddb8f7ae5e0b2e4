"""What every service shares: the refusal with its codes, the permission
checks, finding rows two imports may create at once, and telling the page
cache that what the public sees changed.

Every operation staff can run checks the user's permission itself (so no
route around the admin can skip it), runs in one transaction, keeps the
search index current and leaves a revision."""

from django.db import IntegrityError, transaction

from .. import pagecache, search
from ..importing.codes import CodedError
from ..models import Article


class WorkflowError(CodedError):
    """An operation refused; `code` names why (for tests and messages)."""


CONFLICT = "conflict"


FORBIDDEN = "forbidden"


INVALID = "invalid"


def require(user, perm: str) -> None:
    if user is None or not user.has_perm(perm):
        raise WorkflowError("没有权限执行此操作", FORBIDDEN)


def locked_statuses(*articles: Article) -> dict[int, str]:
    """The stored status of each article, rows locked for the transaction:
    rights follow what the database holds, not a possibly stale object."""
    return dict(
        Article.objects.select_for_update()
        .filter(pk__in=[a.pk for a in articles if a is not None])
        .values_list("pk", "status")
    )


def require_public_change(user) -> None:
    """Text moving onto or off the public site is publishing (审核's right),
    whichever tool moves it; an edit in place of a published article is a
    correction and stays an editor's (编辑) job, as on the change form."""
    require(user, "articles.publish_article")


def public_changed() -> None:
    """What the public may see changed: no cached public page is good any
    more (see pagecache: nothing is deleted, a version moves on)."""
    pagecache.everything_changed()


def public_grew() -> None:
    """Published articles were only added: the cached article pages stay,
    the lists show them within NEWSROOM_LISTING_DELAY seconds."""
    pagecache.listings_grew()


def find_or_create(find, create, attempts: int = 5):
    """`find()` the row, else `create()` it.  Another import running at the
    same time may create the same row (or take the same slug) between the
    two: the unique constraint refuses ours, and we look again (a new slug is
    chosen on the next `create()`).  The savepoint keeps the page's
    transaction usable after the refusal."""
    for _ in range(attempts):
        found = find()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                return create()
        except IntegrityError:
            continue
    return find() or create()


def merge_aliases(keep, remove) -> str:
    names = [*keep.alias_list(), remove.name, *remove.alias_list()]
    return "，".join(dict.fromkeys(n for n in names if n and n != keep.name))


def stored_article_id(part) -> int | None:
    """The article a caption or byline belongs to as stored, before the
    save at hand (None for a new one)."""
    return (
        type(part)
        .objects.filter(pk=part.pk)
        .values_list("article_id", flat=True)
        .first()
    )


def reindex(*article_ids: int | None) -> None:
    """Re-index these articles (Nones skipped): a caption or byline is part
    of its article's search text."""
    ids = {pk for pk in article_ids if pk is not None}
    search.index_articles(articles=Article.objects.filter(pk__in=ids))
