"""Reading xlsx ledgers (python-calamine): the sheet's own row numbers, dates, numbers as text,
foreign zip files refused in Chinese, and a ledger of 100,000 rows under its header accepted."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from baomi.imports.readers import MAX_DATA_ROWS, BadFile, read_sheet


def book(cells: dict) -> bytes:
    workbook = Workbook()
    for ref, value in cells.items():
        workbook.active[ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_rows_keep_the_sheet_numbering_and_cells_read_as_text_and_dates():
    data = book(
        {"B3": "统一编号", "A5": 3, "B5": 1.5, "C5": datetime(2019, 3, 5, 0, 0), "D5": " 秘密 "}
    )
    rows = read_sheet("台帐.xlsx", data).rows
    assert rows[2] == ["", "统一编号"]  # row 3 of the sheet, below two empty rows
    assert rows[4] == ["3", "1.5", date(2019, 3, 5), "秘密"]


def test_a_zip_that_is_no_workbook_is_a_chinese_error():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(BadFile) as error:
        read_sheet("台帐.xlsx", out.getvalue())
    assert "xlsx" in error.value.message


def test_a_ledger_of_100000_rows_with_title_and_header_fits_one_more_does_not():
    above = "XX市涉密载体台帐\n统一编号,文件资料名称\n"
    rows = "".join(f"2019-{i:07d},通知{i}\n" for i in range(MAX_DATA_ROWS))
    assert len(read_sheet("台帐.csv", (above + rows).encode()).rows) == MAX_DATA_ROWS + 2
    too_many = above * 11 + rows
    with pytest.raises(BadFile, match="100000"):
        read_sheet("台帐.csv", too_many.encode())
