import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "创建（或重置）演示用编辑账号并打印登录信息。Create the demo staff login for `make run`."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DEMO_USER", "editor"))
        parser.add_argument(
            "--password", default=os.environ.get("DEMO_PASSWORD", "newsroom-demo")
        )

    def handle(self, *args, username, password, **options):
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"演示账号 demo staff login: {username} / {password}  →  http://127.0.0.1:8000/admin/"
        )
