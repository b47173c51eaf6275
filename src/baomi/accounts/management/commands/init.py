"""`baomi init`: a system's first run — the first unit and the three system accounts (SEC-3).

Prints one line per account, `username<TAB>one-time password`, to stdout (shown once; each must
be changed at first login). Runs once per database: where a unit exists it exits 2, changing
nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from baomi.accounts.actions import initialise_system
from baomi.classification.choices import Authority
from baomi.lib.errors import BaomiError
from baomi.org.actions import automation_actor
from baomi.org.models import Unit

AUTHORITIES = {str(a.label): a.value for a in Authority} | {a.value: a.value for a in Authority}
ALREADY = (
    "本数据库已初始化（已有单位{unit}），未作任何改动。baomi init 每个数据库只能运行一次；"
    "其他单位由系统管理员在系统中添加，三员账号的口令用 baomi account reset-password 重置。"
)


class Command(BaseCommand):
    help = (
        "系统首次运行：建立本单位（及其上级单位）和三员账号（系统管理员 sysadmin、"
        "安全保密管理员 secadmin、安全审计员 auditor），输出各账号的一次性口令。每个数据库只能运行一次。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="本单位名称")
        parser.add_argument("--code", required=True, help="本单位代码")
        parser.add_argument(
            "--authority",
            required=True,
            choices=sorted(AUTHORITIES),
            help="定密权限：绝密、机密、秘密或无（多数单位为无，只能派生定密）",
        )
        parser.add_argument("--superior-name", default="", help="上级单位名称（可选）")
        parser.add_argument("--superior-code", default="", help="上级单位代码（与名称同时给出）")

    def handle(self, *args, **options):
        name, code = options["unit"].strip(), options["code"].strip()
        superior_name = options["superior_name"].strip()
        superior_code = options["superior_code"].strip()
        self._check(name, code, superior_name, superior_code)
        try:
            with transaction.atomic():
                _one_init_at_a_time()
                existing = Unit.objects.order_by("pk").first()
                if existing is not None:
                    raise CommandError(ALREADY.format(unit=f"“{existing.name}”"), returncode=2)
                # Bootstrap: nobody can act before the first unit exists (its automation actor
                # belongs to it), so the unit is made here and everything else by the action.
                unit = Unit.objects.create(
                    name=name, code=code, classification_authority=AUTHORITIES[options["authority"]]
                )
                issued = initialise_system(
                    automation_actor(unit),
                    unit,
                    superior_name=superior_name,
                    superior_code=superior_code,
                )
        except BaomiError as error:
            raise CommandError(f"初始化失败：{error.message}", returncode=2) from error
        for username, password in issued:
            self.stdout.write(f"{username}\t{password}")
        self.stderr.write(
            f"已初始化：{name}（{code}）。以上为三员账号的一次性口令，只显示这一次；"
            "首次登录须修改口令，三员还须绑定动态口令牌。"
        )

    def _check(self, name, code, superior_name, superior_code) -> None:
        problems = []
        if not name or len(name) > 100:
            problems.append("单位名称须为 1–100 个字符")
        if not code or len(code) > 20:
            problems.append("单位代码须为 1–20 个字符")
        if bool(superior_name) != bool(superior_code):
            problems.append("上级单位的名称和代码须同时给出")
        if superior_name and (len(superior_name) > 100 or len(superior_code) > 20):
            problems.append("上级单位名称不超过 100 个字符，代码不超过 20 个字符")
        if superior_name and (superior_name == name or superior_code == code):
            problems.append("上级单位的名称和代码不能与本单位相同")
        if problems:
            raise CommandError("；".join(problems) + "。", returncode=2)


# Any fixed key: two `baomi init` runs at once must not both find the database empty.
INIT_LOCK = 0x6261_6F6D_6969_6E74 & 0x7FFF_FFFF_FFFF_FFFF


def _one_init_at_a_time() -> None:
    """PostgreSQL: a transaction-scoped advisory lock. SQLite: the IMMEDIATE transaction already
    holds the database's write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INIT_LOCK])
