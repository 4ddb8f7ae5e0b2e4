"""Writing people and bylines.  A person's name is part of the search text
of every article they signed: saving or merging a person re-indexes those
articles, and so does adding, changing or removing a byline."""

from django.db import transaction

from articles import search
from articles.models import Article
from articles.services.common import (
    INVALID,
    WorkflowError,
    find_or_create,
    merge_aliases,
    public_changed,
    reindex,
    require,
    stored_article_id,
)
from articles.services.names import entity_ref, names_follow
from articles.slugs import pinyin_slug, unique_slug

from .models import Byline, Person


def person_get_or_create(*, name: str, affiliation: str = "") -> Person:
    name = "".join(name.split())

    def find():
        person = Person.objects.filter(name=name, affiliation=affiliation).first()
        if person is None and not affiliation:
            person = Person.objects.filter(name=name).order_by("id").first()
        return person

    def create():
        base = pinyin_slug(name) or "person"
        return Person.objects.create(
            name=name,
            affiliation=affiliation,
            slug=unique_slug(base, lambda s: Person.objects.filter(slug=s).exists()),
        )

    return find_or_create(find, create)


def person_merge(*, keep: Person, remove: Person, user) -> Person:
    """One person printed two ways: every byline moves to `keep`, the other
    name stays as an alias."""
    require(user, "people.change_person")
    require(user, "people.delete_person")
    if keep.pk == remove.pk:
        raise WorkflowError("不能与自身合并", INVALID)
    refs = [entity_ref(keep), entity_ref(remove)]
    with transaction.atomic(), names_follow(entities=refs):
        touched = set(remove.bylines.values_list("article_id", flat=True))
        for byline in remove.bylines.all():
            if Byline.objects.filter(
                article_id=byline.article_id, person=keep, role=byline.role
            ).exists():
                byline.delete()
            else:
                byline.person = keep
                byline.save(update_fields=["person"])
        keep.aliases = merge_aliases(keep, remove)
        keep.affiliation = keep.affiliation or remove.affiliation
        keep.save()
        remove.delete()
        reindex(*touched)
    return keep


def person_save(*, person: Person, user) -> Person:
    """Save a person staff edited.  A new name is the search text of every
    article they signed: those are re-indexed (the new name finds them, the
    old one no longer does)."""
    require(user, "people.change_person" if person.pk else "people.add_person")
    with transaction.atomic():
        before = (
            Person.objects.filter(pk=person.pk).values_list("name", flat=True).first()
        )
        with names_follow(entities=[entity_ref(person)] if person.pk else []):
            person.save()
        if before is not None and before != person.name:
            signed = Article.objects.filter(bylines__person=person).distinct()
            search.index_articles(articles=signed)
            transaction.on_commit(public_changed)
    return person


def byline_save(*, byline: Byline, user) -> Byline:
    """Save a byline (new, or another person or role); the search text of
    the article it is on — and of one it left — is updated."""
    require(user, "people.change_byline" if byline.pk else "people.add_byline")
    with transaction.atomic():
        before = stored_article_id(byline)
        with names_follow(article_ids=[before, byline.article_id]) as names:
            byline.save()
            names.articles.add(byline.article_id)
        reindex(before, byline.article_id)
        transaction.on_commit(public_changed)
    return byline


def byline_delete(*, byline: Byline, user) -> None:
    require(user, "people.delete_byline")
    with transaction.atomic():
        article_id = byline.article_id
        with names_follow(article_ids=[article_id]):
            byline.delete()
        reindex(article_id)
        transaction.on_commit(public_changed)
