"""The automatic scan of a submission (REV-3): the scanner library over its text and files.

Uses the scanner as it is (engine.FileScan over an in-memory stream, the same matcher and limits
as `baomi scan`); returns plain dicts that the ReviewScan row stores and every reviewer is shown.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from baomi.scanner.engine import FileScan, Source
from baomi.scanner.findings import FileResult, ScanProblem
from baomi.scanner.limits import Limits
from baomi.scanner.matcher import Matcher

TEXT_PART = "正文"
TITLE_PART = "标题"
# A submission is read in the web process: tighter limits than a whole-disk check.
LIMITS = Limits(max_depth=3, max_members=2000, max_expanded=256 << 20, max_hits=500)


@dataclass
class Outcome:
    findings: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    hit_count: int = 0

    @property
    def ok(self) -> bool:
        """Everything could be read: a scan with problems cannot clear an item (REV-3)."""
        return not self.problems


def _finding(name: str, f) -> dict:
    return {
        "file": name,
        "kind": f.kind,
        "part": f.part,
        "line": f.line,
        "text": f.text,
        "before": f.before,
        "after": f.after,
        "level": f.level,
        "level_display": f.level_display,
        "marking": f.marking,
    }


def _collect(outcome: Outcome, name: str, result: FileResult) -> None:
    # A mention (a level word not at a marking's place, e.g. a book called 《秘密》's chapter) is
    # no marking: it neither blocks a publication (REV-3) nor clutters the reviewer's list.
    outcome.findings += [_finding(name, f) for f in result.findings if f.kind != "mention"]
    outcome.hit_count += result.hit_count
    outcome.problems += [
        {"file": name, "code": p.code, "message": p.message} for p in result.problems
    ]


def scan_submission(
    title: str, text: str, files: list[tuple[str, bytes]], terms: list[str]
) -> Outcome:
    """Scan the title, the text and each (name, bytes) file. Never raises for content (SCAN-2)."""
    matcher = Matcher(terms)
    outcome = Outcome()
    for part, value in ((TITLE_PART, title), (TEXT_PART, text)):
        result = FileResult(part)
        matcher.scan([value.encode("utf-8")], part, "", result, LIMITS.max_hits)
        _collect(outcome, part, result)
    for name, data in files:
        result = FileResult(name, size=len(data))
        scan = FileScan(matcher, LIMITS, result)
        try:
            scan.source(Source(name, name, io.BytesIO(data)))
        except Exception as error:  # the engine guards each step; this is the last net
            result.problem(name, ScanProblem("malformed", f"{type(error).__name__}"))
        _collect(outcome, name, result)
    return outcome
