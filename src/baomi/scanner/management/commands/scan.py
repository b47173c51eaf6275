"""`baomi scan PATH...`: 保密检查 of files and directories (SCAN-1, DEV-6, REV-3). Needs no database.

Exit code: 0 nothing found, 1 markings or terms found, 2 some file could not be checked (or the
upload failed). Findings go to stdout (a table, or --json / --csv); progress to a terminal's stderr.
"""

from __future__ import annotations

import io
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from baomi.scanner import report as reports
from baomi.scanner.limits import Limits
from baomi.scanner.runner import scan
from baomi.scanner.terms import fetch_terms, read_terms

NO_TERMS_NOTE = (
    "提示：未给出敏感词表，本次只检查密级标志（如“机密★5年”）。"
    "检查敏感词请用 --terms 词表文件（每行一个，可多次给出），"
    "或 --terms-url 服务器地址 --token 令牌 从服务器获取本单位的词表。"
)


class Command(BaseCommand):
    help = "保密检查：在文件中查找密级标志和敏感词。退出码 0 未发现，1 有发现，2 有文件无法检查。"
    requires_system_checks = []  # reads files only; works without a database

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="要检查的文件或目录")
        parser.add_argument(
            "--terms",
            action="append",
            default=[],
            metavar="FILE",
            help="敏感词表文件，每行一个（可多次给出）",
        )
        parser.add_argument("--terms-url", metavar="URL", help="从服务器获取敏感词表")
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true", help="输出 JSON")
        output.add_argument("--csv", action="store_true", help="输出 CSV")
        parser.add_argument(
            "--jobs",
            "-j",
            type=int,
            default=os.cpu_count() or 1,
            help="并行进程数（默认为 CPU 核数）",
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument(
            "--report-to", metavar="URL", help="把结果上传为该计算机的季度检查（DEV-6）"
        )
        parser.add_argument(
            "--out",
            metavar="FILE",
            help="另把 JSON 报告写入该文件：互联网计算机连不上 Baomi 时，用指定介质带回上传（DEV-6）",
        )
        parser.add_argument("--token", default="", help="访问令牌（Bearer）")
        parser.add_argument("--device", default="", metavar="NUMBER", help="设备台账中的计算机编号")
        self._limit_arguments(parser)

    def _limit_arguments(self, parser):
        d = Limits()
        group = parser.add_argument_group("限制（防止恶意文件）")
        group.add_argument("--max-depth", type=int, default=d.max_depth, help="压缩包嵌套层数")
        group.add_argument("--max-members", type=int, default=d.max_members, help="成员总数")
        group.add_argument("--max-expanded", type=int, default=d.max_expanded, help="解压总字节数")
        group.add_argument("--max-ratio", type=int, default=d.max_ratio, help="单个成员的压缩比")
        group.add_argument("--timeout", type=float, default=d.file_timeout, help="每个文件的秒数")
        group.add_argument(
            "--extract-timeout", type=float, default=d.extract_timeout, help="每次 PDF 提取的秒数"
        )
        group.add_argument(
            "--max-hits",
            type=int,
            default=d.max_hits,
            help="每个文件逐条列出的命中数（其余只计数）",
        )

    def handle(self, *args, **o):
        if o["report_to"] and not o["device"]:
            raise CommandError("上传检查结果需要 --device（设备编号）。", returncode=2)
        limits = Limits(
            max_depth=o["max_depth"],
            max_members=o["max_members"],
            max_expanded=o["max_expanded"],
            max_ratio=o["max_ratio"],
            file_timeout=o["timeout"],
            extract_timeout=o["extract_timeout"],
            max_hits=o["max_hits"],
        )
        report = scan(o["paths"], self._terms(o), limits, max(1, o["jobs"]), self._progress(o))
        report.device = o["device"]
        self._write(report, o)
        code = report.exit_code()
        if o["out"]:
            code = self._save(report, o["out"]) or code
        if o["report_to"]:
            code = self._upload(report, o) or code
        if code:
            sys.stdout.flush()
            raise SystemExit(code)

    def _terms(self, o) -> list[str]:
        terms = []
        try:
            for path in o["terms"]:
                terms += read_terms(path)
            if o["terms_url"]:
                terms += fetch_terms(o["terms_url"], o["token"])
        except (OSError, ValueError) as error:
            raise CommandError(f"无法读取敏感词表：{error}", returncode=2) from error
        if not terms:
            # A clean result without a term list means less than a user may think: say so.
            self.stderr.write(NO_TERMS_NOTE)
        return terms

    def _progress(self, o):
        if o["no_progress"] or not sys.stderr.isatty():
            return None

        def show(files, total_files, done, total):
            share = done / total if total else 1
            bar = "█" * int(share * 30)
            sys.stderr.write(
                f"\r扫描 [{bar:<30}] {files}/{total_files} 个文件 {done / 1e6:.0f}/{total / 1e6:.0f} MB"
            )
            if files == total_files:
                sys.stderr.write("\n")
            sys.stderr.flush()

        return show

    def _write(self, report, o) -> None:
        out = io.StringIO()
        if o["json"]:
            reports.write_json(report, out)
        elif o["csv"]:
            reports.write_csv(report, out)
        else:
            reports.write_table(report, out, color=self.stdout.isatty())
        self.stdout.write(out.getvalue(), ending="")

    def _save(self, report, path: str) -> int:
        try:
            with open(path, "w", encoding="utf-8") as out:
                reports.write_json(report, out)
        except OSError as error:
            self.stderr.write(f"无法写入报告文件：{error}")
            return 2
        self.stderr.write(f"检查报告已写入 {path}，请用指定介质带回并在设备台帐上传（DEV-6）。")
        return 0

    def _upload(self, report, o) -> int:
        try:
            status = reports.upload(report, o["report_to"], o["token"])
        except OSError as error:
            self.stderr.write(f"上传失败：{error}")
            return 2
        self.stderr.write(f"已上传为设备 {o['device']} 的季度检查结果（HTTP {status}）。")
        return 0
