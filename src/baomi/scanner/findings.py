"""What a scan produces: findings (markings and terms), problems, and the result per file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Problem codes → what people read (SCAN-2: hostile and unreadable files are reported).
PROBLEMS = {
    "unreadable": "无法读取",
    "encrypted": "文件已加密，无法检查内容",
    "malformed": "文件已损坏或格式不正确",
    "too_deep": "压缩包嵌套层数超过限制",
    "too_many_members": "压缩包成员数量超过限制",
    "too_large": "解压后总大小超过限制",
    "zip_bomb": "压缩比异常，疑似压缩炸弹",
    "timeout": "检查超时",
    "crashed": "解析进程异常退出",
    "unsupported": "不支持的格式，未检查内容",
    "no_ocr": "未读取：图像，无文字识别（OCR）",
}


# Limits spent for the whole top-level file (Limits.max_members, max_expanded): reported once.
BUDGETS = frozenset({"too_many_members", "too_large"})


class ScanProblem(Exception):
    """A file (or part of one) that could not be checked. `code` is a key of PROBLEMS."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{PROBLEMS[code]}{'：' + detail if detail else ''}")
        self.code = code
        self.detail = detail


@dataclass(slots=True)
class Finding:
    """One hit. `kind` is "marking" (with `level`), "term", or "mention": a level word that by its
    place is not a marking (a chapter called 秘密), reported at a lower confidence and never
    counted as a marking. `part` is where inside the file
    (a zip member, an XML part, a PDF page, "文件名"); `line` counts lines (paragraphs in Office
    parts) of the text extracted from that part; `offset` is the byte offset in that text."""

    kind: str
    path: str
    part: str
    line: int
    offset: int
    text: str
    before: str
    after: str
    level: str = ""  # Level value (top_secret…internal) for markings
    level_display: str = ""
    marking: str = ""  # canonical marking text (CL-4)

    def __reduce__(self):
        # Results travel from the workers by pickle: a plain tuple is several times faster
        # than the default for a slotted dataclass, and a file sends up to Limits.max_hits.
        return Finding, (
            self.kind, self.path, self.part, self.line, self.offset, self.text, self.before,
            self.after, self.level, self.level_display, self.marking,
        )  # fmt: skip


@dataclass(slots=True)
class Problem:
    path: str
    code: str
    message: str


@dataclass
class FileResult:
    """The outcome for one top-level file (with everything inside it)."""

    path: str
    size: int = 0
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    term_counts: Counter = field(default_factory=Counter)
    level_counts: Counter = field(default_factory=Counter)
    mentions: int = 0  # level words that are not markings by their place (lower confidence)
    skipped: str = ""  # why nothing was read (a link, an image…), not a problem

    @property
    def hit_count(self) -> int:
        return sum(self.term_counts.values()) + sum(self.level_counts.values())

    @property
    def omitted(self) -> int:
        """Hits and mentions counted but not kept with place and context (Limits.max_hits)."""
        return self.hit_count + self.mentions - len(self.findings)

    def problem(self, path: str, error: ScanProblem) -> None:
        """Record a problem. A spent budget is reported once per container: the members after
        it (thousands, in a bomb) are not each a problem of their own."""
        if error.code in BUDGETS:
            container = path.rsplit("!", 1)[0]
            if any(p.code == error.code and _inside(container, p.path) for p in self.problems):
                return
            path = container if container != path else path
        self.problems.append(Problem(path, error.code, str(error)))


def _inside(container: str, path: str) -> bool:
    return path == container or path.startswith(container + "!")
