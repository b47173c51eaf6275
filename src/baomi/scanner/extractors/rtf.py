"""RTF text (SCAN-1), in both ways RTF writes what is not ASCII: \\'xx bytes in the document's code
page (\\ansicpg936 for GBK, \\fcharset134 on a font) and \\uN Unicode escapes with their \\ucN
fallback characters skipped. Paragraphs and rows end lines, cells are separated by tabs (the
scanner's table contract); font tables, pictures, objects and ignorable destinations are skipped.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO

from baomi.scanner.extractors.text import rechunk

MAX_RTF = 256 << 20
_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])|[\r\n]+"
    rb"|([^\\{}\r\n]+)"
)
_SKIP = {
    b"fonttbl", b"colortbl", b"stylesheet", b"pict", b"object", b"objdata", b"themedata",
    b"colorschememapping", b"datastore", b"latentstyles", b"listtable", b"listoverridetable",
    b"rsidtbl", b"generator", b"xmlnstbl", b"mmathPr", b"filetbl", b"revtbl", b"bkmkstart",
    b"bkmkend", b"fldinst", b"datafield", b"nonshppict", b"blipuid",
}  # fmt: skip
_LINE = {b"par", b"line", b"row", b"sect", b"page"}
_TAB = {b"tab", b"cell", b"nestcell"}
_CHARSETS = {134: "gbk", 136: "big5", 128: "cp932", 129: "cp949", 0: "cp1252", 1: "cp1252"}


def text(stream: BinaryIO) -> Iterator[bytes]:
    data = stream.read(MAX_RTF)
    return rechunk([_text(data).encode("utf-8", "surrogatepass")])


def _text(data: bytes) -> str:
    out: list[str] = []
    pending = bytearray()  # \'xx bytes, decoded together (a GBK character is two of them)
    codepage = _codepage(data)
    fonts = _font_charsets(data)
    stack: list[tuple[bool, int, str]] = []
    skip, uc, encoding, skip_chars = False, 1, codepage, 0

    def flush() -> None:
        if pending:
            out.append(pending.decode(encoding, "replace"))
            pending.clear()

    for m in _TOKEN.finditer(data):
        word, arg, hexbyte, symbol, brace, plain = m.groups()
        if brace == b"{":
            flush()
            stack.append((skip, uc, encoding))
        elif brace == b"}":
            flush()
            skip, uc, encoding = stack.pop() if stack else (False, 1, codepage)
            skip_chars = 0
        elif skip:
            continue
        elif hexbyte is not None:
            if skip_chars:
                skip_chars -= 1
            else:
                pending.append(int(hexbyte, 16))
        elif word is not None:
            flush()
            if word in _SKIP:
                skip = True
            elif word == b"u" and arg:
                code = int(arg)
                out.append(chr(code + 65536 if code < 0 else code))
                skip_chars = uc
            elif word == b"uc" and arg:
                uc = int(arg)
            elif word == b"f" and arg:
                encoding = fonts.get(int(arg), codepage)
            elif word in _LINE:
                out.append("\n")
            elif word in _TAB:
                out.append("\t")
            elif word == b"bin" and arg:
                skip_chars = 0  # binary data follows: rare in text; its bytes are not words
        elif symbol is not None:
            flush()
            if symbol == b"*":
                skip = True
            elif symbol in b"\\{}":
                out.append(symbol.decode())
            elif symbol == b"~":
                out.append("\xa0")
        elif plain is not None:
            flush()
            if skip_chars:
                cut = min(skip_chars, len(plain))
                plain, skip_chars = plain[cut:], skip_chars - cut
            out.append(plain.decode(encoding, "replace"))
    flush()
    return "".join(out)


def _codepage(data: bytes) -> str:
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    name = f"cp{int(m.group(1))}" if m else "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "cp1252"


def _font_charsets(data: bytes) -> dict[int, str]:
    """\\f3 … \\fcharset134 in the font table: text in font 3 is GBK whatever \\ansicpg says."""
    table = data[: data.find(b"}}", data.find(b"\\fonttbl")) + 2] if b"\\fonttbl" in data else b""
    fonts = {}
    for m in re.finditer(rb"\\f(\d+)[^;{}]*?\\fcharset(\d+)", table):
        charset = _CHARSETS.get(int(m.group(2)))
        if charset:
            fonts[int(m.group(1))] = charset
    return fonts
