"""`baomi scan PATH...`: 保密检查 of files and directories (SCAN-1, DEV-6, REV-3), without Django.

The console entry point (baomi/cli.py) sends `scan` here before Django is imported, so a scan
starts in a fraction of a second (a tree of many small files is not slowed by a fixed set-up);
the management command of the same name (scanner/management/commands/scan.py) runs the same code.
Nothing here needs a database, settings or apps: the upload (--report-to) is a plain HTTPS POST.

Exit code: 0 nothing found, 1 markings or terms found, 2 some file could not be checked (or the
report could not be written or uploaded). Findings go to stdout (a table, or --json / --csv);
progress to a terminal's stderr. Mentions of a level that are not markings by their place are
listed at a lower confidence and never make the exit code 1.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from typing import TextIO

from baomi.scanner import report as reports
from baomi.scanner.limits import Limits
from baomi.scanner.runner import scan
from baomi.scanner.terms import fetch_terms, read_terms

HELP = "保密检查：在文件中查找密级标志和敏感词。退出码 0 未发现，1 有发现，2 有文件无法检查。"
NO_TERMS_NOTE = (
    "提示：未给出敏感词表，本次只检查密级标志（如“机密★5年”）。"
    "检查敏感词请用 --terms 词表文件（每行一个，可多次给出），"
    "或 --terms-url 服务器地址 --token 令牌 从服务器获取本单位的词表。"
)


class Refused(Exception):
    """A usage error the person must fix (exit code 2, message on stderr)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
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
        "--jobs", "-j", type=int, default=os.cpu_count() or 1, help="并行进程数（默认为 CPU 核数）"
    )
    parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
    parser.add_argument(
        "--list-clean",
        action="store_true",
        help="同时列出检查过且无发现的文件（季度检查须能出示检查了哪些文件）",
    )
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
        "--max-hits", type=int, default=d.max_hits, help="每个文件逐条列出的命中数（其余只计数）"
    )


def run(o: dict, stdout: TextIO, stderr: TextIO) -> int:
    """Scan as the options say; the exit code. Raises Refused for a usage error."""
    if o["report_to"] and not o["device"]:
        raise Refused("上传检查结果需要 --device（设备编号）。")
    limits = Limits(
        max_depth=o["max_depth"],
        max_members=o["max_members"],
        max_expanded=o["max_expanded"],
        max_ratio=o["max_ratio"],
        file_timeout=o["timeout"],
        extract_timeout=o["extract_timeout"],
        max_hits=o["max_hits"],
    )
    terms = _terms(o, stderr)
    report = scan(o["paths"], terms, limits, max(1, o["jobs"]), _progress(o))
    report.device = o["device"]
    report.list_clean = o["list_clean"]
    raw = getattr(stdout, "buffer", None)
    if o["json"] and raw is not None:  # bytes straight out: a report may hold 10⁵ findings
        stdout.flush()
        raw.write(reports.json_bytes(report, indent=True) + b"\n")
        raw.flush()
    else:
        out = io.StringIO()
        if o["json"]:
            reports.write_json(report, out)
        elif o["csv"]:
            reports.write_csv(report, out)
        else:
            reports.write_table(report, out, color=stdout.isatty())
        stdout.write(out.getvalue())
        stdout.flush()
    code = report.exit_code()
    if o["out"]:
        code = _save(report, o["out"], stderr) or code
    if o["report_to"]:
        code = _upload(report, o, stderr) or code
    return code


def _terms(o: dict, stderr: TextIO) -> list[str]:
    terms = []
    try:
        for path in o["terms"]:
            terms += read_terms(path)
        if o["terms_url"]:
            terms += fetch_terms(o["terms_url"], o["token"])
    except (OSError, ValueError) as error:
        raise Refused(f"无法读取敏感词表：{error}") from error
    if not terms:
        # A clean result without a term list means less than a user may think: say so.
        stderr.write(NO_TERMS_NOTE + "\n")
    return terms


def _progress(o: dict):
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


def _save(report, path: str, stderr: TextIO) -> int:
    try:
        with open(path, "w", encoding="utf-8") as out:
            reports.write_json(report, out)
    except OSError as error:
        stderr.write(f"无法写入报告文件：{error}\n")
        return 2
    stderr.write(f"检查报告已写入 {path}，请用指定介质带回并在设备台帐上传（DEV-6）。\n")
    return 0


def _upload(report, o: dict, stderr: TextIO) -> int:
    try:
        status = reports.upload(report, o["report_to"], o["token"])
    except (OSError, ValueError) as error:  # ValueError: a malformed URL
        stderr.write(f"上传失败：{error}\n")
        return 2
    stderr.write(f"已上传为设备 {o['device']} 的季度检查结果（HTTP {status}）。\n")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="baomi scan", description=HELP)
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        return run(options, sys.stdout, sys.stderr)
    except Refused as error:
        sys.stderr.write(f"{error}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("\n已中断。\n")
        return 130
