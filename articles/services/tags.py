"""Tags staff look after: renaming, deleting, merging two spellings of one
subject.  django-taggit's own admin wrote to the tables directly (and in
English): tags are part of what readers find — tag pages, facets, the
search box's suggestions — so their changes go through here, like places
and programs."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from taggit.models import Tag, TaggedItem

from ..models import Article
from .common import INVALID, WorkflowError, public_changed, require
from .names import entity_ref, names_follow


def _tagged_articles(tag: Tag):
    return TaggedItem.objects.filter(
        tag=tag, content_type=ContentType.objects.get_for_model(Article)
    )


def tag_save(*, tag: Tag, user) -> Tag:
    """Save a tag staff added or renamed: its page, facets and suggestions
    follow."""
    require(user, "taggit.change_tag" if tag.pk else "taggit.add_tag")
    with transaction.atomic():
        with names_follow(entities=[entity_ref(tag)] if tag.pk else []) as names:
            tag.save()
            names.entities.add(entity_ref(tag))
        transaction.on_commit(public_changed)
    return tag


def tag_delete(*, tag: Tag, user) -> None:
    """Delete a tag: the articles keep their other tags."""
    require(user, "taggit.delete_tag")
    with transaction.atomic():
        # Only the tag's own count changes: its articles name the rest still.
        with names_follow(entities=[entity_ref(tag)]):
            tag.delete()
        transaction.on_commit(public_changed)


def tag_merge(*, keep: Tag, remove: Tag, user) -> Tag:
    """Two spellings of one subject: every article tagged `remove` is tagged
    `keep` (once), and `remove` goes."""
    require(user, "taggit.change_tag")
    require(user, "taggit.delete_tag")
    if keep.pk == remove.pk:
        raise WorkflowError("不能与自身合并", INVALID)
    with (
        transaction.atomic(),
        names_follow(entities=[entity_ref(keep), entity_ref(remove)]),
    ):
        has_keep = _tagged_articles(keep).values("object_id")
        _tagged_articles(remove).exclude(object_id__in=has_keep).update(tag=keep)
        remove.delete()  # and its items left: articles tagged both ways
        transaction.on_commit(public_changed)
    return keep
