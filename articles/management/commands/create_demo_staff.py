import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

# One account per staff group, so the staff guide's two roles can be tried:
# the editor imports and edits but cannot publish; the reviewer publishes.
ACCOUNTS = (("editor", "编辑"), ("reviewer", "审核"))


class Command(BaseCommand):
    help = (
        "创建（或重置）演示账号 editor（编辑组）和 reviewer（审核组）并打印登录信息。"
        "Create the demo staff logins for `make run`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "newsroom-demo"),
            help="两个演示账号共用的密码 (password of both demo accounts)",
        )
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="网站地址，打印登录链接用 (host:port the server listens on)",
        )

    def handle(self, *args, password, address, **options):
        for username, group_name in ACCOUNTS:
            group = Group.objects.filter(name=group_name).first()
            if group is None:
                raise CommandError(f"用户组“{group_name}”不存在：请先运行 migrate")
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = False
            user.set_password(password)
            user.save()
            user.groups.set([group])
            self.stdout.write(
                f"演示账号 demo login（{group_name}）: {username} / {password}"
                f"  →  http://{address}/admin/"
            )
