"""Reading a ledger file into rows of cells: .xlsx (python-calamine), .xls (xlrd 2) and .csv in UTF-8
(with or without BOM) or GBK/GB18030. A file that is none of these — encrypted, empty, not a
spreadsheet — raises `BadFile` with a Chinese message; it never reaches the user as a traceback.

Rows keep the spreadsheet's own numbering (row 1 is the first line of the sheet), so what the
import reports (`第N行`) is where the user finds it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

# A ledger of up to 100,000 rows, with room above them for its title lines and header.
MAX_DATA_ROWS = 100_000
MAX_ROWS = MAX_DATA_ROWS + 20
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and also an encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"

Cell = str | date


class BadFile(Exception):
    """The file cannot be read as a ledger. `message` is Chinese, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """The cells of one sheet: `rows[i]` is spreadsheet row `i + 1`."""

    rows: list[list[Cell]]


def read_sheet(file_name: str, data: bytes) -> Sheet:
    """The first sheet of the file, as text and dates (numbers as their shortest text)."""
    if not data:
        raise BadFile("文件是空的。")
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if data.startswith(OLE_MAGIC):
        if suffix == "xlsx":
            raise BadFile("文件已加密（设有打开密码），请在 Excel 中取消密码后再导入。")
        rows = _read_xls(data)
    elif data.startswith(ZIP_MAGIC):
        rows = _read_xlsx(data)
    elif suffix in ("xlsx", "xls", "xlsm"):
        raise BadFile(f"文件“{file_name}”不是有效的 Excel 文件。")
    else:
        rows = _read_csv(data)
    rows = [_trim(row) for row in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise BadFile("文件中没有内容。")
    if len(rows) > MAX_ROWS:
        raise BadFile(f"文件超过 {MAX_DATA_ROWS} 行，请分批导入。")
    return Sheet(rows)


def _trim(row: list[Cell]) -> list[Cell]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def text_of(value) -> Cell:
    """A cell as the import reads it: stripped text, a date, or ''."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return clean_text(str(value))


def clean_text(text: str) -> str:
    """Control characters have no place in a ledger (and PostgreSQL refuses NUL in text)."""
    if any(ch < " " for ch in text):
        text = "".join(ch if ch >= " " or ch in "\t\n" else "" for ch in text)
    return text.strip()


def _read_xlsx(data: bytes) -> list[list[Cell]]:
    """The first sheet by calamine (Rust): a 100,000-row ledger reads in seconds, where
    openpyxl's read-only mode took over a minute on these machines. Cached formula values are
    read, as Excel shows them; empty leading rows are kept, so row numbers stay the sheet's."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise BadFile("文件中没有工作表。")
        sheet = book.get_sheet_by_index(0)
        if sheet.end is not None and sheet.end[0] >= MAX_ROWS:
            raise BadFile(f"文件超过 {MAX_DATA_ROWS} 行，请分批导入。")
        values = sheet.to_python(skip_empty_area=False)
    except BadFile:
        raise
    except Exception as error:  # calamine raises its own errors for foreign or broken files
        raise BadFile("不是有效的 xlsx 文件（可能已损坏，或不是 Excel 表格）。") from error
    return [[text_of(value) for value in row] for row in values]


def _read_xls(data: bytes) -> list[list[Cell]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except xlrd.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise BadFile("文件已加密（设有打开密码），请在 Excel 中取消密码后再导入。") from error
        raise BadFile("不是有效的 xls 文件（可能已损坏，或不是 Excel 表格）。") from error
    except Exception as error:  # xlrd raises assorted errors on corrupt files
        raise BadFile("不是有效的 xls 文件（可能已损坏，或不是 Excel 表格）。") from error
    if book.nsheets == 0:
        raise BadFile("文件中没有工作表。")
    sheet = book.sheet_by_index(0)
    rows = []
    for r in range(min(sheet.nrows, MAX_ROWS + 1)):
        row = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    row.append(xlrd.xldate_as_datetime(cell.value, book.datemode).date())
                except (ValueError, OverflowError):
                    row.append(text_of(cell.value))
            else:
                row.append(text_of(cell.value))
        rows.append(row)
    return rows


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else GB18030 — a superset of GBK, what Excel in China saves."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise BadFile("无法识别文件编码：CSV 文件须为 UTF-8 或 GBK 编码的文本。")


def _read_csv(data: bytes) -> list[list[Cell]]:
    text = decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        return [
            [text_of(v) for v in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise BadFile(f"CSV 文件格式有误：{error}") from error
