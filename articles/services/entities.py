"""Places and programs staff look after: confirming or rejecting what the
importer proposed, merging two names for one thing."""

from django.db import transaction

from ..models import Article, Place, Program
from .common import (
    INVALID,
    WorkflowError,
    find_or_create,
    merge_aliases,
    public_changed,
    require,
)
from .gazetteer import program_slug
from .names import entity_ref, names_follow


def program_find_or_create(name: str, confirmed: bool, cache: dict) -> Program:
    if name in cache:
        return cache[name]
    program = find_or_create(
        lambda: Program.objects.filter(name=name).first(),
        lambda: Program.objects.create(
            name=name, slug=program_slug(name), is_confirmed=confirmed
        ),
    )
    cache[name] = program
    return program


def place_merge(*, keep: Place, remove: Place, user) -> Place:
    require(user, "articles.change_place")
    require(user, "articles.delete_place")
    if (
        keep.pk == remove.pk
        or keep.pk in _place_ancestor_ids(remove)
        or remove.pk in _place_ancestor_ids(keep)
    ):
        raise WorkflowError("不能合并一个地名与它自身或它的上下级", INVALID)
    with (
        transaction.atomic(),
        names_follow(entities=[entity_ref(keep), entity_ref(remove)]),
    ):
        for article in remove.articles.all():
            article.places.add(keep)
        remove.children.update(parent=keep)
        keep.aliases = merge_aliases(keep, remove)
        keep.is_confirmed = keep.is_confirmed or remove.is_confirmed
        keep.save()
        remove.delete()
    return keep


def _place_ancestor_ids(place: Place) -> set[int]:
    return {p.pk for p in place.ancestors()}


def program_merge(*, keep: Program, remove: Program, user) -> Program:
    require(user, "articles.change_program")
    require(user, "articles.delete_program")
    if keep.pk == remove.pk:
        raise WorkflowError("不能与自身合并", INVALID)
    with (
        transaction.atomic(),
        names_follow(entities=[entity_ref(keep), entity_ref(remove)]),
    ):
        for article in remove.articles.all():
            article.programs.add(keep)
        keep.aliases = merge_aliases(keep, remove)
        keep.is_confirmed = keep.is_confirmed or remove.is_confirmed
        keep.save()
        remove.delete()
    return keep


def entity_confirm(*, obj: Place | Program, user) -> None:
    require(user, f"articles.change_{obj._meta.model_name}")
    obj.is_confirmed = True
    with transaction.atomic(), names_follow(entities=[entity_ref(obj)]):
        obj.save(update_fields=["is_confirmed"])
    flag = (
        Article.Flag.NEW_PLACE if isinstance(obj, Place) else Article.Flag.NEW_PROGRAM
    )
    _clear_flag_if_all_confirmed(obj.articles.all(), flag)


def entity_reject(*, obj: Place | Program, user) -> None:
    """A proposed place or program that is not one: unlinked and deleted."""
    require(user, f"articles.delete_{obj._meta.model_name}")
    if obj.is_confirmed:
        raise WorkflowError("已确认的条目不能驳回，请用删除", INVALID)
    with transaction.atomic(), names_follow(entities=[entity_ref(obj)]):
        articles = list(obj.articles.all())
        if isinstance(obj, Place):
            obj.children.update(parent=obj.parent)
        obj.delete()
        flag = (
            Article.Flag.NEW_PLACE
            if isinstance(obj, Place)
            else Article.Flag.NEW_PROGRAM
        )
        _clear_flag_if_all_confirmed(articles, flag)


def _clear_flag_if_all_confirmed(articles, flag: str) -> None:
    for article in articles:
        related = article.places if flag == Article.Flag.NEW_PLACE else article.programs
        if flag in article.flags and not related.filter(is_confirmed=False).exists():
            article.flags = [f for f in article.flags if f != flag]
            article.save(update_fields=["flags", "updated_at"])


def entity_save(*, obj: Place | Program, user) -> Place | Program:
    """Save a place or program staff edited.  Its name is not in the
    articles' search text (facets and pages read it from the row), but it
    is on public pages: the cached ones are stale."""
    action = "change" if obj.pk else "add"
    require(user, f"articles.{action}_{obj._meta.model_name}")
    with transaction.atomic():
        with names_follow(entities=[entity_ref(obj)] if obj.pk else []) as names:
            obj.save()
            names.entities.add(entity_ref(obj))
        transaction.on_commit(public_changed)
    return obj


def entity_delete(*, obj: Place | Program, user) -> None:
    require(user, f"articles.delete_{obj._meta.model_name}")
    with transaction.atomic():
        with names_follow(entities=[entity_ref(obj)]):
            obj.delete()
        transaction.on_commit(public_changed)
