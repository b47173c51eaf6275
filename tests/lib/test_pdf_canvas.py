"""Long tables on a canvas (baomi.lib.pdf_canvas): 10,000 rows in one file, every page marked and
numbered "第 n 页 / 共 m 页", columns sized once for the whole table, no row cut across pages."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from baomi.lib import pdf_canvas
from baomi.lib.pdf_canvas import Margins, Table

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext 未安装")


def pages_of(content: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return ["".join(page.split()) for page in out.stdout.decode().split("\f") if page.strip()]


def table(rows, **kwargs) -> Table:
    return Table(
        title="涉密载体台账",
        heading="涉密载体台账 · 测试单位 · 共 N 件",
        headers=("统一编号-份号", "密级标志", "标题"),
        widths=(18, 14, 40),
        rows=rows,
        empty="（没有符合条件的载体）",
        **kwargs,
    )


MARGINS = Margins("机密", "测试单位", "赵保密 2026-12-07 10:00")


def test_ten_thousand_rows_make_one_marked_numbered_file():
    rows = [(f"2026-{i:07d}-01", "机密★10年", f"关于第{i}号事项的通知") for i in range(1, 10_001)]
    pages = pages_of(pdf_canvas.table_pdf(table(rows, red_columns=frozenset({1})), MARGINS))
    assert len(pages) > 250
    for number, text in enumerate(pages, start=1):
        assert text.startswith("机密")  # SEC-5 on every page, first thing read
        assert f"第{number}页/共{len(pages)}页" in text
        assert "统一编号-份号" in text  # the headers repeat
    assert "关于第1号事项的通知" in pages[0] and "关于第10000号事项的通知" in pages[-1]
    joined = "".join(pages)
    assert all(f"2026-{i:07d}-01" in joined for i in (1, 5000, 9999, 10000))


def test_no_rows_print_the_empty_line():
    pages = pages_of(pdf_canvas.table_pdf(table([]), MARGINS))
    assert len(pages) == 1 and "（没有符合条件的载体）" in pages[0]


def test_a_long_cell_wraps_and_a_row_stays_on_one_page():
    long_title = "很长的标题" * 60
    rows = [
        (f"2026-{i:07d}-01", "秘密", long_title if i % 7 == 0 else "短标题") for i in range(200)
    ]
    pages = pages_of(pdf_canvas.table_pdf(table(rows), MARGINS))
    for text in pages:
        # A wrapped title is whole on the page that holds its number (rows are never split).
        for i in range(0, 200, 7):
            if f"2026-{i:07d}-01" in text:
                assert long_title in text


def test_columns_that_fit_shrink_and_give_their_room_to_the_ones_that_wrap():
    pdf_canvas.font()
    natural = [[40.0, 30.0, 900.0], [50.0, 20.0, 100.0]]  # header row, then a row
    widths = pdf_canvas.column_widths((18, 14, 40), natural, 700.0)
    assert sum(widths) == pytest.approx(700.0)
    pad = 2 * pdf_canvas.PAD_X + 0.5
    assert widths[0] == pytest.approx(50 + pad) and widths[1] == pytest.approx(30 + pad)
    # Everything fits: the spare room goes by share.
    widths = pdf_canvas.column_widths((1, 1), [[10.0, 10.0]], 100.0)
    assert widths == pytest.approx([50.0, 50.0])


def test_wrap_breaks_anywhere_within_the_width():
    pdf_canvas.font()
    lines = pdf_canvas.wrap("关于加强涉密载体管理工作的通知" * 3, 60, 8)
    assert len(lines) > 1 and "".join(lines) == "关于加强涉密载体管理工作的通知" * 3
    assert all(pdf_canvas.pdfmetrics.stringWidth(line, pdf_canvas.FONT, 8) <= 60 for line in lines)
