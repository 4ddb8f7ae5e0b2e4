from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import backup


class Command(BaseCommand):
    help = "备份整个数据库（SQLite 用在线备份接口，PostgreSQL 用 pg_dump）。Back up the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            default=None,
            help="备份文件（默认 backups/newsroom-时间.backup）",
        )

    def handle(self, *args, output, **options):
        target = Path(
            output or f"backups/newsroom-{datetime.now():%Y%m%d-%H%M%S}.backup"
        )
        try:
            backup.backup(target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份到 {target}（{target.stat().st_size} 字节）")
