"""Legacy binary documents (.doc, .xls, .ppt, .wps and other OLE files) read by their raw text
runs (SCAN-1): UTF-16LE runs (how Word 97–2003 and WPS store Chinese), GB2312 runs and ASCII runs,
one run per line. Encrypted OOXML (an OLE file with an EncryptionInfo stream) is reported."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from baomi.scanner.findings import ScanProblem

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
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


def runs(stream: BinaryIO, ole: bool = False) -> Iterator[bytes]:
    """UTF-8 text runs, one per line, in blocks (a run across a block edge is cut in two).

    An OLE file naming an EncryptionInfo stream is an encrypted Office document: reported."""
    encrypted = False
    while block := stream.read(BLOCK):
        encrypted = encrypted or (ole and _ENCRYPTED in block)
        if not encrypted:
            yield b"".join(_run(m) for m in _RUNS.finditer(block))
    if encrypted:
        raise ScanProblem("encrypted", "加密的 Office 文档")


def _run(match: re.Match) -> bytes:
    if match.lastgroup == "u":
        text = match.group().decode("utf-16-le", "replace")
    elif match.lastgroup == "g":
        text = match.group().decode("gb18030", "replace")
    else:
        text = match.group().decode("ascii")
    return text.encode("utf-8", "surrogatepass") + b"\n"
