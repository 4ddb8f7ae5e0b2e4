"""The staff's workbench, a module per screen.  Every change goes through
the services, which also check permissions; the admin only shows, asks,
and turns a service's refusal into a message or a form error.

- `articles`: articles and captions (the change form, the site's search);
- `tools`: the fix tools on an article (headline, split, merge, status);
- `review`: the review queue;
- `pages`: pages and the upload wizard;
- `entities`: places and programs;
- `tags`: tags (replacing django-taggit's own screen);
- `forms`, `base`: the forms, and what the screens share.
"""

from django.contrib import admin

from .. import admin_runs  # noqa: F401 - import runs: list, report, progress
from . import articles, entities, pages, review, tags  # noqa: F401 - they register

admin.site.site_header = "Newsroom 报纸档案管理"
admin.site.site_title = "Newsroom"
admin.site.index_title = "稿件、版面与人物"
