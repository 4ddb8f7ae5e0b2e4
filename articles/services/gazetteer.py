"""Loading the gazetteer and the program list, and what the parser is
told of them."""

import json
from pathlib import Path

from django.db import transaction

from ..importing.entities import Gazetteer
from ..models import Place, Program
from ..slugs import pinyin_slug, unique_slug


def place_slug(name: str, parent: Place | None) -> str:
    taken = Place.objects.filter
    if parent is not None and taken(slug=name).exists():
        name = f"{parent.name}-{name}"  # 西营村 under two towns: 西营镇-西营村
    return unique_slug(name, lambda s: taken(slug=s).exists())


def gazetteer_load(*, path: Path) -> int:
    """Create or update the places in a gazetteer file (a tree of
    {name, kind, aliases, children}); returns how many it holds."""
    data = json.loads(Path(path).read_text("utf-8"))
    count = 0

    def walk(node: dict, parent: Place | None) -> None:
        nonlocal count
        place = Place.objects.filter(name=node["name"], parent=parent).first()
        if place is None:
            place = Place(
                name=node["name"], parent=parent, slug=place_slug(node["name"], parent)
            )
        place.kind = node["kind"]
        place.aliases = "，".join(node.get("aliases", []))
        place.is_confirmed = True
        place.save()
        count += 1
        for child in node.get("children", []):
            walk(child, place)

    with transaction.atomic():
        for root in data["places"]:
            walk(root, None)
    return count


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


def gazetteer_current() -> Gazetteer:
    """What the parser should know: confirmed places and programs (proposed
    ones too, so a name found once is recognised on the next page)."""
    gazetteer = Gazetteer()
    places = Place.objects.select_related("parent").only(
        "name", "kind", "aliases", "parent__name"
    )
    for place in places:
        gazetteer.places.setdefault(
            place.name, (place.kind, place.parent.name if place.parent else None)
        )
        for alias in place.alias_list():
            gazetteer.place_aliases.setdefault(alias, place.name)
    for program in Program.objects.only("name", "aliases"):
        gazetteer.programs[program.name] = program.alias_list()
    return gazetteer
