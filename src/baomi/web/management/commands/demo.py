"""`baomi demo`: load the demo office (idempotent), then print the demo accounts."""

from __future__ import annotations

import time
import unicodedata

from django.core.management.base import BaseCommand

from baomi.carriers.choices import Status
from baomi.web.demo import DEMO_PASSWORD, UNIT_NAME, load_demo


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 1)


class Command(BaseCommand):
    help = (
        "载入演示数据（XX市人民政府办公室：人员、存放位置、约300件涉密载体及其流转和审批记录）。"
        "已存在则不重复载入。"
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        result = load_demo()
        if not result.created:
            self.stdout.write("演示数据已存在，未作改动。")
            return
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入演示数据：{UNIT_NAME}，涉密载体 {result.carriers} 件（用时 {seconds:.1f} 秒）。"
            )
        )
        counts = "，".join(
            f"{Status(status).label} {count}"
            for status, count in sorted(result.by_status.items(), key=lambda kv: -kv[1])
        )
        self.stdout.write(f"载体状态：{counts}")
        self.stdout.write("")
        self.stdout.write("演示账号：")
        self.stdout.write("  " + pad("用户名", 12) + pad("姓名", 8) + pad("涉密等级", 10) + "角色")
        for account in result.accounts:
            self.stdout.write(
                "  "
                + pad(account.username, 12)
                + pad(account.name, 8)
                + pad(account.clearance, 10)
                + account.role
            )
        self.stdout.write(f"所有演示账号的密码：{DEMO_PASSWORD}")
