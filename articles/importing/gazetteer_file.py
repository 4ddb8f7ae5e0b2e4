"""Reading the gazetteer, program and village-name fixture files into a
`Gazetteer`, for tools and tests that run the parser without a database."""

import gzip
import json
from pathlib import Path

from .gazetteer import Gazetteer


def gazetteer_from_files(
    places_path: Path,
    programs_path: Path | None = None,
    villages_path: Path | None = None,
) -> Gazetteer:
    gazetteer = Gazetteer()

    def walk(node: dict, parent: str | None) -> None:
        gazetteer.add_place(node["name"], node["kind"], parent)
        for alias in node.get("aliases", []):
            gazetteer.add_alias(alias, node["name"])
        for child in node.get("children", []):
            walk(child, node["name"])

    for root in json.loads(Path(places_path).read_text("utf-8"))["places"]:
        walk(root, None)
    if programs_path:
        for program in json.loads(Path(programs_path).read_text("utf-8"))["programs"]:
            gazetteer.programs[program["name"]] = list(program.get("aliases", []))
    if villages_path:
        gazetteer.villages = read_village_names(Path(villages_path))
    return gazetteer


def read_village_names(path: Path) -> frozenset[str]:
    """One name a line, gzip-compressed (fixtures/villages.txt.gz)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())
