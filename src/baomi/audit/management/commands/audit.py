"""`baomi audit verify|seal|checkpoint`: the audit log's sequencer, checkpoints and checks (SEC-4).

    baomi audit seal [--once] [--interval 1]     the sequencer (a worker; `make run` starts it)
    baomi audit checkpoint [--out FILE]          sign and print (or write) a checkpoint
    baomi audit verify [--checkpoint FILE]... [--key VKEY|FILE]
                                                 recompute the log; prove it extends checkpoints

verify exits 0 when everything holds, 1 naming what broke, 2 on a usage error.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from baomi.audit import signing
from baomi.audit.checkpoints import publish
from baomi.audit.models import CheckpointReason
from baomi.audit.sequencer import run_forever, seal
from baomi.audit.verification import verify


class Command(BaseCommand):
    # Works even while a URL or app check fails: an auditor must always be able to verify.
    requires_system_checks = []
    help = "审计日志：seal 封存（排序入树），checkpoint 生成签名检查点，verify 重算并校验。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        check = sub.add_parser("verify", help="重算审计日志；给出检查点时证明日志只增未改（SEC-4）")
        check.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="上级保存的签名检查点文件（可重复）",
        )
        check.add_argument(
            "--key", metavar="VKEY", help="验证公钥（文本或文件），默认用本系统的签名密钥"
        )
        sealer = sub.add_parser("seal", help="排序器：把已提交的审计记录封存入默克尔树")
        sealer.add_argument("--once", action="store_true", help="封存一次后退出")
        sealer.add_argument("--interval", type=float, default=1.0, help="两次封存的间隔（秒）")
        sealer.add_argument(
            "--checkpoint-every", type=float, default=3600.0, help="定时检查点的间隔（秒）"
        )
        point = sub.add_parser("checkpoint", help="生成签名检查点")
        point.add_argument("--out", metavar="FILE", help="写入文件（默认打印）")

    def handle(self, *args, subcommand: str, **options):
        getattr(self, subcommand)(**options)

    def usage_error(self, message: str):
        self.stderr.write(f"用法错误：{message}")
        sys.exit(2)

    def seal(self, *, once: bool, interval: float, checkpoint_every: float, **_):
        if once:
            self.stdout.write(f"已封存 {seal()} 条审计记录")
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        self.stdout.write(f"审计排序器已启动：每 {interval:g} 秒封存一次")
        with contextlib.suppress(KeyboardInterrupt):
            run_forever(interval, checkpoint_every=checkpoint_every, stop=lambda: bool(stopping))

    def checkpoint(self, *, out: str | None, **_):
        note = publish(CheckpointReason.MANUAL).note
        if out:
            Path(out).write_text(note, encoding="utf-8")
            self.stdout.write(f"检查点已写入 {out}")
        else:
            self.stdout.write(note, ending="")

    def verify(self, *, checkpoint: list[str], key: str | None, **_):
        notes = []
        for name in checkpoint:
            try:
                notes.append((name, Path(name).read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as error:
                self.usage_error(f"无法读取检查点文件 {name}：{error}")
        trusted = None
        if key:
            text = Path(key).read_text(encoding="utf-8") if Path(key).is_file() else key
            try:
                trusted = signing.parse_verifier(text)
            except ValueError as error:
                self.usage_error(f"验证公钥无效：{error}")
        result = verify(notes, trusted)
        if result.ok:
            pending = f"，另有 {result.pending} 条待封存" if result.pending else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"审计日志完整：{result.checked} 条记录，树大小 {result.size}{pending}"
                )
            )
            for cp in result.checkpoints:
                self.stdout.write(f"检查点 {cp.source}（大小 {cp.size}）：一致，日志只增未改")
            return
        where = []
        if result.broken_seq is not None:
            where.append(f"序号 {result.broken_seq}")
        if result.broken_id is not None:
            where.append(f"记录编号 {result.broken_id}")
        prefix = "，".join(where) + "：" if where else ""
        self.stderr.write(f"审计日志校验失败：{prefix}{result.reason}（SEC-4）")
        for problem in result.problems[1:]:
            self.stderr.write(f"  另：{problem}")
        # Exit 1 both from the console and from call_command: a broken log is not a usage error.
        sys.exit(1)
