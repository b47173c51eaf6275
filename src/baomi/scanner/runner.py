"""Scan whole trees: walk the roots, scan in parallel, collect a Report (SCAN-1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from baomi.scanner.limits import Limits
from baomi.scanner.matcher import Matcher
from baomi.scanner.pool import scan_files
from baomi.scanner.report import Report
from baomi.scanner.walker import walk

Progress = Callable[[int, int, int, int], None]  # files done, files total, bytes done, bytes total


def scan(
    roots: list[str],
    terms: list[str] = (),
    limits: Limits | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Report:
    limits = limits or Limits()
    matcher = Matcher(terms)
    report = Report(roots=list(roots), term_count=len(matcher.terms), started=datetime.now())
    found = walk(list(roots))
    sizes = dict(found.files)
    total = found.total_bytes
    done_bytes = 0
    results = []
    for result in scan_files([p for p, _ in found.files], matcher, limits, jobs):
        results.append(result)
        done_bytes += sizes.get(result.path, 0)
        if progress:
            progress(len(results), len(found.files), done_bytes, total)
    results.extend(found.others)
    results.sort(key=lambda r: r.path)
    report.results = results
    report.finished = datetime.now()
    return report
