"""Every list page's export (design.md "Pages"): the rows the viewer sees, with the page's filters,
as xlsx and as an A4 landscape PDF.

An app declares a `TableExport` — a title, an audit event type and its columns as
(header, width, getter) — and its view hands `respond` the same queryset the list is built from.
Each file is marked at the top (SEC-5: the highest level among its lines, or 内部 for lists
without carrier content) and each export is audited as a read naming numbers and levels only,
never classified text (SEC-4). Too long a list is refused with a hint, never silently cut.

The xlsx is written by openpyxl's write-only workbook (rows go to disk as they are appended) into a
temporary file that the response streams; the PDF is drawn on a canvas (`baomi.lib.pdf_canvas`),
since an HTML table of thousands of rows is laid out again on every page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from tempfile import TemporaryFile
from typing import IO, Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django_tables2 import RequestConfig
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from baomi.audit.models import Outcome
from baomi.audit.trail import record
from baomi.lib import pdf_canvas
from baomi.web.views import page_message

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
XLSX_LIMIT = 20000
# Drawn on a canvas, a PDF holds what an xlsx does: 20,000 lines (~700 pages, a big unit's registry
# of a year or two) take seconds; beyond that the hint asks for a narrower filter.
PDF_LIMIT = XLSX_LIMIT
# The audit row names at most this many 机密/绝密 lines (the count is always exact).
READS_IN_AUDIT = 1000
MARKING_FONT = Font(size=16, bold=True, color="C1121F")
BOLD = Font(bold=True)

Column = tuple[str, int, Callable[[Any], Any]]


@dataclass(frozen=True)
class Marking:
    """What heads an exported file (SEC-5) and which of its lines the trail must name (SEC-4)."""

    text: str  # "机密", "内部"; "" when nothing on it needs a marking
    level: str | None = None
    reads: tuple[str, ...] = ()  # numbers of its 机密/绝密 lines


INTERNAL = Marking("内部", "internal")


def internal(rows) -> Marking:
    """Lists without carrier content (the audit trail, stocktake summaries), like the 涉密人员登记表."""
    return INTERNAL


@dataclass(frozen=True)
class TableExport:
    """One list's export: what it is called, how it is audited, marked and laid out."""

    title: str
    event_type: str  # e.g. "audit.export"
    filename: str  # download name stem, ASCII
    columns: tuple[Column, ...]
    mark: Callable[[list], Marking] = internal
    unmarked: str = "内部"  # the xlsx's first line when `mark` gives no text
    noun: str = "条"
    note: str = ""  # after the count in the heading
    empty: str = "（没有符合条件的记录）"  # the PDF's only line when there are no rows
    red_columns: frozenset[int] = frozenset()  # PDF columns printed in red (markings)

    @property
    def headers(self) -> list[str]:
        return [header for header, _, _ in self.columns]

    def line(self, row) -> list:
        return [get(row) for _, _, get in self.columns]


# --- the files -----------------------------------------------------------------------------------


def heading(export: TableExport, viewer, count: int, now: datetime) -> str:
    return (
        f"{export.title} · {viewer.unit.name} · 导出人：{viewer.name} · 导出时间："
        f"{now:%Y-%m-%d %H:%M} · 共 {count} {export.noun}{export.note}"
    )


def table_xlsx(export: TableExport, rows: Sequence, viewer) -> bytes:
    """The xlsx in memory, for callers that attach it elsewhere (`write_xlsx`)."""
    buffer = BytesIO()
    write_xlsx(export, rows, viewer, buffer)
    return buffer.getvalue()


def write_xlsx(export: TableExport, rows: Sequence, viewer, out: IO[bytes]) -> None:
    """Marking on row 1, heading on row 2, bold headers on row 3, frozen below them. Written by a
    write-only workbook: each row goes to the sheet's temporary file as it is appended, so memory
    stays flat however long the list is."""
    now, marking = timezone.localtime(), export.mark(rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(export.title[:31])  # Excel's limit for a sheet name
    for index, (_, width, _) in enumerate(export.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A4"
    first = WriteOnlyCell(ws, value=marking.text or export.unmarked)
    first.font, first.alignment = MARKING_FONT, Alignment(horizontal="left")
    ws.append([first])
    ws.append([heading(export, viewer, len(rows), now)])
    ws.append([_styled(ws, header, BOLD) for header in export.headers])
    for row in rows:
        ws.append([_xlsx_cell(ws, v) for v in export.line(row)])
    audit(export.event_type, viewer, "xlsx", len(rows), marking)
    wb.save(out)


def _styled(ws, value, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    return cell


def _xlsx_cell(ws, value):
    value = _xlsx_value(value)
    if isinstance(value, str) and value.startswith("="):
        # A typed "=…" is text, never a formula that runs when the file is opened.
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _xlsx_value(value):
    if isinstance(value, datetime):
        # Excel has no time zones: the local wall-clock time, as on the page.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def table_pdf(export: TableExport, rows: Sequence, viewer) -> bytes:
    """An A4 landscape table, every page headed with the marking, its column headers repeated."""
    now, marking = timezone.localtime(), export.mark(rows)
    pdf = pdf_canvas.table_pdf(
        pdf_canvas.Table(
            title=export.title,
            heading=heading(export, viewer, len(rows), now),
            headers=export.headers,
            widths=[width for _, width, _ in export.columns],
            rows=[[cell_text(v) for v in export.line(row)] for row in rows],
            empty=export.empty,
            red_columns=export.red_columns,
        ),
        pdf_canvas.Margins(marking.text, viewer.unit.name, f"{viewer.name} {now:%Y-%m-%d %H:%M}"),
    )
    audit(export.event_type, viewer, "pdf", len(rows), marking)
    return pdf


def cell_text(value) -> str:
    """A value as the list pages print it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        shown = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{shown:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def audit(event_type: str, viewer, form: str, count: int, marking: Marking) -> None:
    """An export is a read of its lines (SEC-4): how many, the highest level and the numbers of
    the 机密/绝密 ones — never their text."""
    with transaction.atomic():
        record(
            event_type,
            viewer,
            None,
            outcome=Outcome.READ,
            after={
                "form": form,
                "count": count,
                "max_level": marking.level,
                "audited_reads": list(marking.reads[:READS_IN_AUDIT]),
            },
        )


# --- the HTTP side -------------------------------------------------------------------------------


def respond(request, export: TableExport, rows: QuerySet, fmt: str) -> HttpResponse:
    """The download of `rows` — the list's own filtered queryset, every page of it — or a 422
    page with a hint when there are more than a file should hold."""
    limit = XLSX_LIMIT if fmt == "xlsx" else PDF_LIMIT
    lines = list(rows[: limit + 1])
    if len(lines) > limit:
        return too_many(request, limit)
    name = f"{export.filename}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"
    if fmt == "xlsx":
        return xlsx_download(export, lines, request.person, name)
    return download(table_pdf(export, lines, request.person), PDF, name)


# From this many rows the xlsx is streamed from a temporary file rather than held in memory: a
# 10,000-row ledger is ~1 MB of workbook. A short list stays an ordinary response with its bytes
# (`content`), as every small download of the application is.
STREAM_FROM_ROWS = 2000


def xlsx_download(
    export: TableExport, rows: Sequence, viewer, filename: str
) -> FileResponse | HttpResponse:
    """The xlsx, streamed from a temporary file (deleted when the response is closed) when long."""
    out = TemporaryFile()  # noqa: SIM115 (FileResponse closes it when the response is sent)
    write_xlsx(export, rows, viewer, out)
    out.seek(0)
    if len(rows) < STREAM_FROM_ROWS:
        with out:
            return download(out.read(), XLSX, filename)
    response = FileResponse(out, content_type=XLSX, as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def too_many(request, limit: int) -> HttpResponse:
    return page_message(
        request,
        "导出的行数过多",
        f"当前筛选结果超过 {limit} 条，请先缩小筛选范围再导出。",
        status=422,
        icon="bi-funnel",
    )


def in_table_order(table_class, queryset, request):
    """`queryset` sorted as the list's django-tables2 table shows it (?sort=…), unpaginated."""
    table = table_class(queryset)
    RequestConfig(request, paginate=False).configure(table)
    # The table orders its queryset in place (TableQuerysetData.data); take it back unevaluated,
    # so `respond` can stop at its limit instead of loading the whole trail.
    return table.data.data
