"""What re-importing a page (`--replace`) changed, article by article: the
diff the run report shows staff.

Plain functions over plain data, no Django: the import service snapshots
the page's articles before and after (`services/snapshots.py`) and stores
what `article_changes` returns on the run's file record (JSON), so the
report reads it long after the old articles are gone.

A snapshot is a dict: `id`, `title`, the text fields (headline, kicker,
subtitle, kind, body) as strings and the list fields (bylines, places,
programs, tags, captions) as lists of display strings.
"""

from collections import Counter
from difflib import SequenceMatcher

# What the report shows, in this order, with these labels.
TEXT_FIELDS = {"headline": "标题", "kicker": "引题", "subtitle": "副题", "kind": "体裁"}
BODY = "body"
LIST_FIELDS = {
    "bylines": "署名",
    "places": "地名",
    "programs": "政策项目",
    "tags": "标签",
    "captions": "图片说明",
}
LABELS = {**TEXT_FIELDS, BODY: "正文", **LIST_FIELDS}

CHANGED, ADDED, REMOVED, KEPT = "changed", "added", "removed", "kept"
CHANGE_LABELS = {
    CHANGED: "有改动",
    ADDED: "新增",
    REMOVED: "已删除",
    KEPT: "已人工编辑，保留原稿，未替换",
}

# Below this share of characters in common a changed paragraph reads
# better as the old one struck out and the new one in full.
MIN_INLINE_RATIO = 0.4
# Articles whose bodies share less than this are different articles.
MIN_PAIR_SIMILARITY = 0.3


def _bigrams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _similarity(a: dict, b: dict) -> float:
    x, y = _bigrams(a.get(BODY, "")), _bigrams(b.get(BODY, ""))
    return len(x & y) / len(x | y) if x | y else 1.0


def _pairs(old: list[dict], new: list[dict]):
    """Old and new articles paired: the same printed headline first, then
    the most similar bodies; what is left was removed or added."""
    pairs, old_left, new_left = [], list(old), list(new)
    for a in list(old_left):
        match = next(
            (
                b
                for b in new_left
                if a.get("headline") and b.get("headline") == a["headline"]
            ),
            None,
        )
        if match is not None:
            pairs.append((a, match))
            old_left.remove(a)
            new_left.remove(match)
    scored = sorted(
        (
            (_similarity(a, b), i, j)
            for i, a in enumerate(old_left)
            for j, b in enumerate(new_left)
        ),
        reverse=True,
    )
    used_old, used_new = set(), set()
    for score, i, j in scored:
        if score < MIN_PAIR_SIMILARITY:
            break
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((old_left[i], new_left[j]))
    removed = [a for i, a in enumerate(old_left) if i not in used_old]
    added = [b for j, b in enumerate(new_left) if j not in used_new]
    return pairs, removed, added


def _inline(old: str, new: str) -> list[list[str]]:
    """One paragraph's changes as [op, text] parts: "=" kept, "-" deleted,
    "+" inserted."""
    parts = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(["=", old[i1:i2]])
            continue
        if i2 > i1:
            parts.append(["-", old[i1:i2]])
        if j2 > j1:
            parts.append(["+", new[j1:j2]])
    return parts


def paragraph_diff(old: str, new: str) -> list[dict]:
    """The body's changes paragraph by paragraph: runs of unchanged
    paragraphs as a count, inserted and deleted ones whole, a changed one
    with its inserted and deleted characters."""
    a = [p for p in old.split("\n\n") if p.strip()]
    b = [p for p in new.split("\n\n") if p.strip()]
    out: list[dict] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append({"op": "equal", "count": i2 - i1})
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for n in range(max(len(olds), len(news))):
            before = olds[n] if n < len(olds) else None
            after = news[n] if n < len(news) else None
            if before is None:
                out.append({"op": "insert", "text": after})
            elif after is None:
                out.append({"op": "delete", "text": before})
            elif SequenceMatcher(None, before, after, autojunk=False).ratio() < (
                MIN_INLINE_RATIO
            ):
                out.append({"op": "delete", "text": before})
                out.append({"op": "insert", "text": after})
            else:
                out.append({"op": "replace", "parts": _inline(before, after)})
    return out


def _field_changes(old: dict, new: dict) -> list[dict]:
    fields = []
    for name in TEXT_FIELDS:
        if (old.get(name) or "") != (new.get(name) or ""):
            fields.append(
                {"field": name, "old": old.get(name) or "", "new": new.get(name) or ""}
            )
    before, after = old.get(BODY, ""), new.get(BODY, "")
    if before != after:
        fields.append({"field": BODY, "paragraphs": paragraph_diff(before, after)})
    for name in LIST_FIELDS:
        before, after = Counter(old.get(name, [])), Counter(new.get(name, []))
        if before != after:
            fields.append(
                {
                    "field": name,
                    "removed": sorted((before - after).elements()),
                    "added": sorted((after - before).elements()),
                }
            )
    return fields


def article_changes(*, old: list[dict], new: list[dict], kept: list[dict] = ()) -> dict:
    """What replacing a page's articles `old` with the re-parsed `new`
    changed; `kept` are the articles staff edited, which the import keeps.

    Returns {"unchanged": n, "articles": [{"change", "id", "title",
    "fields"}]}, only the articles with a change listed, in page order.
    """
    pairs, removed, added = _pairs(old, new)
    entries, unchanged = [], 0
    for before, after in pairs:
        fields = _field_changes(before, after)
        if fields:
            entries.append(_entry(CHANGED, after, fields))
        else:
            unchanged += 1
    entries += [_entry(ADDED, b, []) for b in added]
    entries += [_entry(REMOVED, a, []) for a in removed]
    entries += [_entry(KEPT, k, []) for k in kept]
    entries.sort(key=lambda e: (e.pop("_position"), e["change"] == REMOVED))
    return {"unchanged": unchanged, "articles": entries}


def _entry(change: str, snapshot: dict, fields: list[dict]) -> dict:
    return {
        "change": change,
        # A removed article is gone: no link.
        "id": None if change == REMOVED else snapshot.get("id"),
        "title": snapshot.get("title", ""),
        "fields": fields,
        "_position": snapshot.get("position", 0),
    }


def labelled(changes: dict) -> list[dict]:
    """The stored changes with their labels, for the report."""
    out = []
    for entry in (changes or {}).get("articles", []):
        fields = [
            {**f, "label": LABELS.get(f["field"], f["field"])} for f in entry["fields"]
        ]
        out.append(
            {
                **entry,
                "change_label": CHANGE_LABELS.get(entry["change"], entry["change"]),
                "fields": fields,
            }
        )
    return out
