"""Excel workbooks (xlsx) read as a person sees them (SCAN-1): each worksheet row is one line with
its cells separated by tabs — shared strings resolved into the cells that show them — so a ledger
row 标题 | 机密 | 5年 reads as a row, not as three unrelated strings; the page header and footer of
each sheet (with Excel's &C, &"font" codes removed) and the sheet names are read too. Shared
strings no cell refers to are still scanned, in their own part.

This is the extractors' table contract with the matcher: cells separated by "\\t", rows by "\\n".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from baomi.scanner.extractors.text import unescape

BLOCK = 4 << 20
MAX_SHARED = 256 << 20  # a larger shared-string table is scanned as a part of its own instead

_SI = re.compile(rb"<(?:\w+:)?si\b[^>]*>(.*?)</(?:\w+:)?si>|<(?:\w+:)?si\b[^>]*/>", re.S)
_T = re.compile(rb"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", re.S)
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_TYPE = re.compile(rb"\bt=\"(\w+)\"")
_V = re.compile(rb"<(?:\w+:)?v\b[^>]*>(.*?)</(?:\w+:)?v>", re.S)
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_HEADER = re.compile(
    rb"<(?:\w+:)?(?:odd|even|first)(?:Header|Footer)\b[^>]*>(.*?)</(?:\w+:)?(?:odd|even|first)"
    rb"(?:Header|Footer)>",
    re.S,
)
HF_CODES = re.compile(r"&(?:\"[^\"]*\"|\d+|K[0-9A-Fa-f]{6}|[LCRPNDTFAZGSUXYBIEKO&])")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")


def shared_strings(stream: BinaryIO) -> list[bytes] | None:
    data = stream.read(MAX_SHARED + 1)
    if len(data) > MAX_SHARED:
        return None
    return [_string(m.group(1) or b"") for m in _SI.finditer(data)]


def _string(xml: bytes) -> bytes:
    xml = _PHONETIC.sub(b"", xml)
    return unescape(b"".join(_T.findall(xml))).replace(b"\n", b" ").replace(b"\t", b" ")


def sheet_text(stream: BinaryIO, shared: list[bytes], used: set[int]) -> Iterator[bytes]:
    """One line per row, cells joined by tabs; then the page header and footer lines."""
    carry = b""
    while True:
        block = stream.read(BLOCK)
        data = carry + block
        if block:
            cut = 0
            for m in _ROW_END.finditer(data, max(0, len(data) - BLOCK)):
                cut = m.end()
            if not cut:
                carry = data
                continue
            data, carry = data[:cut], data[cut:]
        lines = [_row(row, shared, used) for row in _ROW_END.split(data)[:-1]]
        lines += [_header_footer(m.group(1)) for m in _HEADER.finditer(data)]
        if lines:
            yield b"\n".join(lines) + b"\n"
        if not block:
            return


def _row(xml: bytes, shared: list[bytes], used: set[int]) -> bytes:
    cells = []
    for attributes, body in _CELL.findall(xml):
        kind = _TYPE.search(attributes)
        kind = kind.group(1) if kind else b"n"
        if kind == b"inlineStr":
            cells.append(_string(body))
            continue
        value = _V.search(body)
        value = value.group(1) if value else b""
        if kind == b"s" and value.strip().isdigit():
            index = int(value)
            used.add(index)
            cells.append(shared[index] if index < len(shared) else b"")
        else:
            cells.append(unescape(value))
    return b"\t".join(cells)


def _header_footer(xml: bytes) -> bytes:
    text = unescape(xml).decode("utf-8", "surrogateescape")
    return HF_CODES.sub(" ", text).strip().encode("utf-8", "surrogateescape")


def unused(shared: list[bytes], used: set[int]) -> Iterator[bytes]:
    lines = [s for i, s in enumerate(shared) if i not in used and s]
    if lines:
        yield b"\n".join(lines) + b"\n"


def sheet_names(stream: BinaryIO) -> Iterator[bytes]:
    names = [unescape(m.group(1)) for m in _SHEET.finditer(stream.read(MAX_SHARED))]
    if names:
        yield b"\n".join(names) + b"\n"
