from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import changes, printmeta, runs
from articles.management.progress import Progress
from articles.models import ImportFile


class Command(BaseCommand):
    help = (
        "导入版面文件（.txt 文本或 .pdf），拆分为稿件；目录按子目录逐层导入。"
        "报纸、日期、期号、版次、版名依次取自命令参数、文件旁的 manifest.csv/json、"
        "路径与文件名（如 交城报/2020-10-20/03.txt、交城报_20201020_03.pdf）。"
        "Import page files (.txt or .pdf) and split them into articles."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="版面文件，或包含 .txt/.pdf 文件的目录（含子目录）"
        )
        parser.add_argument(
            "--publication", default="", help="报纸名称，如 交城报（覆盖清单和文件名）"
        )
        parser.add_argument(
            "--date", dest="issue_date", default=None, help="出版日期 YYYY-MM-DD"
        )
        parser.add_argument("--issue-number", default="", help="期号")
        parser.add_argument("--page-number", default=None, help="版次，如 3")
        parser.add_argument("--page-name", default="", help="版名，如 要闻")
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
        try:
            page_number = printmeta.parse_page_number(options.get("page_number"))
        except ValueError as exc:
            raise CommandError(f"--page-number：{exc}") from exc
        resolver = printmeta.Resolver(
            printmeta.PrintMeta(
                publication=publication,
                issue_date=issue_date,
                issue_number=options.get("issue_number") or "",
                page_number=page_number,
                page_name=options.get("page_name") or "",
            )
        )
        found = self._collect(paths)
        if not found:
            raise CommandError("没有找到 .txt 或 .pdf 版面文件：" + "，".join(paths))
        # Every manifest is read before anything is imported: a typo in one
        # stops the run before half a year is in.
        try:
            print_meta = [resolver.meta_for(path, root) for path, root in found]
        except printmeta.ManifestError as exc:
            raise CommandError(str(exc)) from exc
        files = [path for path, _ in found]
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
            print_meta=print_meta,
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
                if file.status == ImportFile.Status.REPLACED:
                    # The diff itself is on the run's report in the admin.
                    listed = file.changes.get("articles", [])
                    touched = sum(1 for e in listed if e["change"] != changes.KEPT)
                    self.stdout.write(
                        f"重新导入 {file.filename}：稿件有变化 {touched} 篇，"
                        f"未变 {file.changes.get('unchanged', 0)} 篇"
                    )
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

    def _collect(self, paths: list[str]) -> list[tuple[Path, Path]]:
        """Each file with the folder it was found under (where manifests
        are looked for); a year's tree of issue folders in one run."""
        files: list[tuple[Path, Path]] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(
                    (p, path)
                    for p in sorted(path.rglob("*"))
                    if p.is_file() and p.suffix.lower() in (".txt", ".pdf")
                )
            elif path.exists():
                files.append((path, path.parent))
            else:
                raise CommandError(f"找不到文件或目录：{raw}")
        return files
