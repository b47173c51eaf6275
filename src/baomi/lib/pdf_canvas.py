"""Long tables and label sheets drawn straight on a ReportLab canvas.

WeasyPrint lays a long table out again on every page (auto column widths over all its rows, then
every line broken afresh): the ledger's 311 rows took 12.7 s, 600 rows 21 s. A list export is a
grid of known column widths, so it is measured once (each cell's lines), cut into pages and drawn:
10,000 rows take seconds. Every page carries what pdf/base.html puts in its margins: the marking at
the top left (SEC-5), the unit at the top right, "第 n 页 / 共 m 页" and the exporter's name and
time at the bottom.

The CJK font is the machine's WenQuanYi Zen Hei (Makefile: fonts-wqy-zenhei), found through
fontconfig, parsed once per process and embedded as a subset, so `pdftotext` reads the text back.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from io import BytesIO

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT = "BaomiCJK"
# ReportLab embeds TrueType outlines only (Noto CJK is CFF): the family the Makefile installs.
FONT_FAMILY = "WenQuanYi Zen Hei"
BLACK, RED, GREY = HexColor("#000000"), HexColor("#bb0000"), HexColor("#555555")
LIGHT, RULE = HexColor("#eeeeee"), HexColor("#333333")
MARGINS = (18 * mm, 15 * mm, 20 * mm, 15 * mm)  # top, right, bottom, left: as pdf/base.html
CELL_SIZE, CELL_LEADING = 8, 10  # points
PAD_X, PAD_Y = 1.5 * mm, 1 * mm


@cache
def font() -> str:
    """Register the CJK font once per process (parsing it takes ~0.4 s) and return its name."""
    path, index = _font_file()
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=index))
    return FONT


def _font_file() -> tuple[str, int]:
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", FONT_FAMILY],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise RuntimeError(f"找不到中文字体 {FONT_FAMILY}（fonts-wqy-zenhei）：{error}") from error
    path, _, index = found.partition("|")
    if not path.lower().endswith((".ttc", ".ttf")):
        raise RuntimeError(f"中文字体 {FONT_FAMILY} 未安装（fc-match 给出 {path}）")
    return path, int(index or 0)


def wrap(text: str, width: float, size: float, natural: float | None = None) -> list[str]:
    """`text` broken into lines no wider than `width` — anywhere, as CJK text breaks (and as the
    HTML tables did with overflow-wrap: anywhere). `natural`: its width on one line, if known."""
    if natural is not None and natural <= width and "\n" not in text:
        return [text]
    lines = []
    for paragraph in text.split("\n"):
        if pdfmetrics.stringWidth(paragraph, FONT, size) <= width:
            lines.append(paragraph)
            continue
        line, used = [], 0.0
        for char in paragraph:
            advance = pdfmetrics.stringWidth(char, FONT, size)
            if line and used + advance > width:
                lines.append("".join(line))
                line, used = [], 0.0
            line.append(char)
            used += advance
        lines.append("".join(line))
    return lines


@dataclass(frozen=True)
class Margins:
    """What every page shows around its content (pdf/base.html's margin boxes)."""

    marking: str
    unit_name: str
    watermark: str


def _draw_bold(canvas: Canvas, x: float, y: float, text: str, size: float, color) -> None:
    """Red bold text from a single-weight font: filled and stroked, the state put back after."""
    drawn = canvas.beginText(x, y)
    drawn.setFont(FONT, size)
    drawn.setFillColor(color)
    drawn.setStrokeColor(color)
    drawn.setTextRenderMode(2)
    drawn.textOut(text)
    drawn.setTextRenderMode(0)
    drawn.setFillColorRGB(0, 0, 0)
    drawn.setStrokeColorRGB(0, 0, 0)
    canvas.drawText(drawn)


def _page_margins(canvas: Canvas, margins: Margins, page: int, pages: int) -> None:
    width, height = canvas._pagesize
    top, right, bottom, left = MARGINS
    # The marking first: it is what a reader (and pdftotext) meets first on every page.
    if margins.marking:
        canvas.setLineWidth(0.3)
        _draw_bold(canvas, left, height - top + 5 * mm, margins.marking, 12, RED)
    canvas.setFillColor(GREY)
    canvas.setFont(FONT, 9)
    canvas.drawRightString(width - right, height - top + 5 * mm, margins.unit_name)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawCentredString(width / 2, bottom - 10 * mm, f"第 {page} 页 / 共 {pages} 页")
    canvas.setFillColor(HexColor("#888888"))
    canvas.setFont(FONT, 8)
    canvas.drawRightString(width - right, bottom - 10 * mm, margins.watermark)
    canvas.setFillColorRGB(0, 0, 0)


@dataclass(frozen=True)
class Table:
    """A titled A4 landscape table: headers repeated on every page, rows never split."""

    title: str
    heading: str
    headers: Sequence[str]
    widths: Sequence[float]  # relative
    rows: Sequence[Sequence[str]]
    empty: str
    red_columns: frozenset[int] = frozenset()


def table_pdf(table: Table, margins: Margins) -> bytes:
    font()
    page_w, page_h = landscape(A4)
    top, right, bottom, left = MARGINS
    usable = page_w - left - right
    natural = [
        [pdfmetrics.stringWidth(cell, FONT, CELL_SIZE) for cell in cells] for cells in table.rows
    ]
    header_natural = [pdfmetrics.stringWidth(h, FONT, CELL_SIZE) for h in table.headers]
    widths = column_widths(table.widths, [header_natural, *natural], usable)
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)

    def measure(cells: Sequence[str], sizes) -> tuple[list[list[str]], float]:
        lines = [
            wrap(c, w - 2 * PAD_X, CELL_SIZE, size)
            for c, w, size in zip(cells, widths, sizes, strict=True)
        ]
        return lines, max(len(cell) for cell in lines) * CELL_LEADING + 2 * PAD_Y

    header_lines, header_h = measure(table.headers, header_natural)
    heading_lines = wrap(table.heading, usable, 10.5)
    title_h = 18 + 4 * mm + len(heading_lines) * 14 + 6 * mm
    body_h = page_h - top - bottom - header_h
    # A row taller than a page (a title of thousands of characters) is cut to what a page holds.
    max_lines = max(1, int((body_h - 2 * PAD_Y) // CELL_LEADING))

    # Pass 1: every row's lines and height, and where the pages break (so "共 m 页" is known).
    pages: list[list[tuple[list[list[str]], float]]] = [[]]
    room = body_h - title_h
    for index, cells in enumerate(table.rows or [None]):
        if cells is None:
            measured = ([[table.empty]] + [[""]] * (len(widths) - 1), CELL_LEADING + 2 * PAD_Y)
        else:
            lines, height = measure(cells, natural[index])
            if height > body_h:
                lines = [cell[:max_lines] for cell in lines]
                height = max_lines * CELL_LEADING + 2 * PAD_Y
            measured = (lines, height)
        if measured[1] > room and pages[-1]:
            pages.append([])
            room = body_h
        pages[-1].append(measured)
        room -= measured[1]

    # Pass 2: draw.
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(page_w, page_h), pageCompression=1)
    canvas.setTitle(table.title)
    for number, rows in enumerate(pages, start=1):
        _page_margins(canvas, margins, number, len(pages))
        y = page_h - top
        if number == 1:
            canvas.setFont(FONT, 18)
            canvas.drawCentredString(page_w / 2, y - 18, table.title)
            y -= 18 + 4 * mm
            canvas.setFillColor(HexColor("#444444"))
            canvas.setFont(FONT, 10.5)
            for line in heading_lines:
                canvas.drawCentredString(page_w / 2, y - 11, line)
                y -= 14
            canvas.setFillColorRGB(0, 0, 0)
            y -= 6 * mm
        canvas.setFillColor(LIGHT)
        canvas.rect(left, y - header_h, usable, header_h, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        y_rows = [y]
        y = _draw_row(canvas, xs, y, header_lines, header_h, frozenset())
        y_rows.append(y)
        for lines, height in rows:
            y = _draw_row(canvas, xs, y, lines, height, table.red_columns)
            y_rows.append(y)
        _draw_grid(canvas, xs, y_rows, empty=not table.rows)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def column_widths(
    shares: Sequence[float], natural: list[list[float]], usable: float
) -> list[float]:
    """Widths from the declared shares, done once for the whole table (where HTML's automatic
    layout redid it on every page): a column whose longest cell fits its share shrinks to that
    cell, and what it frees goes to the columns that would wrap, in proportion to their shares."""
    need = [max(row[c] for row in natural) + 2 * PAD_X + 0.5 for c in range(len(shares))]
    fixed: dict[int, float] = {}
    while True:
        free = [c for c in range(len(shares)) if c not in fixed]
        room = usable - sum(fixed.values())
        total = sum(shares[c] for c in free) or 1
        fits = [c for c in free if need[c] <= room * shares[c] / total]
        if not fits or len(fits) == len(free):
            break
        fixed.update((c, need[c]) for c in fits)
    if len(fits) == len(free):  # everything fits: the spare room goes by share
        spare = usable - sum(fixed.values()) - sum(need[c] for c in free)
        total = sum(shares) or 1
        return [(fixed.get(c) or need[c]) + spare * shares[c] / total for c in range(len(shares))]
    return [fixed.get(c) or room * shares[c] / total for c in range(len(shares))]


def _draw_row(canvas, xs, y: float, lines, height: float, red: frozenset[int]) -> float:
    canvas.setFont(FONT, CELL_SIZE)
    for column, cell in enumerate(lines):
        if column in red:
            canvas.setFillColor(RED)
        baseline = y - PAD_Y - CELL_SIZE
        for line in cell:
            if line:
                canvas.drawString(xs[column] + PAD_X, baseline, line)
            baseline -= CELL_LEADING
        if column in red:
            canvas.setFillColorRGB(0, 0, 0)
    return y - height


def _draw_grid(canvas, xs, ys, *, empty: bool) -> None:
    """The table's rules, one path a page. The "no rows" line spans all columns."""
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    path = canvas.beginPath()
    for y in ys:
        path.moveTo(xs[0], y)
        path.lineTo(xs[-1], y)
    for index, x in enumerate(xs):
        path.moveTo(x, ys[0])
        inner = 0 < index < len(xs) - 1
        path.lineTo(x, ys[-2] if empty and inner else ys[-1])
    canvas.drawPath(path, stroke=1, fill=0)


# --- label sheets --------------------------------------------------------------------------------

# A4 sheet of 3 × 8 stickers of 70 × 37 mm (the common self-adhesive sheet), 0.5 mm from the top.
LABEL_W, LABEL_H, LABEL_COLUMNS, LABEL_ROWS = 70 * mm, 37 * mm, 3, 8
LABEL_TOP = 0.5 * mm
LABEL_PAD_X, LABEL_PAD_Y, QR_SIZE, QR_GAP = 3 * mm, 4 * mm, 26 * mm, 2.5 * mm
QR_BORDER = 2  # quiet-zone modules, as the SVG codes had


@dataclass(frozen=True)
class Sticker:
    """One label's printed lines and the QR symbol's rows of modules (1 = dark)."""

    marking: str
    code: str
    title: str
    footer: str
    qr_rows: Sequence[Sequence[int]]


def label_sheet(stickers: Sequence[Sticker], *, title: str) -> bytes:
    font()
    page_h = A4[1]
    text_w = LABEL_W - 2 * LABEL_PAD_X - QR_SIZE - QR_GAP
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    per_page = LABEL_COLUMNS * LABEL_ROWS
    for start in range(0, max(len(stickers), 1), per_page):
        for index, sticker in enumerate(stickers[start : start + per_page]):
            row, column = divmod(index, LABEL_COLUMNS)
            x, y = column * LABEL_W, page_h - LABEL_TOP - (row + 1) * LABEL_H
            _draw_sticker(canvas, sticker, x, y, text_w)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_sticker(canvas: Canvas, sticker: Sticker, x: float, y: float, text_w: float) -> None:
    canvas.setStrokeColor(HexColor("#bbbbbb"))
    canvas.setLineWidth(0.3)
    canvas.setDash(2, 2)
    canvas.rect(x, y, LABEL_W, LABEL_H, stroke=1, fill=0)
    canvas.setDash()
    top = y + LABEL_H - LABEL_PAD_Y
    _draw_qr(canvas, sticker.qr_rows, x + LABEL_PAD_X, top - QR_SIZE)
    left = x + LABEL_PAD_X + QR_SIZE + QR_GAP
    baseline = top - 11
    # The marking first (SEC-5), in red and bold as on the screen.
    _draw_bold(canvas, left, baseline, sticker.marking, 11, RED)
    baseline -= 13
    for line in wrap(sticker.code, text_w, 9.5)[:2]:
        _draw_bold(canvas, left, baseline, line, 9.5, BLACK)
        baseline -= 11
    canvas.setFont(FONT, 8)
    for line in wrap(sticker.title, text_w, 8)[:2]:  # two lines of the title, as the HTML clipped
        canvas.drawString(left, baseline, line)
        baseline -= 10.8
    canvas.setFillColor(HexColor("#444444"))
    canvas.drawString(left, baseline, wrap(sticker.footer, text_w, 8)[0])
    canvas.setFillColorRGB(0, 0, 0)


def _draw_qr(canvas: Canvas, rows: Sequence[Sequence[int]], x: float, y: float) -> None:
    """The symbol as one fill of rectangles, a run of dark modules in a row being one rectangle,
    written in module units (integers) under a transform: cheaper than formatting thousands of
    floats, and the same drawing."""
    size = QR_SIZE / (len(rows) + 2 * QR_BORDER)
    runs = []
    for r, row in enumerate(rows):
        c, width = 0, len(row)
        while c < width:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < width and row[c]:
                c += 1
            runs.append(f"{start} {r} {c - start} 1 re")
    canvas.saveState()
    # Module (0, 0) at the symbol's top left, rows counted downwards.
    canvas.transform(size, 0, 0, -size, x + QR_BORDER * size, y + QR_SIZE - QR_BORDER * size)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(" ".join(runs) + " f")
    canvas.restoreState()
