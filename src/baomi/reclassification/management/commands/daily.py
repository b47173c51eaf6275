"""`baomi daily`: the daily job — carriers whose period ended without an extension are
declassified (保密期限已满的，自行解密, CL-9), with audit events, and their holders told.
Idempotent: run it twice on one day and the second run changes nothing."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from baomi.org.actions import automation_actor
from baomi.org.models import Unit
from baomi.reclassification.actions import run_daily


class Command(BaseCommand):
    help = "每日任务：保密期限届满且未延期的载体自行解密，记录审计并通知持有人（CL-9）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按此日期执行（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError("日期格式应为 YYYY-MM-DD") from error
        today = today or timezone.localdate()
        total = 0
        for unit in Unit.objects.order_by("pk"):
            done = run_daily(automation_actor(unit), today)
            total += len(done)
            for change in done:
                self.stdout.write(f"{unit.name}：{change.carrier.label} 保密期限届满，已自行解密")
        self.stdout.write(self.style.SUCCESS(f"{today} 每日任务完成：自行解密 {total} 件"))
