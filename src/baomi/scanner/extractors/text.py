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

from baomi.scanner.extractors import traditional

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
    if b"\x00" not in head:
        if _decodes(head, "gb2312"):
            return "gb18030", 0
        if _is_western(head):
            return "cp1252", 0
        if _decodes(head, "big5hkscs"):  # traditional Chinese: valid Big5, not valid GB2312
            return "big5hkscs", 0
        if _decodes(head, "gb18030"):
            return "gb18030", 0
    return None, 0


def _is_western(head: bytes) -> bool:
    """Windows-1252 text: printable, and its few high bytes stand alone between ASCII letters
    (é in café), where a GBK character's bytes come in pairs."""
    high = [i for i, b in enumerate(head) if b >= 0x80]
    if not high:
        return False
    alone = sum(1 for i in high if head[i - 1 : i] < b"\x80" and head[i + 1 : i + 2] < b"\x80")
    control = sum(1 for b in head if b < 0x20 and b not in b"\t\r\n")
    return alone >= 0.6 * len(high) and control == 0


def _decodes(head: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_utf16(head: bytes, encoding: str) -> bool:
    """UTF-16 without a BOM: its text decodes as Chinese or ASCII, and it has line breaks or spaces
    (0x000A, 0x0020, 0x3000) where they belong — single-byte text whose byte pairs happen to fall
    in the CJK range (Windows-1252 English does) has none of them in the right order."""
    sample = head[: len(head) & ~1]
    if len(sample) < 4:
        return False
    breaks = ("\n", " ", "\u3000", "\uff0c", "\u3002")
    text = sample.decode(encoding, "replace")
    if len(sample) > 64 and not any(b in text for b in breaks):
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
    if encoding.startswith("big5"):
        blocks = map(traditional.to_simplified, blocks)
    return rechunk(blocks)


def _transcode(blocks: Iterable[bytes], encoding: str) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    for block in blocks:
        yield decoder.decode(block).encode("utf-8", "surrogatepass")
    yield decoder.decode(b"", final=True).encode("utf-8", "surrogatepass")


def rechunk(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Cut a stream of UTF-8 blocks at line breaks, so that no line straddles two chunks; a line
    longer than MAX_LINE is cut where no marking can stand across the cut."""
    carry = b""
    for block in blocks:
        data = carry + block if carry else block
        cut = data.rfind(b"\n") + 1
        if not cut and len(data) > MAX_LINE:
            cut = _safe_cut(data, len(data) - 1)
        if cut:
            yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry


_MARKING_BYTES = [c.encode() for c in "密部隐★☆＊*"]
_MARKING_REACH = 120  # bytes a marking spans either side of its 密/★ (see matcher._REACH)


def _safe_cut(data: bytes, pos: int) -> int:
    """A character boundary at or before `pos` with no marking character near it."""
    for _ in range(64):
        lo = max(0, pos - _MARKING_REACH)
        near = [data.rfind(c, lo, pos + _MARKING_REACH) for c in _MARKING_BYTES]
        near = [i for i in near if i >= 0]
        if not near:
            break
        pos = min(near) - _MARKING_REACH
    return _char_boundary(data, max(1, pos))


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
