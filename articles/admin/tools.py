"""The fix tools on an article's page: set a headline from the page's
leftover lines, split, merge with a neighbour, change status."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from .. import services
from ..models import Article


class ArticleToolsMixin:
    """The fix tools' views, mixed into ArticleAdmin (which routes them)."""

    def _article(self, request, pk) -> Article:
        article = get_object_or_404(Article.objects.select_related("page"), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def _back(self, article):
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk])
        )

    def _attempt(
        self, request, action, done, refusals=(services.WorkflowError,)
    ) -> bool:
        """Run a service; its refusal becomes an error message, success the
        message `done(result)`.  Whether it succeeded."""
        try:
            result = action()
        except refusals as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return False
        self.message_user(request, done(result), messages.SUCCESS)
        return True

    def _tool_page(self, request, article, template, **context):
        return render(
            request,
            f"admin/articles/article/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "article": article,
                "title": context.pop("title", str(article)),
                **context,
            },
        )

    def headline_view(self, request, pk):
        """Choose the headline from the page's unassigned headline lines, or type one."""
        article = self._article(request, pk)
        lines = services.page_headline_lines(article.page) if article.page else []
        if request.method == "POST":
            chosen = request.POST.get("headline") or request.POST.get("custom", "")
            if self._attempt(
                request,
                lambda: services.article_set_headline(
                    article=article, headline=chosen, user=request.user
                ),
                lambda _: f"标题已设为“{article.headline}”",
            ):
                return self._back(article)
        return self._tool_page(
            request, article, "headline.html", lines=lines, title="选择标题"
        )

    def split_view(self, request, pk):
        article = self._article(request, pk)
        if request.method == "POST" and self._attempt(
            request,
            lambda: services.article_split(
                article=article, at=int(request.POST.get("at", 0)), user=request.user
            ),
            lambda second: f"已拆分，后半部分为新稿件 #{second.pk}",
            refusals=(ValueError, services.WorkflowError),  # `at` not a number
        ):
            return self._back(article)
        return self._tool_page(
            request,
            article,
            "split.html",
            paragraphs=list(enumerate(article.paragraphs())),
            title="拆分稿件",
        )

    def merge_view(self, request, pk):
        article = self._article(request, pk)
        neighbours = (
            Article.objects.filter(page_id=article.page_id)
            .exclude(pk=article.pk)
            .order_by("position")
            if article.page_id
            else Article.objects.none()
        )
        if request.method == "POST":
            other = Article.objects.filter(pk=request.POST.get("other") or 0).first()
            if other is None:
                self.message_user(request, "请选择要并入的稿件", messages.ERROR)
            elif self._attempt(
                request,
                lambda: services.article_merge(
                    first=article, second=other, user=request.user
                ),
                lambda _: "已合并，内容接在本稿之后",
            ):
                return self._back(article)
        return self._tool_page(
            request, article, "merge.html", neighbours=neighbours, title="合并转续稿件"
        )

    def status_view(self, request, pk):
        article = self._article(request, pk)
        if request.method != "POST":
            return self._back(article)
        action = request.POST.get("action")
        operations = {
            "publish": (services.article_publish, "已发布"),
            "unpublish": (services.article_unpublish, "已撤回"),
            "submit": (services.article_submit, "已送审"),
            "reviewed": (services.article_mark_reviewed, "已标记为核查完毕"),
        }
        if action not in operations:
            self.message_user(request, "未知操作", messages.ERROR)
            return self._back(article)
        func, done = operations[action]
        self._attempt(
            request, lambda: func(article=article, user=request.user), lambda _: done
        )
        return self._back(article)
