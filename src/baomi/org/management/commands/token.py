"""`baomi token create <username>`: issue an API token for a person (shown once)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from baomi.lib.errors import BaomiError
from baomi.org.actions import automation_actor, create_token
from baomi.org.models import Person


class Command(BaseCommand):
    help = "API 访问令牌。create <用户名>：为该用户创建一个新令牌，令牌只显示这一次。"

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        create = subcommands.add_parser("create", help="为用户创建访问令牌")
        create.add_argument("username", help="登录用户名")
        create.add_argument("--label", default="命令行创建", help="令牌用途说明")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "create":
            self.create(options["username"], options["label"])

    def create(self, username: str, label: str) -> None:
        person = Person.objects.select_related("unit").filter(user__username=username).first()
        if person is None:
            raise CommandError(f"没有用户名为“{username}”的人员。", returncode=2)
        try:
            token = create_token(automation_actor(person.unit), person, label=label)
        except BaomiError as error:
            raise CommandError(f"未能创建令牌：{error}", returncode=2) from error
        self.stdout.write(token)
        self.stderr.write(
            f"已为{person.name}（{username}）创建访问令牌。令牌只显示这一次，请妥善保存；"
            "调用 API 时使用请求头 Authorization: Bearer <令牌>。"
        )
