"""Writing to the archive.  The admin, the management commands and the views
all call these functions; none of them holds this logic itself.

Services are keyword-only, named <entity>_<action>, and run in a transaction
where they write more than one row.  One module per domain:

- `pages`: importing a page file;
- `articles`: editing, the workflow, headlines, split and merge, captions;
- `entities`: places and programs (confirm, reject, merge);
- `tags`: tags (rename, delete, merge);
- `exchange`: articles as rows of an export file, and back;
- `gazetteer`: loading places and programs, and what the parser knows;
- `names`: the names, pinyin and public counts readers search by (NameKey);
- `common`: the refusal (`WorkflowError`) and permission checks they share.

People and bylines are written by `people.services`.
"""

from .articles import (
    article_check_version,
    article_delete,
    article_mark_reviewed,
    article_merge,
    article_places_saved,
    article_publish,
    article_save,
    article_set_headline,
    article_set_status,
    article_slug_for,
    article_split,
    article_submit,
    article_unpublish,
    caption_delete,
    caption_move,
    caption_save,
    page_headline_lines,
)
from .common import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    WorkflowError,
    public_changed,
    public_grew,
)
from .entities import (
    entity_confirm,
    entity_delete,
    entity_reject,
    entity_save,
    place_merge,
    program_merge,
)
from .exchange import article_export_row, article_import_row
from .gazetteer import gazetteer_current, gazetteer_load, programs_load
from .names import names_follow, names_rebuild, names_refresh
from .pages import (
    TOO_LARGE,
    PageImportError,
    PageImportResult,
    page_decode,
    page_delete,
    page_exists,
    page_import,
    page_preview,
    page_save,
    page_text,
)
from .tags import tag_delete, tag_merge, tag_save

__all__ = [
    "names_follow",
    "names_rebuild",
    "names_refresh",
    "CONFLICT",
    "FORBIDDEN",
    "INVALID",
    "TOO_LARGE",
    "PageImportError",
    "PageImportResult",
    "WorkflowError",
    "article_check_version",
    "article_delete",
    "article_export_row",
    "article_import_row",
    "article_mark_reviewed",
    "article_merge",
    "article_publish",
    "article_places_saved",
    "article_save",
    "article_set_headline",
    "article_set_status",
    "article_slug_for",
    "article_split",
    "article_submit",
    "article_unpublish",
    "caption_delete",
    "caption_move",
    "caption_save",
    "entity_confirm",
    "entity_delete",
    "entity_reject",
    "entity_save",
    "gazetteer_current",
    "gazetteer_load",
    "page_decode",
    "page_delete",
    "page_exists",
    "page_headline_lines",
    "page_import",
    "page_preview",
    "page_text",
    "page_save",
    "place_merge",
    "program_merge",
    "programs_load",
    "public_changed",
    "public_grew",
    "tag_delete",
    "tag_merge",
    "tag_save",
]
