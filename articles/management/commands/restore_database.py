from django.core.management.base import BaseCommand, CommandError

from articles import backup, services


class Command(BaseCommand):
    help = "用备份文件替换当前数据库的全部内容。Restore the database from a backup (replaces everything)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup_database 写出的备份文件")
        parser.add_argument("--yes", action="store_true", help="不再确认，直接恢复")

    def handle(self, *args, path, yes, **options):
        if not yes:
            raise CommandError("恢复会替换当前数据库的全部内容；确认无误请加 --yes")
        try:
            backup.restore(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Cached public pages show what was replaced.
        services.public_changed()
        self.stdout.write(f"已从 {path} 恢复")
