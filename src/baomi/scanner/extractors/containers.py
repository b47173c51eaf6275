"""Archives and compressed files other than zip: gzip, bzip2, xz, zstd, tar, 7z, cpio and ar are
opened and each member is scanned as a file; every other known container (rar, cab, iso, .Z, lz4…)
is reported as a problem naming its format, never read as raw bytes (SCAN-1).

Everything expanded counts against the same budget as zip members (Limits: depth, members, bytes
expanded, compression ratio), judged on the bytes actually produced, so a lying header or a bomb
stops at the limit. py7zr and zstd are imported only when such a file is met.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import struct
import tarfile
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO

from baomi.scanner.findings import ScanProblem

if TYPE_CHECKING:
    from baomi.scanner.engine import FileScan, Source

SPOOL = 32 << 20
COPY = 1 << 20

# Known containers that are not read: reported by name (first bytes, offset, format).
_UNREAD = [
    (b"\x1f\x9d", 0, "compress (.Z)"),
    (b"\x1f\xa0", 0, "compress LZH (.Z)"),
    (b"\x04\x22\x4d\x18", 0, "LZ4"),
    (b"\x02\x21\x4c\x18", 0, "LZ4 (legacy)"),
    (b"Rar!\x1a\x07", 0, "RAR"),
    (b"MSCF\0\0\0\0", 0, "Microsoft Cabinet (.cab)"),
    (b"ISc(", 0, "InstallShield Cabinet"),
    (b"CD001", 0x8001, "ISO 9660 光盘映像 (.iso)"),
    (b"CD001", 0x8801, "ISO 9660 光盘映像 (.iso)"),
    (b"CD001", 0x9001, "ISO 9660 光盘映像 (.iso)"),
    (b"BEA01", 0x8001, "UDF 光盘映像"),
    (b"xar!", 0, "XAR"),
    (b"\xed\xab\xee\xdb", 0, "RPM"),
    (b"\x60\xea", 0, "ARJ"),
    (b"MSWIM\0\0\0", 0, "Windows 映像 (.wim)"),
    (b"koly", -512, "DMG"),
    (b"\xc7\x71", 0, "cpio (旧二进制格式)"),
    (b"\x71\xc7", 0, "cpio (旧二进制格式)"),
    (b"\x5d\x00\x00\x80\x00", 0, "LZMA (.lzma)"),
    (b"SZDD", 0, "MS-DOS COMPRESS"),
    (b"KWAJ", 0, "MS-DOS COMPRESS"),
]
_LH = {b"-lh0-", b"-lh5-", b"-lh6-", b"-lh7-", b"-lzs-"}


def handler(head: bytes) -> Callable | None:
    """The reader for a container or compressed file with these first bytes, if it is one."""
    if head.startswith(b"\x1f\x8b"):
        return lambda scan, src, head: _single(scan, src, _gzip_file, _gzip_name)
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return lambda scan, src, head: _single(scan, src, bz2.BZ2File)
    if head.startswith(b"\xfd7zXZ\x00"):
        return lambda scan, src, head: _single(scan, src, lzma.LZMAFile)
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return lambda scan, src, head: _single(scan, src, _zstd_file)
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return _scan_7z
    if head[257:262] == b"ustar":
        return _scan_tar
    if head.startswith((b"070701", b"070702", b"070707")):
        return _scan_cpio
    if head.startswith(b"!<arch>\n"):
        return _scan_ar
    for magic, offset, kind in _UNREAD:
        if offset >= 0 and head[offset : offset + len(magic)] == magic:
            return _unread(kind)
    if head[2:7] in _LH:
        return _unread("LHA/LZH")
    return None


def _unread(kind: str) -> Callable:
    def refuse(scan, src, head):
        raise ScanProblem("unsupported", f"{kind} 文件")

    return refuse


# --- the shared budget -------------------------------------------------------------------------


def _enter(scan: FileScan, src: Source) -> None:
    if src.depth >= scan.limits.max_depth:
        raise ScanProblem("too_deep", f"超过 {scan.limits.max_depth} 层")


def _budget_left(scan: FileScan) -> None:
    """Once a budget is spent the rest of the container is not opened: one problem, not many."""
    limits = scan.limits
    if scan.members >= limits.max_members:
        raise ScanProblem("too_many_members", f"超过 {limits.max_members} 个")
    if scan.expanded >= limits.max_expanded:
        raise ScanProblem("too_large", f"超过 {limits.max_expanded} 字节")


def _count_member(scan: FileScan) -> None:
    scan.members += 1
    if scan.members > scan.limits.max_members:
        raise ScanProblem("too_many_members", f"超过 {scan.limits.max_members} 个")


def _spool(scan: FileScan, stream: BinaryIO, packed: int) -> tempfile.SpooledTemporaryFile:
    """Copy a decompressing stream into a spool, counting every byte against the limits: total
    expanded bytes, and this member's ratio to its `packed` size (beyond Limits.ratio_floor)."""
    limits = scan.limits
    cap = max(limits.ratio_floor, limits.max_ratio * max(packed, 1))
    spool = tempfile.SpooledTemporaryFile(SPOOL)  # noqa: SIM115 — returned open, closed by caller
    count = 0
    while data := stream.read(COPY):
        count += len(data)
        scan.expanded += len(data)
        if scan.expanded > limits.max_expanded:
            spool.close()
            raise ScanProblem("too_large", f"超过 {limits.max_expanded} 字节")
        if count > cap:
            spool.close()
            raise ScanProblem("zip_bomb", f"解压数据超过压缩数据的 {limits.max_ratio} 倍")
        spool.write(data)
    spool.seek(0)
    return spool


def _member(scan: FileScan, src: Source, name: str, stream: BinaryIO, packed: int) -> None:
    from baomi.scanner.engine import Source

    _count_member(scan)
    with _spool(scan, stream, packed) as spool:
        base = name.rstrip("/").rsplit("/", 1)[-1]
        scan.source(Source(f"{src.path}!{name}", base, spool, src.depth + 1))


def _size(stream: BinaryIO) -> int:
    position = stream.tell()
    size = stream.seek(0, os.SEEK_END)
    stream.seek(position)
    return size


# --- one compressed stream: gzip, bzip2, xz, zstd -------------------------------------------------


def _gzip_file(stream: BinaryIO):
    return gzip.GzipFile(fileobj=stream, mode="rb")


def _zstd_file(stream: BinaryIO):
    try:
        from backports.zstd import ZstdFile
    except ImportError:  # Python 3.14 has it in the standard library
        from compression.zstd import ZstdFile
    return ZstdFile(stream)


def _gzip_name(stream: BinaryIO) -> str | None:
    """The original name a gzip header may carry (FNAME, Latin-1 by RFC 1952; GBK in practice)."""
    head = stream.read(10)
    name = None
    if len(head) == 10 and head[3] & 0x08:
        if head[3] & 0x04:
            (extra,) = struct.unpack("<H", stream.read(2))
            stream.read(extra)
        raw = stream.read(1024).split(b"\0", 1)[0]
        name = _decode_name(raw)
    stream.seek(0)
    return name


def _decode_name(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _inner_name(outer: str) -> str:
    stem, ext = os.path.splitext(outer)
    ext = ext.lower()
    if ext in {".tgz", ".tbz", ".tbz2", ".txz", ".tzst"}:
        return stem + ".tar"
    return stem if ext in {".gz", ".bz2", ".xz", ".zst", ".zstd", ".z"} else outer + ".解压"


def _single(scan: FileScan, src: Source, opener, namer=None) -> None:
    _enter(scan, src)
    name = (namer(src.stream) if namer else None) or _inner_name(src.name)
    packed = _size(src.stream)
    with opener(src.stream) as stream:
        _member(scan, src, name, stream, packed)


# --- tar -----------------------------------------------------------------------------------------


def _scan_tar(scan: FileScan, src: Source, head: bytes) -> None:
    _enter(scan, src)
    with tarfile.open(fileobj=src.stream, mode="r:") as archive:
        for info in archive:
            if not info.isfile():
                continue
            _budget_left(scan)
            name = _tar_name(info.name)
            path = f"{src.path}!{name}"
            scan.guarded(path, _tar_member, scan, src, archive, info, name)


def _tar_name(name: str) -> str:
    """tarfile decodes names as UTF-8 with surrogates: a GBK name (Windows tools) is re-read."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return _decode_name(name.encode("utf-8", "surrogateescape"))


def _tar_member(scan, src, archive: tarfile.TarFile, info: tarfile.TarInfo, name: str) -> None:
    stream = archive.extractfile(info)
    if stream is not None:
        # Stored, not compressed: the ratio applies to the whole archive (the .tar.gz's member).
        _member(scan, src, name, stream, info.size)


# --- 7z --------------------------------------------------------------------------------------------


def _scan_7z(scan: FileScan, src: Source, head: bytes) -> None:
    import py7zr
    from py7zr.io import Py7zIO, WriterFactory

    _enter(scan, src)
    limits, packed = scan.limits, _size(src.stream)
    try:
        archive = py7zr.SevenZipFile(src.stream, mode="r")
    except py7zr.PasswordRequired:
        raise ScanProblem("encrypted", "7z 压缩包的文件列表已加密") from None
    with archive:
        if archive.needs_password():
            raise ScanProblem("encrypted", "7z 压缩包已加密")
        infos = [i for i in archive.list() if not i.is_directory]
        declared = sum(i.uncompressed or 0 for i in infos)
        if scan.expanded + declared > limits.max_expanded:
            raise ScanProblem("too_large", f"超过 {limits.max_expanded} 字节")
        if declared > max(limits.ratio_floor, limits.max_ratio * max(packed, 1)):
            raise ScanProblem("zip_bomb", f"压缩比 {declared // max(packed, 1)}:1")
        spools: dict[str, tempfile.SpooledTemporaryFile] = {}

        class Spool(Py7zIO):
            """Where py7zr writes one member: counted against the limits as it grows."""

            def __init__(self, name: str):
                self.file = spools[name] = tempfile.SpooledTemporaryFile(SPOOL)  # noqa: SIM115
                self.count = 0

            def write(self, data) -> int:
                self.count += len(data)
                scan.expanded += len(data)
                if scan.expanded > limits.max_expanded:
                    raise ScanProblem("too_large", f"超过 {limits.max_expanded} 字节")
                return self.file.write(data)

            def read(self, size=None) -> bytes:
                return self.file.read(size if size is not None else -1)

            def seek(self, offset: int, whence: int = 0) -> int:
                return self.file.seek(offset, whence)

            def flush(self) -> None:
                self.file.flush()

            def size(self) -> int:
                return self.count

        class Factory(WriterFactory):
            def create(self, filename: str) -> Py7zIO:
                return Spool(filename)

        try:
            names = [i.filename for i in infos][: max(0, limits.max_members - scan.members)]
            archive.extract(targets=names, factory=Factory())
            for name in names:
                spool = spools.get(name)
                if spool is not None:
                    spool.seek(0)
                    scan.guarded(f"{src.path}!{name}", _member, scan, src, name, spool, packed)
            if len(names) < len(infos):
                raise ScanProblem("too_many_members", f"超过 {limits.max_members} 个")
        finally:
            for spool in spools.values():
                spool.close()


# --- cpio (newc and odc) and ar ---------------------------------------------------------------------


def _scan_cpio(scan: FileScan, src: Source, head: bytes) -> None:
    _enter(scan, src)
    stream = src.stream
    while True:
        magic = stream.read(6)
        if magic in (b"070701", b"070702"):
            fields = stream.read(104)
            mode, size, namesize = (int(fields[i : i + 8], 16) for i in (8, 48, 88))
            name = stream.read(namesize)
            stream.read(-(110 + namesize) % 4)
            pad = -size % 4
        elif magic == b"070707":
            fields = stream.read(70)
            mode = int(fields[12:18], 8)
            namesize, size = int(fields[53:59], 8), int(fields[59:70], 8)
            name = stream.read(namesize)
            pad = 0
        else:
            raise ScanProblem("malformed", "cpio 头部无法识别")
        name = _decode_name(name.rstrip(b"\0"))
        if name == "TRAILER!!!":
            return
        start = stream.tell()
        if mode & 0o170000 == 0o100000:
            _budget_left(scan)
            member = _Slice(stream, size)
            scan.guarded(f"{src.path}!{name}", _member, scan, src, name, member, size)
        stream.seek(start + size + pad)


def _scan_ar(scan: FileScan, src: Source, head: bytes) -> None:
    _enter(scan, src)
    stream = src.stream
    stream.seek(8)
    long_names = b""
    while header := stream.read(60):
        if len(header) < 60 or header[58:60] != b"`\n":
            raise ScanProblem("malformed", "ar 文件头不完整或已损坏")
        raw, size = header[:16].rstrip(b" "), int(header[48:58].strip() or 0)
        start = stream.tell()
        if raw == b"//":
            long_names = stream.read(size)
        elif raw not in (b"/", b"/SYM64/", b"__.SYMDEF", b"__.SYMDEF SORTED"):
            name, offset = raw, 0
            if raw.startswith(b"#1/"):  # BSD: the name precedes the data
                offset = int(raw[3:])
                name = stream.read(offset).rstrip(b"\0")
            elif raw.startswith(b"/") and raw[1:].isdigit():  # GNU: offset into "//"
                at = int(raw[1:])
                name = long_names[at : long_names.find(b"/\n", at)]
            name = _decode_name(name.rstrip(b"/"))
            _budget_left(scan)
            member = _Slice(stream, size - offset)
            scan.guarded(f"{src.path}!{name}", _member, scan, src, name, member, size)
        stream.seek(start + size + size % 2)


class _Slice:
    """`size` bytes of a stream from where it stands."""

    def __init__(self, stream: BinaryIO, size: int):
        self.stream, self.left = stream, size

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.stream.read(size)
        self.left -= len(data)
        if len(data) < size:
            raise ScanProblem("malformed", "压缩包不完整：成员数据被截断")
        return data
