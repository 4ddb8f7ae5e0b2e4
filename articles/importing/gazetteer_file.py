"""Reading the gazetteer and program fixture files into a `Gazetteer`, for
tools and tests that run the parser without a database."""

import json
from pathlib import Path

from .entities import Gazetteer


def gazetteer_from_files(
    places_path: Path, programs_path: Path | None = None
) -> Gazetteer:
    gazetteer = Gazetteer()

    def walk(node: dict, parent: str | None) -> None:
        gazetteer.places[node["name"]] = (node["kind"], parent)
        for alias in node.get("aliases", []):
            gazetteer.place_aliases[alias] = node["name"]
        for child in node.get("children", []):
            walk(child, node["name"])

    for root in json.loads(Path(places_path).read_text("utf-8"))["places"]:
        walk(root, None)
    if programs_path:
        for program in json.loads(Path(programs_path).read_text("utf-8"))["programs"]:
            gazetteer.programs[program["name"]] = list(program.get("aliases", []))
    return gazetteer
