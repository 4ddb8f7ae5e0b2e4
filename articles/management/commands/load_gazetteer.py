from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import services


class Command(BaseCommand):
    help = "载入地名表和政策项目表（可重复执行）。Load the gazetteer and program fixtures (idempotent)."

    def add_arguments(self, parser):
        fixtures = Path(settings.BASE_DIR) / "fixtures"
        parser.add_argument(
            "--places", default=str(fixtures / "gazetteer.json"), help="地名表 JSON"
        )
        parser.add_argument(
            "--programs", default=str(fixtures / "programs.json"), help="政策项目 JSON"
        )

    def handle(self, *args, places, programs, **options):
        for path in (places, programs):
            if not Path(path).exists():
                raise CommandError(f"找不到文件：{path}")
        n_places = services.gazetteer_load(path=Path(places))
        n_programs = services.programs_load(path=Path(programs))
        self.stdout.write(f"地名 {n_places} 个，政策项目 {n_programs} 个")
