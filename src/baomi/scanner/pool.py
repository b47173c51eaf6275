"""Scan files in parallel worker processes, each file under a deadline (SCAN-2).

The supervisor keeps AHEAD files queued in each worker's pipe, so that a worker never waits for
the supervisor to be scheduled between two small files (on a busy machine that wait, not the
scanning, dominated a tree of small files). A worker that runs past Limits.file_timeout on a
file is killed and replaced, and the file is reported as timed out; one that dies (a crash in a
C library) is replaced and the file reported as crashed; the files queued behind it go back to
the queue. Nothing a file contains can stop or hang the scan. Workers are forked, so they share
the built automaton.
"""

from __future__ import annotations

import contextlib
import fcntl
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
AHEAD = 3  # files queued in a worker at once
_PIPE_SIZE = 1 << 20  # results of ~100 KB pass without making the worker wait (Linux)
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


class _Worker:
    def __init__(self, matcher: Matcher, limits: Limits):
        self.limits = limits
        self.conn, child = _FORK.Pipe()
        for end in (self.conn, child):
            with contextlib.suppress(OSError):  # a larger pipe is an optimisation only
                fcntl.fcntl(end.fileno(), _F_SETPIPE_SZ, _PIPE_SIZE)
        # Not a daemon: a worker forks a child of its own for each PDF.
        self.process = _FORK.Process(target=_serve, args=(child, matcher, limits))
        self.process.start()
        child.close()
        self.tasks: deque[str] = deque()
        self.deadline = 0.0

    @property
    def task(self) -> str | None:
        """The file the worker is on (the first queued)."""
        return self.tasks[0] if self.tasks else None

    def give(self, path: str) -> None:
        if not self.tasks:
            self.deadline = time.monotonic() + self.limits.file_timeout
        self.tasks.append(path)
        self.conn.send(path)

    def done(self) -> None:
        """The first queued file is finished: the next one's time starts now."""
        self.tasks.popleft()
        self.deadline = time.monotonic() + self.limits.file_timeout

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

    def fill(worker: _Worker) -> None:
        while pending and len(worker.tasks) < AHEAD:
            worker.give(pending.popleft())

    try:
        for worker in workers:
            fill(worker)
        while busy := [w for w in workers if w.tasks]:
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy], timeout)
            for index, worker in enumerate(workers):
                if not worker.tasks:
                    continue
                outcome = _collect(worker, ready)
                if outcome is None:
                    continue
                result, lost = outcome
                yield result
                if lost or not worker.process.is_alive():
                    if lost:
                        worker.tasks.popleft()
                    pending.extendleft(reversed(worker.tasks))  # the queued files go back
                    worker.tasks.clear()
                    worker.stop(kill=True)
                    workers[index] = worker = _Worker(matcher, limits)
                else:
                    worker.done()
                fill(worker)
    finally:
        for worker in workers:
            worker.stop(kill=bool(worker.tasks))


def _collect(worker: _Worker, ready: list) -> tuple[FileResult, bool] | None:
    """(result, lost): the worker's result if it has one; a problem result, with lost=True, if
    it died or ran out of time on its current file."""
    path = worker.task
    if worker.conn in ready:
        try:
            return worker.conn.recv(), False
        except (EOFError, OSError):
            worker.process.join(1)
            return _failed(path, "crashed", f"退出码 {worker.process.exitcode}"), True
    if time.monotonic() >= worker.deadline:
        return _failed(path, "timeout", f"超过 {worker.limits.file_timeout:g} 秒"), True
    return None


def _failed(path: str, code: str, detail: str) -> FileResult:
    result = FileResult(path)
    result.problem(path, ScanProblem(code, detail))
    return result
