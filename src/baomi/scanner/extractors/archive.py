"""Zip archives, and the zip containers of Office and OpenDocument files, opened under the limits
of Limits (SCAN-2): nesting depth, members opened, bytes expanded, and each member's compression
ratio — judged on the declared sizes first and again on the bytes actually inflated, so a member
whose header lies is caught as it grows. Encrypted members are reported, not guessed at."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from typing import TYPE_CHECKING, BinaryIO

from baomi.scanner import ocr
from baomi.scanner.extractors import image, office, xlsx
from baomi.scanner.findings import ScanProblem

if TYPE_CHECKING:
    from baomi.scanner.engine import FileScan, Source

SPOOL = 32 << 20  # members larger than this are spooled to a temporary file, not kept in memory


def scan_zip(scan: FileScan, src: Source) -> None:
    limits = scan.limits
    if src.depth >= limits.max_depth:
        raise ScanProblem("too_deep", f"超过 {limits.max_depth} 层")
    with zipfile.ZipFile(src.stream) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        names = {i.filename for i in infos}
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            _scan_workbook(scan, src, archive, infos)
        elif "[Content_Types].xml" in names:
            _scan_container(
                scan, src, archive, infos, office.ooxml_text_part, office.ooxml_embedded
            )
        elif "mimetype" in names and _is_odf(archive):
            _check_odf_encryption(archive)
            _scan_container(scan, src, archive, infos, office.odf_text_part, _odf_embedded)
        else:
            for info in infos:
                _check_budget(scan)
                scan.guarded(f"{src.path}!{_name(info)}", _member, scan, src, archive, info)


def _name(info: zipfile.ZipInfo) -> str:
    """A member's name as its writer meant it: without the UTF-8 flag (bit 11) zipfile reads it as
    CP437, but Chinese Windows tools write GBK there (and some write UTF-8 without the flag)."""
    if info.flag_bits & 0x800 or info.filename.isascii():
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _scan_workbook(scan: FileScan, src: Source, archive: zipfile.ZipFile, infos) -> None:
    """xlsx: rows with their shared strings resolved, headers and footers, sheet names."""
    shared, used = None, set()
    if "xl/sharedStrings.xml" in {i.filename for i in infos}:
        with _open(scan, archive, archive.getinfo("xl/sharedStrings.xml")) as stream:
            shared = xlsx.shared_strings(stream)
    for info in infos:
        name, path = info.filename, f"{src.path}!{info.filename}"
        _check_budget(scan)
        if name == "xl/sharedStrings.xml" and shared is not None:
            continue  # read with the cells that show them; the unused ones below
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and shared is not None:
            scan.guarded(path, _reader, scan, src, archive, info, xlsx.sheet_text, shared, used)
        elif name == "xl/workbook.xml":
            scan.guarded(path, _reader, scan, src, archive, info, xlsx.sheet_names)
        elif office.ooxml_text_part(name):
            scan.guarded(path, _part, scan, src, archive, info)
        elif office.ooxml_embedded(name):
            scan.guarded(path, _member, scan, src, archive, info)
    if shared:
        scan.text(src.path, "xl/sharedStrings.xml", xlsx.unused(shared, used))
    _pictures(scan, src, archive, infos)


def _reader(scan: FileScan, src: Source, archive, info, reader, *args) -> None:
    with _open(scan, archive, info) as stream:
        scan.text(src.path, info.filename, reader(stream, *args))


def _check_budget(scan: FileScan) -> None:
    """Once a budget is spent, the rest of the archive is not opened: one problem, not many."""
    limits = scan.limits
    if scan.members >= limits.max_members:
        raise ScanProblem("too_many_members", f"超过 {limits.max_members} 个")
    if scan.expanded >= limits.max_expanded:
        raise ScanProblem("too_large", f"超过 {limits.max_expanded} 字节")


def _is_odf(archive: zipfile.ZipFile) -> bool:
    with archive.open("mimetype") as f:
        return f.read(100).startswith(b"application/vnd.oasis.opendocument")


def _check_odf_encryption(archive: zipfile.ZipFile) -> None:
    try:
        with archive.open("META-INF/manifest.xml") as f:
            manifest = f.read(1 << 20)
    except KeyError:
        return
    if b"encryption-data" in manifest:
        raise ScanProblem("encrypted", "加密的 OpenDocument 文档")


def _odf_embedded(name: str) -> bool:
    return False  # embedded ODF objects ("Object 1/content.xml") are read as text parts


def _scan_container(scan, src, archive, infos, is_text, is_embedded) -> None:
    for info in infos:
        path = f"{src.path}!{info.filename}"
        _check_budget(scan)
        if is_text(info.filename):
            scan.guarded(path, _part, scan, src, archive, info)
        elif is_embedded(info.filename):
            scan.guarded(path, _member, scan, src, archive, info)
    _pictures(scan, src, archive, infos)


_PICTURE = re.compile(r"(?:^|/)(?:media|Pictures)/[^/]+\.(?:png|jpe?g|gif|bmp|tiff?|webp)$", re.I)
MIN_PICTURE = 8 << 10  # smaller pictures are icons and bullets, not pages


def _pictures(scan: FileScan, src: Source, archive: zipfile.ZipFile, infos) -> None:
    """Pictures in a document (a scanned page pasted into Word) are read by OCR like image
    files; without OCR, one problem names how many were not read."""
    pictures = [i for i in infos if _PICTURE.search(i.filename) and i.file_size >= MIN_PICTURE]
    if not pictures:
        return
    if not (scan.limits.ocr and ocr.available()):
        names = "、".join(i.filename.rsplit("/", 1)[-1] for i in pictures[:5])
        more = "等" if len(pictures) > 5 else ""
        detail = f"文档内 {len(pictures)} 张图片（{names}{more}）未读取，{image.why_not()}"
        scan.result.problem(src.path, ScanProblem("no_ocr", detail))
        return
    for info in pictures:
        _check_budget(scan)
        scan.guarded(f"{src.path}!{info.filename}", _member, scan, src, archive, info)


def _part(scan: FileScan, src: Source, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    with _open(scan, archive, info) as stream:
        scan.text(src.path, info.filename, office.xml_text(stream, info.filename))


def _member(scan: FileScan, src: Source, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    from baomi.scanner.engine import Source

    with _open(scan, archive, info) as stream, tempfile.SpooledTemporaryFile(SPOOL) as spool:
        shutil.copyfileobj(stream, spool, 1 << 20)
        spool.seek(0)
        full = _name(info)
        scan.source(Source(f"{src.path}!{full}", full.rsplit("/", 1)[-1], spool, src.depth + 1))


def _open(scan: FileScan, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> _Limited:
    limits = scan.limits
    scan.members += 1
    if scan.members > limits.max_members:
        raise ScanProblem("too_many_members", f"超过 {limits.max_members} 个")
    if info.flag_bits & 0x1:
        raise ScanProblem("encrypted", "压缩包成员已加密")
    if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
        info.compress_size, 1
    ):
        raise ScanProblem("zip_bomb", f"压缩比 {info.file_size // max(info.compress_size, 1)}:1")
    if scan.expanded + info.file_size > limits.max_expanded:
        raise ScanProblem("too_large", f"超过 {limits.max_expanded} 字节")
    return _Limited(archive.open(info), info, scan)


class _Limited:
    """A member's stream that counts what it inflates against the limits (lying headers too)."""

    def __init__(self, raw: BinaryIO, info: zipfile.ZipInfo, scan: FileScan):
        self.raw, self.info, self.scan, self.count = raw, info, scan, 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(min(size, 1 << 22) if size and size > 0 else 1 << 22)
        self.count += len(data)
        self.scan.expanded += len(data)
        limits = self.scan.limits
        if self.scan.expanded > limits.max_expanded:
            raise ScanProblem("too_large", f"超过 {limits.max_expanded} 字节")
        ratio_cap = limits.max_ratio * max(self.info.compress_size, 1)
        if self.count > max(limits.ratio_floor, ratio_cap, self.info.file_size):
            raise ScanProblem("zip_bomb", "解压数据超过声明大小或压缩比限制")
        return data

    def __enter__(self) -> _Limited:
        return self

    def __exit__(self, *exc) -> None:
        self.raw.close()
