"""Where a page file was printed: publication, date, 期号, 版次, 版名.

Plain Python, no Django, so it is tested on strings and paths.  A page's
print data comes, field by field, from the first of:

1. what staff give for the run (command options, the admin's import form);
2. a manifest beside the files — ``manifest.csv`` or ``manifest.json``
   mapping each file (its path relative to the manifest) to its fields;
3. the file's path and name, by the convention the README documents:
   ``交城报/2020-10-20/03.txt``, ``交城报/2020/20201020/03_要闻.pdf`` or
   ``交城报_20201020_03.pdf`` (also ``交城报_2020-10-20_第3版_要闻.txt``).

Nothing is guessed from the import time: a file with no date has none.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path, PurePath

MANIFEST_NAMES = ("manifest.csv", "manifest.json")

# Column names a manifest may use, Chinese or English.
_COLUMNS = {
    "file": "file",
    "filename": "file",
    "文件": "file",
    "文件名": "file",
    "publication": "publication",
    "报纸": "publication",
    "报名": "publication",
    "date": "issue_date",
    "issue_date": "issue_date",
    "日期": "issue_date",
    "出版日期": "issue_date",
    "issue_number": "issue_number",
    "number": "issue_number",
    "期号": "issue_number",
    "page": "page_number",
    "page_number": "page_number",
    "版次": "page_number",
    "page_name": "page_name",
    "版名": "page_name",
}

_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[-_.年]?(0[1-9]|1[0-2]|[1-9](?=\D))[-_.月]?"
    r"(0[1-9]|[12]\d|3[01]|[1-9](?!\d))日?(?!\d)"
)
_PAGE_RE = re.compile(r"^(?:第\s*)?0*(\d{1,3})\s*(?:版)?$")
_PAGE_PART_RE = re.compile(r"^(?:第\s*)?0*(\d{1,3})\s*版?[_\- ]*(.*)$")
_PUBLICATION_RE = re.compile(r"^[\u4e00-\u9fff]{2,20}(?:报|刊|日报|晚报|周报)$")


class ManifestError(ValueError):
    """A manifest that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class PrintMeta:
    publication: str = ""
    issue_date: date | None = None
    issue_number: str = ""
    page_number: int | None = None
    page_name: str = ""

    def as_json(self) -> dict:
        """For a queued import run's options (JSON)."""
        return {
            "publication": self.publication,
            "issue_date": self.issue_date.isoformat() if self.issue_date else "",
            "issue_number": self.issue_number,
            "page_number": self.page_number,
            "page_name": self.page_name,
        }

    def over(self, other: "PrintMeta") -> "PrintMeta":
        """These fields where set, the other's where not."""
        return replace(
            other,
            **{
                f.name: getattr(self, f.name)
                for f in fields(self)
                if getattr(self, f.name)
            },
        )


def parse_date(value: str) -> date | None:
    """2020-10-20, 20201020, 2020年10月20日, 2020.10.20; None if blank."""
    value = (value or "").strip()
    if not value:
        return None
    match = _DATE_RE.fullmatch(value.replace(" ", ""))
    if not match:
        raise ValueError(f"日期应为 YYYY-MM-DD：{value}")
    return date(*(int(g) for g in match.groups()))


def parse_page_number(value) -> int | None:
    """3, "03", "第3版", "第03版" → 3; None if blank."""
    if value is None or value == "":
        return None
    match = _PAGE_RE.match(str(value).strip())
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"版次应为数字，如 3 或 第3版：{value}")
    return int(match.group(1))


def from_values(values: dict) -> PrintMeta:
    """Fields from one manifest row or form; raises ValueError on bad ones."""
    return PrintMeta(
        publication=str(values.get("publication") or "").strip(),
        issue_date=parse_date(str(values.get("issue_date") or "")),
        issue_number=str(values.get("issue_number") or "").strip(),
        page_number=parse_page_number(values.get("page_number")),
        page_name=str(values.get("page_name") or "").strip(),
    )


def from_path(path: PurePath) -> PrintMeta:
    """What the path and file name say, by the documented convention."""
    stem_parts = re.split(r"[_\s]+", path.stem)
    publication, found_date, page_number, page_name = "", None, None, ""
    # Folders first (交城报/2020-10-20/03.txt), then the name's own parts
    # (交城报_20201020_03.pdf): the name wins where both say something.
    for part in [*path.parent.parts[-3:], *stem_parts]:
        part = part.strip()
        if not part:
            continue
        if _PUBLICATION_RE.match(part):
            publication = part
            continue
        match = _DATE_RE.fullmatch(part)
        if match:
            found_date = date(*(int(g) for g in match.groups()))
            continue
        if part in stem_parts:
            page = _PAGE_PART_RE.match(part)
            if page and found_date is not None and int(page.group(1)) > 0:
                page_number = int(page.group(1))
                page_name = page.group(2).strip() or page_name
            elif page_number is not None and not page_name:
                page_name = part
    return PrintMeta(
        publication=publication,
        issue_date=found_date,
        page_number=page_number,
        page_name=page_name,
    )


def read_manifest(path: Path) -> dict[str, PrintMeta]:
    """The manifest's rows by file (path relative to the manifest's folder,
    with "/" separators).  CSV needs a header row; JSON is a list of objects
    or an object mapping file → fields."""
    text = path.read_text("utf-8-sig")
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ManifestError(
                f"{path}: 不是有效的 JSON（第 {exc.lineno} 行）"
            ) from exc
        if isinstance(data, dict):
            data = [{"file": name, **values} for name, values in data.items()]
        rows = [(n, row) for n, row in enumerate(data, 1)]
    else:
        rows = list(enumerate(csv.DictReader(io.StringIO(text)), 2))
    found: dict[str, PrintMeta] = {}
    for number, row in rows:
        if not isinstance(row, dict):
            raise ManifestError(f"{path}: 第 {number} 项不是对象")
        values = {_COLUMNS.get(k.strip(), k.strip()): v for k, v in row.items() if k}
        name = str(values.get("file") or "").strip()
        if not name:
            raise ManifestError(f"{path}: 第 {number} 行没有文件名")
        try:
            found[PurePath(name).as_posix()] = from_values(values)
        except ValueError as exc:
            raise ManifestError(f"{path}: 第 {number} 行：{exc}") from exc
    return found


def find_manifest(folder: Path) -> Path | None:
    for name in MANIFEST_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


class Resolver:
    """Print data for each file of a run: given fields over the nearest
    manifest's row over the path convention.  Manifests are read once."""

    def __init__(self, given: PrintMeta | None = None):
        self.given = given or PrintMeta()
        self._manifests: dict[Path, dict[str, PrintMeta]] = {}

    def _manifest(self, folder: Path) -> dict[str, PrintMeta]:
        if folder not in self._manifests:
            found = find_manifest(folder)
            self._manifests[folder] = read_manifest(found) if found else {}
        return self._manifests[folder]

    def meta_for(self, path: Path, root: Path | None = None) -> PrintMeta:
        """`root` is the folder the run was given: manifests are looked for
        from the file's folder up to it, never above."""
        path = path.resolve()
        root = (root or path.parent).resolve()
        listed = PrintMeta()
        for folder in path.parents:
            if not folder.is_relative_to(root):
                break
            rows = self._manifest(folder)
            key = path.relative_to(folder).as_posix()
            if key in rows:
                listed = rows[key]
                break
        return self.given.over(listed.over(from_path(path)))
