from django.core.management.base import BaseCommand

from articles import search, services
from articles.management.progress import Progress


class Command(BaseCommand):
    help = (
        "重建全文检索索引（SQLite 为 FTS5，PostgreSQL 为 tsvector）、标题词拼音和"
        "人物、地名、政策项目、标签的检索名与稿件数。Rebuild the full-text search "
        "index, headline pinyin and the names readers search by."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="每批处理的稿件数")

    def handle(self, *args, batch, **options):
        progress = None

        def report(done, total):
            nonlocal progress
            if progress is None:
                progress = Progress(self.stdout, total, "索引")
            while progress.done < done:
                progress.step()

        count = search.rebuild(batch=batch, progress=report)
        if progress:
            progress.close()
        self.stdout.write(f"已重建 {count} 篇稿件的检索索引")
        names = services.names_rebuild()
        self.stdout.write(f"已重建 {names} 个人物、地名、政策项目和标签的检索名")
