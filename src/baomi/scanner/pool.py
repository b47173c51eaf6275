"""Scan files in parallel worker processes, each file under a deadline (SCAN-2).

The supervisor hands one file at a time to each worker. A worker that runs past
Limits.file_timeout on a file is killed and replaced, and the file is reported as timed out; one
that dies (a crash in a C library) is replaced and the file reported as crashed. Nothing a file
contains can stop or hang the scan. Workers are forked, so they share the built automaton.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Iterator
from multiprocessing.connection import wait

from baomi.scanner.engine import scan_file
from baomi.scanner.findings import FileResult, ScanProblem
from baomi.scanner.limits import Limits
from baomi.scanner.matcher import Matcher

_FORK = multiprocessing.get_context("fork")


class _Worker:
    def __init__(self, matcher: Matcher, limits: Limits):
        self.limits = limits
        self.conn, child = _FORK.Pipe()
        # Not a daemon: a worker forks a child of its own for each PDF.
        self.process = _FORK.Process(target=_serve, args=(child, matcher, limits))
        self.process.start()
        child.close()
        self.task: str | None = None
        self.deadline = 0.0

    def give(self, path: str) -> None:
        self.task = path
        self.deadline = time.monotonic() + self.limits.file_timeout
        self.conn.send(path)

    def stop(self, kill: bool = False) -> None:
        if not kill:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()  # a PDF child of its own ends by its alarm (extractors/pdf.py)
        self.process.join()
        self.conn.close()


def _serve(conn, matcher: Matcher, limits: Limits) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    while (path := conn.recv()) is not None:
        conn.send(scan_file(path, matcher, limits))


def scan_files(
    paths: list[str], matcher: Matcher, limits: Limits, jobs: int
) -> Iterator[FileResult]:
    """Results as files finish (not in input order)."""
    pending = deque(paths)
    workers = [_Worker(matcher, limits) for _ in range(max(1, min(jobs, len(paths))))]
    try:
        for worker in workers:
            if pending:
                worker.give(pending.popleft())
        while busy := [w for w in workers if w.task is not None]:
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy], timeout)
            for index, worker in enumerate(workers):
                if worker.task is None:
                    continue
                result = _collect(worker, ready)
                if result is None:
                    continue
                yield result
                if not worker.process.is_alive() or worker.task is not None:
                    worker.stop(kill=True)
                    workers[index] = worker = _Worker(matcher, limits)
                if pending:
                    worker.give(pending.popleft())
    finally:
        for worker in workers:
            worker.stop(kill=worker.task is not None)


def _collect(worker: _Worker, ready: list) -> FileResult | None:
    """The worker's result if it has one; a problem result if it died or ran out of time."""
    path = worker.task
    if worker.conn in ready:
        try:
            result = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1)
            return _failed(path, "crashed", f"退出码 {worker.process.exitcode}")
        worker.task = None
        return result
    if time.monotonic() >= worker.deadline:
        return _failed(path, "timeout", f"超过 {worker.limits.file_timeout:g} 秒")
    return None


def _failed(path: str, code: str, detail: str) -> FileResult:
    result = FileResult(path)
    result.problem(path, ScanProblem(code, detail))
    return result
