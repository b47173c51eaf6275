"""Plain text in any of the encodings Chinese offices use, and the text inside markup and JSON.

Encoding is decided from the first 64 KiB, without a dependency: a BOM; else valid UTF-8; else
UTF-16 without a BOM when the code units read as Chinese or ASCII text; else GB18030 (a superset
of GBK and GB2312) when it decodes; else the bytes are not text and only their text runs are read
(extractors/binary.py). UTF-8 is scanned as it is, without decoding; other encodings are decoded
as a stream and re-encoded to UTF-8, so offsets refer to the UTF-8 text.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

BLOCK = 8 << 20  # bytes read at a time
MAX_LINE = 16 << 20  # a "line" longer than this is cut (at a character boundary) anyway
SAMPLE = 64 << 10

_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_TEXTY = re.compile(
    r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\u2600-\u27bf\x20-\x7e\t\r\n]"
)


def detect(head: bytes) -> tuple[str | None, int]:
    """(encoding, BOM length) for text, (None, 0) for binary data."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom)
    if _decodes(head, "utf-8"):
        return "utf-8", 0
    for name in ("utf-16-le", "utf-16-be"):
        if _looks_like_utf16(head, name):
            return name, 0
    if b"\x00" not in head and _decodes(head, "gb18030"):
        return "gb18030", 0
    return None, 0


def _decodes(head: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_utf16(head: bytes, encoding: str) -> bool:
    sample = head[: len(head) & ~1]
    if len(sample) < 4:
        return False
    text = sample.decode(encoding, "replace")
    return len(_TEXTY.findall(text)) >= 0.9 * len(text)


def lines(stream: BinaryIO, encoding: str = "utf-8", skip: int = 0) -> Iterator[bytes]:
    """UTF-8 chunks of the stream's text, each ending at a line break (but the last)."""
    if skip:
        stream.read(skip)
    blocks = iter(lambda: stream.read(BLOCK), b"")
    if encoding != "utf-8":
        blocks = _transcode(blocks, encoding)
    return rechunk(blocks)


def _transcode(blocks: Iterable[bytes], encoding: str) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    for block in blocks:
        yield decoder.decode(block).encode("utf-8", "surrogatepass")
    yield decoder.decode(b"", final=True).encode("utf-8", "surrogatepass")


def rechunk(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Cut a stream of UTF-8 blocks at line breaks, so that no line straddles two chunks."""
    carry = b""
    for block in blocks:
        data = carry + block if carry else block
        cut = data.rfind(b"\n") + 1
        if not cut and len(data) > MAX_LINE:
            cut = _char_boundary(data, len(data) - 1)
        if cut:
            yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry


def _char_boundary(data: bytes, pos: int) -> int:
    while pos > 0 and 0x80 <= data[pos] < 0xC0:
        pos -= 1
    return pos


# --- markup and JSON ---------------------------------------------------------------------------

_HTML_BLOCK = re.compile(
    rb"<(?:/?(?:p|div|li|tr|h[1-6]|table|section|article|title)|br)\b[^>]*>", re.I
)
_HTML_CELL_END = re.compile(rb"</t[dh]\s*>", re.I)  # cells: TAB, the matcher's table contract
_TAG = re.compile(rb"<(?:!--.*?--|[^<>]*)>", re.S)


def strip_markup(chunk: bytes) -> bytes:
    """Text of HTML/XML: block elements end a "line" (\\r keeps line numbers), tags go away, so
    that 机<b>密</b>★5年 reads as one marking; entities are resolved."""
    chunk = _TAG.sub(b"", _HTML_BLOCK.sub(b"\r", _HTML_CELL_END.sub(b"\t", chunk)))
    return unescape(chunk)


def unescape(chunk: bytes) -> bytes:
    if b"&" not in chunk:
        return chunk
    return html.unescape(chunk.decode("utf-8", "surrogateescape")).encode(
        "utf-8", "surrogateescape"
    )


_JSON_ESCAPES = re.compile(rb"(?:\\u[0-9a-fA-F]{4})+")


def json_unescape(chunk: bytes) -> bytes:
    """JSON written with ensure_ascii hides Chinese as \\uXXXX: read it back."""
    if b"\\u" not in chunk:
        return chunk
    return _JSON_ESCAPES.sub(_decode_escapes, chunk)


def _decode_escapes(match: re.Match) -> bytes:
    units = match.group().decode("ascii").split("\\u")[1:]
    raw = b"".join(int(u, 16).to_bytes(2, "big") for u in units)
    return raw.decode("utf-16-be", "replace").encode("utf-8")
