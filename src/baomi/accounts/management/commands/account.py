"""`baomi account …`: what only the server may do to an account (SEC-3 三员分立).

The three system accounts are reset or unlocked only here — never from the console, or the
系统管理员 could take over the auditor's account. Works for every account; audited, with the
unit's automation actor as the actor."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from baomi.accounts import actions
from baomi.lib.errors import BaomiError
from baomi.org.actions import automation_actor
from baomi.org.models import Person


class Command(BaseCommand):
    help = (
        "账号（服务器端）。reset-password <用户名>：重置口令并输出一次性口令；"
        "unlock <用户名>：解除锁定；reset-otp <用户名>：解除动态口令牌绑定；"
        "register-token <用户名> --serial --seed：登记硬件动态口令牌。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        for name, text in (
            ("reset-password", "重置口令（输出一次性口令，下次登录须修改）"),
            ("unlock", "解除锁定"),
            ("reset-otp", "解除该账号的全部动态口令牌（丢失或交回时）"),
        ):
            sub.add_parser(name, help=text).add_argument("username", help="登录用户名")
        token = sub.add_parser("register-token", help="登记硬件动态口令牌（动态口令牌）")
        token.add_argument("username", help="登录用户名")
        token.add_argument("--serial", required=True, help="口令牌序列号")
        token.add_argument("--seed", required=True, help="种子（十六进制或 Base32）")
        token.add_argument("--digits", type=int, default=6, choices=(6, 8))
        token.add_argument("--step", type=int, default=30, choices=(30, 60))

    def handle(self, *args, subcommand: str, username: str, **options):
        person = (
            Person.objects.select_related("unit", "user").filter(user__username=username).first()
        )
        if person is None:
            raise CommandError(f"没有用户名为“{username}”的账号。", returncode=2)
        actor = automation_actor(person.unit)
        try:
            if subcommand == "reset-password":
                password = actions.reset_password(actor, person)
                self.stdout.write(password)
                self.stderr.write(
                    f"已重置{person.name}（{username}）的口令。一次性口令只显示这一次，"
                    "下次登录须修改。"
                )
            elif subcommand == "unlock":
                actions.unlock_account(actor, person)
                self.stderr.write(f"已解除{person.name}（{username}）的锁定。")
            elif subcommand == "reset-otp":
                from django_otp.plugins.otp_totp.models import TOTPDevice

                devices = list(TOTPDevice.objects.filter(user_id=person.user_id))
                for device in devices:
                    actions.remove_otp_device(actor, device)
                self.stderr.write(
                    f"已解除{person.name}（{username}）的 {len(devices)} 个动态口令牌；"
                    "下次登录时重新绑定。"
                )
            else:
                actions.register_hardware_token(
                    actor,
                    person,
                    serial=options["serial"],
                    seed=options["seed"],
                    digits=options["digits"],
                    step=options["step"],
                )
                self.stderr.write(f"已为{person.name}（{username}）登记动态口令牌。")
        except BaomiError as error:
            raise CommandError(f"未能完成：{error.message}", returncode=2) from error
