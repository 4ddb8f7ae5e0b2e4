"""Build fixtures/gazetteer.json and fixtures/villages.txt.gz from jionlp's
administrative-division data (Apache-2.0; 民政部 / 国家统计局 divisions).

    .venv/bin/pip install --no-deps jionlp   # only the data file is read
    .venv/bin/python bench/build_gazetteer.py

jionlp ships `dictionary/china_location.zip`: one tab-indented tree
省 > 地级 > 县级 > 乡级 > 村级 with codes and short names.  It is read straight
from the installed package directory (importing jionlp pulls in numpy and
its own segmenter, which the project does not need).  The project ships what
it uses instead of depending on the 17 MB wheel:

- gazetteer.json: provinces, prefectures, counties and the towns, townships
  and 街道 under them (about 41,000 places), with short names as aliases
  (山西, 吕梁, 交城); a 自治县 also answers to its short name + 县 (秀山县),
  and a county renamed since 2000 to its old name (太谷县 → 太谷区).
- villages.txt.gz: the distinct 村 and 社区 names (about 300,000).  They are
  not loaded as places (far too many for a demo database); the importer uses
  them to confirm a village name it finds by rule and where that name ends.
"""

import gzip
import importlib.util
import io
import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

TOWN_KINDS = (
    ("街道", "town"),
    ("镇", "town"),
    ("乡", "township"),
    ("苏木", "township"),
)
VILLAGE_RE = re.compile(r"[\u4e00-\u9fff]{1,10}(村|社区)$")
# Parts of the tree that are bookkeeping rather than places.
SKIP_LEVEL = ("省直辖行政区划", "市直辖行政区划")


def dictionary_dir() -> Path:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("jionlp is not installed: pip install --no-deps jionlp")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionary"


def read_lines(directory: Path, name: str) -> list[str]:
    plain = directory / f"{name}.txt"
    if plain.exists():
        return plain.read_text("utf-8").splitlines()
    with zipfile.ZipFile(directory / f"{name}.zip") as archive:
        return archive.read(f"{name}.txt").decode("utf-8").splitlines()


def county_kind(name: str) -> str:
    return "county_city" if name.endswith("市") else "county"


def town_kind(name: str) -> str | None:
    for suffix, kind in TOWN_KINDS:
        if name.endswith(suffix):
            return kind
    return None


def build(directory: Path) -> tuple[list[dict], list[str]]:
    roots: list[dict] = []
    villages: set[str] = set()
    stack: list[dict | None] = [None] * 5
    for line in read_lines(directory, "china_location"):
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        name, *rest = line.strip().split("\t")
        short = rest[1] if len(rest) > 1 else ""
        stack[depth:] = [None] * (5 - depth)
        if depth == 4:
            if VILLAGE_RE.fullmatch(name):
                villages.add(name)
            continue
        # Nearest real ancestor (a skipped level hands its children up).
        parent = next((n for n in reversed(stack[:depth]) if n is not None), None)
        if name in SKIP_LEVEL or (depth == 1 and parent and name == parent["name"]):
            continue  # 北京市 > 北京市 > 东城区: one 北京市
        if depth == 0:
            node = {"name": name, "kind": "province"}
        elif depth == 1:
            node = {"name": name, "kind": "prefecture"}
        elif depth == 2:
            node = {"name": name, "kind": county_kind(name)}
        else:
            kind = town_kind(name)
            if kind is None:
                continue  # 农场, 监狱, 开发区 …: not 乡级 places people name so
            node = {"name": name, "kind": kind}
        if short and short != name and depth <= 2:
            node["aliases"] = [short]
            if name.endswith(("自治县", "自治旗")):
                node["aliases"].append(short + name[-1])
        stack[depth] = node
        if parent is None:
            roots.append(node)
        else:
            parent.setdefault("children", []).append(node)
    _old_names(directory, roots)
    _drop_ambiguous_aliases(roots)
    return roots, sorted(villages)


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.get("children", []))


def _old_names(directory: Path, roots: list[dict]) -> None:
    """china_location_change: `date … old county … => … new county`."""
    by_name: dict[str, list[dict]] = {}
    for node in _walk(roots):
        by_name.setdefault(node["name"], []).append(node)
    for line in read_lines(directory, "china_location_change"):
        if "=>" not in line:
            continue
        before, after = line.split("=>")
        old, new = before.split("\t"), after.split("\t")
        old_name = old[-2] if len(old) >= 2 else ""
        new_name = new[-1]
        targets = by_name.get(new_name, [])
        if old_name and old_name != new_name and len(targets) == 1:
            if old_name not in by_name:
                aliases = targets[0].setdefault("aliases", [])
                if old_name not in aliases:
                    aliases.append(old_name)


def _drop_ambiguous_aliases(roots: list[dict]) -> None:
    """An alias two places share, or that is another place's name, names
    neither for sure (鼓楼, 吉林): keep only the unambiguous ones."""
    names = {node["name"] for node in _walk(roots)}
    counts = Counter(a for node in _walk(roots) for a in node.get("aliases", []))
    for node in _walk(roots):
        kept = [
            a
            for a in node.get("aliases", [])
            if counts[a] == 1 and a not in names and len(a) >= 2
        ]
        if kept:
            node["aliases"] = kept
        else:
            node.pop("aliases", None)


def main() -> None:
    roots, villages = build(dictionary_dir())
    document = {
        "_comment": (
            "中国行政区划（省、地级、县级、乡级），由 bench/build_gazetteer.py "
            "从 jionlp 的行政区划数据生成；村由导入时发现后添加。"
        ),
        "places": roots,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    (FIXTURES / "gazetteer.json").write_text(text + "\n", "utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as out:
        out.write(("\n".join(villages) + "\n").encode("utf-8"))
    (FIXTURES / "villages.txt.gz").write_bytes(buffer.getvalue())
    places = sum(1 for _ in _walk(roots))
    print(f"{places} places, {len(villages)} village names")


if __name__ == "__main__":
    main()
