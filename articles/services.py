"""Writing to the archive.  The admin, the management commands and the views
all call these functions; none of them holds this logic itself.

Services are keyword-only, named <entity>_<action>, and run in a transaction
where they write more than one row.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from people.models import Byline, Person

from . import issues, pagecache, pagetext, reprints, search
from .importing import DecodeError, ParsedPage, decode, parse_page
from .importing.entities import Gazetteer
from .importing.gazetteer_file import read_village_names
from .models import (
    Article,
    Caption,
    Page,
    Place,
    Program,
    RetiredSlug,
    split_aliases,
)
from .printmeta import PrintMeta
from .slugs import pinyin_slug, unique_slug, unique_slug_among


class PageImportError(Exception):
    """A page that cannot be imported; `code` names the reason."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


TOO_LARGE = "too_large"


@dataclass
class PageImportResult:
    filename: str
    page: Page | None = None
    status: str = "imported"  # imported | replaced | skipped
    articles: list[Article] = field(default_factory=list)
    captions: int = 0
    kept_edited: list[Article] = field(default_factory=list)
    # Why a skipped page was skipped: same_file (the same bytes) or
    # same_text (the same text, spaced or punctuated differently).
    skip_reason: str = ""
    # What staff should know about the file though it imported (e.g.
    # control characters removed).
    warnings: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> int:
        return sum(1 for a in self.articles if a.flags)


# --- rows two imports may create at once -------------------------------------


def _find_or_create(find, create, attempts: int = 5):
    """`find()` the row, else `create()` it.  Another import running at the
    same time may create the same row (or take the same slug) between the
    two: the unique constraint refuses ours, and we look again (a new slug is
    chosen on the next `create()`).  The savepoint keeps the page's
    transaction usable after the refusal."""
    for _ in range(attempts):
        found = find()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                return create()
        except IntegrityError:
            continue
    return find() or create()


# --- gazetteer and programs -------------------------------------------------


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
            count += len(placed)
            level = [
                (child, place)
                for node, place in placed
                for child in node.get("children", [])
            ]
    _gazetteer_cache.clear()
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


_gazetteer_cache: dict = {}
# How long another process's edits to names or aliases may go unseen (a new
# or deleted place is seen at once: it changes the count).
GAZETTEER_CACHE_SECONDS = 60


def gazetteer_current() -> Gazetteer:
    """What the parser should know: confirmed places and programs (proposed
    ones too, so a name found once is recognised on the next page), and the
    village names of the national division data.

    Reading 43,000 places takes a few hundred milliseconds, so the result is
    kept per process until the tables change: saves and deletes in this
    process clear it, and a cheap count/max-id check notices other writers."""
    key = (
        Place.objects.aggregate(n=models.Count("id"), last=models.Max("id")).values(),
        Program.objects.aggregate(n=models.Count("id"), last=models.Max("id")).values(),
    )
    key = tuple(tuple(v) for v in key)
    cached = _gazetteer_cache.get("current")
    now = timezone.now().timestamp()
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
    next page knows it) instead of making every page read 43,000 rows."""
    cached = _gazetteer_cache.get("current")
    if not (created and cached):
        _gazetteer_cache.clear()
        return
    ((count, last), programs), when, gazetteer = cached
    parent = Place.objects.filter(pk=instance.parent_id).values_list("name").first()
    gazetteer.add_place(instance.name, instance.kind, parent[0] if parent else None)
    for alias in instance.alias_list():
        gazetteer.add_alias(alias, instance.name)
    key = ((count + 1, max(last or 0, instance.pk)), programs)
    _gazetteer_cache["current"] = (key, when, gazetteer)


@receiver(post_save, sender=Program)
def _program_saved(instance, created, **kwargs) -> None:
    cached = _gazetteer_cache.get("current")
    if not (created and cached):
        _gazetteer_cache.clear()
        return
    (places, (count, last)), when, gazetteer = cached
    gazetteer.programs[instance.name] = instance.alias_list()
    key = (places, (count + 1, max(last or 0, instance.pk)))
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


# --- people -----------------------------------------------------------------


def person_get_or_create(*, name: str, affiliation: str = "") -> Person:
    name = "".join(name.split())

    def find():
        person = Person.objects.filter(name=name, affiliation=affiliation).first()
        if person is None and not affiliation:
            person = Person.objects.filter(name=name).order_by("id").first()
        return person

    def create():
        base = pinyin_slug(name) or "person"
        return Person.objects.create(
            name=name,
            affiliation=affiliation,
            slug=unique_slug(base, lambda s: Person.objects.filter(slug=s).exists()),
        )

    return _find_or_create(find, create)


# --- pages ------------------------------------------------------------------


def page_decode(*, raw: bytes, filename: str) -> tuple[str, list[str]]:
    """The page's text and warnings about the file, or PageImportError
    naming the file and the reason."""
    limit = settings.NEWSROOM_MAX_PAGE_BYTES
    if len(raw) > limit:
        raise PageImportError(
            f"{filename}: 文件过大（{len(raw)} 字节，上限 {limit} 字节）", TOO_LARGE
        )
    try:
        decoded = decode(raw)
    except DecodeError as exc:
        raise PageImportError(f"{filename}: {exc}", exc.code) from exc
    warnings = []
    if decoded.removed_controls:
        warnings.append(
            f"{filename}: 已删除控制字符 {decoded.removed_controls} 个"
            "（如 NUL；文件可能损坏，请核对原文）"
        )
    return decoded.text, warnings


def page_text(*, raw: bytes, filename: str) -> tuple[str, list[str]]:
    """A page file's text: decoded text, or a PDF's text layer."""
    if issues.original_kind(raw) != ".pdf":
        return page_decode(raw=raw, filename=filename)
    try:
        return issues.page_text_from_pdf(raw=raw, filename=filename), []
    except issues.OriginalError as exc:
        raise PageImportError(str(exc), exc.code) from exc


def page_preview(*, raw: bytes, filename: str) -> tuple[ParsedPage, list[str]]:
    """Parse a page without saving anything (the admin's import preview);
    with the warnings the import would give."""
    text, warnings = page_text(raw=raw, filename=filename)
    return parse_page(text, gazetteer=gazetteer_current()), warnings


def article_slug_for(
    *, headline: str, fallback: str = "", exclude_pk: int | None = None
) -> str:
    base = pinyin_slug(headline) or pinyin_slug(fallback, max_length=40) or "wu-biao-ti"
    if not headline:
        base = f"wu-biao-ti-{base}" if not base.startswith("wu-biao-ti") else base
        base = base[:80].rstrip("-")
    qs = Article.objects.filter(slug__startswith=base)
    # An address an article had once still leads to it: never reused, except
    # by that same article going back to it.
    retired = RetiredSlug.objects.filter(slug__startswith=base)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
        retired = retired.exclude(article_id=exclude_pk)
    taken = set(qs.values_list("slug", flat=True))
    taken |= set(retired.values_list("slug", flat=True))
    return unique_slug_among(base, taken)


def _slug_follows_headline(article: Article) -> None:
    """A fixed headline gives a new slug (unless staff typed one in the same
    save); the slug it replaces is kept so the old address redirects."""
    stored = (
        Article.objects.filter(pk=article.pk).values("headline", "slug").first()
        if article.pk
        else None
    )
    if stored is None:
        return
    if (
        article.headline
        and article.headline != stored["headline"]
        and article.slug == stored["slug"]
    ):
        article.slug = article_slug_for(
            headline=article.headline, exclude_pk=article.pk
        )
    if article.slug != stored["slug"]:
        RetiredSlug.objects.filter(slug=article.slug, article=article).delete()
        RetiredSlug.objects.get_or_create(
            slug=stored["slug"], defaults={"article": article}
        )


def _first_by_name(queryset) -> dict:
    found: dict = {}
    for obj in queryset.order_by("id"):
        found.setdefault(obj.name, obj)
    return found


def _unique_bylines(bylines):
    seen = set()
    for byline in bylines:
        key = (byline.name, byline.role)
        if key not in seen:
            seen.add(key)
            yield byline


def _people_for(parsed: ParsedPage) -> dict:
    """(name, affiliation) → Person for every byline on the page."""
    # Sorted: two imports creating the same people do it in the same order,
    # so one waits for the other instead of each waiting for the other.
    wanted = sorted(
        {(b.name, b.affiliation) for a in parsed.articles for b in a.bylines}
    )
    existing: dict = {}
    for person in Person.objects.filter(name__in={n for n, _ in wanted}).order_by("id"):
        existing.setdefault((person.name, person.affiliation), person)
        existing.setdefault((person.name, None), person)
    people = {}
    for name, affiliation in wanted:
        person = existing.get((name, affiliation)) or (
            None if affiliation else existing.get((name, None))
        )
        people[(name, affiliation)] = person or person_get_or_create(
            name=name, affiliation=affiliation
        )
    return people


def _tag_articles(pairs: list[tuple[Article, str]]) -> None:
    """Tag new articles in bulk: taggit's add() costs two queries a tag."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    if not pairs:
        return
    names = {name for _, name in pairs}
    tags = {t.name: t for t in Tag.objects.filter(name__in=names)}
    for name in sorted(names - tags.keys()):
        tags[name] = _find_or_create(
            lambda name=name: Tag.objects.filter(name__iexact=name).first(),
            lambda name=name: Tag.objects.create(name=name),
        )
    content_type = ContentType.objects.get_for_model(Article)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag=tags[name], content_type=content_type, object_id=article.pk)
            for article, name in pairs
        ],
        ignore_conflicts=True,
    )


def _places_named(names: set[str]) -> dict:
    """name → every place of that name with its parent's name, oldest first
    (城关镇 is the name of hundreds of towns)."""
    found: dict = {}
    rows = Place.objects.filter(name__in=names).select_related("parent")
    for place in rows.order_by("id"):
        found.setdefault(place.name, []).append(place)
    return found


def _place_for(parsed, cache: dict, siblings=()) -> Place:
    """The place the parser means: the one under the parent it names, else
    the oldest of that name; a name not known yet is proposed (unconfirmed)
    under the parent the text names."""
    same_name = cache.setdefault(parsed.name, [])
    for place in same_name:
        if parsed.parent is None or (
            place.parent is not None and place.parent.name == parsed.parent
        ):
            return place
    if same_name and (parsed.known or parsed.parent is None):
        return same_name[0]
    parent = None
    if parsed.parent:
        # 西营镇 is the name of four towns: the one under the county the
        # article names (the parser's parent of the parent).
        grand = next((p.parent for p in siblings if p.name == parsed.parent), None)
        named = Place.objects.filter(name=parsed.parent).order_by("id")
        parent = (grand and named.filter(parent__name=grand).first()) or named.first()
        if parent is not None:
            for place in same_name:
                if place.parent_id == parent.pk:
                    return place
    elif same_name:
        return same_name[0]
    # Another import running at the same time may propose the same place:
    # found under the same parent, or created once (see _find_or_create).
    place = _find_or_create(
        lambda: (
            Place.objects.filter(name=parsed.name, parent=parent).order_by("id").first()
        ),
        lambda: Place.objects.create(
            name=parsed.name,
            kind=parsed.kind,
            parent=parent,
            slug=place_slug(parsed.name, parent),
            is_confirmed=False,
        ),
    )
    same_name.append(place)
    return place


def _program_for(name: str, confirmed: bool, cache: dict) -> Program:
    if name in cache:
        return cache[name]
    program = _find_or_create(
        lambda: Program.objects.filter(name=name).first(),
        lambda: Program.objects.create(
            name=name, slug=program_slug(name), is_confirmed=confirmed
        ),
    )
    cache[name] = program
    return program


def page_import(
    *,
    raw: bytes,
    filename: str,
    publication: str = "",
    issue_date: date | None = None,
    publish: bool = False,
    replace: bool = False,
    meta: PrintMeta | None = None,
) -> PageImportResult:
    """Import one page file: all of it or nothing.

    The same bytes twice are skipped ("already imported").  With `replace`,
    a page imported before (same bytes, or same file name and publication)
    is parsed again: its articles that no one edited are replaced, edited
    ones are kept and reported.  `meta` says where the page was printed
    (publication, date, 期号, 版次, 版名; see printmeta.py); a PDF is kept as
    the page's original with a picture of it.
    """
    meta = PrintMeta(publication=publication, issue_date=issue_date).over(
        meta or PrintMeta()
    )
    publication, issue_date = meta.publication, meta.issue_date
    sha = hashlib.sha256(raw).hexdigest()
    text, warnings = page_text(raw=raw, filename=filename)
    text_hash = pagetext.text_hash(text)
    existing = Page.objects.filter(sha256=sha).first()
    if existing and not replace:
        return PageImportResult(
            filename=filename, page=existing, status="skipped", skip_reason="same_file"
        )
    if existing is None:
        existing = Page.objects.filter(text_hash=text_hash).order_by("id").first()
        if existing and not replace:
            return PageImportResult(
                filename=filename,
                page=existing,
                status="skipped",
                skip_reason="same_text",
                warnings=warnings,
            )
    if replace and existing is None:
        existing = Page.objects.filter(
            filename=filename, publication=publication
        ).first()
    parsed = parse_page(text, gazetteer=gazetteer_current())
    status = Article.Status.PUBLISHED if publish else Article.Status.REVIEW
    with transaction.atomic():
        result = PageImportResult(
            filename=filename,
            status="replaced" if existing else "imported",
            warnings=warnings,
        )
        kept_positions: set[int] = set()
        if existing:
            page = existing
            kept = list(page.articles.filter(is_edited=True))
            result.kept_edited = kept
            kept_positions = {a.position for a in kept}
            stale = page.articles.filter(is_edited=False)
            search.index_remove(article_ids=list(stale.values_list("id", flat=True)))
            stale.delete()
            page.captions.filter(
                Q(article__isnull=True) | Q(article__is_edited=False)
            ).delete()
            page.sha256, page.raw_text, page.filename = sha, text, filename
            page.text_hash = text_hash
            page.publication = publication or page.publication
            page.issue_date = issue_date or page.issue_date
            page.leftovers = [lo.__dict__ for lo in parsed.leftovers]
            page.save()
        else:
            try:
                with transaction.atomic():
                    page = Page.objects.create(
                        filename=filename,
                        sha256=sha,
                        text_hash=text_hash,
                        raw_text=text,
                        publication=publication,
                        issue_date=issue_date,
                        leftovers=[lo.__dict__ for lo in parsed.leftovers],
                    )
            except IntegrityError:
                # Another import of the same bytes committed while this one
                # parsed (the constraint waited for it): already imported.
                page = Page.objects.filter(sha256=sha).first()
                if page is None:
                    raise
                return PageImportResult(
                    filename=filename,
                    page=page,
                    status="skipped",
                    skip_reason="same_file",
                    warnings=warnings,
                )
        result.page = page
        # One query each for the places, programs, people and tags the page
        # names, instead of one per mention.
        place_cache = _places_named({p.name for a in parsed.articles for p in a.places})
        program_cache = _first_by_name(
            Program.objects.filter(
                name__in={
                    n for a in parsed.articles for n in (*a.programs, *a.new_programs)
                }
            )
        )
        people = _people_for(parsed)
        tagged: list[tuple[Article, str]] = []
        by_index: dict[int, Article] = {}
        for index, item in enumerate(parsed.articles):
            if item.position in kept_positions:
                continue
            # Another import may take the same slug meanwhile: a new one is
            # chosen on the retry.
            article = _find_or_create(
                lambda: None,
                lambda item=item: Article.objects.create(
                    headline=item.headline,
                    kicker=item.kicker,
                    subtitle=item.subtitle,
                    suggested_headline=item.suggested_headline,
                    slug=article_slug_for(
                        headline=item.headline, fallback=item.suggested_headline
                    ),
                    body=item.body,
                    byline_text=item.byline_text[:300],
                    kind=item.kind,
                    status=status,
                    # The print date, or none: never the day of the import.
                    pub_date=page.issue_date,
                    page=page,
                    position=item.position,
                    flags=item.flags,
                ),
            )
            Byline.objects.bulk_create(
                Byline(
                    article=article,
                    person=people[(b.name, b.affiliation)],
                    role=b.role,
                    order=order,
                )
                for order, b in enumerate(_unique_bylines(item.bylines))
            )
            article.places.add(
                *{_place_for(p, place_cache, item.places) for p in item.places}
            )
            programs = [_program_for(n, True, program_cache) for n in item.programs]
            programs += [
                _program_for(n, False, program_cache) for n in item.new_programs
            ]
            article.programs.add(*set(programs))
            tagged.extend((article, name) for name in item.tags)
            by_index[index] = article
            result.articles.append(article)
        _tag_articles(tagged)
        for caption in parsed.captions:
            Caption.objects.create(
                text=caption.text,
                page=page,
                article=by_index.get(caption.article_index)
                if caption.article_index is not None
                else None,
                position=caption.position,
            )
            result.captions += 1
        # The import says itself what the public sees change (below).
        issues.page_set_print(page=page, meta=meta, keep=bool(existing), announce=False)
        if issues.original_kind(raw) == ".pdf":
            issues.page_attach_original(
                page=page, raw=raw, filename=filename, announce=False
            )
        search.index_articles(articles=result.articles)
        reprints.reprints_index(articles=result.articles)
        if existing:
            transaction.on_commit(public_changed)
        elif publish:
            transaction.on_commit(public_grew)
    return result


# --- articles ---------------------------------------------------------------


def article_export_row(article: Article) -> dict:
    """One line of `export_articles`: the article and everything linked."""
    return {
        "id": article.pk,
        "slug": article.slug,
        "headline": article.headline,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "suggested_headline": article.suggested_headline,
        "body": article.body,
        "byline_text": article.byline_text,
        "kind": article.kind,
        "status": article.status,
        "pub_date": article.pub_date.isoformat() if article.pub_date else None,
        "bylines": [
            {"name": b.person.name, "role": b.role, "affiliation": b.person.affiliation}
            for b in article.bylines.all()
        ],
        "places": [p.name for p in article.places.all()],
        "programs": [p.name for p in article.programs.all()],
        "tags": [t.name for t in article.tags.all()],
        "captions": [c.text for c in article.captions.all()],
        "source": article.page.filename if article.page else None,
        "publication": article.page.publication if article.page else "",
        "position": article.position,
        "flags": list(article.flags),
        "is_edited": article.is_edited,
    }


def article_import_row(*, row: dict) -> Article:
    """Load one exported line back (`import_articles`); the slug is kept when
    it is free.  Places and programs are matched by name or created."""
    with transaction.atomic():
        page = None
        if row.get("source"):
            page = Page.objects.filter(filename=row["source"]).order_by("id").first()
        slug = row.get("slug") or ""
        if not slug or Article.objects.filter(slug=slug).exists():
            slug = article_slug_for(
                headline=row.get("headline", ""),
                fallback=row.get("suggested_headline", ""),
            )
        article = Article.objects.create(
            headline=row.get("headline", ""),
            kicker=row.get("kicker", ""),
            subtitle=row.get("subtitle", ""),
            suggested_headline=row.get("suggested_headline", ""),
            slug=slug,
            body=row["body"],
            byline_text=row.get("byline_text", ""),
            kind=row.get("kind", Article.Kind.ARTICLE),
            status=row.get("status", Article.Status.REVIEW),
            pub_date=date.fromisoformat(row["pub_date"])
            if row.get("pub_date")
            else None,
            page=page,
            position=row.get("position", 0),
            flags=row.get("flags", []),
            is_edited=row.get("is_edited", False),
        )
        for order, b in enumerate(row.get("bylines", [])):
            person = person_get_or_create(
                name=b["name"], affiliation=b.get("affiliation", "")
            )
            Byline.objects.get_or_create(
                article=article,
                person=person,
                role=b["role"],
                defaults={"order": order},
            )
        places = []
        for name in row.get("places", []):
            place = Place.objects.filter(name=name).order_by(
                "id"
            ).first() or Place.objects.create(
                name=name, slug=place_slug(name, None), is_confirmed=False
            )
            places.append(place)
        article.places.set(places)
        article.programs.set(
            [
                Program.objects.filter(name=n).first() or _program_for(n, False, {})
                for n in row.get("programs", [])
            ]
        )
        article.tags.set(row.get("tags", []))
        for position, text in enumerate(row.get("captions", [])):
            Caption.objects.create(
                text=text, article=article, page=page, position=position
            )
        search.index_articles(articles=[article])
    return article


__all__ = [
    "PageImportError",
    "PageImportResult",
    "article_export_row",
    "article_import_row",
    "article_set_status",
    "article_publish",
    "article_unpublish",
    "article_submit",
    "article_save",
    "article_merge",
    "article_split",
    "article_set_headline",
    "article_mark_reviewed",
    "caption_move",
    "person_merge",
    "place_merge",
    "program_merge",
    "entity_confirm",
    "entity_reject",
    "WorkflowError",
    "article_slug_for",
    "gazetteer_current",
    "gazetteer_load",
    "page_decode",
    "page_import",
    "page_preview",
    "person_get_or_create",
    "programs_load",
    "split_aliases",
]


# --- staff workflow -------------------------------------------------------------
#
# Every operation staff can run lives here, checks the user's permission
# itself (so no route around the admin can skip it), runs in one
# transaction, keeps the search index current and leaves a revision.


class WorkflowError(Exception):
    """An operation refused; `code` names why (for tests and messages)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


CONFLICT = "conflict"
FORBIDDEN = "forbidden"
INVALID = "invalid"


def _require(user, perm: str) -> None:
    if user is None or not user.has_perm(perm):
        raise WorkflowError("没有权限执行此操作", FORBIDDEN)


def _locked_statuses(*articles: Article) -> dict[int, str]:
    """The stored status of each article, rows locked for the transaction:
    rights follow what the database holds, not a possibly stale object."""
    return dict(
        Article.objects.select_for_update()
        .filter(pk__in=[a.pk for a in articles if a is not None])
        .values_list("pk", "status")
    )


def _require_public_change(user) -> None:
    """Text moving onto or off the public site is publishing (审核's right),
    whichever tool moves it; an edit in place of a published article is a
    correction and stays an editor's (编辑) job, as on the change form."""
    _require(user, "articles.publish_article")


def _same_page(article: Article, other: Article) -> None:
    if article.page_id is None or article.page_id != other.page_id:
        raise WorkflowError("只能与同一版面上的稿件合并或调整", INVALID)


def public_changed() -> None:
    """What the public may see changed: no cached public page is good any
    more (see pagecache: nothing is deleted, a version moves on)."""
    pagecache.everything_changed()


def public_grew() -> None:
    """Published articles were only added: the cached article pages stay,
    the lists show them within NEWSROOM_LISTING_DELAY seconds."""
    pagecache.listings_grew()


def _saved(
    article: Article, user, reason: str, fields: list[str] | None = None
) -> Article:
    """Save as a staff edit: version bumped, marked edited, revision kept
    with who and why, search index updated."""
    article.version += 1
    article.is_edited = True
    article._history_user = user
    article._change_reason = reason
    if fields is not None:
        fields = [*fields, "version", "is_edited", "updated_at"]
    article.save(update_fields=fields)
    search.index_articles(articles=[article])
    transaction.on_commit(public_changed)
    return article


def article_save(
    *, article: Article, user, expected_version: int | None = None, reason: str = "编辑"
) -> Article:
    """Save an edited article, refusing to overwrite someone else's newer
    save (optimistic locking on `version`) and a status change the user may
    not make."""
    _require(user, "articles.change_article")
    with transaction.atomic():
        current = (
            Article.objects.select_for_update()
            .filter(pk=article.pk)
            .values("version", "status")
            .first()
        )
        if current is not None:
            if expected_version is not None and current["version"] != expected_version:
                raise WorkflowError(
                    "保存失败：在您编辑期间，这篇稿件已被他人修改并保存。请复制您的修改，刷新页面后再改。",
                    CONFLICT,
                )
            published = Article.Status.PUBLISHED
            if (current["status"] == published) != (article.status == published):
                _require(user, "articles.publish_article")
            article.version = current["version"]
        elif article.status == Article.Status.PUBLISHED:
            _require(user, "articles.publish_article")
        if not article.slug:
            article.slug = article_slug_for(
                headline=article.headline,
                fallback=article.suggested_headline or article.body[:20],
            )
        _slug_follows_headline(article)
        return _saved(article, user, reason)


def article_publish(*, article: Article, user) -> Article:
    _require(user, "articles.publish_article")
    with transaction.atomic():
        article.status = Article.Status.PUBLISHED
        if article.pub_date is None:
            # An article from a page has the page's date or none (日期不详);
            # one written in the admin is dated the day it is published.
            article.pub_date = (
                article.page.issue_date if article.page else timezone.localdate()
            )
        return _saved(article, user, "发布", ["status", "pub_date"])


def article_unpublish(*, article: Article, user) -> Article:
    _require(user, "articles.publish_article")
    with transaction.atomic():
        article.status = Article.Status.DRAFT
        return _saved(article, user, "撤回发布", ["status"])


def article_submit(*, article: Article, user) -> Article:
    """Draft → waiting for review (an editor's step)."""
    _require(user, "articles.change_article")
    if article.status == Article.Status.PUBLISHED:
        _require(user, "articles.publish_article")
    with transaction.atomic():
        article.status = Article.Status.REVIEW
        return _saved(article, user, "送审", ["status"])


def article_set_status(*, article: Article, status: str, user=None) -> Article:
    """The admin's bulk actions: one entry point for the three statuses."""
    if status == Article.Status.PUBLISHED:
        return article_publish(article=article, user=user)
    if status == Article.Status.REVIEW:
        return article_submit(article=article, user=user)
    if article.status == Article.Status.PUBLISHED:
        return article_unpublish(article=article, user=user)
    _require(user, "articles.change_article")
    with transaction.atomic():
        article.status = Article.Status.DRAFT
        return _saved(article, user, "改为草稿", ["status"])


def article_mark_reviewed(
    *, article: Article, user, flag: str | None = None
) -> Article:
    """Clear one review flag, or all of them."""
    _require(user, "articles.change_article")
    with transaction.atomic():
        article.flags = [f for f in article.flags if flag is not None and f != flag]
        return _saved(
            article, user, "已核查" + (f"：{flag}" if flag else ""), ["flags"]
        )


def page_headline_lines(page: Page) -> list[str]:
    """The headline lines the importer could not give to any article."""
    return [item["text"] for item in page.leftovers if item.get("kind") == "headline"]


def article_set_headline(
    *,
    article: Article,
    headline: str,
    user,
    kicker: str | None = None,
    subtitle: str | None = None,
) -> Article:
    """Give an article a headline; one taken from its page's unassigned
    headline lines leaves that list."""
    _require(user, "articles.change_article")
    headline = headline.strip()
    if not headline:
        raise WorkflowError("标题不能为空", INVALID)
    with transaction.atomic():
        article.headline = headline
        if kicker is not None:
            article.kicker = kicker
        if subtitle is not None:
            article.subtitle = subtitle
        article.flags = [
            f
            for f in article.flags
            if f not in (Article.Flag.NO_HEADLINE, Article.Flag.WEAK_HEADLINE)
        ]
        _slug_follows_headline(article)
        if article.page_id:
            page = Page.objects.select_for_update().get(pk=article.page_id)
            leftovers, taken = [], False
            for item in page.leftovers:
                if (
                    not taken
                    and item.get("kind") == "headline"
                    and item.get("text") == headline
                ):
                    taken = True
                    continue
                leftovers.append(item)
            if taken:
                page.leftovers = leftovers
                page.save(update_fields=["leftovers"])
        return _saved(article, user, "设置标题")


def article_split(*, article: Article, at: int, user) -> Article:
    """Split an article before paragraph `at` (0-based); the second part
    becomes a new article right after it on the page.  Returns it."""
    _require(user, "articles.change_article")
    _require(user, "articles.add_article")
    paragraphs = article.paragraphs()
    if not 0 < at < len(paragraphs):
        raise WorkflowError(f"只能在第 2 到第 {len(paragraphs)} 段之前拆分", INVALID)
    with transaction.atomic():
        # The second part of a published article goes back to review: that
        # takes text off the public site.
        if _locked_statuses(article).get(article.pk) == Article.Status.PUBLISHED:
            _require_public_change(user)
        later = Article.objects.filter(
            page_id=article.page_id, position__gt=article.position
        )
        if article.page_id:
            later.update(position=models.F("position") + 1)
        second = Article.objects.create(
            body="\n\n".join(paragraphs[at:]),
            suggested_headline=_first_sentence(paragraphs[at]),
            slug=article_slug_for(headline="", fallback=paragraphs[at][:20]),
            kind=article.kind,
            status=Article.Status.REVIEW
            if article.status == Article.Status.PUBLISHED
            else article.status,
            pub_date=article.pub_date,
            page=article.page,
            position=article.position + 1,
            flags=[Article.Flag.NO_HEADLINE],
            is_edited=True,
        )
        second.places.set(article.places.all())
        second.programs.set(article.programs.all())
        article.body = "\n\n".join(paragraphs[:at])
        _saved(article, user, f"在第 {at + 1} 段前拆分", ["body"])
        search.index_articles(articles=[second])
    return second


def _first_sentence(text: str) -> str:
    return re.split(r"[。！？]", text, maxsplit=1)[0][:30]


def article_merge(*, first: Article, second: Article, user) -> Article:
    """Join `second` onto the end of `first` (a continuation): body,
    bylines, captions, places, programs and tags move; `second` goes."""
    # Merging is editing: the second article's text lives on in the first.
    _require(user, "articles.change_article")
    if first.pk == second.pk:
        raise WorkflowError("不能与自身合并", INVALID)
    _same_page(first, second)
    with transaction.atomic():
        statuses = _locked_statuses(first, second)
        if len(statuses) != 2:
            raise WorkflowError("稿件已不存在", INVALID)
        published = Article.Status.PUBLISHED
        if statuses[second.pk] == published:
            # `second` leaves the public site and is deleted.
            _require_public_change(user)
            _require(user, "articles.delete_article")
        elif statuses[first.pk] == published:
            # Unreviewed text would go live inside `first`.
            _require_public_change(user)
        first.body = "\n\n".join(p for p in (first.body, second.body) if p)
        if not first.headline and second.headline:
            first.headline, first.kicker, first.subtitle = (
                second.headline,
                second.kicker,
                second.subtitle,
            )
        order = first.bylines.count()
        for byline in second.bylines.select_related("person").order_by("order"):
            if not first.bylines.filter(
                person=byline.person, role=byline.role
            ).exists():
                Byline.objects.create(
                    article=first, person=byline.person, role=byline.role, order=order
                )
                order += 1
        second.captions.update(article=first)
        first.places.add(*second.places.all())
        first.programs.add(*second.programs.all())
        first.tags.add(*second.tags.all())
        first.flags = list(dict.fromkeys([*first.flags, *second.flags]))
        search.index_remove(article_ids=[second.pk])
        second.delete()
        return _saved(first, user, f"合并了“{second}”")


def caption_save(*, caption: Caption, user) -> Caption:
    """Save a caption (new text, or moved to another article); the search
    text of the article it left and the one it joined is updated."""
    _require(user, "articles.change_caption" if caption.pk else "articles.add_caption")
    with transaction.atomic():
        before = (
            Caption.objects.filter(pk=caption.pk)
            .values_list("article_id", flat=True)
            .first()
        )
        if caption.article_id is not None and caption.article_id != before:
            target = Article.objects.only("page_id").get(pk=caption.article_id)
            if caption.page_id is not None and target.page_id != caption.page_id:
                raise WorkflowError("图片说明只能归属同一版面上的稿件", INVALID)
        if caption.pk and caption.article_id != before:
            statuses = _locked_statuses(
                *Article.objects.filter(pk__in={before, caption.article_id} - {None})
            )
            if Article.Status.PUBLISHED in statuses.values():
                # The caption's text appears on, or leaves, a public page.
                _require_public_change(user)
        caption.save()
        touched = {before, caption.article_id} - {None}
        search.index_articles(articles=Article.objects.filter(pk__in=touched))
    return caption


def caption_move(*, caption: Caption, article: Article | None, user) -> Caption:
    caption.article = article
    return caption_save(caption=caption, user=user)


def caption_delete(*, caption: Caption, user) -> None:
    _require(user, "articles.delete_caption")
    with transaction.atomic():
        article_id = caption.article_id
        caption.delete()
        search.index_articles(articles=Article.objects.filter(pk=article_id))


def page_exists(*, raw: bytes) -> bool:
    """Imported already: the same bytes, or the same text (pagetext.py)."""
    if Page.objects.filter(sha256=hashlib.sha256(raw).hexdigest()).exists():
        return True
    try:
        text, _ = page_decode(raw=raw, filename="")
    except PageImportError:
        return False
    return Page.objects.filter(text_hash=pagetext.text_hash(text)).exists()


def _merge_aliases(keep, remove) -> str:
    names = [*keep.alias_list(), remove.name, *remove.alias_list()]
    return "，".join(dict.fromkeys(n for n in names if n and n != keep.name))


def person_merge(*, keep: Person, remove: Person, user) -> Person:
    """One person printed two ways: every byline moves to `keep`, the other
    name stays as an alias."""
    _require(user, "people.change_person")
    _require(user, "people.delete_person")
    if keep.pk == remove.pk:
        raise WorkflowError("不能与自身合并", INVALID)
    with transaction.atomic():
        touched = set(remove.bylines.values_list("article_id", flat=True))
        for byline in remove.bylines.all():
            if Byline.objects.filter(
                article_id=byline.article_id, person=keep, role=byline.role
            ).exists():
                byline.delete()
            else:
                byline.person = keep
                byline.save(update_fields=["person"])
        keep.aliases = _merge_aliases(keep, remove)
        keep.affiliation = keep.affiliation or remove.affiliation
        keep.save()
        remove.delete()
        search.index_articles(articles=Article.objects.filter(pk__in=touched))
    return keep


def place_merge(*, keep: Place, remove: Place, user) -> Place:
    _require(user, "articles.change_place")
    _require(user, "articles.delete_place")
    if (
        keep.pk == remove.pk
        or keep.pk in _place_ancestor_ids(remove)
        or remove.pk in _place_ancestor_ids(keep)
    ):
        raise WorkflowError("不能合并一个地名与它自身或它的上下级", INVALID)
    with transaction.atomic():
        for article in remove.articles.all():
            article.places.add(keep)
        remove.children.update(parent=keep)
        keep.aliases = _merge_aliases(keep, remove)
        keep.is_confirmed = keep.is_confirmed or remove.is_confirmed
        keep.save()
        remove.delete()
    return keep


def _place_ancestor_ids(place: Place) -> set[int]:
    return {p.pk for p in place.ancestors()}


def program_merge(*, keep: Program, remove: Program, user) -> Program:
    _require(user, "articles.change_program")
    _require(user, "articles.delete_program")
    if keep.pk == remove.pk:
        raise WorkflowError("不能与自身合并", INVALID)
    with transaction.atomic():
        for article in remove.articles.all():
            article.programs.add(keep)
        keep.aliases = _merge_aliases(keep, remove)
        keep.is_confirmed = keep.is_confirmed or remove.is_confirmed
        keep.save()
        remove.delete()
    return keep


def entity_confirm(*, obj: Place | Program, user) -> None:
    _require(user, f"articles.change_{obj._meta.model_name}")
    obj.is_confirmed = True
    obj.save(update_fields=["is_confirmed"])
    flag = (
        Article.Flag.NEW_PLACE if isinstance(obj, Place) else Article.Flag.NEW_PROGRAM
    )
    _clear_flag_if_all_confirmed(obj.articles.all(), flag)


def entity_reject(*, obj: Place | Program, user) -> None:
    """A proposed place or program that is not one: unlinked and deleted."""
    _require(user, f"articles.delete_{obj._meta.model_name}")
    if obj.is_confirmed:
        raise WorkflowError("已确认的条目不能驳回，请用删除", INVALID)
    with transaction.atomic():
        articles = list(obj.articles.all())
        if isinstance(obj, Place):
            obj.children.update(parent=obj.parent)
        obj.delete()
        flag = (
            Article.Flag.NEW_PLACE
            if isinstance(obj, Place)
            else Article.Flag.NEW_PROGRAM
        )
        _clear_flag_if_all_confirmed(articles, flag)


def _clear_flag_if_all_confirmed(articles, flag: str) -> None:
    for article in articles:
        related = article.places if flag == Article.Flag.NEW_PLACE else article.programs
        if flag in article.flags and not related.filter(is_confirmed=False).exists():
            article.flags = [f for f in article.flags if f != flag]
            article.save(update_fields=["flags", "updated_at"])
