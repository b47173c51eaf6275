"""Scan one file and everything inside it: decide its kind, extract text, match, recurse.

`scan_file` never raises for what a file contains (SCAN-2): every problem — unreadable, encrypted,
malformed, too deep, a bomb — becomes a Problem on the FileResult, and scanning goes on with the
next member. It opens files read-only, without following links, and never executes or changes
anything it reads.
"""

from __future__ import annotations

import csv
import importlib
import io
import mmap
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from baomi.scanner.extractors import binary, containers, image, mail, pdf, rtf, text
from baomi.scanner.findings import FileResult, ScanProblem
from baomi.scanner.limits import Limits
from baomi.scanner.matcher import Matcher

SAMPLE = 64 << 10
_MARKUP = {".html", ".htm", ".xhtml", ".xml", ".svg", ".mht", ".mhtml"}
_MEDIA = (b"RIFF", b"ID3", b"OggS", b"fLaC")


@dataclass
class Source:
    """A file or a member of one: `path` names it for people (archive!member), `stream` is
    seekable and at 0, `depth` counts the containers around it."""

    path: str
    name: str
    stream: BinaryIO
    depth: int = 0
    fs_path: str | None = None  # set for files on disk, so PDFium can read them lazily


class FileScan:
    """The state of scanning one top-level file: limits and the budget spent so far."""

    def __init__(self, matcher: Matcher, limits: Limits, result: FileResult):
        self.matcher, self.limits, self.result = matcher, limits, result
        self.members = 0
        self.expanded = 0

    def text(self, path: str, part: str, chunks: Iterable[bytes]) -> None:
        self.matcher.scan(chunks, path, part, self.result, self.limits.max_hits)

    def guarded(self, path: str, function: Callable, *args) -> None:
        """Run a step; what goes wrong is recorded against `path` and scanning goes on."""
        try:
            function(*args)
        except ScanProblem as problem:
            self.result.problem(path, problem)
        except Exception as error:  # a hostile file may break any parser in any way
            detail = f"{type(error).__name__}: {error}"[:300]
            self.result.problem(path, ScanProblem("malformed", detail))

    def source(self, src: Source) -> None:
        self.text(src.path, "文件名", [src.name.encode("utf-8", "surrogateescape")])
        try:
            self.guarded(src.path, self._dispatch, src)
        finally:
            if src.depth == 0:  # the whole file is done: its OCR process, if any, ends
                image.close(self)

    def _dispatch(self, src: Source) -> None:
        head = src.stream.read(SAMPLE)
        src.stream.seek(0)
        handler = _handler(src.name, head)
        if handler is not None:
            handler(self, src, head)


def _extractor(name: str):
    """Extractors of containers are imported when first needed: `baomi scan` of a tree of
    text files starts without the e-mail, zip and PDF machinery (issue 9, item 14)."""
    return importlib.import_module(f"baomi.scanner.extractors.{name}")


def _handler(name: str, head: bytes) -> Callable | None:
    ext = os.path.splitext(name)[1].lower()
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return lambda scan, src, head: _extractor("archive").scan_zip(scan, src)
    if b"%PDF" in head[:1024]:
        return _scan_pdf
    if head.startswith(binary.OLE_MAGIC):
        return lambda scan, src, head: binary.scan_ole(scan, src)
    if image.kind(head):
        return image.scan_image
    if head[4:8] == b"ftyp" and head[8:12] in image.HEIF_BRANDS:
        raise ScanProblem("unsupported", "HEIF/AVIF 图像（手机拍照），未读取")
    if head.startswith(_MEDIA) or head[4:8] == b"ftyp":
        return None  # sound and video: no text to read
    reader = containers.handler(head)
    if reader is not None:
        return reader
    if head.startswith(b"{\\rtf"):
        return lambda scan, src, head: scan.text(src.path, "", rtf.text(src.stream))
    if ext == ".eml" or mail.looks_like_email(head):
        return lambda scan, src, head: mail.scan_email(scan, src)
    return _scan_text


def _scan_text(scan: FileScan, src: Source, head: bytes) -> None:
    encoding, bom = text.detect(head)
    if encoding is None:
        _scan_binary(scan, src, head)
        return
    ext = os.path.splitext(src.name)[1].lower()
    plain = encoding == "utf-8" and src.fs_path and ext not in _MARKUP and head.lstrip()[:1] != b"<"
    chunks = _mapped(src.stream, bom) if plain else text.lines(src.stream, encoding, bom)
    if ext in _MARKUP or head.lstrip()[:1] == b"<":
        chunks = map(text.strip_markup, chunks)
    elif ext == ".json":
        chunks = map(text.json_unescape, chunks)
    elif ext == ".csv":
        chunks = map(_csv_cells, chunks)
    scan.text(src.path, "", chunks)


def _mapped(stream: BinaryIO, skip: int) -> Iterator[bytes]:
    """A UTF-8 file on disk in chunks that end at line breaks, sliced straight from a read-only
    mapping: one copy of each byte, where reading blocks and re-cutting them at line ends made
    three (the largest cost after matching itself)."""
    size = os.fstat(stream.fileno()).st_size
    if size <= skip:
        return
    with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        released = skip - skip % mmap.PAGESIZE
        pos = skip
        while pos < size:
            hi = min(size, pos + text.BLOCK)
            cut = size if hi == size else mapped.rfind(b"\n", pos, hi) + 1
            if cut <= pos:  # no line end in a block: look further, up to a line's limit
                far = min(size, pos + text.MAX_LINE)
                cut = mapped.find(b"\n", hi, far) + 1 or far
                while cut < size and pos < cut and 0x80 <= mapped[cut] < 0xC0:
                    cut -= 1  # a cut line is cut at a character boundary
            yield mapped[pos:cut]
            pos = cut
            done = cut - cut % mmap.PAGESIZE
            if done > released and hasattr(mapped, "madvise"):
                # Pages read are let go (they stay in the page cache): the process's resident
                # size stays that of a chunk, not of the file.
                mapped.madvise(mmap.MADV_DONTNEED, released, done - released)
                released = done


def _csv_cells(chunk: bytes) -> bytes:
    """CSV rows with TAB between cells (the matcher's table contract: a 密级 column, 机密<TAB>5年
    in adjacent cells); quotes go, line breaks stay, so line numbers are the file's."""
    rows = csv.reader(io.StringIO(chunk.decode("utf-8", "surrogateescape"), newline=""))
    try:
        lines = ["\t".join(row) for row in rows]
    except csv.Error:  # not really CSV: read as it is
        return chunk
    ending = "\n" if chunk.endswith((b"\n", b"\r")) else ""
    return ("\n".join(lines) + ending).encode("utf-8", "surrogateescape")


def _scan_binary(scan: FileScan, src: Source, head: bytes) -> None:
    scan.text(src.path, "原始文本", binary.runs(src.stream))


def _scan_pdf(scan: FileScan, src: Source, head: bytes) -> None:
    document = src.fs_path or src.stream.read()
    unread = []  # scanned pages with OCR off or not installed: one problem for all of them
    for number, page, picture in pdf.pages(document, scan.limits):
        part = f"第{number}页"
        if picture == b"":
            unread.append(number)
        elif picture is not None:  # a scanned page: no text layer, an image
            what = f"PDF 第{number}页是图像"
            scan.guarded(f"{src.path}#{part}", image.recognise, scan, src.path, part, picture, what)
        else:
            scan.text(src.path, part, text.rechunk([page.encode("utf-8", "surrogatepass")]))
    if unread:
        image.not_read(scan, src.path, unread)


# --- one file on disk ----------------------------------------------------------------------------


def scan_file(path: str, matcher: Matcher, limits: Limits) -> FileResult:
    """Scan the file at `path` (a regular file; links are not followed) and all it contains."""
    result = FileResult(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        result.problem(path, ScanProblem("unreadable", error.strerror or str(error)))
        return result
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            result.skipped = "不是普通文件"
            return result
        result.size = info.st_size
        scan = FileScan(matcher, limits, result)
        scan.source(Source(path, os.path.basename(path), stream, 0, path))
    return result
