"""`baomi audit verify`: recompute the audit hash chain and name the first row that fails (SEC-4)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from baomi.audit.trail import verify


class Command(BaseCommand):
    # Works even while a URL or app check fails: an auditor must always be able to verify.
    requires_system_checks = []
    help = "审计链操作。verify：从第一条记录起重新计算哈希链，发现篡改或删除即报告并以状态 1 退出。"

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        subcommands.add_parser("verify", help="校验审计链是否完整（SEC-4）")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            self.verify()

    def verify(self) -> None:
        result = verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"审计链完整：{result.checked} 条记录"))
            return
        row = f"序号 {result.broken_seq}" + (
            f"，记录编号 {result.broken_id}" if result.broken_id is not None else ""
        )
        self.stderr.write(
            f"审计链校验失败：{row}：{result.reason}（此前 {result.checked} 条记录完好，SEC-4）"
        )
        # Exit 1 both from the console and from call_command: a broken chain is not a usage error.
        sys.exit(1)
