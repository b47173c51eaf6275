"""Generated ledgers for the import tests: a 2,000-row carriers 台帐 with 20 bad rows of
different kinds, written as xlsx, xls-free csv (UTF-8/GBK) or with a title above the header."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook

HEADER = [
    "序号",
    "统一编号",
    "文件资料名称",
    "来文机关",
    "文号",
    "载体类别",
    "密级",
    "保密期限",
    "份数",
    "页数",
    "知悉范围",
    "保管人",
    "承办人",
    "存放位置",
    "成文日期",
    "收文日期",
    "备注",
]


def good_row(i: int) -> list:
    """A valid row; a few shapes in turn (levels, copies, kept numbers, holders)."""
    level, period = [("秘密", "10年"), ("机密", "20年"), ("内部", ""), ("机密", "")][i % 4]
    holder = "张三" if i % 50 == 7 else ""
    return [
        str(i),
        f"2019-{i:07d}" if i % 3 == 0 else "",
        f"关于第{i}项工作的通知",
        "XX省人民政府办公厅",
        f"X政发〔2019〕{i}号",
        "纸质文件" if i % 10 else "光盘",
        level,
        period,
        "2" if i % 25 == 0 else "1",
        "3",
        "办公室秘书科",
        holder,
        "李四" if i % 5 == 0 else "",
        "",
        date(2019, 3, 1 + i % 28),
        date(2019, 3, 1 + i % 28),
        "",
    ]


# (column, bad value, description): each spoils one good row in its own way.
BAD_KINDS = [
    ("密级", "特密", "unknown level"),
    ("保密期限", "很久", "bad period"),
    ("保密期限", "30年", "period above the maximum"),
    ("密级", "内部★5年", "内部 with ★"),
    ("保管人", "查无此人", "unknown holder"),
    ("保管人", "王五", "holder not cleared"),
    ("统一编号", "DUP", "duplicate number"),
    ("文件资料名称", "", "missing title"),
    ("成文日期", "2019-13-45", "bad date"),
    ("载体类别", "羊皮卷", "unknown kind"),
    ("份数", "-1", "bad copies"),
    ("存放位置", "不存在的柜子", "unknown place"),
    ("知悉范围", "不存在的科", "unknown scope"),
    ("来文机关", "", "received without issuer"),
    ("密级", "", "missing level"),
    ("页数", "abc", "bad pages"),
    ("密级", "公开", "public"),
    ("份号", "x", "bad copy number"),
    ("成文日期", "", "no date at all"),
    ("保管人", "李四", "holder below 机密"),
]


def ledger(rows: int = 2000, bad_every: int = 97) -> tuple[list[list], dict[int, str]]:
    """Data rows, and {index in data: description} for the bad ones (20 of them)."""
    data = [good_row(i) for i in range(1, rows + 1)]
    bad: dict[int, str] = {}
    for n, (column, value, what) in enumerate(BAD_KINDS):
        index = 10 + n * bad_every
        row = data[index]
        if column == "统一编号":
            row[1] = data[2][1]  # the number of an earlier row (kept, 2019-0000003)
        elif column == "份号":
            row.append("x")  # goes in an extra column, see `header()`
        elif column == "成文日期" and value == "":
            row[14] = row[15] = ""
        elif column == "保管人" and value == "李四":
            row[6], row[7], row[11] = "机密", "10年", "李四"
            row[10] = "办公室秘书科"
        else:
            row[HEADER.index(column)] = value
        bad[index] = what
    return data, bad


def header() -> list[str]:
    return [*HEADER, "份号"]


def fix(row: list, index: int) -> list:
    """The bad row put right: a fresh good row at the same place."""
    return good_row(index + 1)


def xlsx(rows: list[list], *, title_rows: int = 0) -> bytes:
    book = Workbook()
    sheet = book.active
    for n in range(title_rows):
        sheet.append(["XX市人民政府办公室涉密载体登记台帐" if n == 0 else ""])
    sheet.append(header())
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "gbk") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header())
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row])
    return out.getvalue().encode(encoding)


def row_number(index: int, *, title_rows: int = 0) -> int:
    """The spreadsheet row of data row `index`: after the title rows and the header."""
    return title_rows + 2 + index


# --- small files for rule tests -------------------------------------------------------------


def table(rows: list[dict], *, fmt: str = "xlsx", title_rows: int = 0, encoding="utf-8-sig"):
    """A file with the union of the rows' keys as header (in first-seen order)."""
    head: list[str] = []
    for row in rows:
        head += [k for k in row if k not in head]
    body = [[row.get(k, "") for k in head] for row in rows]
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        for n in range(title_rows):
            sheet.append(["台帐" if n == 0 else ""])
        sheet.append(head)
        for row in body:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    if fmt == "xls":
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet("台帐")
        dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        for r, values in enumerate([*[["台帐"]] * title_rows, head, *body]):
            for c, value in enumerate(values):
                if isinstance(value, date):
                    sheet.write(r, c, value, dates)
                else:
                    sheet.write(r, c, value)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out)
    for n in range(title_rows):
        writer.writerow(["台帐" if n == 0 else ""])
    writer.writerow(head)
    for row in body:
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row])
    return out.getvalue().encode(encoding)


def carrier(**overrides) -> dict:
    """One valid row of a received 秘密 document in scope of 办公室秘书科."""
    row = {
        "统一编号": "",
        "文件资料名称": "关于某项工作的通知",
        "来文机关": "XX省人民政府办公厅",
        "文号": "X政发〔2024〕1号",
        "密级": "秘密",
        "保密期限": "10年",
        "份数": "1",
        "知悉范围": "办公室秘书科",
        "成文日期": date(2024, 3, 1),
        "收文日期": date(2024, 3, 5),
    }
    row.update(overrides)
    return row
