"""What the archive already knows about places and programs, as the caller
hands it to the parser, with a name index built once per gazetteer."""

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

try:  # Aho-Corasick in Rust: known names found in one pass over a text.
    import ahocorasick_rs
except ImportError:  # pragma: no cover - NameIndex._scan finds the same names
    ahocorasick_rs = None


@dataclass(eq=False)
class Gazetteer:
    """place name → (kind, parent name); alias → place name; program name →
    aliases; the village (村/社区) names of the national division data, used
    to confirm names found by rule.  A name several places share (城关镇)
    keeps its first place in `places` and all of them in `homonyms`."""

    places: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    place_aliases: dict[str, str] = field(default_factory=dict)
    programs: dict[str, list[str]] = field(default_factory=dict)
    villages: frozenset[str] = frozenset()
    homonyms: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)

    def __hash__(self):
        return id(self)

    def add_place(self, name: str, kind: str, parent: str | None) -> None:
        if name not in self.places:
            self.places[name] = (kind, parent)
            self._indexed(name)
            return
        entries = self.homonyms.setdefault(name, [self.places[name]])
        if (kind, parent) not in entries:
            entries.append((kind, parent))

    def add_alias(self, alias: str, name: str) -> None:
        if alias not in self.place_aliases:
            self.place_aliases[alias] = name
            self._indexed(alias)

    def _indexed(self, name: str) -> None:
        index = self.__dict__.get("_place_index")
        if index is not None:
            index[1].add(name)
            index[0] = (len(self.places), len(self.place_aliases))

    def place_index(self) -> "NameIndex":
        """Every place name and alias, indexed by its first two characters.
        Built once; names added through add_place/add_alias join it, and it
        is rebuilt if the dictionaries were changed directly."""
        size = (len(self.places), len(self.place_aliases))
        cached = self.__dict__.get("_place_index")
        if cached is None or cached[0] != size:
            cached = [size, NameIndex([*self.places, *self.place_aliases])]
            self.__dict__["_place_index"] = cached
        return cached[1]

    def program_pattern(self) -> re.Pattern | None:
        names = list(self.programs)
        for aliases in self.programs.values():
            names.extend(aliases)
        return _alternation(tuple(names))

    def program_for(self, found: str) -> str:
        if found in self.programs:
            return found
        for name, aliases in self.programs.items():
            if found in aliases:
                return name
        return found


class NameIndex:
    """Every known name wherever it starts in a text, longest first.

    A regular expression alternation of 45,000 names backtracks through all
    of them at every character.  With ahocorasick_rs installed, an
    Aho-Corasick automaton (Rust) finds every name in one pass over the
    text, ten times faster than the dictionary probe per character it
    replaces (`_scan`, still used without it).  The automaton cannot take
    names added later: those few (the places an import proposes, one or two
    a page) are searched for one by one until there are LATE_NAMES of them,
    and then the automaton is built again with them."""

    LATE_NAMES = 256

    def __init__(self, names):
        self.names = {n for n in names if len(n) >= 2}
        lengths: dict[str, set[int]] = {}
        for name in self.names:
            lengths.setdefault(name[:2], set()).add(len(name))
        self.lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}
        # (The automaton, its names by index), built at the first search, and
        # the names added since.  A web process's threads share one
        # gazetteer: the lock keeps a name from being added while the
        # automaton is rebuilt without it, and the pair is replaced whole.
        self._automaton: tuple | None = None
        self._late: list[str] = []
        self._lock = threading.Lock()

    def add(self, name: str) -> None:
        with self._lock:
            if len(name) >= 2 and name not in self.names:
                self.names.add(name)
                lengths = set(self.lengths.get(name[:2], ())) | {len(name)}
                self.lengths[name[:2]] = sorted(lengths, reverse=True)
                if self._automaton is not None:
                    self._late.append(name)

    def starts(self, text: str) -> dict[int, list[str]]:
        """{i: the names starting at text[i], longest first} for every i
        where one does, in the order of i."""
        if ahocorasick_rs is None:
            return self._scan(text)
        with self._lock:
            if self._automaton is None or len(self._late) > self.LATE_NAMES:
                patterns = sorted(self.names)
                self._automaton = (ahocorasick_rs.AhoCorasick(patterns), patterns)
                self._late = []
            (automaton, patterns), late = self._automaton, self._late
        found: dict[int, list[str]] = {}
        # Standard matching with overlaps: every name at every position.
        for k, start, _ in automaton.find_matches_as_indexes(text, overlapping=True):
            found.setdefault(start, []).append(patterns[k])
        for name in late:
            at = text.find(name)
            while at >= 0:
                found.setdefault(at, []).append(name)
                at = text.find(name, at + 1)
        # Names starting at one position differ in length (most positions
        # start one name).
        return {
            i: found[i]
            if len(found[i]) == 1
            else sorted(found[i], key=len, reverse=True)
            for i in sorted(found)
        }

    def _scan(self, text: str) -> dict[int, list[str]]:
        """`starts` by a dictionary probe for each position's first two
        characters and a set lookup for each name length they begin."""
        lengths, names = self.lengths, self.names
        found: dict[int, list[str]] = {}
        n = len(text)
        for i in range(n - 1):
            sizes = lengths.get(text[i : i + 2])
            if sizes:
                here = [
                    text[i : i + size]
                    for size in sizes
                    if i + size <= n and text[i : i + size] in names
                ]
                if here:
                    found[i] = here
        return found


@lru_cache(maxsize=32)
def _alternation(names: tuple[str, ...]) -> re.Pattern | None:
    names = tuple(n for n in names if n)
    if not names:
        return None
    ordered = sorted(set(names), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in ordered))
