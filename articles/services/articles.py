"""Staff editing articles: saving with the version check, the workflow
(submit, publish, unpublish), headlines, splitting and merging, captions."""

import re

from django.db import models, transaction
from django.utils import timezone

from people.models import Byline

from .. import search
from ..models import Article, Caption, Page, RetiredSlug
from ..slugs import pinyin_slug, unique_slug_among
from .common import (
    CONFLICT,
    INVALID,
    WorkflowError,
    locked_statuses,
    public_changed,
    reindex,
    require,
    require_public_change,
    stored_article_id,
)
from .names import names_follow


def _slug_base(headline: str, fallback: str) -> str:
    base = pinyin_slug(headline) or pinyin_slug(fallback, max_length=40) or "wu-biao-ti"
    if not headline:
        base = f"wu-biao-ti-{base}" if not base.startswith("wu-biao-ti") else base
        base = base[:80].rstrip("-")
    return base


def _slugs_taken(bases, exclude_pk: int | None = None) -> set[str]:
    """Slugs in use or retired that start with one of `bases` (two queries
    for any number of bases)."""
    # A range on the slug's index per base, not a scan of every article.
    starts = models.Q()
    for base in set(bases):
        starts |= search.backend().prefix_q("slug", base)
    qs = Article.objects.filter(starts)
    # An address an article had once still leads to it: never reused, except
    # by that same article going back to it.
    retired = RetiredSlug.objects.filter(starts)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
        retired = retired.exclude(article_id=exclude_pk)
    taken = set(qs.order_by().values_list("slug", flat=True))
    return taken | set(retired.order_by().values_list("slug", flat=True))


def article_slug_for(
    *, headline: str, fallback: str = "", exclude_pk: int | None = None
) -> str:
    base = _slug_base(headline, fallback)
    return unique_slug_among(base, _slugs_taken([base], exclude_pk))


def article_slugs_for(titles: list[tuple[str, str]]) -> list[str]:
    """Free slugs for new articles' (headline, fallback) pairs, all
    different (a page prints the same headline twice at times)."""
    bases = [_slug_base(headline, fallback) for headline, fallback in titles]
    taken = _slugs_taken(bases) if bases else set()
    slugs = []
    for base in bases:
        slugs.append(unique_slug_among(base, taken))
        taken.add(slugs[-1])
    return slugs


def _slug_follows_headline(article: Article) -> None:
    """A fixed headline gives a new slug (unless staff typed one in the same
    save); the slug it replaces is kept so the old address redirects."""
    stored = (
        Article.objects.filter(pk=article.pk).values("headline", "slug").first()
        if article.pk
        else None
    )
    if stored is None:
        return
    if (
        article.headline
        and article.headline != stored["headline"]
        and article.slug == stored["slug"]
    ):
        article.slug = article_slug_for(
            headline=article.headline, exclude_pk=article.pk
        )
    if article.slug != stored["slug"]:
        RetiredSlug.objects.filter(slug=article.slug, article=article).delete()
        RetiredSlug.objects.get_or_create(
            slug=stored["slug"], defaults={"article": article}
        )


def _same_page(article: Article, other: Article) -> None:
    if article.page_id is None or article.page_id != other.page_id:
        raise WorkflowError("只能与同一版面上的稿件合并或调整", INVALID)


def _saved(
    article: Article, user, reason: str, fields: list[str] | None = None
) -> Article:
    """Save as a staff edit: version bumped, marked edited, revision kept
    with who and why, search index updated."""
    article.version += 1
    article.is_edited = True
    article._history_user = user
    article._change_reason = reason
    if fields is not None:
        fields = [*fields, "version", "is_edited", "updated_at"]
    with names_follow(article_ids=[article.pk]):
        article.save(update_fields=fields)
    search.index_articles(articles=[article])
    transaction.on_commit(public_changed)
    return article


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and current != expected:
        raise WorkflowError(
            f"保存失败：在您编辑期间，这篇稿件已被他人修改并保存（版本 {current}，"
            f"您的是 {expected}）。请对照“历史”中的最新修改后再保存。",
            CONFLICT,
        )


def article_check_version(*, article: Article, expected_version: int | None) -> None:
    """Refuse (CONFLICT) an edit begun from an older version than the one
    stored: the form asks before it saves, `article_save` again under the
    row lock."""
    current = (
        Article.objects.filter(pk=article.pk).values_list("version", flat=True).first()
    )
    if current is not None:
        _check_version(current, expected_version)


def article_places_saved(*, article: Article) -> None:
    """After a form saved the article's places (the admin saves its
    many-to-many fields after the article): the place filter's copy."""
    search.index_article_places(article_ids=[article.pk])


def article_save(
    *, article: Article, user, expected_version: int | None = None, reason: str = "编辑"
) -> Article:
    """Save an edited article, refusing to overwrite someone else's newer
    save (optimistic locking on `version`) and a status change the user may
    not make."""
    require(user, "articles.change_article")
    with transaction.atomic():
        current = (
            Article.objects.select_for_update()
            .filter(pk=article.pk)
            .values("version", "status")
            .first()
        )
        if current is not None:
            _check_version(current["version"], expected_version)
            published = Article.Status.PUBLISHED
            if (current["status"] == published) != (article.status == published):
                require(user, "articles.publish_article")
            article.version = current["version"]
        elif article.status == Article.Status.PUBLISHED:
            require(user, "articles.publish_article")
        if not article.slug:
            article.slug = article_slug_for(
                headline=article.headline,
                fallback=article.suggested_headline or article.body[:20],
            )
        _slug_follows_headline(article)
        return _saved(article, user, reason)


def article_publish(*, article: Article, user) -> Article:
    require(user, "articles.publish_article")
    with transaction.atomic():
        article.status = Article.Status.PUBLISHED
        if article.pub_date is None:
            # An article from a page has the page's date or none (日期不详);
            # one written in the admin is dated the day it is published.
            article.pub_date = (
                article.page.issue_date if article.page else timezone.localdate()
            )
        return _saved(article, user, "发布", ["status", "pub_date"])


def article_unpublish(*, article: Article, user) -> Article:
    require(user, "articles.publish_article")
    with transaction.atomic():
        article.status = Article.Status.DRAFT
        return _saved(article, user, "撤回发布", ["status"])


def article_submit(*, article: Article, user) -> Article:
    """Draft → waiting for review (an editor's step)."""
    require(user, "articles.change_article")
    if article.status == Article.Status.PUBLISHED:
        require(user, "articles.publish_article")
    with transaction.atomic():
        article.status = Article.Status.REVIEW
        return _saved(article, user, "送审", ["status"])


def article_set_status(*, article: Article, status: str, user=None) -> Article:
    """The admin's bulk actions: one entry point for the three statuses."""
    if status == Article.Status.PUBLISHED:
        return article_publish(article=article, user=user)
    if status == Article.Status.REVIEW:
        return article_submit(article=article, user=user)
    if article.status == Article.Status.PUBLISHED:
        return article_unpublish(article=article, user=user)
    require(user, "articles.change_article")
    with transaction.atomic():
        article.status = Article.Status.DRAFT
        return _saved(article, user, "改为草稿", ["status"])


def article_mark_reviewed(
    *, article: Article, user, flag: str | None = None
) -> Article:
    """Clear one review flag, or all of them."""
    require(user, "articles.change_article")
    with transaction.atomic():
        article.flags = [f for f in article.flags if flag is not None and f != flag]
        return _saved(
            article, user, "已核查" + (f"：{flag}" if flag else ""), ["flags"]
        )


def page_headline_lines(page: Page) -> list[str]:
    """The headline lines the importer could not give to any article."""
    return [item["text"] for item in page.leftovers if item.get("kind") == "headline"]


def article_set_headline(
    *,
    article: Article,
    headline: str,
    user,
    kicker: str | None = None,
    subtitle: str | None = None,
) -> Article:
    """Give an article a headline; one taken from its page's unassigned
    headline lines leaves that list."""
    require(user, "articles.change_article")
    headline = headline.strip()
    if not headline:
        raise WorkflowError("标题不能为空", INVALID)
    with transaction.atomic():
        article.headline = headline
        if kicker is not None:
            article.kicker = kicker
        if subtitle is not None:
            article.subtitle = subtitle
        article.flags = [
            f
            for f in article.flags
            if f not in (Article.Flag.NO_HEADLINE, Article.Flag.WEAK_HEADLINE)
        ]
        _slug_follows_headline(article)
        if article.page_id:
            page = Page.objects.select_for_update().get(pk=article.page_id)
            leftovers, taken = [], False
            for item in page.leftovers:
                if (
                    not taken
                    and item.get("kind") == "headline"
                    and item.get("text") == headline
                ):
                    taken = True
                    continue
                leftovers.append(item)
            if taken:
                page.leftovers = leftovers
                page.save(update_fields=["leftovers"])
        return _saved(article, user, "设置标题")


def article_split(*, article: Article, at: int, user) -> Article:
    """Split an article before paragraph `at` (0-based); the second part
    becomes a new article right after it on the page.  Returns it."""
    require(user, "articles.change_article")
    require(user, "articles.add_article")
    paragraphs = article.paragraphs()
    if not 0 < at < len(paragraphs):
        raise WorkflowError(f"只能在第 2 到第 {len(paragraphs)} 段之前拆分", INVALID)
    with transaction.atomic():
        # The second part of a published article goes back to review: that
        # takes text off the public site.
        if locked_statuses(article).get(article.pk) == Article.Status.PUBLISHED:
            require_public_change(user)
        later = Article.objects.filter(
            page_id=article.page_id, position__gt=article.position
        )
        if article.page_id:
            later.update(position=models.F("position") + 1)
        second = Article.objects.create(
            body="\n\n".join(paragraphs[at:]),
            suggested_headline=_first_sentence(paragraphs[at]),
            slug=article_slug_for(headline="", fallback=paragraphs[at][:20]),
            kind=article.kind,
            status=Article.Status.REVIEW
            if article.status == Article.Status.PUBLISHED
            else article.status,
            pub_date=article.pub_date,
            page=article.page,
            position=article.position + 1,
            flags=[Article.Flag.NO_HEADLINE],
            is_edited=True,
        )
        with names_follow(article_ids=[article.pk, second.pk]):
            second.places.set(article.places.all())
            second.programs.set(article.programs.all())
        article.body = "\n\n".join(paragraphs[:at])
        _saved(article, user, f"在第 {at + 1} 段前拆分", ["body"])
        search.index_articles(articles=[second])
    return second


def _first_sentence(text: str) -> str:
    return re.split(r"[。！？]", text, maxsplit=1)[0][:30]


def article_merge(*, first: Article, second: Article, user) -> Article:
    """Join `second` onto the end of `first` (a continuation): body,
    bylines, captions, places, programs and tags move; `second` goes."""
    # Merging is editing: the second article's text lives on in the first.
    require(user, "articles.change_article")
    if first.pk == second.pk:
        raise WorkflowError("不能与自身合并", INVALID)
    _same_page(first, second)
    with (
        transaction.atomic(),
        names_follow(article_ids=[first.pk, second.pk]),
    ):
        statuses = locked_statuses(first, second)
        if len(statuses) != 2:
            raise WorkflowError("稿件已不存在", INVALID)
        published = Article.Status.PUBLISHED
        if statuses[second.pk] == published:
            # `second` leaves the public site and is deleted.
            require_public_change(user)
            require(user, "articles.delete_article")
        elif statuses[first.pk] == published:
            # Unreviewed text would go live inside `first`.
            require_public_change(user)
        first.body = "\n\n".join(p for p in (first.body, second.body) if p)
        if not first.headline and second.headline:
            first.headline, first.kicker, first.subtitle = (
                second.headline,
                second.kicker,
                second.subtitle,
            )
        order = first.bylines.count()
        for byline in second.bylines.select_related("person").order_by("order"):
            if not first.bylines.filter(
                person=byline.person, role=byline.role
            ).exists():
                Byline.objects.create(
                    article=first, person=byline.person, role=byline.role, order=order
                )
                order += 1
        second.captions.update(article=first)
        first.places.add(*second.places.all())
        first.programs.add(*second.programs.all())
        first.tags.add(*second.tags.all())
        first.flags = list(dict.fromkeys([*first.flags, *second.flags]))
        search.index_remove(article_ids=[second.pk])
        second.delete()
        return _saved(first, user, f"合并了“{second}”")


def caption_save(*, caption: Caption, user) -> Caption:
    """Save a caption (new text, or moved to another article); the search
    text of the article it left and the one it joined is updated."""
    require(user, "articles.change_caption" if caption.pk else "articles.add_caption")
    with transaction.atomic():
        before = stored_article_id(caption)
        if caption.article_id is not None and caption.article_id != before:
            target = Article.objects.only("page_id").get(pk=caption.article_id)
            if caption.page_id is not None and target.page_id != caption.page_id:
                raise WorkflowError("图片说明只能归属同一版面上的稿件", INVALID)
        if caption.pk and caption.article_id != before:
            statuses = locked_statuses(
                *Article.objects.filter(pk__in={before, caption.article_id} - {None})
            )
            if Article.Status.PUBLISHED in statuses.values():
                # The caption's text appears on, or leaves, a public page.
                require_public_change(user)
        caption.save()
        reindex(before, caption.article_id)
    return caption


def caption_move(*, caption: Caption, article: Article | None, user) -> Caption:
    caption.article = article
    return caption_save(caption=caption, user=user)


def caption_delete(*, caption: Caption, user) -> None:
    require(user, "articles.delete_caption")
    with transaction.atomic():
        article_id = caption.article_id
        caption.delete()
        reindex(article_id)


def article_delete(*, article: Article, user) -> None:
    """Delete an article and its search rows (SQLite's FTS5 rows are not
    removed by the foreign key); a published one only by a publisher."""
    require(user, "articles.delete_article")
    with transaction.atomic():
        if locked_statuses(article).get(article.pk) == Article.Status.PUBLISHED:
            require_public_change(user)
        search.index_remove(article_ids=[article.pk])
        with names_follow(article_ids=[article.pk]):
            article.delete()
        transaction.on_commit(public_changed)
