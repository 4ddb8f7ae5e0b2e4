"""The people who write and photograph for the paper, and their bylines."""

from django.db import models
from django.urls import reverse

from articles.models import split_aliases


class Person(models.Model):
    # Stored without the alignment spaces of the printed page: 郭 晋 is 郭晋.
    name = models.CharField("姓名", max_length=50)
    slug = models.SlugField("网址名", max_length=120, unique=True, allow_unicode=True)
    affiliation = models.CharField(
        "单位", max_length=100, blank=True, help_text="如 新华社"
    )
    aliases = models.CharField(
        "别名", max_length=300, blank=True, help_text="多个别名用逗号或顿号分隔"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "人物"
        verbose_name_plural = "人物"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "affiliation"], name="person_unique_name_affiliation"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.affiliation}）" if self.affiliation else self.name

    def get_absolute_url(self):
        return reverse("articles:person_detail", args=[self.slug])

    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)


class Byline(models.Model):
    class Role(models.TextChoices):
        WRITER = "writer", "文字"
        PHOTOGRAPHER = "photographer", "摄影"

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="稿件",
        on_delete=models.CASCADE,
        related_name="bylines",
    )
    person = models.ForeignKey(
        Person, verbose_name="人物", on_delete=models.PROTECT, related_name="bylines"
    )
    role = models.CharField(
        "角色", max_length=20, choices=Role.choices, default=Role.WRITER
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "署名"
        verbose_name_plural = "署名"
        ordering = ["article", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="byline_unique_person_role"
            ),
        ]

    def __str__(self):
        return f"{self.person.name}（{self.get_role_display()}）"
