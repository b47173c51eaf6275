"""`baomi backup FILE`: one consistent archive of the database, the file store and the latest
checkpoint, encrypted with the file key (baomi.lib.backup). Asks nothing on a terminal."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baomi.lib import filestore
from baomi.lib.backup import BackupError, write_backup


class Command(BaseCommand):
    requires_system_checks = []
    help = (
        "备份：把数据库、附件文件库和最新的签名检查点写入一个用文件密钥加密的归档文件。"
        "密钥文件不在备份中，请另行保管（见 docs/operations.md）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径，如 /srv/backup/baomi-2026-12-07.bmbk")

    def handle(self, *args, file: str, **options):
        try:
            result = write_backup(Path(file))
        except (BackupError, filestore.FileStoreError) as error:
            raise CommandError(str(error)) from error
        checkpoint = "含最新检查点" if result.checkpoint else "尚无检查点"
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {result.path}：{result.tables} 张表 {result.rows} 行，"
                f"附件 {result.files} 个，{checkpoint}。"
            )
        )
