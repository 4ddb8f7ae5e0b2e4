"""Keeping `NameKey` current: the names, pinyin and public article counts
of the people, places, programs and tags readers can find (suggestions as
they type, pinyin search, near names when a search finds nothing).

A count is what the entity's page shows (the same filter, counted), stored
so that a suggestion is an index lookup and never a count.  Every service
that changes what is public — publishing, withdrawing, editing bylines,
places, programs or tags, splitting, merging, deleting, importing, and
saving, merging, confirming or rejecting an entity — wraps its change in
`names_follow`: the entities the articles named before and after are
counted again, in the same transaction (a place with the places above it,
whose counts include it)."""

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

from people.models import Byline, Person

from .. import search
from ..models import Article, NameKey, Place, Program
from ..rows import add_to
from ..search import normalize
from ..search.pinyin import name_keys

Kind = NameKey.Kind
Ref = tuple[str, int]  # (kind, id)


def _tagged():
    return TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article)
    )


def _named_by(article_ids: set[int]) -> set[Ref]:
    """The entities these articles name (places with those above them)."""
    if not article_ids:
        return set()
    ids = list(article_ids)
    refs: set[Ref] = set()
    refs |= {
        (Kind.PERSON, pk)
        for pk in Byline.objects.filter(article_id__in=ids).values_list(
            "person_id", flat=True
        )
    }
    places = Article.places.through.objects.filter(article_id__in=ids)
    refs |= {
        (Kind.PLACE, pk)
        for pk in with_ancestors(places.values_list("place_id", flat=True))
    }
    programs = Article.programs.through.objects.filter(article_id__in=ids)
    refs |= {(Kind.PROGRAM, pk) for pk in programs.values_list("program_id", flat=True)}
    tags = _tagged().filter(object_id__in=ids).values_list("tag_id", flat=True)
    refs |= {(Kind.TAG, pk) for pk in tags}
    return refs


def with_ancestors(place_ids: Iterable[int]) -> set[int]:
    found = set(place_ids)
    level = set(found)
    while level:
        parents = set(
            Place.objects.filter(pk__in=level, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        level = parents - found
        found |= level
    return found


@dataclass
class Followed:
    """What a change touches: the caller adds articles it creates."""

    articles: set[int] = field(default_factory=set)
    entities: set[Ref] = field(default_factory=set)


@contextmanager
def names_follow(*, article_ids: Iterable[int] = (), entities: Iterable[Ref] = ()):
    """Around a change to these articles or entities: afterwards, every
    entity they named (and, for places, every place above them) before or
    after the change is counted again.  Runs inside the caller's
    transaction, so its counts are those the change commits."""
    followed = Followed(
        articles={pk for pk in article_ids if pk is not None}, entities=set(entities)
    )
    before = _named_by(followed.articles) | _expanded(followed.entities)
    yield followed
    if followed.articles:
        # The counts are the place filter's, which reads each article's
        # copy of its places (`search_places`): bring it current first,
        # whatever order the change wrote in.
        search.index_article_places(article_ids=sorted(followed.articles))
    after = _named_by(followed.articles) | _expanded(followed.entities)
    names_refresh(refs=before | after)


def entity_ref(obj) -> Ref:
    kind = {Place: Kind.PLACE, Program: Kind.PROGRAM, Person: Kind.PERSON}
    return (kind.get(type(obj), Kind.TAG), obj.pk)


def _expanded(refs: set[Ref]) -> set[Ref]:
    """The refs, with the places above each place (as stored now)."""
    places = {pk for kind, pk in refs if kind == Kind.PLACE}
    return refs | {(Kind.PLACE, pk) for pk in with_ancestors(places)}


def names_added(*, article_ids: Iterable[int]) -> None:
    """Newly published articles were only added (a publishing import): the
    entities they name gain one per article, without counting again — a
    county's recount at 1,000,000 articles would cost a page import more
    than the page.  The increment is the counts' own rule (a place counts
    an article named with it or a confirmed place under it, once); an
    entity with no rows yet (public from now on) is counted in full."""
    ids = [pk for pk in article_ids if pk is not None]
    if not ids:
        return
    gained: dict[Ref, int] = {}

    def add(refs):
        for ref in refs:
            gained[ref] = gained.get(ref, 0) + 1

    people: dict[int, set] = {}
    for article_id, person_id in Byline.objects.filter(article_id__in=ids).values_list(
        "article_id", "person_id"
    ):
        people.setdefault(article_id, set()).add((Kind.PERSON, person_id))
    programs: dict[int, set] = {}
    for article_id, program_id in Article.programs.through.objects.filter(
        article_id__in=ids, program__is_confirmed=True
    ).values_list("article_id", "program_id"):
        programs.setdefault(article_id, set()).add((Kind.PROGRAM, program_id))
    tags: dict[int, set] = {}
    for article_id, tag_id in (
        _tagged().filter(object_id__in=ids).values_list("object_id", "tag_id")
    ):
        tags.setdefault(article_id, set()).add((Kind.TAG, tag_id))
    places: dict[int, set] = {}
    for article_id, place_id in Article.places.through.objects.filter(
        article_id__in=ids, place__is_confirmed=True
    ).values_list("article_id", "place_id"):
        places.setdefault(article_id, set()).add(place_id)
    parent = _confirmed_parents({pk for found in places.values() for pk in found})
    for article_id in ids:
        up: set[int] = set()
        for place_id in places.get(article_id, ()):
            while place_id is not None and place_id not in up:
                up.add(place_id)
                place_id = parent.get(place_id)
        add((Kind.PLACE, pk) for pk in up)
        for found in (people, programs, tags):
            add(found.get(article_id, ()))
    by_kind: dict[str, set[int]] = {}
    for kind, pk in gained:
        by_kind.setdefault(kind, set()).add(pk)
    _lock(by_kind)
    stored: set[Ref] = set()
    for kind, ids in sorted(by_kind.items()):  # the (kind, object_id) index
        stored |= set(
            NameKey.objects.filter(kind=kind, object_id__in=ids)
            .values_list("kind", "object_id")
            .distinct()
        )
    # One UPDATE per kind, atomic in the database (two imports at once both
    # count), in one order (neither waits on the other's rows).
    steps: dict[str, dict[int, int]] = {}
    for (kind, pk), n in gained.items():
        if (kind, pk) in stored:
            steps.setdefault(kind, {})[pk] = n
    for kind, by in sorted(steps.items()):
        add_to(NameKey, "article_count", by, key="object_id", kind=kind)
    # An entity without rows had no published article counting for it (the
    # rows are kept for every one that has): its count is what it gained.
    new = set(gained) - stored
    names_refresh(refs=new, known={ref: gained[ref] for ref in new}, locked=True)


def _confirmed_parents(place_ids: set[int]) -> dict[int, int | None]:
    """Each place's parent, where both are confirmed (the chain the counts
    roll up along), for these places and everything above them."""
    parent: dict[int, int | None] = {}
    level = set(place_ids)
    while level:
        rows = Place.objects.filter(pk__in=level).values_list(
            "pk", "parent_id", "parent__is_confirmed"
        )
        level = set()
        for pk, parent_id, confirmed in rows:
            parent[pk] = parent_id if confirmed else None
            if parent[pk] is not None and parent[pk] not in parent:
                level.add(parent[pk])
    return parent


def _lock(by_kind: dict[str, set[int]]) -> None:
    """Take the entities' rows before counting them: two imports recounting
    the same person at once would each count beside the other's uncommitted
    change and the later would keep a stale count (PostgreSQL; SQLite has
    one writer at a time).  Waiting here, the later counts after the earlier
    commits.  In one order, so neither waits on the other in a cycle."""
    if not connection.features.has_select_for_update:
        return  # one writer at a time (SQLite): nothing to wait for
    for kind, ids in sorted(by_kind.items()):
        model = _MODEL[kind]
        list(
            # NO KEY: other transactions may still insert rows that refer
            # to these (their foreign key checks take KEY SHARE).
            model.objects.select_for_update(no_key=True)
            .filter(pk__in=sorted(ids))
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def names_refresh(
    *, refs: Iterable[Ref], known: dict[Ref, int] | None = None, locked: bool = False
) -> None:
    """Count these entities again and store their keys (none unless public);
    `known` gives counts the caller has already (and `locked`, the rows)."""
    known = known or {}
    by_kind: dict[str, set[int]] = {}
    for kind, pk in refs:
        by_kind.setdefault(kind, set()).add(pk)
    if not locked:
        _lock(by_kind)
    rows = []
    for kind, ids in sorted(by_kind.items()):
        NameKey.objects.filter(kind=kind, object_id__in=ids).delete()
        for entity in _LOOKUP[kind](ids):
            rows += _rows(kind, entity, known.get((kind, entity.pk)))
    NameKey.objects.bulk_create(rows, batch_size=1000)


@transaction.atomic
def names_rebuild() -> int:
    """Every public entity's keys and count, from scratch (after an upgrade,
    with `rebuild_search_index`); returns how many entities are public.  In
    one transaction: suggestions keep the old rows until the new are in."""
    published = Article.objects.published().values("pk")
    refs: set[Ref] = set()
    refs |= {
        (Kind.PERSON, pk)
        for pk in Byline.objects.filter(article_id__in=published)
        .values_list("person_id", flat=True)
        .distinct()
    }
    places = Article.places.through.objects.filter(article_id__in=published)
    refs |= {
        (Kind.PLACE, pk)
        for pk in with_ancestors(places.values_list("place_id", flat=True).distinct())
    }
    programs = Article.programs.through.objects.filter(article_id__in=published)
    refs |= {
        (Kind.PROGRAM, pk)
        for pk in programs.values_list("program_id", flat=True).distinct()
    }
    tags = _tagged().filter(object_id__in=published).values_list("tag_id", flat=True)
    refs |= {(Kind.TAG, pk) for pk in tags.distinct()}
    NameKey.objects.all().delete()
    names_refresh(refs=refs)
    return len(set(NameKey.objects.values_list("kind", "object_id").distinct()))


# --- one entity's rows ---------------------------------------------------------------

_PARAM = {
    Kind.PERSON: "person",
    Kind.PLACE: "place",
    Kind.PROGRAM: "program",
    Kind.TAG: "tag",
}

_MODEL = {Kind.PERSON: Person, Kind.PLACE: Place, Kind.PROGRAM: Program, Kind.TAG: Tag}

_LOOKUP = {
    Kind.PERSON: lambda ids: Person.objects.filter(pk__in=ids),
    Kind.PLACE: lambda ids: Place.objects.filter(
        pk__in=ids, is_confirmed=True
    ).select_related("parent"),
    Kind.PROGRAM: lambda ids: Program.objects.filter(pk__in=ids, is_confirmed=True),
    Kind.TAG: lambda ids: Tag.objects.filter(pk__in=ids),
}


def public_count(kind: str, slug: str) -> int:
    """The published articles the entity's page lists: its own filter,
    counted (a place: with the confirmed places under it)."""
    from ..selectors import articles_filtered

    return articles_filtered({_PARAM[kind]: slug}).count()


def _rows(kind: str, entity, count: int | None = None) -> list[NameKey]:
    if count is None:
        count = public_count(kind, entity.slug)
    if not count:
        return []
    names = [entity.name]
    if hasattr(entity, "alias_list"):
        names += entity.alias_list()
    if kind == Kind.PLACE:
        detail = entity.parent.name if entity.parent else entity.get_kind_display()
    elif kind == Kind.PERSON:
        detail = entity.affiliation
    else:
        detail = ""
    rows, seen = [], set()
    for name in names:
        text = normalize(name)[:100]
        if not text:
            continue
        for key in {text, *name_keys(text)}:
            if (key, text) in seen:
                continue
            seen.add((key, text))
            rows.append(
                NameKey(
                    kind=kind,
                    object_id=entity.pk,
                    key=key[:120],
                    text=text,
                    name=entity.name[:100],
                    detail=(detail or "")[:100],
                    slug=entity.slug,
                    article_count=count,
                )
            )
    return rows


__all__ = [
    "names_added",
    "names_follow",
    "names_rebuild",
    "names_refresh",
    "entity_ref",
    "public_count",
]
