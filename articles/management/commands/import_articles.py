import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.services import article_import_row


class Command(BaseCommand):
    help = "从 export_articles 的 JSON Lines 文件载入稿件。Load articles written by export_articles."

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON Lines 文件")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.exists():
            raise CommandError(f"找不到文件：{path}")
        count = failed = 0
        with file.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    if not isinstance(row, dict) or "body" not in row:
                        raise ValueError("缺少 body 字段")
                    article_import_row(row=row)
                    count += 1
                except (ValueError, KeyError, TypeError) as exc:
                    failed += 1
                    self.stderr.write(f"第 {number} 行无法载入：{exc}")
        self.stdout.write(f"已载入 {count} 篇稿件，失败 {failed}")
        if failed:
            raise CommandError(f"{failed} 行载入失败", returncode=1)
