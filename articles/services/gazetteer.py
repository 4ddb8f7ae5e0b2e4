"""Loading the gazetteer and the program list, and what the parser is
told of them."""

import json
import time
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .. import search
from ..importing.entities import Gazetteer
from ..importing.gazetteer_file import read_village_names
from ..models import Article, NameKey, Place, Program, split_aliases
from ..slugs import pinyin_slug, unique_slug, unique_slug_among
from .names import names_refresh, with_ancestors


def place_slug(name: str, parent: Place | None) -> str:
    taken = Place.objects.filter
    if parent is not None and taken(slug=name).exists():
        name = f"{parent.name}-{name}"  # 西营村 under two towns: 西营镇-西营村
    return unique_slug(name, lambda s: taken(slug=s).exists())


def gazetteer_load(*, path: Path) -> int:
    """Create or update the places in a gazetteer file (a tree of
    {name, kind, aliases, children}); returns how many it holds.

    The national file holds some 43,000 places, so this works a level of the
    tree at a time with bulk writes (one pass for the provinces, one for the
    prefectures …) instead of two queries a place.  Aliases staff added are
    kept: the file's aliases are added to them."""
    data = json.loads(Path(path).read_text("utf-8"))
    count = 0
    with transaction.atomic():
        existing = {
            (p.name, p.parent_id): p
            for p in Place.objects.only(
                "id", "name", "parent_id", "kind", "aliases", "is_confirmed"
            )
        }
        slugs = set(Place.objects.values_list("slug", flat=True))
        level: list[tuple[dict, Place | None]] = [(n, None) for n in data["places"]]
        was_confirmed = {p.pk for p in existing.values() if p.is_confirmed}
        confirmed: list[Place] = []
        changed: list[Place] = []
        while level:
            create, update, placed = [], [], []
            for node, parent in level:
                place = existing.get((node["name"], parent.pk if parent else None))
                wanted = split_aliases(place.aliases) if place else []
                wanted += [a for a in node.get("aliases", []) if a not in wanted]
                aliases = "，".join(wanted)
                if place is None:
                    base = node["name"]
                    if parent is not None and base in slugs:
                        base = f"{parent.name}-{base}"  # 城关镇 under many counties
                    slug = unique_slug_among(base, slugs)
                    slugs.add(slug)
                    place = Place(
                        name=node["name"],
                        parent=parent,
                        slug=slug,
                        kind=node["kind"],
                        aliases=aliases,
                        is_confirmed=True,
                    )
                    create.append(place)
                elif (place.kind, place.aliases, place.is_confirmed) != (
                    node["kind"],
                    aliases,
                    True,
                ):
                    place.kind, place.aliases = node["kind"], aliases
                    place.is_confirmed = True
                    update.append(place)
                placed.append((node, place))
            Place.objects.bulk_create(create, batch_size=2000)
            Place.objects.bulk_update(
                update, ["kind", "aliases", "is_confirmed"], batch_size=2000
            )
            confirmed += [p for p in update if p.pk not in was_confirmed]
            changed += update
            count += len(placed)
            level = [
                (child, place)
                for node, place in placed
                for child in node.get("children", [])
            ]
        # Places it confirmed now count their articles for the places above.
        search.index_places(places=confirmed)
        # Readers find places by name and alias (suggestions, pinyin): the
        # public places whose aliases or kind the file changed, and the
        # places above the ones it confirmed, are counted and keyed again.
        names_refresh(refs=_public_places_touched(changed, confirmed))
    _gazetteer_cache.clear()
    return count


def _public_places_touched(changed: list[Place], confirmed: list[Place]) -> set:
    """The places whose suggestions a load changed: public ones it gave other
    aliases or kind, and the newly confirmed ones articles name, with every
    place above them (their counts include the articles)."""
    Kind = NameKey.Kind
    public = NameKey.objects.filter(
        kind=Kind.PLACE, object_id__in=[p.pk for p in changed]
    ).values_list("object_id", flat=True)
    named = set(
        Article.places.through.objects.filter(
            place_id__in=[p.pk for p in confirmed]
        ).values_list("place_id", flat=True)
    )
    # The places above them, a level of the tree a query.
    return {(Kind.PLACE, pk) for pk in {*public, *with_ancestors(named)}}


def programs_load(*, path: Path) -> int:
    data = json.loads(Path(path).read_text("utf-8"))
    with transaction.atomic():
        for item in data["programs"]:
            program = Program.objects.filter(name=item["name"]).first() or Program(
                name=item["name"], slug=program_slug(item["name"])
            )
            program.aliases = "，".join(item.get("aliases", []))
            program.description = item.get("description", "")
            program.is_confirmed = True
            program.save()
    return len(data["programs"])


def program_slug(name: str) -> str:
    base = pinyin_slug(name) or "program"
    return unique_slug(base, lambda s: Program.objects.filter(slug=s).exists())


_gazetteer_cache: dict = {}


# How long another process's edits to names or aliases may go unseen (a new
# or deleted place is seen at the next check: it changes the count).
GAZETTEER_CACHE_SECONDS = 60
# How often the count check runs: once a page cost two queries of an
# import's forty, while this process's own changes reach the cache at once
# (the signals below) and another's can wait a few seconds.
GAZETTEER_CHECK_SECONDS = 5


def gazetteer_recheck() -> None:
    """Check the tables at the next `gazetteer_current` (a rolled-back
    transaction may have left a place in the cache)."""
    _gazetteer_cache.pop("checked", None)


def gazetteer_current() -> Gazetteer:
    """What the parser should know: confirmed places and programs (proposed
    ones too, so a name found once is recognised on the next page), and the
    village names of the national division data.

    Reading 43,000 places takes a few hundred milliseconds, so the result is
    kept per process until the tables change: saves and deletes in this
    process clear it, and a cheap count/max-id check notices other writers."""
    cached = _gazetteer_cache.get("current")
    checked = _gazetteer_cache.get("checked", 0.0)
    if cached and time.monotonic() - checked < GAZETTEER_CHECK_SECONDS:
        return cached[2]
    key = (
        Place.objects.aggregate(n=models.Count("id"), last=models.Max("id")).values(),
        Program.objects.aggregate(n=models.Count("id"), last=models.Max("id")).values(),
    )
    key = tuple(tuple(v) for v in key)
    now = timezone.now().timestamp()
    _gazetteer_cache["checked"] = time.monotonic()
    if cached and cached[0] == key and now - cached[1] < GAZETTEER_CACHE_SECONDS:
        return cached[2]
    gazetteer = Gazetteer(villages=village_names())
    rows = Place.objects.values_list("id", "name", "kind", "aliases", "parent_id")
    by_id = {row[0]: row for row in rows}
    for _id, name, kind, aliases, parent_id in by_id.values():
        parent = by_id[parent_id][1] if parent_id in by_id else None
        gazetteer.add_place(name, kind, parent)
        for alias in split_aliases(aliases):
            gazetteer.add_alias(alias, name)
    for program in Program.objects.only("name", "aliases"):
        gazetteer.programs[program.name] = program.alias_list()
    _gazetteer_cache["current"] = (key, now, gazetteer)
    return gazetteer


@receiver(post_save, sender=Place)
def _place_saved(instance, created, **kwargs) -> None:
    """A place the importer just proposed joins the cached gazetteer (so the
    next page knows it) instead of making every page read 43,000 rows —
    once its transaction commits: a rolled-back import's place must not
    (the next attempt would take it for known and not flag it new)."""
    if not created:
        _gazetteer_cache.clear()
        return
    transaction.on_commit(lambda: _place_joins(instance))


def _place_joins(place: Place) -> None:
    cached = _gazetteer_cache.get("current")
    if cached is None:
        return
    ((count, last), programs), when, gazetteer = cached
    parent = Place.objects.filter(pk=place.parent_id).values_list("name").first()
    gazetteer.add_place(place.name, place.kind, parent[0] if parent else None)
    for alias in place.alias_list():
        gazetteer.add_alias(alias, place.name)
    key = ((count + 1, max(last or 0, place.pk)), programs)
    _gazetteer_cache["current"] = (key, when, gazetteer)


@receiver(post_save, sender=Program)
def _program_saved(instance, created, **kwargs) -> None:
    if not created:
        _gazetteer_cache.clear()
        return
    transaction.on_commit(lambda: _program_joins(instance))


def _program_joins(program: Program) -> None:
    cached = _gazetteer_cache.get("current")
    if cached is None:
        return
    (places, (count, last)), when, gazetteer = cached
    gazetteer.programs[program.name] = program.alias_list()
    key = (places, (count + 1, max(last or 0, program.pk)))
    _gazetteer_cache["current"] = (key, when, gazetteer)


@receiver(post_delete, sender=Place)
@receiver(post_delete, sender=Program)
def _gazetteer_changed(**kwargs) -> None:
    _gazetteer_cache.clear()


VILLAGE_NAMES = Path(settings.BASE_DIR) / "fixtures" / "villages.txt.gz"


@cache
def village_names() -> frozenset[str]:
    """The 村 and 社区 names of the national division data (bench/
    build_gazetteer.py): the importer confirms villages it finds against
    them.  Not places in the database — there are 300,000."""
    return read_village_names(VILLAGE_NAMES) if VILLAGE_NAMES.exists() else frozenset()
