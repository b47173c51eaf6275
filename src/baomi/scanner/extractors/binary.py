"""Legacy binary documents (.doc, .xls, .ppt, .wps and other OLE files) read by their raw text
runs (SCAN-1): UTF-16LE runs (how Word 97–2003 and WPS store Chinese), GB2312 runs and ASCII runs,
one run per line. Encrypted OOXML (an OLE file with an EncryptionInfo stream) is reported."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from baomi.scanner.extractors import xls
from baomi.scanner.extractors.text import rechunk
from baomi.scanner.findings import ScanProblem

if TYPE_CHECKING:
    from baomi.scanner.engine import FileScan, Source

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BLOCK = 8 << 20

_UNIT = (
    rb"(?:[\t\n\r\x20-\x7e]\x00"  # ASCII
    rb"|[\x00-\xff][\x4e-\x9f\x30\xff]"  # CJK ideographs, CJK punctuation, full-width forms
    rb"|[\x05\x06]\x26|[\x10-\x6f]\x20)"  # ★ ☆, general punctuation (“” — …)
)
_RUNS = re.compile(
    rb"(?P<u>" + _UNIT + rb"{3,})|(?P<g>(?:[\xa1-\xf7][\xa1-\xfe]){2,})|(?P<a>[\t\x20-\x7e]{4,})"
)
_ENCRYPTED_STREAMS = {"encryptioninfo", "encryptedpackage", "encryptedsummary"}
_MAX_STREAM = 512 << 20


def scan_ole(scan: FileScan, src: Source) -> None:
    import olefile

    try:
        ole = olefile.OleFileIO(src.stream)
    except Exception as error:  # a broken compound file: its text runs, and say it is broken
        src.stream.seek(0)
        scan.text(src.path, "原始文本", runs(src.stream))
        detail = f"Office 复合文档无法解析（{type(error).__name__}），只读取了其中的文字片段"
        raise ScanProblem("malformed", detail) from None
    with ole:
        names = {"/".join(entry).lower(): "/".join(entry) for entry in ole.listdir()}
        if _ENCRYPTED_STREAMS & set(names):
            raise ScanProblem("encrypted", "加密的 Office 文档")
        if "current user" in names:
            _check_ppt(ole, names["current user"])
        if "workbook" in names:
            workbook = _stream(ole, names["workbook"])
            _check_xls(workbook)
            try:
                lines = list(xls.text(workbook))
            except Exception:  # xlrd refuses it (BIFF5, broken): the raw text runs below
                lines = None
            if lines is not None:
                scan.text(src.path, "工作簿", lines)
                return
        if "worddocument" in names:
            try:
                text = _word_text(ole, names)
            except (struct.error, ValueError, IndexError):  # a broken piece table
                text = None
            if text is not None:
                scan.text(src.path, "正文", rechunk([text.encode("utf-8", "surrogatepass")]))
                return
    src.stream.seek(0)
    scan.text(src.path, "原始文本", runs(src.stream))


def _check_xls(head: bytes) -> None:
    """A FILEPASS record (0x002F) among the first records of the workbook globals: encrypted."""
    pos = 0
    while pos + 4 <= len(head):
        kind, size = struct.unpack_from("<HH", head, pos)
        if kind == 0x002F:
            raise ScanProblem("encrypted", "加密的 Excel 工作簿")
        if kind in (0x0085, 0x000A):  # BOUNDSHEET or EOF: past where FILEPASS must stand
            return
        pos += 4 + size


def _check_ppt(ole, name: str) -> None:
    """PowerPoint's CurrentUserAtom carries headerToken 0xF3D1C4DF when the file is encrypted."""
    with ole.openstream(name) as stream:
        head = stream.read(16)
    if len(head) >= 16 and struct.unpack_from("<I", head, 12)[0] == 0xF3D1C4DF:
        raise ScanProblem("encrypted", "加密的 PowerPoint 演示文稿")


def _word_text(ole, names: dict[str, str]) -> str | None:
    """The text of a Word 97–2003 document from its piece table (MS-DOC 2.4.1), or None when the
    FIB is not one this reader knows (Word 6/95), so the raw runs are read instead."""
    word = _stream(ole, names["worddocument"])
    if len(word) < 0x1AA or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
        return None
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    if flags & 0x0100:  # fEncrypted (and fObfuscated for XOR obfuscation)
        raise ScanProblem("encrypted", "加密的 Word 文档")
    table_name = names.get("1table" if flags & 0x0200 else "0table")
    if struct.unpack_from("<H", word, 2)[0] < 0x00C1 or table_name is None:
        return None
    fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x1A2)
    clx = _stream(ole, table_name)[fc_clx : fc_clx + lcb_clx]
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc entries before the piece table
        pos += 3 + struct.unpack_from("<h", clx, pos + 1)[0]
    if pos + 5 > len(clx) or clx[pos] != 0x02:
        return None
    (size,) = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5 : pos + 5 + size]
    count = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    out = []
    for index in range(count):
        (fc,) = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * index + 2)
        chars = cps[index + 1] - cps[index]
        if fc & 0x40000000:  # fCompressed: one byte per character, Windows-1252
            start = (fc & 0x3FFFFFFF) // 2
            piece = word[start : start + chars]
            out.append(piece.decode("cp1252", "replace"))
        else:
            piece = word[fc : fc + 2 * chars]
            out.append(piece.decode("utf-16-le", "replace"))
        if len(piece) < (chars if fc & 0x40000000 else 2 * chars):
            raise ScanProblem("malformed", "Word 文档的正文超出文件，文件不完整")
    return _WORD_MARKS.sub(_word_mark, "".join(out))


_WORD_MARKS = re.compile("[\r\x07\x0b\x0c\x01-\x06\x08\x13-\x15]")


def _word_mark(match: re.Match) -> str:
    mark = match.group()
    if mark == "\x07":  # end of a table cell (and of a row): the scanner's table contract
        return "\t"
    return "\n" if mark in "\r\x0b\x0c" else ""


def _stream(ole, name: str) -> bytes:
    with ole.openstream(name) as stream:
        data = stream.read(_MAX_STREAM)
    if len(data) < min(ole.get_size(name), _MAX_STREAM):
        raise ScanProblem("malformed", f"Office 复合文档被截断：{name} 流不完整")
    return data


def runs(stream: BinaryIO) -> Iterator[bytes]:
    """UTF-8 text runs, one per line, in blocks (a run across a block edge is cut in two)."""
    while block := stream.read(BLOCK):
        yield b"".join(_run(m) for m in _RUNS.finditer(block))


def _run(match: re.Match) -> bytes:
    if match.lastgroup == "u":
        text = match.group().decode("utf-16-le", "replace")
    elif match.lastgroup == "g":
        text = match.group().decode("gb18030", "replace")
    else:
        text = match.group().decode("ascii")
    return text.encode("utf-8", "surrogatepass") + b"\n"
