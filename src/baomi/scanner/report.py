"""The scan's report: a table for people, JSON and CSV for machines, and the upload of the JSON
as the quarterly check of a computer in the device ledger (DEV-6).

File names are bytes on Linux and need not be UTF-8: Python hands them over with lone surrogates
(surrogateescape). Every string that leaves the scanner goes through `shown`, which writes each
such byte as the four characters \\xNN, so that JSON and CSV stay valid UTF-8; a path that needed
it also carries `path_b64`, the name's raw bytes in base64, so that a machine can find the file.
The format stays baomi-scan/1: keys are only ever added (devices/checks.py reads it).
"""

from __future__ import annotations

import base64
import csv
import os
import re
import socket
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TextIO

import orjson

from baomi.classification.choices import Level
from baomi.scanner.findings import FileResult, Finding

FORMAT = "baomi-scan/1"
_RED, _BOLD, _RESET = "\x1b[1;31m", "\x1b[1m", "\x1b[0m"


@dataclass
class Report:
    roots: list[str]
    term_count: int
    started: datetime
    finished: datetime | None = None
    results: list[FileResult] = field(default_factory=list)
    device: str = ""
    list_clean: bool = False  # list the files read in full with nothing found (--list-clean)

    @property
    def problems(self):
        return [p for r in self.results for p in r.problems]

    def exit_code(self) -> int:
        """0 clean, 1 findings, 2 a file could not be (fully) checked."""
        if self.problems:
            return 2
        return 1 if any(r.hit_count for r in self.results) else 0

    @property
    def clean(self) -> list[FileResult]:
        """Files read in full with nothing found (a mention of a level is not a finding)."""
        return [r for r in self.results if not (r.hit_count or r.problems or r.skipped)]

    def summary(self) -> dict:
        scanned = [r for r in self.results if not r.skipped]
        levels = sum((r.level_counts for r in self.results), start=_counter())
        return {
            "files": len(scanned),
            "bytes": sum(r.size for r in scanned),
            "files_with_findings": sum(1 for r in self.results if r.hit_count),
            "markings": sum(levels.values()),
            "markings_by_level": dict(levels),
            "terms": sum(sum(r.term_counts.values()) for r in self.results),
            "mentions": sum(r.mentions for r in self.results),
            "problems": len(self.problems),
            "skipped": sum(1 for r in self.results if r.skipped),
            "clean": len(self.clean),
        }

    def as_json(self) -> dict:
        body = {
            "format": FORMAT,
            "device": self.device,
            "host": socket.gethostname(),
            "roots": [shown(r) for r in self.roots],
            "started": self.started.isoformat(timespec="seconds"),
            "finished": (self.finished or self.started).isoformat(timespec="seconds"),
            "term_list_size": self.term_count,
            "exit_code": self.exit_code(),
            "summary": self.summary(),
            "files": [_file_json(r) for r in self.results if r.hit_count or r.mentions],
            "problems": [_with_path(asdict(p)) for p in self.problems],
            "skipped": [
                _with_path({"path": r.path, "reason": r.skipped}) for r in self.results if r.skipped
            ],
        }
        if self.list_clean:
            body["clean"] = [_with_path({"path": r.path, "size": r.size}) for r in self.clean]
        return body


def _counter():
    from collections import Counter

    return Counter()


def _file_json(result: FileResult) -> dict:
    names: dict[str, str] = {}  # a file's findings share a handful of paths and parts
    return _with_path(
        {
            "path": result.path,
            "size": result.size,
            "terms": dict(result.term_counts),
            "markings": dict(result.level_counts),
            "mentions": result.mentions,
            "findings": [_finding_json(f, names) for f in result.findings],
            "findings_omitted": result.omitted,
        }
    )


def _finding_json(f: Finding, names: dict[str, str] | None = None) -> dict:
    """The finding as a dict (dataclasses.asdict deep-copies: ten times slower on 10⁵ hits).
    Only the path and the part (names from the disk or an archive) can hold surrogates: the
    text and its context are decoded with replacement."""
    names = {} if names is None else names
    path = names.get(f.path)
    if path is None:
        path = names[f.path] = shown(f.path)
    part = names.get(f.part)
    if part is None:
        part = names[f.part] = shown(f.part)
    return {
        "kind": f.kind,
        "path": path,
        "part": part,
        "line": f.line,
        "offset": f.offset,
        "text": f.text,
        "before": f.before,
        "after": f.after,
        "level": f.level,
        "level_display": f.level_display,
        "marking": f.marking,
    }


# --- names that are not UTF-8 --------------------------------------------------------------------

_SURROGATE = re.compile("[\udc80-\udcff]")
_ANY_SURROGATE = re.compile("[\ud800-\udfff]")


def shown(text: str) -> str:
    """`text` fit for UTF-8 output: a byte that was not UTF-8 (a lone surrogate from
    surrogateescape) becomes the text \\xNN; any other lone surrogate becomes U+FFFD."""
    if not _ANY_SURROGATE.search(text):
        return text
    text = _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
    return _ANY_SURROGATE.sub("\ufffd", text)


def raw_name(path: str) -> str:
    """The path's bytes in base64 (what os.fsencode gives back for a name from the disk)."""
    return base64.b64encode(os.fsencode(path)).decode("ascii")


def _with_path(entry: dict, path: str | None = None) -> dict:
    """`entry` with its strings `shown`, and path_b64 when its path (`path`, else
    entry["path"]) is not UTF-8: the bytes of the file on disk (before any "!member")."""
    path = entry["path"] if path is None else path
    if _ANY_SURROGATE.search(path):
        entry["path_b64"] = raw_name(path.split("!", 1)[0])
    for key, value in entry.items():
        if isinstance(value, str):
            entry[key] = shown(value)
    return entry


# --- text for people -------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def write_table(report: Report, out: TextIO, color: bool = False) -> None:
    rows = []
    for result in report.results:
        for f in result.findings:
            where = f"{f.part} 第{f.line}行" if f.part else f"第{f.line}行"
            what = _KINDS[f.kind].format(level=f.level_display)
            hit = f"{_RED}{f.text}{_RESET}" if color and f.kind != "mention" else f"【{f.text}】"
            rows.append((shown(f.path), shown(where), what, shown(f"{f.before}{hit}{f.after}")))
    if rows:
        widths = [min(60, max(_width(r[i]) for r in rows)) for i in range(3)]
        header = ("文件", "位置", "类别", "上下文")
        out.write("  ".join(_pad(h, w) for h, w in zip(header, [*widths, 0], strict=True)) + "\n")
        for row in rows:
            cells = [_pad(c, w) for c, w in zip(row[:3], widths, strict=True)]
            out.write("  ".join([*cells, row[3]]) + "\n")
    for result in report.results:
        if result.omitted > 0:
            out.write(f"{shown(result.path)}：另有 {result.omitted} 处命中未逐条列出（见计数）\n")
    for problem in report.problems:
        out.write(f"问题  {shown(problem.path)}：{shown(problem.message)}\n")
    if report.list_clean:
        for result in report.clean:
            out.write(f"无发现  {shown(result.path)}\n")
    out.write(_summary_line(report, color) + "\n")


_KINDS = {
    "marking": "密级 {level}",
    "term": "敏感词",
    "mention": "提及{level}（低置信度，不计为密级标志）",
}


def _summary_line(report: Report, color: bool) -> str:
    s = report.summary()
    levels = "、".join(
        f"{Level(k).label} {v}" for k, v in sorted(s["markings_by_level"].items()) if v
    )
    mentions = s["mentions"]
    text = (
        f"共检查 {s['files']} 个文件（{s['bytes'] / 1e6:.1f} MB），{s['files_with_findings']} 个有命中："
        f"密级标志 {s['markings']} 处{f'（{levels}）' if levels else ''}，敏感词 {s['terms']} 处"
        f"{f'，另有 {mentions} 处提及密级（低置信度，不计为发现）' if mentions else ''}；"
        f"无法检查 {s['problems']} 处，跳过 {s['skipped']} 项。"
    )
    return f"{_BOLD}{text}{_RESET}" if color else text


_CSV_FIELDS = ["path", "part", "line", "offset", "kind", "level", "level_display", "marking"]
_CSV_FIELDS += ["text", "before", "after", "code", "message", "path_b64"]


def write_csv(report: Report, out: TextIO) -> None:
    """One row per finding (kind marking, term or mention), per problem (kind problem) and, with
    --list-clean, per clean file (kind clean)."""
    writer = csv.DictWriter(out, fieldnames=_CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for result in report.results:
        for f in result.findings:
            writer.writerow(_with_path(_finding_json(f), f.path))
    for p in report.problems:
        row = {"path": p.path, "kind": "problem", "code": p.code, "message": p.message}
        writer.writerow(_with_path(row))
    if report.list_clean:
        for result in report.clean:
            writer.writerow(_with_path({"path": result.path, "kind": "clean"}))


def write_json(report: Report, out: TextIO) -> None:
    out.write(json_bytes(report, indent=True).decode("utf-8"))
    out.write("\n")


def json_bytes(report: Report, indent: bool = False) -> bytes:
    """The JSON report as UTF-8 (orjson: a report of 10⁵ findings in a fraction of a second)."""
    return orjson.dumps(report.as_json(), option=orjson.OPT_INDENT_2 if indent else 0)


def upload(report: Report, url: str, token: str, timeout: float = 60) -> int:
    """POST the JSON report to the device ledger (DEV-6); the HTTP status, or raises OSError."""
    body = json_bytes(report)
    import urllib.request  # only when the network is used: start-up

    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status
