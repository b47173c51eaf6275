"""E-mail files (.eml, RFC 822/MIME): headers, text and HTML bodies, and every attachment, which is
scanned as a file of its own (a docx, a zip…) under the same limits as archive members (SCAN-1)."""

from __future__ import annotations

import io
import re
from email import policy
from email.parser import BytesParser
from typing import TYPE_CHECKING

from baomi.scanner.extractors.text import rechunk, strip_markup
from baomi.scanner.findings import ScanProblem

if TYPE_CHECKING:
    from baomi.scanner.engine import FileScan, Source

_HEADERS = ("Subject", "From", "To", "Cc", "Bcc", "Reply-To")
_HEADER_LINE = re.compile(
    rb"^(?:Received|Return-Path|From|To|Subject|Date|Message-ID|MIME-Version|Delivered-To"
    rb"|X-[\w-]+|Content-Type):",
    re.I,
)


def looks_like_email(head: bytes) -> bool:
    lines = head.split(b"\n", 8)[:8]
    return sum(bool(_HEADER_LINE.match(line)) for line in lines) >= 3


def scan_email(scan: FileScan, src: Source) -> None:
    if scan.limits.max_depth <= src.depth:
        raise ScanProblem("too_deep", f"超过 {scan.limits.max_depth} 层")
    data = src.stream.read(scan.limits.max_email + 1)
    if len(data) > scan.limits.max_email:
        raise ScanProblem("too_large", f"邮件超过 {scan.limits.max_email} 字节")
    message = BytesParser(policy=policy.default).parsebytes(data)
    del data
    headers = "\n".join(f"{h}: {v}" for h in _HEADERS for v in message.get_all(h, []))
    scan.text(src.path, "邮件头", [headers.encode("utf-8", "replace")])
    for number, part in enumerate(message.walk()):
        if not part.is_multipart():
            scan.guarded(f"{src.path}#{number}", _part, scan, src, part, number)


def _part(scan: FileScan, src: Source, part, number: int) -> None:
    filename = part.get_filename()
    payload = part.get_payload(decode=True) or b""
    if filename or part.get_content_maintype() != "text":
        _attachment(scan, src, filename or f"附件{number}", payload)
        return
    charset = part.get_content_charset() or "utf-8"
    try:
        text = payload.decode(charset, "replace")
    except LookupError:
        text = payload.decode("gb18030", "replace")
    body = text.encode("utf-8", "surrogatepass")
    if part.get_content_subtype() == "html":
        body = strip_markup(body)
    scan.text(src.path, f"正文{number}", rechunk([body]))


def _attachment(scan: FileScan, src: Source, filename: str, payload: bytes) -> None:
    from baomi.scanner.engine import Source

    scan.members += 1
    if scan.members > scan.limits.max_members:
        raise ScanProblem("too_many_members", f"超过 {scan.limits.max_members} 个")
    scan.expanded += len(payload)
    if scan.expanded > scan.limits.max_expanded:
        raise ScanProblem("too_large", f"超过 {scan.limits.max_expanded} 字节")
    path = f"{src.path}!{filename}"
    scan.source(Source(path, filename, io.BytesIO(payload), src.depth + 1))
