"""The archive's data: pages as printed, the articles cut from them, the
places and programs they mention, import runs and reprints.  Logic that
writes lives in services/.

Longer than the ~400 lines a module keeps to, on purpose: Django finds an
app's models in one `models` module, and these only declare fields,
managers, Meta and labels, read one class at a time."""

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from .importing import codes


def split_aliases(value: str) -> list[str]:
    """Aliases are typed by staff as one field: 交城, 交城县 / 交城县、交城."""
    for sep in "，、,;；\n":
        value = value.replace(sep, " ")
    return [alias for alias in value.split() if alias]


class Issue(models.Model):
    """One publication on one date (期): what readers look up in 往期回顾.
    Pages know their issue; the issue's date is the date of its articles."""

    publication = models.CharField("报纸", max_length=100)
    date = models.DateField("出版日期")
    number = models.CharField("期号", max_length=50, blank=True)

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "期"
        ordering = ["-date", "publication"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "date"], name="issue_unique_publication_date"
            )
        ]

    def __str__(self):
        label = f"{self.publication} {self.date:%Y年%-m月%-d日}"
        return f"{label}（第{self.number}期）" if self.number else label

    def get_absolute_url(self):
        return reverse(
            "articles:issue_detail", args=[self.publication, self.date.isoformat()]
        )


def page_upload_to(page, filename: str) -> str:
    # Originals keep their file name under a per-page folder: two papers may
    # print a "01.pdf" and neither may overwrite the other.
    return f"pages/originals/{page.sha256[:2]}/{page.sha256[:16]}/{filename}"


class Page(models.Model):
    # What kind of text a leftover is: the parser's codes, labelled for staff.
    class LeftoverKind(models.TextChoices):
        HEADLINE = codes.LEFTOVER_HEADLINE, "标题"
        BANNER = codes.LEFTOVER_BANNER, "栏目"
        BYLINE = codes.LEFTOVER_BYLINE, "署名"
        FRAGMENT = codes.LEFTOVER_FRAGMENT, "碎片"
        DUPLICATE = codes.LEFTOVER_DUPLICATE, "重复的图片说明"

    filename = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, unique=True, editable=False)
    # Hash of the text with whitespace and punctuation width normalised
    # (pagetext.py): the same page saved again differently is "already
    # imported".  Not unique: archives imported before it may hold such
    # duplicates.
    text_hash = models.CharField(
        "文字指纹", max_length=64, blank=True, db_index=True, editable=False
    )
    raw_text = models.TextField("原始文本")
    publication = models.CharField("报纸", max_length=100, blank=True, db_index=True)
    issue_date = models.DateField("出版日期", null=True, blank=True, db_index=True)
    issue = models.ForeignKey(
        Issue,
        verbose_name="期",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pages",
    )
    page_number = models.PositiveSmallIntegerField("版次", null=True, blank=True)
    page_name = models.CharField("版名", max_length=50, blank=True)
    # The printed page (PDF, or a scan) and a picture of it for the page view,
    # rendered once at import and served as a media file.
    original = models.FileField(
        "原版文件", upload_to=page_upload_to, max_length=300, blank=True
    )
    image = models.FileField(
        "版面图", upload_to=page_upload_to, max_length=300, blank=True
    )
    # What the importer could not place in an article (unmatched headline lines,
    # banners, stray fragments), kept so nothing on the page is lost from view.
    leftovers = models.JSONField("未归属文本", default=list, blank=True)
    imported_at = models.DateTimeField("导入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "版面"
        verbose_name_plural = "版面"
        ordering = ["-imported_at", "-id"]
        indexes = [
            models.Index(fields=["issue", "page_number"], name="page_issue_number")
        ]

    def __str__(self):
        parts = [self.publication, str(self.issue_date or ""), self.number_label]
        label = " ".join(p for p in parts if p)
        return f"{self.filename}（{label}）" if label else self.filename

    def get_absolute_url(self):
        return reverse("articles:page_detail", args=[self.pk])

    @property
    def number_label(self) -> str:
        """第03版 要闻 — as the paper's own page navigation prints it."""
        label = f"第{self.page_number:02d}版" if self.page_number else ""
        return " ".join(p for p in (label, self.page_name) if p)


class PlaceQuerySet(models.QuerySet):
    def descendant_ids(self, place: "Place") -> list[int]:
        """The place and every confirmed place under it (交城县 → its towns
        and villages), in one recursive statement rather than a round trip
        per level.  UNION (not UNION ALL) ends the walk even if the
        gazetteer ever held a loop.  The place facets count up the same
        confirmed paths.  Kept on the instance: the public check and the
        filter both need it."""
        if getattr(place, "_descendant_ids", None) is not None:
            return place._descendant_ids
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH RECURSIVE under(id) AS (SELECT id FROM {table} WHERE id = %s "
                f"UNION SELECT p.id FROM {table} p JOIN under u ON p.parent_id = u.id "
                "WHERE p.is_confirmed) SELECT id FROM under",
                [place.pk],
            )
            place._descendant_ids = [row[0] for row in cursor.fetchall()]
        return place._descendant_ids


class Place(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", "省"
        PREFECTURE = "prefecture", "地级市"
        COUNTY = "county", "县/区"
        COUNTY_CITY = "county_city", "县级市"
        TOWN = "town", "镇"
        TOWNSHIP = "township", "乡"
        VILLAGE = "village", "村"
        COMMUNITY = "community", "社区/小区"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=100)
    slug = models.SlugField("网址名", max_length=120, unique=True, allow_unicode=True)
    kind = models.CharField(
        "类别", max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    aliases = models.CharField(
        "别名", max_length=500, blank=True, help_text="多个别名用逗号或顿号分隔"
    )
    # Gazetteer rows are confirmed; names the importer proposes wait for staff.
    is_confirmed = models.BooleanField("已确认", default=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = "地名"
        verbose_name_plural = "地名"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "parent"], name="place_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="place_unique_root_name",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="place_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:place_detail", args=[self.slug])

    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)

    def ancestors(self) -> list["Place"]:
        """From the province down to the direct parent."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def path(self) -> str:
        return " > ".join([p.name for p in self.ancestors()] + [self.name])


class Program(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    slug = models.SlugField("网址名", max_length=120, unique=True, allow_unicode=True)
    aliases = models.CharField(
        "别名", max_length=500, blank=True, help_text="多个别名用逗号或顿号分隔"
    )
    description = models.TextField("简介", blank=True)
    is_confirmed = models.BooleanField("已确认", default=True)

    class Meta:
        verbose_name = "政策项目"
        verbose_name_plural = "政策项目"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:program_detail", args=[self.slug])

    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def flagged(self):
        return self.exclude(flags=[])


class Article(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "文章"
        BRIEF = "brief", "简讯"
        PHOTO = "photo", "图片新闻"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEW = "review", "待审"
        PUBLISHED = "published", "已发布"

    # Review flags: why staff should look at an article.  Codes, so tests and
    # filters can name them; labels are what the admin shows.
    class Flag(models.TextChoices):
        NO_HEADLINE = codes.NO_HEADLINE, "版面上没有标题"
        JOINED = codes.JOINED, "已拼接转续文字"
        POSSIBLE_CONTINUATION = codes.POSSIBLE_CONTINUATION, "疑似被截断或转续"
        UNKNOWN_BYLINE = codes.UNKNOWN_BYLINE, "署名不确定"
        NO_BYLINE = codes.NO_BYLINE, "未找到署名"
        NEW_PROGRAM = codes.NEW_PROGRAM, "发现新的政策项目"
        NEW_PLACE = codes.NEW_PLACE, "发现新的地名"
        WEAK_HEADLINE = codes.WEAK_HEADLINE, "标题匹配把握不大"
        # Set by the service that finds reprints, not by the parser.
        REPRINT = "reprint", "与已有稿件基本相同（转载或重复）"

    headline = models.CharField("标题", max_length=300, blank=True)
    kicker = models.CharField("引题", max_length=300, blank=True)
    subtitle = models.CharField("副题", max_length=300, blank=True)
    suggested_headline = models.CharField(
        "建议标题", max_length=300, blank=True, help_text="由正文首句生成，仅供编辑参考"
    )
    slug = models.SlugField("网址名", max_length=200, unique=True, allow_unicode=True)
    body = models.TextField("正文", help_text="段落之间空一行")
    byline_text = models.CharField(
        "署名原文", max_length=300, blank=True, help_text="版面上印的署名"
    )
    kind = models.CharField(
        "体裁", max_length=10, choices=Kind.choices, default=Kind.ARTICLE
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=Status.choices,
        default=Status.REVIEW,
        db_index=True,
    )
    pub_date = models.DateField("发表日期", null=True, blank=True, db_index=True)
    page = models.ForeignKey(
        Page,
        verbose_name="来源版面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    position = models.PositiveIntegerField("版面内顺序", default=0)
    places = models.ManyToManyField(
        Place, verbose_name="地名", blank=True, related_name="articles"
    )
    programs = models.ManyToManyField(
        Program, verbose_name="政策项目", blank=True, related_name="articles"
    )
    tags = TaggableManager("标签", blank=True)
    flags = models.JSONField("审核提示", default=list, blank=True)
    # Set when staff change an article, so a re-import (--replace) keeps it.
    is_edited = models.BooleanField("已人工编辑", default=False)
    # Optimistic locking: a save carrying an older version is refused.
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ArticleQuerySet.as_manager()
    # Every saved change: who, when, what (the admin shows diffs, restores).
    history = HistoricalRecords(verbose_name="稿件修订", m2m_fields=[places, programs])

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["-pub_date", "-id"]
        permissions = [("publish_article", "可以发布和撤回稿件")]
        indexes = [
            models.Index(
                fields=["status", "-pub_date", "-id"], name="article_public_order"
            ),
            models.Index(fields=["page", "position"], name="article_page_position"),
        ]

    def __str__(self):
        return self.headline or self.suggested_headline or f"（无标题 #{self.pk}）"

    def get_absolute_url(self):
        return reverse("articles:article_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    # Readers never see a cut-off first sentence passed off as a headline:
    # without a printed (or staff-written) one, the title is marked 无题 and
    # the suggestion follows as an excerpt, with … when it stops mid-sentence.
    EDITORIAL_MARK = "无题"

    @property
    def headline_is_editorial(self) -> bool:
        return not self.headline

    @property
    def title_excerpt(self) -> str:
        text = (self.suggested_headline or self.body[:30]).strip()
        return text if text.endswith(("。", "！", "？", "…")) else f"{text}…"

    @property
    def public_title(self) -> str:
        """The title as plain text (feeds, the API, the window title)."""
        if self.headline:
            return self.headline
        return f"〔{self.EDITORIAL_MARK}〕{self.title_excerpt}"

    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]

    def flag_labels(self) -> list[str]:
        labels = dict(self.Flag.choices)
        return [labels.get(code, code) for code in self.flags]


class RetiredSlug(models.Model):
    """An address an article had before its headline was fixed: kept so old
    links redirect (301) to the current one, and never given to another
    article."""

    slug = models.SlugField("旧网址名", max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey(
        Article,
        verbose_name="稿件",
        on_delete=models.CASCADE,
        related_name="retired_slugs",
    )
    retired_at = models.DateTimeField("停用时间", auto_now_add=True)

    class Meta:
        verbose_name = "旧网址名"
        verbose_name_plural = "旧网址名"

    def __str__(self):
        return self.slug


class Caption(models.Model):
    text = models.TextField("图片说明")
    page = models.ForeignKey(
        Page,
        verbose_name="来源版面",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="captions",
    )
    article = models.ForeignKey(
        Article,
        verbose_name="所属稿件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="captions",
    )
    position = models.PositiveIntegerField("版面内顺序", default=0)

    class Meta:
        verbose_name = "图片说明"
        verbose_name_plural = "图片说明"
        ordering = ["page", "position", "id"]

    def __str__(self):
        return self.text[:40]


class SearchChunk(models.Model):
    """One indexed part of an article for full-text search: its headline
    block (kicker, headline, subtitle) or its body (body, captions, byline
    names), as normalised text.  How each database indexes it (the
    `vector` column on PostgreSQL, an FTS5 table on SQLite) is its backend's
    business: see articles/search/backends/."""

    class Kind(models.TextChoices):
        TITLE = "title", "标题"
        BODY = "body", "正文"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="search_chunks"
    )
    kind = models.CharField(max_length=5, choices=Kind.choices)
    text = models.TextField(default="", editable=False)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = "检索索引块"
        verbose_name_plural = "检索索引块"
        indexes = [
            models.Index(fields=["article", "kind"], name="searchchunk_article_kind")
        ]

    def __str__(self):
        return f"{self.article_id}:{self.kind}"


class ReviewItem(Article):
    """The review queue: articles as staff check them, flagged ones first."""

    class Meta:
        proxy = True
        verbose_name = "待核查稿件"
        verbose_name_plural = "审核队列"


class ImportRun(models.Model):
    """One import of page files, from the admin upload or `import_pages`:
    who started it, with what options, and what became of each file (see
    runs.py, which does the writing)."""

    class Source(models.TextChoices):
        UPLOAD = "upload", "后台上传"
        COMMAND = "command", "命令行导入"

    class Status(models.TextChoices):
        # Uploaded, shown as a preview, waiting for staff to confirm.
        PREVIEW = "preview", "待确认"
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        INTERRUPTED = "interrupted", "已中断"

    created_by = models.ForeignKey(
        "auth.User",
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    source = models.CharField(
        "来源", max_length=10, choices=Source.choices, default=Source.UPLOAD
    )
    # The folder or files named on the command line, or the uploaded names.
    source_label = models.CharField("来源说明", max_length=500, blank=True)
    options = models.JSONField("导入选项", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    # Touched after every file: a running run not heard from for a while was
    # killed (NEWSROOM_RUN_STALE_SECONDS).
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    current_file = models.CharField("当前文件", max_length=255, blank=True)
    articles = models.PositiveIntegerField("稿件", default=0)
    captions = models.PositiveIntegerField("图片说明", default=0)
    flagged = models.PositiveIntegerField("待核查", default=0)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"导入 #{self.pk}（{self.get_source_display()}）"


class ImportFile(models.Model):
    """One file of an import run and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", "未完成"
        IMPORTED = "imported", "已导入"
        SKIPPED = "skipped", "已跳过"
        REPLACED = "replaced", "已替换"
        FAILED = "failed", "失败"

    class SkipReason(models.TextChoices):
        SAME_FILE = "same_file", "已导入过（文件相同）"
        SAME_TEXT = "same_text", "已导入过（版面文字相同）"

    run = models.ForeignKey(
        ImportRun,
        verbose_name="导入记录",
        on_delete=models.CASCADE,
        related_name="files",
    )
    order = models.PositiveIntegerField("顺序", default=0)
    filename = models.CharField("文件名", max_length=255)
    # Where the bytes are: an upload kept in media storage, or a file on
    # disk named to `import_pages`.
    stored_file = models.FileField(
        "上传文件", upload_to="imports/%Y/%m/", max_length=500, blank=True
    )
    source_path = models.CharField("文件路径", max_length=1000, blank=True)
    status = models.CharField(
        "结果", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    skip_reason = models.CharField(
        "跳过原因", max_length=10, choices=SkipReason.choices, blank=True
    )
    error = models.TextField("错误", blank=True)
    warnings = models.JSONField("注意", default=list, blank=True)
    page = models.ForeignKey(
        Page,
        verbose_name="版面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_files",
    )
    articles = models.PositiveIntegerField("稿件", default=0)
    captions = models.PositiveIntegerField("图片说明", default=0)
    flagged = models.PositiveIntegerField("待核查", default=0)
    kept_edited = models.PositiveIntegerField("保留已编辑", default=0)
    # A replaced page: what changed, article by article (changes.py).
    changes = models.JSONField("稿件变化", default=dict, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入文件"
        verbose_name_plural = "导入文件"
        ordering = ["run", "order", "id"]
        indexes = [models.Index(fields=["run", "status"], name="importfile_run_status")]

    def __str__(self):
        return self.filename


class ReprintBand(models.Model):
    """The LSH index of near-duplicate bodies (reprints.py): one row per
    band of an article's MinHash signature.  Two articles sharing a key
    are candidates; looking one up is an index probe per band, whatever
    the size of the archive."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="reprint_bands"
    )
    key = models.BigIntegerField()

    class Meta:
        verbose_name = "转载检索索引"
        verbose_name_plural = "转载检索索引"
        indexes = [models.Index(fields=["key"], name="reprintband_key")]

    def __str__(self):
        return f"{self.article_id}:{self.key}"


class Reprint(models.Model):
    """`article` (imported later) prints nearly the same body as
    `original`: the same piece run again in another paper or issue."""

    article = models.ForeignKey(
        Article,
        verbose_name="稿件",
        on_delete=models.CASCADE,
        related_name="reprint_of_links",
    )
    original = models.ForeignKey(
        Article,
        verbose_name="先前刊登的稿件",
        on_delete=models.CASCADE,
        related_name="reprinted_as_links",
    )
    similarity = models.FloatField("相似度")
    found_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        verbose_name = "转载/重复稿件"
        verbose_name_plural = "转载/重复稿件"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "original"], name="reprint_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.article_id} ≈ {self.original_id}"


class NameKey(models.Model):
    """What readers may type to find a person, place, program or tag with a
    public page: one row per key — its name and aliases as the index
    normalises them (`交城县`), and their pinyin, full (`jiaochengxian`) and
    initials (`jcx`), every reading of a polyphone — with the entity's
    public article count, stored so that suggestions are index lookups,
    never counts.  Only public entities have rows; the services that save
    articles and entities keep them current (services/names.py)."""

    class Kind(models.TextChoices):
        PERSON = "person", "人物"
        PLACE = "place", "地名"
        PROGRAM = "program", "政策项目"
        TAG = "tag", "标签"

    kind = models.CharField("类别", max_length=8, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField("对象编号")
    key = models.CharField("检索键", max_length=120, db_index=True)
    # The name or alias the key reads, normalised (`交城` for `jiaocheng`).
    text = models.CharField("所读名称", max_length=100)
    name = models.CharField("名称", max_length=100)
    detail = models.CharField("说明", max_length=100, blank=True)
    slug = models.CharField("网址名", max_length=200)
    article_count = models.PositiveIntegerField("已发布稿件数")

    class Meta:
        verbose_name = "读者检索名"
        verbose_name_plural = "读者检索名"
        indexes = [
            models.Index(fields=["kind", "object_id"], name="namekey_entity"),
            # A prefix one letter long (`j`) matches a good share of all keys:
            # walking the most-covered names first finds eight sooner than
            # sorting every match.
            models.Index(fields=["-article_count"], name="namekey_most_articles"),
        ]

    def __str__(self):
        return f"{self.key} → {self.name}"


class HeadlineWord(models.Model):
    """A word printed in a headline block, with its pinyin (full and
    initials, every reading): how a query typed in pinyin (`chejian`)
    becomes the Chinese it stands for (`车间`), which the index then finds
    in headlines.  A vocabulary, not a row per article: words are added as
    headlines are indexed and never removed (a word no published headline
    holds any more finds nothing, and costs one row)."""

    word = models.CharField("词", max_length=40)
    key = models.CharField("拼音", max_length=120, db_index=True)

    class Meta:
        verbose_name = "标题词"
        verbose_name_plural = "标题词"
        constraints = [
            models.UniqueConstraint(fields=["key", "word"], name="headlineword_unique")
        ]

    def __str__(self):
        return f"{self.key} → {self.word}"
