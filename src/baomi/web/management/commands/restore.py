"""`baomi restore FILE`: put a backup back into an empty instance of the same database engine
(baomi.lib.restore). Asks nothing on a terminal: overwriting a non-empty one needs --force."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baomi.lib import filestore
from baomi.lib.backup import BackupError
from baomi.lib.restore import restore_backup


class Command(BaseCommand):
    requires_system_checks = []
    help = (
        "恢复：把备份文件恢复到同一种数据库的空实例（已迁移或未迁移均可），需要生成备份时的 keys/ 目录。"
        "目标不为空时须加 --force（原有附件移到旁边的目录，不会删除）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径")
        parser.add_argument("--force", action="store_true", help="目标实例不为空时也覆盖")
        parser.add_argument(
            "--no-owner",
            action="store_true",
            help="PostgreSQL：不恢复表的所有者和权限（以非超级用户恢复时使用）",
        )

    def handle(self, *args, file: str, force: bool, no_owner: bool, **options):
        try:
            result = restore_backup(Path(file), force=force, no_owner=no_owner)
        except (BackupError, filestore.FileStoreError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复：{result.tables} 张表 {result.rows} 行（与备份清单一致），附件 {result.files} 个。"
            )
        )
        if result.moved_aside:
            self.stdout.write(f"原有附件已移到 {result.moved_aside}。")
        if result.checkpoint:
            self.stdout.write(
                f"备份中的检查点已存为 {result.checkpoint}；"
                f"请执行 baomi audit verify --checkpoint {result.checkpoint} 校验审计日志。"
            )
        self.stdout.write("如备份来自旧版本，请接着执行 baomi migrate。")
