"""The page parser's output, fingerprinted, and its speed: `make bench-parser`.

Parses the training pages (../shared/pages-train, when present), the sample
pages (fixtures/pages) and the pages bench_import.py generates, and writes a
canonical JSON dump of every ParsedPage (dataclasses.asdict, sorted keys)
with its SHA-256.  A change meant to be only faster must leave the hash as it
was:

    python bench/parser_fingerprint.py --write /tmp/before.json   # on main
    python bench/parser_fingerprint.py --check /tmp/before.json   # after

It also prints the CPU time the parser took (time.process_time, so other
jobs on a shared machine do not count), as pages per CPU-second per set of
pages, the best of --repeat runs, each run in a fresh process so that no run
finds the caches the one before it filled; then one more run with each step
of parse_page timed.
"""

import argparse
import dataclasses
import hashlib
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TRAIN = ROOT.parent / "shared" / "pages-train"
# The functions parse_page calls, by the name parse.py imports them under:
# wrapped one by one for the run timed by step.
STEPS = (
    "read_lines",
    "blocks",
    "classify",
    "segments_and_zones",
    "split_at_continuations",
    "read_zone",
    "article_from_segment",
    "make_matcher",
    "match_headlines",
    "join_continuations",
    "attach_captions",
    "find_places",
    "find_programs",
    "find_tags",
    "suggest_headline",
)


def load_pages(generated: int) -> list[tuple[str, str, str]]:
    """(set, name, text) of every page, in a fixed order."""
    from bench_import import generate_pages

    from articles.importing import decode_page

    pages = []
    for path in sorted(TRAIN.glob("train_*.txt")):
        pages.append(("train", path.name, decode_page(path.read_bytes())))
    for path in sorted((ROOT / "fixtures/pages").glob("*.txt")):
        pages.append(("samples", path.name, decode_page(path.read_bytes())))
    for i, raw in enumerate(generate_pages(generated)):
        pages.append(("generated", f"generated-{i:04d}", decode_page(raw)))
    return pages


def gazetteer():
    from articles.importing.gazetteer_file import gazetteer_from_files

    return gazetteer_from_files(
        ROOT / "fixtures/gazetteer.json",
        ROOT / "fixtures/programs.json",
        ROOT / "fixtures/villages.txt.gz",
    )


def dump(pages, gaz) -> str:
    from articles.importing import parse_page

    out = []
    for kind, name, text in pages:
        page = parse_page(text, gazetteer=gaz)
        out.append({"set": kind, "name": name, "page": dataclasses.asdict(page)})
    return json.dumps(out, ensure_ascii=False, sort_keys=True, indent=1)


def timed_run(generated: int, by_step: bool) -> dict:
    """One run in this process: CPU seconds per set of pages (and per step)."""
    from articles.importing import parse as parse_mod
    from articles.importing import parse_page

    gaz = gazetteer()
    pages = load_pages(generated)
    # jieba loads its dictionary on first use; an importer has done so long
    # before its second page.
    parse_page("本报讯 交城县举办培训班。\n", gazetteer=gaz)
    steps: dict[str, float] = defaultdict(float)
    if by_step:
        for name in STEPS:
            fn = getattr(parse_mod, name, None)
            if fn is not None:
                setattr(parse_mod, name, _timed(name, fn, steps))
    sets: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for kind, _, text in pages:
        start = time.process_time()
        parse_page(text, gazetteer=gaz)
        sets[kind][0] += 1
        sets[kind][1] += time.process_time() - start
    return {"sets": dict(sets), "steps": dict(steps)}


def _timed(name, fn, totals):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[name] += time.process_time() - start

    return wrapper


def _in_fresh_process(generated: int, by_step: bool) -> dict:
    args = [sys.executable, __file__, "--generated", str(generated), "--one-run"]
    if by_step:
        args.append("--by-step")
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def report_speed(generated: int, repeat: int) -> None:
    runs = [_in_fresh_process(generated, False) for _ in range(repeat)]
    print(f"parser CPU time, best of {repeat} runs (each in a fresh process):")
    all_pages = sum(n for n, _ in runs[0]["sets"].values())
    best_total = min(sum(s for _, s in run["sets"].values()) for run in runs)
    for kind in runs[0]["sets"]:
        count = runs[0]["sets"][kind][0]
        seconds = min(run["sets"][kind][1] for run in runs)
        print(
            f"  {kind:<10} {count:4d} pages {seconds:7.2f}s"
            f"  {count / seconds:7.1f} pages per CPU-second"
        )
    print(
        f"  {'all':<10} {all_pages:4d} pages {best_total:7.2f}s"
        f"  {all_pages / best_total:7.1f} pages per CPU-second"
    )
    stepped = _in_fresh_process(generated, True)
    total = sum(s for _, s in stepped["sets"].values())
    print("CPU seconds by step (one more run, each step timed; nested steps")
    print("count inside their caller too: article_from_segment in")
    print("join_continuations):")
    for name, seconds in sorted(stepped["steps"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:<24} {seconds:7.2f}s  {100 * seconds / total:5.1f}%")
    print(f"  {'parse_page (all)':<24} {total:7.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=300)
    parser.add_argument("--write", type=Path, help="write the dump here")
    parser.add_argument("--check", type=Path, help="compare with this dump")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--by-step", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one_run:
        print(json.dumps(timed_run(args.generated, args.by_step)))
        return

    text = dump(load_pages(args.generated), gazetteer())
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    print(f"dump sha256 {digest}")
    if args.write:
        args.write.write_text(text, "utf-8")
        print(f"written to {args.write}")
    failed = False
    if args.check:
        expected = args.check.read_text("utf-8")
        if expected == text:
            print(f"identical to {args.check}")
        else:
            failed = True
            _show_first_difference(json.loads(expected), json.loads(text))
    if not args.no_speed:
        report_speed(args.generated, args.repeat)
    if failed:
        sys.exit(1)


def _show_first_difference(expected: list, actual: list) -> None:
    print(f"DIFFERENT: {len(expected)} pages expected, {len(actual)} parsed")
    for old, new in zip(expected, actual, strict=False):
        if old != new:
            print(f"first difference: {new['set']} {new['name']}")
            for key in ("articles", "captions", "leftovers"):
                if old["page"][key] != new["page"][key]:
                    print(f"  in {key}")
            return


if __name__ == "__main__":
    main()
