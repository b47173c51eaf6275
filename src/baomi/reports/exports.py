"""The dashboard's figures as xlsx: one sheet per table of the page, counts only.

Counts name no carrier, but together they describe the unit's holdings: every sheet is marked
内部 like the 涉密人员登记表 (SEC-5), and each export is audited as a read (SEC-4)."""

from __future__ import annotations

from io import BytesIO

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from baomi.audit.models import Outcome
from baomi.audit.trail import record
from baomi.org.models import Person

MARKING = "内部"
MARKING_FONT = Font(size=16, bold=True, color="C1121F")
SUMMARY = (
    ("载体总数（含已销毁、清退等）", "carriers_total"),
    ("在管载体", "carriers_live"),
    ("逾期未还", "overdue"),
    ("待审批申请", "requests_pending"),
)


def statistics_xlsx(stats: dict, viewer: Person) -> bytes:
    wb = Workbook()
    heading = _heading(stats, viewer)
    summary = wb.active
    _sheet(summary, "概况", heading, ["项目", "件数"])
    for label, key in SUMMARY:
        summary.append([label, stats[key]])
    levels = _sheet(wb.create_sheet(), "按密级", heading, ["密级", "在管", "逾期", "合计"])
    for row in stats["by_level"]:
        levels.append([row["level_display"], row["live"], row["overdue"], row["total"]])
    statuses = _sheet(wb.create_sheet(), "按状态", heading, ["状态", "件数"])
    for row in stats["by_status"]:
        statuses.append([row["status_display"], row["count"]])
    requests = _sheet(wb.create_sheet(), "待审批申请", heading, ["申请类型", "件数"])
    for row in stats["requests_by_kind"]:
        requests.append([row["kind_display"], row["count"]])
    trend = _sheet(wb.create_sheet(), "月度趋势", heading, ["月份", "登记", "销毁", "清退"])
    for row in stats["trend"]:
        trend.append([row["month"], row["registered"], row["destroyed"], row["recalled"]])
    _audit(viewer, stats)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _heading(stats: dict, viewer: Person) -> str:
    now = timezone.localtime()
    return (
        f"涉密载体统计 · {stats['scope_display']} · 截至 {stats['as_of']} · "
        f"导出人：{viewer.name} · {now:%Y-%m-%d %H:%M}"
    )


def _sheet(ws, title: str, heading: str, headers: list[str]):
    """Marking, heading and bold column headers on rows 1-3; the figures follow."""
    ws.title = title
    ws.append([MARKING])
    ws["A1"].font = MARKING_FONT
    ws.append([heading])
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 28
    ws.freeze_panes = "A4"
    return ws


def _audit(viewer: Person, stats: dict) -> None:
    with transaction.atomic():
        record(
            "reports.statistics_export",
            viewer,
            None,
            outcome=Outcome.READ,
            after={"scope": stats["scope"], "unit": stats["unit_id"]},
        )
