import json
import sys

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.services import article_export_row


class Command(BaseCommand):
    help = "把全部稿件导出为 JSON Lines（UTF-8，每行一篇）。Export every article as JSON Lines."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", default=None, help="输出文件（默认标准输出）"
        )

    def handle(self, *args, output, **options):
        articles = (
            Article.objects.order_by("id")
            .select_related("page")
            .prefetch_related(
                "bylines__person", "places", "programs", "tags", "captions"
            )
        )
        stream = open(output, "w", encoding="utf-8") if output else None  # noqa: SIM115
        count = 0
        try:
            for article in articles.iterator(chunk_size=500):
                line = json.dumps(article_export_row(article), ensure_ascii=False)
                if stream:
                    stream.write(line + "\n")
                else:
                    self.stdout.write(line)
                count += 1
        finally:
            if stream:
                stream.close()
        if output:
            self.stderr.write(f"已导出 {count} 篇稿件到 {output}")
        sys.stdout.flush()
