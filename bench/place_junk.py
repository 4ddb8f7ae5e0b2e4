"""Count the places and programs an import proposes that no expectation asks for.

    python bench/place_junk.py EXPORT.jsonl PAGE.expected.json ...

The scorer's recall metrics do not count junk: a place row staff must reject
is work all the same.  This lists every distinct place (and program) linked
to the exported articles, and which of them no page's expectations name
exactly (a joined 义市七舍镇 is not the expected 七舍镇, though the scorer's
recall lets it pass).
Those are split into names of the national division data (real places the
expectations left out: 山西省 when only its county was asked for) and the
rest (clipped, joined or not places at all), which is the number to bring
to zero.  Also prints the expected places that were missed, per page.
"""

import gzip
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def key(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s or "").split())


def known_names() -> set[str]:
    names: set[str] = set()

    def walk(node):
        names.add(node["name"])
        names.update(node.get("aliases", []))
        for child in node.get("children", []):
            walk(child)

    data = json.loads((ROOT / "fixtures" / "gazetteer.json").read_text("utf-8"))
    for root in data["places"]:
        walk(root)
    villages = ROOT / "fixtures" / "villages.txt.gz"
    if villages.exists():
        with gzip.open(villages, "rt", encoding="utf-8") as lines:
            names.update(line.strip() for line in lines)
    return names


def name_of(item) -> str:
    return key(item if isinstance(item, str) else item.get("name", ""))


def main(export: str, golds: list[str]) -> None:
    rows = [json.loads(line) for line in open(export, encoding="utf-8") if line.strip()]
    expected = {"places": set(), "programs": set()}
    gold_docs = [json.loads(Path(g).read_text("utf-8")) for g in golds]
    for doc in gold_docs:
        for article in doc["articles"]:
            for field in expected:
                expected[field].update(key(x) for x in article.get(field, []))
    real = known_names()
    for field in ("places", "programs"):
        linked = {name_of(x) for r in rows for x in r.get(field) or []}
        extra = sorted(linked - expected[field])
        line = f"{field}: {len(linked)} distinct, {len(extra)} not expected"
        if field == "places":
            fake = [n for n in extra if n not in real]
            line += f" ({len(extra) - len(fake)} real divisions, {len(fake)} junk)"
            print(line)
            print("  real, not expected:", " ".join(n for n in extra if n in real))
            print("  junk:", " ".join(fake))
        else:
            print(line)
            print("  not expected:", " ".join(extra))
    by_source: dict[str, list[dict]] = {}
    for r in rows:
        by_source.setdefault(str(r.get("source", "")).rsplit("/", 1)[-1], []).append(r)
    for field in ("places", "programs"):
        missed = []
        for doc in gold_docs:
            mine = by_source.get(doc["source"], [])
            for article in doc["articles"]:
                start = key(article["start"])
                hit = [r for r in mine if start in key(r.get("body", ""))]
                if len(hit) != 1:
                    continue  # not segmented: the scorer does not count it either
                have = {name_of(x) for x in hit[0].get(field) or []}
                for p in article.get(field, []):
                    if not any(key(p) in h for h in have):
                        missed.append(f"{doc['source']}:{key(p)}")
        print(f"missed {field} ({len(missed)}):", " ".join(missed))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
