"""Which files a scan reads: regular files under the given roots, never following links (SCAN-2).

A root given on the command line is taken as named (even if it is a link: the person chose it);
inside it, links to files or directories are listed as skipped, not followed, so a scan never
leaves its roots. Devices, sockets and FIFOs are skipped (reading a FIFO would block forever).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

from baomi.scanner.findings import FileResult, ScanProblem


@dataclass
class Walk:
    files: list[tuple[str, int]] = field(default_factory=list)  # (path, size)
    others: list[FileResult] = field(default_factory=list)  # skipped entries and problems

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self.files)


def walk(roots: list[str]) -> Walk:
    found = Walk()
    for named in roots:
        root = os.path.realpath(named)  # a named root may be a link; what is inside, never
        try:
            info = os.stat(root)
        except OSError as error:
            found.others.append(_problem(root, error))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk_dir(root, found)
        elif stat.S_ISREG(info.st_mode):
            found.files.append((root, info.st_size))
        else:
            found.others.append(FileResult(root, skipped="不是普通文件"))
    return found


def _walk_dir(top: str, found: Walk) -> None:
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as entries:
                entries = sorted(entries, key=lambda e: e.name)
        except OSError as error:
            found.others.append(_problem(directory, error))
            continue
        subdirs = []
        for entry in entries:
            try:
                if entry.is_symlink():
                    found.others.append(FileResult(entry.path, skipped="符号链接，未跟随"))
                elif entry.is_dir(follow_symlinks=False):
                    subdirs.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    found.files.append((entry.path, entry.stat(follow_symlinks=False).st_size))
                else:
                    found.others.append(FileResult(entry.path, skipped="不是普通文件"))
            except OSError as error:
                found.others.append(_problem(entry.path, error))
        stack.extend(reversed(subdirs))


def _problem(path: str, error: OSError) -> FileResult:
    result = FileResult(path)
    result.problem(path, ScanProblem("unreadable", error.strerror or str(error)))
    return result
