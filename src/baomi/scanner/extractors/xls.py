"""Excel 97–2003 workbooks (.xls, BIFF8) read as a person sees them (SCAN-1): each row one line
with its cells separated by tabs (the extractors' table contract), the sheet names, and each
sheet's page header and footer (HEADER/FOOTER records, Excel's &C, &"font" codes removed).
Cells come from xlrd (imported when such a file is met); headers and footers, which xlrd does not
keep, from a walk over the workbook stream's records."""

from __future__ import annotations

import struct
from collections.abc import Iterator

from baomi.scanner.extractors.xlsx import HF_CODES

_HEADER_FOOTER = (0x0014, 0x0015)
_CONTINUE = 0x003C


def text(workbook: bytes) -> Iterator[bytes]:
    """UTF-8 lines of the workbook: sheet names, rows, then headers and footers."""
    import xlrd

    book = xlrd.open_workbook(file_contents=workbook, on_demand=True, logfile=_Quiet())
    try:
        yield ("\n".join(book.sheet_names()) + "\n").encode("utf-8", "surrogatepass")
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            lines = ["\t".join(_cell(c) for c in sheet.row(r)) for r in range(sheet.nrows)]
            book.unload_sheet(index)
            if lines:
                yield ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    finally:
        book.release_resources()
    headers = list(headers_footers(workbook))
    if headers:
        yield ("\n".join(headers) + "\n").encode("utf-8", "surrogatepass")


def _cell(cell) -> str:
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\n", " ").replace("\t", " ")


def headers_footers(workbook: bytes) -> Iterator[str]:
    pos = 0
    while pos + 4 <= len(workbook):
        kind, size = struct.unpack_from("<HH", workbook, pos)
        body = workbook[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if kind in _HEADER_FOOTER and len(body) >= 3:
            (count,) = struct.unpack_from("<H", body, 0)
            wide = body[2] & 0x01
            raw = body[3 : 3 + count * (2 if wide else 1)]
            value = raw.decode("utf-16-le" if wide else "latin-1", "replace")
            value = HF_CODES.sub(" ", value).strip()
            if value:
                yield value


class _Quiet:
    """xlrd writes warnings about odd files to a log file: kept out of the scan's output."""

    def write(self, *args) -> None:
        pass
