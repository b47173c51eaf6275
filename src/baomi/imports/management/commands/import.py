"""`baomi import people|carriers|devices FILE --as USERNAME [--unit CODE] [--dry-run]`.

Exit codes: 0 imported (or a clean dry run), printing the count; 1 some rows are bad — each
printed as `第N行 〈列〉：原因（规则）`, nothing written; 2 usage errors or an unreadable file.
A people import prints `username<TAB>one-time password` for every new account, shown once.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baomi.devices.imports import import_devices
from baomi.imports.actions import import_carriers
from baomi.imports.people import import_people
from baomi.imports.report import ImportReport, RowsRejected
from baomi.lib.errors import BaomiError, Invalid
from baomi.org.models import Person, Unit

KINDS = {"people": "人员", "carriers": "涉密载体", "devices": "设备"}


class Command(BaseCommand):
    help = (
        "导入现有台帐：people（人员及账号，系统管理员）、carriers（涉密载体，保密员）"
        "或 devices（计算机与存储介质，保密员）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="people、carriers 或 devices")
        parser.add_argument("file", help=".xlsx、.xls 或 .csv（UTF-8 或 GBK）文件")
        parser.add_argument("--as", dest="username", required=True, help="导入人的用户名")
        parser.add_argument("--unit", help="单位代码（数据库中有多个单位时必填）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, kind: str, file: str, username: str, unit, dry_run: bool, **options):
        actor = Person.objects.select_related("unit").filter(user__username=username).first()
        if actor is None:
            raise CommandError(f"没有用户名为“{username}”的人员。", returncode=2)
        target = self._unit(actor, unit)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件“{file}”：{error.strerror}", returncode=2) from None
        run = {"people": import_people, "carriers": import_carriers, "devices": import_devices}[
            kind
        ]
        try:
            report = run(actor, target, file_name=path.name, data=data, dry_run=dry_run)
        except RowsRejected as error:
            self._problems(error.report)
            raise CommandError(error.message, returncode=1) from None
        except Invalid as error:
            raise CommandError(error.message, returncode=2) from None
        except BaomiError as error:
            raise CommandError(f"导入被拒绝：{error.message}", returncode=2) from None
        if not report.ok:
            self._problems(report)
            raise CommandError(
                f"试导入：{len(report.bad_rows)} 行有问题（共 {report.row_count} 行），请修改后重试。",
                returncode=1,
            )
        for note in report.notes:
            self.stderr.write(note)
        if dry_run:
            self.stdout.write(
                f"试导入通过：{report.row_count} 行，可导入{KINDS[kind]} {report.count} 条（未写入）。"
            )
            return
        for account, password in report.accounts:
            self.stdout.write(f"{account}\t{password}")
        if report.accounts:
            self.stderr.write("以上为新账号的一次性密码，只显示这一次；首次登录须修改密码。")
        batch = f"，批次 #{report.batch.pk}" if report.batch is not None else ""
        self.stdout.write(
            f"已导入{KINDS[kind]} {report.count} 条（{report.row_count} 行{batch}）。"
        )

    def _unit(self, actor: Person, code: str | None) -> Unit:
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise CommandError(f"没有代码为“{code}”的单位。", returncode=2)
            return unit
        if Unit.objects.count() > 1 and not actor.unit_id:
            raise CommandError("数据库中有多个单位，请用 --unit 指定单位代码。", returncode=2)
        # Several units: the importer's own unit is the only sensible default.
        return actor.unit

    def _problems(self, report: ImportReport) -> None:
        for line in report.lines:
            self.stdout.write(line)
