"""The yearly report as an A4 PDF and as xlsx (INS-4), each printing the audit checkpoint it
rests on: a finalised report the one frozen with it; a draft a fresh one published as it is
printed (its figures are computed now, so an older checkpoint would not cover them).

Counts name no carrier but describe the unit's holdings: both are marked 内部 like the dashboard's
export, and every export is audited as a read (SEC-4)."""

from __future__ import annotations

from io import BytesIO

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from baomi.audit.checkpoints import printed_root, publish
from baomi.audit.models import AuditCheckpoint, CheckpointReason, Outcome
from baomi.audit.trail import record
from baomi.lib.pdf import render_pdf
from baomi.org.models import Person
from baomi.reports.exports import MARKING, MARKING_FONT
from baomi.reports.yearly.actions import subject
from baomi.reports.yearly.layout import layout, sources
from baomi.reports.yearly.report import draft_of


def checkpoint_of(report: dict, unit) -> dict:
    """The checkpoint the printed report rests on (see the module's docstring)."""
    if report["checkpoint_id"]:
        checkpoint = AuditCheckpoint.objects.get(pk=report["checkpoint_id"])
    else:
        checkpoint = publish(CheckpointReason.YEARLY, f"{subject(unit, report['year'])}（草稿）")
    return printed_root(checkpoint)


def title(report: dict) -> str:
    return f"{report['unit_name']}{report['year']}年度保密工作情况报告"


def _status_line(report: dict) -> str:
    state = report["state_display"]
    if report["finalised_at"]:
        state += f"（{report['finalised_by']} 于 {timezone.localtime(report['finalised_at']):%Y-%m-%d %H:%M}）"
    return f"截至 {report['as_of']} · {state}"


def report_pdf(report: dict, unit, viewer: Person) -> bytes:
    checkpoint = checkpoint_of(report, unit)
    context = {
        "report": report,
        "title": title(report),
        "status_line": _status_line(report),
        "layout": layout(report),
        "sources": sources(report),
        "marking": MARKING,
        "unit_name": report["unit_name"],
        "watermark": f"{viewer.name} 打印于 {timezone.localtime():%Y-%m-%d %H:%M}",
        "checkpoint": checkpoint,
    }
    content = render_pdf("reports/yearly_report_pdf.html", context)
    _audit(viewer, report, unit, "pdf", checkpoint)
    return content


def report_xlsx(report: dict, unit, viewer: Person) -> bytes:
    checkpoint = checkpoint_of(report, unit)
    heading = f"{title(report)} · {_status_line(report)} · 导出人：{viewer.name}"
    wb = Workbook()
    text = _sheet(wb.active, "报告正文", heading, ["章节", "内容"])
    text.column_dimensions["B"].width = 100
    for part in report["narrative"]:
        text.append([part["heading"], part["text"]])
        text.cell(row=text.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    text.append([])
    text.append(["审计日志检查点", _checkpoint_text(checkpoint)])
    for section in layout(report):
        ws = _sheet(
            wb.create_sheet(),
            section["title"],
            heading,
            ["项目", *(label for _, label in section["levels"])]
            if section["rows"]
            else ["项目", "数值"],
        )
        for row in section["rows"]:
            ws.append([row["label"], *(cell["text"] for cell in row["cells"])])
        if section["rows"] and section["lines"]:
            ws.append([])
        for line in section["lines"]:
            ws.append([line["label"], line["text"]])
    figures = _sheet(
        wb.create_sheet(),
        "数字来源",
        heading,
        ["序号", "项目", "件数/数值", "份数", "单位", "查询条件"],
    )
    figures.column_dimensions["F"].width = 120
    for no, f in enumerate(report["figures"], start=1):
        label = f["label"] + (f"（{f['level_display']}）" if f["level_display"] else "")
        figures.append([no, label, f["value"], f["copies"], f["measure"], f["query"]])
    _audit(viewer, report, unit, "xlsx", checkpoint)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _checkpoint_text(c: dict) -> str:
    return (
        f"{c['origin']}：树大小 {c['size']}，根哈希 {c['root']}，签署于 "
        f"{timezone.localtime(c['at']):%Y-%m-%d %H:%M}。可用 baomi audit verify --checkpoint 核对。"
    )


def _sheet(ws, name: str, heading: str, headers: list[str]):
    """Marking, heading and bold column headers on rows 1-3, as the dashboard's export."""
    ws.title = name
    ws.append([MARKING])
    ws["A1"].font = MARKING_FONT
    ws.append([heading])
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 30
    ws.freeze_panes = "A4"
    return ws


def _audit(viewer: Person, report: dict, unit, fmt: str, checkpoint: dict) -> None:
    saved = draft_of(unit, report["year"])
    with transaction.atomic():
        record(
            "yearly_report.export",
            viewer,
            saved,
            outcome=Outcome.READ,
            after={
                "unit": report["unit_id"],
                "year": report["year"],
                "format": fmt,
                "state": report["state"],
                "checkpoint_size": checkpoint["size"],
            },
        )
