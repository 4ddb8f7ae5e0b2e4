from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import runs
from articles.management.progress import Progress
from articles.models import ImportFile


class Command(BaseCommand):
    help = "导入版面文本文件（.txt），拆分为稿件。Import page text files and split them into articles."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="版面文件或包含 .txt 文件的目录")
        parser.add_argument("--publication", default="", help="报纸名称，如 交城报")
        parser.add_argument(
            "--date", dest="issue_date", default=None, help="出版日期 YYYY-MM-DD"
        )
        parser.add_argument(
            "--publish", action="store_true", help="直接发布新稿件（默认进入待审）"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="重新导入已导入的版面；人工编辑过的稿件保留",
        )

    def handle(
        self, *args, paths, publication, issue_date, publish, replace, **options
    ):
        if issue_date:
            try:
                issue_date = date.fromisoformat(issue_date)
            except ValueError as exc:
                raise CommandError(
                    f"--date 应为 YYYY-MM-DD 格式：{issue_date}"
                ) from exc
        files = self._collect(paths)
        if not files:
            raise CommandError("没有找到 .txt 版面文件：" + "，".join(paths))
        totals = dict(
            pages=0, articles=0, captions=0, flagged=0, skipped=0, failed=0, kept=0
        )
        warnings: list[str] = []
        progress = Progress(self.stdout, len(files), "导入")
        # Recorded as an import run like an admin upload, but run here, in
        # the foreground, with the progress bar.
        run = runs.run_create_from_paths(
            paths=files,
            label="，".join(paths),
            publication=publication,
            issue_date=issue_date,
            publish=publish,
            replace=replace,
        )

        def on_file(outcome):
            file, result = outcome.file, outcome.result
            if file.status == ImportFile.Status.FAILED:
                totals["failed"] += 1
                self.stderr.write(f"失败 {file.source_path}: {file.error}")
            elif file.status == ImportFile.Status.SKIPPED:
                warnings.extend(file.warnings)
                totals["skipped"] += 1
                if not progress.enabled:
                    self.stdout.write(
                        f"跳过 {file.filename}: {file.get_skip_reason_display()}"
                        "（already imported）"
                    )
            else:
                warnings.extend(file.warnings)
                totals["pages"] += 1
                totals["articles"] += file.articles
                totals["captions"] += file.captions
                totals["flagged"] += file.flagged
                totals["kept"] += file.kept_edited
                for article in result.kept_edited:
                    self.stdout.write(f"保留已编辑稿件 #{article.pk} {article}")
            progress.step(file.filename)

        runs.run_execute(run_id=run.pk, on_file=on_file)
        progress.close()
        for warning in warnings:
            self.stdout.write(f"注意 {warning}")
        self.stdout.write(
            "版面 {pages}，稿件 {articles}，图片说明 {captions}，待核查 {flagged}，"
            "跳过 {skipped}，失败 {failed}".format(**totals)
            + (f"，保留已编辑 {totals['kept']}" if totals["kept"] else "")
        )
        self.stdout.write(
            "pages={pages} articles={articles} captions={captions} flagged={flagged} "
            "skipped={skipped} failed={failed}".format(**totals)
        )
        self.stdout.write(f"导入记录 #{run.pk}")
        if totals["failed"]:
            raise CommandError(f"{totals['failed']} 个文件导入失败", returncode=1)

    def _collect(self, paths: list[str]) -> list[Path]:
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"找不到文件或目录：{raw}")
        return files
