"""Importing a page file: decode, parse, and store its articles, captions,
bylines, places, programs and tags — all of it or nothing.

Longer than the ~400 lines a module keeps to: `page_import` is one
transaction from bytes to stored page (tried again when it collides with
another import's), and the helpers it alone uses (people, places,
programs, tags for one page; whether a page was imported already) stand
beside it rather than in modules no one else would import."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q

from people.models import Byline, Person
from people.services import person_get_or_create

from .. import changes, issues, pagetext, printmeta, reprints, search
from ..importing import DecodeError, ParsedPage, decode, parse_page
from ..importing.codes import CodedError
from ..models import Article, Caption, Page, Place, Program
from ..printmeta import PrintMeta
from ..rows import insert_rows
from .common import find_or_create, public_changed, public_grew, require
from .entities import program_find_or_create
from .gazetteer import gazetteer_current, gazetteer_recheck, place_slug
from .names import names_added, names_follow
from .page_articles import NewArticle, articles_create, articles_record_created
from .snapshots import article_snapshots


class PageImportError(CodedError):
    """A page that cannot be imported; `code` names the reason."""


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
    # A replaced page: what changed, article by article (changes.py).
    changes: dict = field(default_factory=dict)

    @property
    def flagged(self) -> int:
        return sum(1 for a in self.articles if a.flags)


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


def page_exists(
    *,
    raw: bytes,
    filename: str = "",
    publication: str = "",
    issue_date: date | None = None,
) -> bool:
    """Imported already, as `page_import` would find: the same bytes, or the
    same text (pagetext.py) in the same printing (the options given, else
    what the file's name says)."""
    if Page.objects.filter(sha256=hashlib.sha256(raw).hexdigest()).exists():
        return True
    try:
        text, _ = page_decode(raw=raw, filename=filename)
    except PageImportError:
        return False
    meta = PrintMeta(publication=publication, issue_date=issue_date).over(
        printmeta.from_path(PurePath(filename))
    )
    return _same_text_page(pagetext.text_hash(text), meta) is not None


def _same_text_page(text_hash: str, meta: PrintMeta) -> Page | None:
    """The first imported page with this text that may be this printing."""
    pages = Page.objects.filter(text_hash=text_hash).order_by("id")
    fields = ("publication", "issue_date", "page_number")
    return next(
        (page for page in pages.only(*fields) if _same_printing(page, meta)), None
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
        # taggit matches names case-insensitively; a name with no letter
        # case (Chinese) is looked up exactly, on the index, not compared
        # with every tag's name.
        same = {"name__iexact" if name.lower() != name.upper() else "name": name}
        tags[name] = find_or_create(
            lambda same=same: Tag.objects.filter(**same).first(),
            lambda name=name: Tag.objects.create(name=name),
        )
    content_type = ContentType.objects.get_for_model(Article)
    insert_rows(
        TaggedItem,
        ["tag", "content_type", "object_id"],
        [(tags[name].pk, content_type.pk, article.pk) for article, name in pairs],
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
    place = find_or_create(
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


def _same_printing(page: Page, meta: PrintMeta) -> bool:
    """Could `page` be the printing `meta` describes?  The same text printed
    in another paper, issue or page (notices run again word for word) is a
    printed page of its own; only print data that differ say so."""
    return all(
        not (ours and theirs) or ours == theirs
        for ours, theirs in (
            (meta.publication, page.publication),
            (meta.issue_date, page.issue_date),
            (meta.page_number, page.page_number),
        )
    )


# How often a page is imported again when its transaction collided with
# another import's: a deadlock, or a foreign key checked at commit (the
# other import replaced a page and deleted an article this one linked as a
# reprint).  The second attempt sees what the other committed.
IMPORT_ATTEMPTS = 3
# PostgreSQL's codes: deadlock; foreign key and unique checks at commit.
# (SQLite has one writer at a time: its imports never collide.)
_COLLISIONS = {"40P01", "23503", "23505"}


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
    # Inside a caller's transaction a failed attempt cannot be undone alone.
    attempts = 1 if connection.in_atomic_block else IMPORT_ATTEMPTS
    for attempt in range(attempts):
        try:
            return _page_import(
                raw=raw,
                filename=filename,
                publication=publication,
                issue_date=issue_date,
                publish=publish,
                replace=replace,
                meta=meta,
            )
        except (IntegrityError, OperationalError) as exc:
            collided = getattr(exc.__cause__, "sqlstate", None) in _COLLISIONS
            if not collided or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _page_import(
    *,
    raw: bytes,
    filename: str,
    publication: str,
    issue_date: date | None,
    publish: bool,
    replace: bool,
    meta: PrintMeta | None,
) -> PageImportResult:
    meta = PrintMeta(publication=publication, issue_date=issue_date).over(
        meta or PrintMeta()
    )
    publication, issue_date = meta.publication, meta.issue_date
    sha = hashlib.sha256(raw).hexdigest()
    text, warnings = page_text(raw=raw, filename=filename)
    text_hash = pagetext.text_hash(text)
    existing = Page.objects.filter(sha256=sha).first()
    if existing and not replace:
        if not _same_printing(existing, meta):
            # A file is kept once: the same bytes cannot be a second page.
            warnings.append(
                f"{filename}: 与已导入的 {existing.filename} 完全相同，"
                f"但出版信息不同（{existing}）；同一文件只导入一次，未作为另一版面导入"
            )
        return PageImportResult(
            filename=filename,
            page=existing,
            status="skipped",
            skip_reason="same_file",
            warnings=warnings,
        )
    if existing is None:
        found = _same_text_page(text_hash, meta)
        existing = found and Page.objects.get(pk=found.pk)
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
    # Counts readers see change only when published articles come or go;
    # a new page only adds (names_added, below), a replaced one is counted
    # again.
    followed = list(existing.articles.values_list("pk", flat=True)) if existing else []
    # Files stored for the page (a PDF and its picture) are not part of the
    # transaction: when it rolls back, they go too.
    stored: list[str] = []
    try:
        with transaction.atomic(), names_follow(article_ids=followed) as names:
            result = PageImportResult(
                filename=filename,
                status="replaced" if existing else "imported",
                warnings=warnings,
            )
            kept_positions: set[int] = set()
            before: list[dict] = []
            if existing:
                page = existing
                kept = list(page.articles.filter(is_edited=True))
                result.kept_edited = kept
                kept_positions = {a.position for a in kept}
                stale = page.articles.filter(is_edited=False)
                # Read before they go, for the run report's diff.
                before = article_snapshots(ids=list(stale.values_list("id", flat=True)))
                search.index_remove(
                    article_ids=list(stale.values_list("id", flat=True))
                )
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
            place_cache = _places_named(
                {p.name for a in parsed.articles for p in a.places}
            )
            program_cache = _first_by_name(
                Program.objects.filter(
                    name__in={
                        n
                        for a in parsed.articles
                        for n in (*a.programs, *a.new_programs)
                    }
                )
            )
            people = _people_for(parsed)
            tagged: list[tuple[Article, str]] = []
            by_index: dict[int, Article] = {}
            new: list[NewArticle] = []
            bylines: list[Byline] = []
            for index, item in enumerate(parsed.articles):
                if item.position in kept_positions:
                    continue
                article = Article(
                    headline=item.headline,
                    kicker=item.kicker,
                    subtitle=item.subtitle,
                    suggested_headline=item.suggested_headline,
                    body=item.body,
                    byline_text=item.byline_text[:300],
                    kind=item.kind,
                    status=status,
                    # The print date, or none: never the day of the import.
                    pub_date=page.issue_date,
                    page=page,
                    position=item.position,
                    flags=item.flags,
                )
                programs = [
                    program_find_or_create(n, True, program_cache)
                    for n in item.programs
                ]
                programs += [
                    program_find_or_create(n, False, program_cache)
                    for n in item.new_programs
                ]
                new.append(
                    NewArticle(
                        article=article,
                        places={
                            _place_for(p, place_cache, item.places) for p in item.places
                        },
                        programs=set(programs),
                    )
                )
                bylines.extend(
                    Byline(
                        article=article,
                        person=people[(b.name, b.affiliation)],
                        role=b.role,
                        order=order,
                    )
                    for order, b in enumerate(_unique_bylines(item.bylines))
                )
                tagged.extend((article, name) for name in item.tags)
                by_index[index] = article
                result.articles.append(article)
            # Reprints are found before the articles are written, so a reprint
            # is flagged as it is inserted.
            printings = reprints.reprints_find([item.article.body for item in new])
            for item, printing in zip(new, printings, strict=True):
                if printing.originals:
                    item.article.flags = [*item.article.flags, Article.Flag.REPRINT]
            articles_create(new=new)
            Byline.objects.bulk_create(bylines)
            _tag_articles(tagged)
            captions = [
                Caption(
                    text=caption.text,
                    page=page,
                    article=by_index.get(caption.article_index)
                    if caption.article_index is not None
                    else None,
                    position=caption.position,
                )
                for caption in parsed.captions
            ]
            Caption.objects.bulk_create(captions)
            result.captions = len(captions)
            # The import says itself what the public sees change (below).
            issues.page_set_print(
                page=page, meta=meta, keep=bool(existing), announce=False
            )
            if issues.original_kind(raw) == ".pdf":
                before = {page.original.name, page.image.name}
                try:
                    issues.page_attach_original(
                        page=page, raw=raw, filename=filename, announce=False
                    )
                finally:  # what it stored, even if it then failed
                    stored += [
                        name
                        for name in (page.original.name, page.image.name)
                        if name and name not in before
                    ]
            search.index_new_articles(
                articles=[
                    (
                        article,
                        [
                            c.text
                            for c in sorted(captions, key=lambda c: c.position)
                            if c.article is article
                        ],
                        [b.person.name for b in bylines if b.article is article],
                    )
                    for article in result.articles
                ]
            )
            reprints.reprints_store(articles=result.articles, found=printings)
            articles_record_created(new=new)
            if existing:
                result.changes = changes.article_changes(
                    old=before,
                    new=article_snapshots(ids=[a.pk for a in result.articles]),
                    kept=[
                        {"id": a.pk, "title": str(a), "position": a.position}
                        for a in result.kept_edited
                    ],
                )
                names.articles.update(a.pk for a in result.articles)
            elif publish:
                names_added(article_ids=[a.pk for a in result.articles])
            if existing:
                transaction.on_commit(public_changed)
            elif publish:
                transaction.on_commit(public_grew)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        # The gazetteer learns a proposed place only once it is committed;
        # look at the tables again rather than wait for the next check.
        gazetteer_recheck()
        raise
    return result


def page_save(*, page: Page, user) -> Page:
    """Save a page's details staff corrected (publication, date, label):
    they show on public pages and in the facets."""
    require(user, "articles.change_page")
    with transaction.atomic():
        page.save()
        transaction.on_commit(public_changed)
    return page


def page_delete(*, page: Page, user) -> None:
    """Delete a page file's record.  Its articles stay (without a source);
    its captions go, so the articles they belonged to are re-indexed."""
    require(user, "articles.delete_page")
    with transaction.atomic():
        touched = set(
            page.captions.exclude(article=None).values_list("article_id", flat=True)
        )
        page.delete()
        search.index_articles(articles=Article.objects.filter(pk__in=touched))
        transaction.on_commit(public_changed)
