"""The ledger (涉密载体台账) as xlsx and as an A4 PDF, and carrier labels with QR codes.

Every output is marked with the highest level it contains (SEC-5) and audited as a read of its
机密/绝密 lines (SEC-4). A label's QR code carries what a scanner types back into a stocktake: the
unit's code and 统一编号-份号 (`stocktake.selectors.scan_code`), so a count tells another unit's
carrier from an unregistered one.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

import segno
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from baomi.audit.models import Outcome
from baomi.audit.trail import record
from baomi.carriers.tables import is_overdue
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.lib.pdf import render_pdf
from baomi.stocktake.selectors import scan_code

# SEC-4 / 条例20: reads of these levels are audited (who came to know 机密 and above).
AUDITED_READ_LEVELS = (Level.SECRET, Level.TOP_SECRET)
XLSX_LIMIT = 20000
# WeasyPrint lays out about 40 lines a page; beyond this a PDF is no longer something one prints.
PDF_LIMIT = 2000
LABEL_LIMIT = 500

LEDGER_COLUMNS = (
    ("统一编号-份号", 18),
    ("密级标志", 14),
    ("标题", 40),
    ("制文机关", 20),
    ("文号", 20),
    ("成文日期", 12),
    ("页数", 6),
    ("状态", 10),
    ("持有人", 10),
    ("存放位置", 16),
    ("应还日期", 12),
    ("逾期", 6),
)


def highest_marking(carriers, note: str = "") -> dict | None:
    """The banner of a list: the highest level among the carriers shown (SEC-5)."""
    levels = {c.level for c in carriers}
    if not levels:
        return None
    top = max(levels, key=lambda lv: LEVEL_RANK[Level(lv)])
    if top == Level.PUBLIC:
        return None
    return {"text": Level(top).label, "level": top, "note": note}


def ledger_line(c) -> list:
    """One carrier as the ledger prints it, in LEDGER_COLUMNS order."""
    return [
        c.label,
        c.marking,
        c.title,
        c.issuer,
        c.doc_number,
        c.doc_date,
        c.pages,
        c.get_status_display(),
        c.holder.name if c.holder_id else "",
        c.place.name if c.place_id else "",
        c.due_date,
        "是" if is_overdue(c) else "",
    ]


def _heading(viewer, rows, top, now) -> str:
    return (
        f"涉密载体台账 · {viewer.unit.name} · 导出人：{viewer.name} · 导出时间："
        f"{now:%Y-%m-%d %H:%M} · 共 {len(rows)} 件（本表密级按其中最高密级标注）"
    )


def ledger_xlsx(rows, viewer) -> bytes:
    now, top = timezone.localtime(), highest_marking(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "涉密载体台账"
    ws.append([top["text"] if top else "（无涉密载体）"])
    ws["A1"].font = Font(size=16, bold=True, color="C1121F")
    ws["A1"].alignment = Alignment(horizontal="left")
    ws.append([_heading(viewer, rows, top, now)])
    ws.append([name for name, _ in LEDGER_COLUMNS])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for c in rows:
        ws.append(ledger_line(c))
    for index, (_, width) in enumerate(LEDGER_COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "A4"
    audit_export(viewer, rows, top, "xlsx")
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def ledger_pdf(rows, viewer) -> bytes:
    now, top = timezone.localtime(), highest_marking(rows)
    pdf = render_pdf(
        "carriers/pdf/ledger.html",
        {
            "columns": [name for name, _ in LEDGER_COLUMNS],
            "lines": [ledger_line(c) for c in rows],
            "heading": _heading(viewer, rows, top, now),
            "marking": top["text"] if top else "",
            "unit_name": viewer.unit.name,
            "watermark": f"{viewer.name} {now:%Y-%m-%d %H:%M}",
        },
    )
    audit_export(viewer, rows, top, "pdf")
    return pdf


@dataclass(frozen=True)
class Label:
    """One sticker: what a person reads and what a scanner reads (the same code)."""

    code: str
    scan_code: str
    marking: str
    level: str
    kind: str
    title: str
    unit: str
    qr_svg: str


def qr_svg(code: str) -> str:
    """An inline SVG QR code of `code` (error level M: survives a scuffed sticker)."""
    qr = segno.make(code, error="m", micro=False)
    return qr.svg_inline(scale=2, border=2, omitsize=True)


def labels_pdf(carriers, viewer, unit) -> bytes:
    """Labels of `unit`'s carriers (the views only ever label one unit's carriers at a time)."""
    now, top = timezone.localtime(), highest_marking(carriers)
    labels = [
        Label(
            code=c.label,
            scan_code=scan_code(unit.code, c.label),
            marking=c.marking,
            level=c.level,
            kind=c.get_kind_display(),
            title=c.title,
            unit=unit.name,
            qr_svg=qr_svg(scan_code(unit.code, c.label)),
        )
        for c in carriers
    ]
    pdf = render_pdf(
        "carriers/pdf/labels.html",
        {
            "labels": labels,
            "marking": top["text"] if top else "",
            "unit_name": viewer.unit.name,
            "watermark": f"{viewer.name} {now:%Y-%m-%d %H:%M}",
        },
    )
    audit_export(viewer, carriers, top, "labels")
    return pdf


def audit_export(person, rows, top, form: str) -> None:
    """An export of 机密/绝密 lines is a read of them (SEC-4): numbers and levels only."""
    read = [c.label for c in rows if c.level in AUDITED_READ_LEVELS]
    with transaction.atomic():
        record(
            "carrier.labels" if form == "labels" else "carrier.export",
            person,
            None,
            outcome=Outcome.READ,
            after={
                "form": form,
                "count": len(rows),
                "max_level": top["level"] if top else None,
                "audited_reads": read[:1000],
            },
        )
