"""The 清退单 (recall list, CR-10) of one issuer as an A4 PDF and as xlsx, marked with the highest
level on it (SEC-5); and the list of 发文 (CR-9) as the page shows it."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone

from baomi.carriers.exports import carriers_on, marked_by_level
from baomi.dispatch.recall import IssuerDue
from baomi.lib.exports import TableExport
from baomi.lib.pdf import render_pdf
from baomi.org.models import Person, Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "序号",
    "统一编号-份号",
    "密级标志",
    "文号",
    "成文日期",
    "页数",
    "状态",
    "现在位置",
    "备注",
]


def _rows(entry: IssuerDue) -> list[list]:
    return [
        [
            n,
            c.label,
            c.marking,
            c.doc_number,
            c.doc_date,
            c.pages,
            c.get_status_display(),
            c.place.name if c.place_id else (c.holder.name if c.holder_id else ""),
            "须先收回" if c.holder_id else "",
        ]
        for n, c in enumerate(entry.carriers, start=1)
    ]


def recall_list_pdf(unit: Unit, entry: IssuerDue, actor: Person) -> bytes:
    now = timezone.localtime()
    return render_pdf(
        "dispatch/recall_list.pdf.html",
        {
            "entry": entry,
            "rows": _rows(entry),
            "headers": HEADERS,
            "marking": entry.marking,
            "unit_name": unit.name,
            "watermark": f"{actor.name} 打印于 {now:%Y-%m-%d %H:%M}",
            "printed_at": now,
        },
    )


def recall_list_xlsx(unit: Unit, entry: IssuerDue, actor: Person) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    now = timezone.localtime()
    wb = Workbook()
    ws = wb.active
    ws.title = "清退单"
    ws.append([entry.marking or "（无涉密载体）"])
    ws["A1"].font = Font(size=16, bold=True, color="C1121F")
    ws.append(
        [
            f"涉密载体清退单 · {unit.name} → {entry.issuer} · 应清退日期 {entry.due:%Y-%m-%d} · "
            f"共 {len(entry.carriers)} 件 · {actor.name} 导出于 {now:%Y-%m-%d %H:%M}"
        ]
    )
    ws.append(HEADERS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in _rows(entry):
        ws.append(row)
    for column, width in zip("ABCDEFGHI", (6, 18, 14, 22, 12, 6, 10, 16, 10), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A4"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _receipt(d) -> str:
    return f"{d.receipt_signed_by} {d.receipt_at:%Y-%m-%d}" if d.receipt_at else "待回执"


DISPATCHES = TableExport(
    title="发文登记",
    event_type="dispatch.export",
    filename="dispatches",
    columns=(
        ("编号", 8, lambda d: f"#{d.pk}"),
        ("发出时间", 18, lambda d: d.sent_at),
        (
            "载体",
            36,
            lambda d: "、".join(f"{c.label} {c.get_level_display()}" for c in carriers_on(d)),
        ),
        ("收件单位", 24, lambda d: f"{d.recipient_unit} {d.recipient_person}".strip()),
        ("传递方式", 12, lambda d: d.get_channel_display()),
        ("传递人", 16, lambda d: "、".join(p.name for p in d.couriers.all())),
        ("回执", 18, _receipt),
    ),
    mark=marked_by_level(carriers_on, code=lambda c: c.label),
    note="（本表密级按所列载体最高密级标注）",
)
