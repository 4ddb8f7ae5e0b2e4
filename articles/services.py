"""Writing to the archive.  The admin, the management commands and the views
all call these functions; none of them holds this logic itself.

Services are keyword-only, named <entity>_<action>, and run in a transaction
where they write more than one row.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from people.models import Byline, Person

from . import search
from .importing import DecodeError, ParsedPage, decode_page, parse_page
from .importing.entities import Gazetteer
from .models import Article, Caption, Page, Place, Program, split_aliases
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

    @property
    def flagged(self) -> int:
        return sum(1 for a in self.articles if a.flags)


# --- gazetteer and programs -------------------------------------------------


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


# --- people -----------------------------------------------------------------


def person_get_or_create(*, name: str, affiliation: str = "") -> Person:
    name = "".join(name.split())
    person = Person.objects.filter(name=name, affiliation=affiliation).first()
    if person is None and not affiliation:
        person = Person.objects.filter(name=name).order_by("id").first()
    if person is None:
        base = pinyin_slug(name) or "person"
        person = Person.objects.create(
            name=name,
            affiliation=affiliation,
            slug=unique_slug(base, lambda s: Person.objects.filter(slug=s).exists()),
        )
    return person


# --- pages ------------------------------------------------------------------


def page_decode(*, raw: bytes, filename: str) -> str:
    """The page's text, or PageImportError naming the file and the reason."""
    limit = settings.NEWSROOM_MAX_PAGE_BYTES
    if len(raw) > limit:
        raise PageImportError(
            f"{filename}: 文件过大（{len(raw)} 字节，上限 {limit} 字节）", TOO_LARGE
        )
    try:
        return decode_page(raw)
    except DecodeError as exc:
        raise PageImportError(f"{filename}: {exc}", exc.code) from exc


def page_preview(*, raw: bytes, filename: str) -> ParsedPage:
    """Parse a page without saving anything (the admin's import preview)."""
    return parse_page(
        page_decode(raw=raw, filename=filename), gazetteer=gazetteer_current()
    )


def article_slug_for(
    *, headline: str, fallback: str = "", exclude_pk: int | None = None
) -> str:
    base = pinyin_slug(headline) or pinyin_slug(fallback, max_length=40) or "wu-biao-ti"
    if not headline:
        base = f"wu-biao-ti-{base}" if not base.startswith("wu-biao-ti") else base
        base = base[:80].rstrip("-")
    qs = Article.objects.filter(slug__startswith=base)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return unique_slug_among(base, set(qs.values_list("slug", flat=True)))


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
    wanted = {(b.name, b.affiliation) for a in parsed.articles for b in a.bylines}
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
        tags[name] = Tag.objects.create(name=name)
    content_type = ContentType.objects.get_for_model(Article)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag=tags[name], content_type=content_type, object_id=article.pk)
            for article, name in pairs
        ],
        ignore_conflicts=True,
    )


def _place_for(parsed, cache: dict) -> Place:
    if parsed.name in cache:
        return cache[parsed.name]
    place = Place.objects.filter(name=parsed.name).order_by("id").first()
    if place is None:
        parent = None
        if parsed.parent:
            parent = Place.objects.filter(name=parsed.parent).order_by("id").first()
        place = Place.objects.create(
            name=parsed.name,
            kind=parsed.kind,
            parent=parent,
            slug=place_slug(parsed.name, parent),
            is_confirmed=False,
        )
    cache[parsed.name] = place
    return place


def _program_for(name: str, confirmed: bool, cache: dict) -> Program:
    if name in cache:
        return cache[name]
    program = Program.objects.filter(name=name).first()
    if program is None:
        program = Program.objects.create(
            name=name, slug=program_slug(name), is_confirmed=confirmed
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
) -> PageImportResult:
    """Import one page file: all of it or nothing.

    The same bytes twice are skipped ("already imported").  With `replace`,
    a page imported before (same bytes, or same file name and publication)
    is parsed again: its articles that no one edited are replaced, edited
    ones are kept and reported.
    """
    sha = hashlib.sha256(raw).hexdigest()
    text = page_decode(raw=raw, filename=filename)
    existing = Page.objects.filter(sha256=sha).first()
    if existing and not replace:
        return PageImportResult(filename=filename, page=existing, status="skipped")
    if replace and existing is None:
        existing = Page.objects.filter(
            filename=filename, publication=publication
        ).first()
    parsed = parse_page(text, gazetteer=gazetteer_current())
    status = Article.Status.PUBLISHED if publish else Article.Status.REVIEW
    with transaction.atomic():
        result = PageImportResult(
            filename=filename, status="replaced" if existing else "imported"
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
            page.publication = publication or page.publication
            page.issue_date = issue_date or page.issue_date
            page.leftovers = [lo.__dict__ for lo in parsed.leftovers]
            page.save()
        else:
            page = Page.objects.create(
                filename=filename,
                sha256=sha,
                raw_text=text,
                publication=publication,
                issue_date=issue_date,
                leftovers=[lo.__dict__ for lo in parsed.leftovers],
            )
        result.page = page
        # One query each for the places, programs, people and tags the page
        # names, instead of one per mention.
        place_cache = _first_by_name(
            Place.objects.filter(
                name__in={p.name for a in parsed.articles for p in a.places}
            )
        )
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
            article = Article.objects.create(
                headline=item.headline,
                kicker=item.kicker,
                subtitle=item.subtitle,
                suggested_headline=item.suggested_headline,
                slug=article_slug_for(
                    headline=item.headline, fallback=item.suggested_headline
                ),
                body=item.body,
                kind=item.kind,
                status=status,
                pub_date=issue_date or (timezone.localdate() if publish else None),
                page=page,
                position=item.position,
                flags=item.flags,
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
            article.places.add(*{_place_for(p, place_cache) for p in item.places})
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
        search.index_articles(articles=result.articles)
    return result


# --- articles ---------------------------------------------------------------


def article_set_status(*, article: Article, status: str) -> Article:
    article.status = status
    if status == Article.Status.PUBLISHED and article.pub_date is None:
        article.pub_date = (
            article.page.issue_date if article.page else None
        ) or timezone.localdate()
    article.save(update_fields=["status", "pub_date", "updated_at"])
    return article


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
