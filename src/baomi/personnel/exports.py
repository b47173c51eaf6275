"""The 涉密人员登记表 as xlsx and PDF, and the monthly allowance list (PER-8) as xlsx.

The register names people and levels, no carrier content: it is marked 内部 (SEC-5) and each
export is audited as a read (SEC-4)."""

from __future__ import annotations

from io import BytesIO

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from baomi.audit.models import Outcome
from baomi.audit.trail import record
from baomi.classification.choices import Clearance
from baomi.lib.pdf import render_pdf

LEDGER_MARKING = "内部"
LEDGER_HEADERS = [
    "姓名",
    "部门",
    "岗位",
    "涉密等级",
    "确定日期",
    "审查结论",
    "承诺书签订日期",
    "最近培训日期",
    "近12月培训学时",
    "接触最高密级",
    "脱密期起",
    "脱密期止",
    "是否定密责任人",
    "状态",
]


def _audit(viewer, what: str, count: int) -> None:
    with transaction.atomic():
        record(what, viewer, None, outcome=Outcome.READ, after={"count": count})


def _xlsx(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def ledger_xlsx(rows, viewer) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "涉密人员登记表"
    ws.append([LEDGER_MARKING])
    ws["A1"].font = Font(size=16, bold=True, color="C1121F")
    now = timezone.localtime()
    ws.append(
        [f"涉密人员登记表 · {viewer.unit.name} · 导出人：{viewer.name} · {now:%Y-%m-%d %H:%M}"]
    )
    ws.append(LEDGER_HEADERS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for r in rows:
        p = r.person
        ws.append(
            [
                p.name,
                p.department.name if p.department_id else "",
                p.post,
                r.clearance_display,
                r.level_since,
                r.vetting_result,
                r.commitment_on,
                r.last_training_on,
                float(r.training_hours_12m),
                r.highest_level_display,
                r.cooling_off_start,
                r.cooling_off_end,
                "是" if r.is_classifier else "否",
                r.status,
            ]
        )
    ws.freeze_panes = "A4"
    _audit(viewer, "personnel.ledger_export", len(rows))
    return _xlsx(wb)


def ledger_pdf(rows, viewer) -> bytes:
    now = timezone.localtime()
    pdf = render_pdf(
        "personnel/pdf/ledger.html",
        {
            "rows": rows,
            "today": now.date(),
            "marking": LEDGER_MARKING,
            "unit_name": viewer.unit.name,
            "watermark": f"{viewer.name} {now:%Y-%m-%d %H:%M}",
        },
    )
    _audit(viewer, "personnel.ledger_export", len(rows))
    return pdf


def allowance_xlsx(rows, viewer, year: int, month: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"保密津贴{year}-{month:02d}"
    ws.append([LEDGER_MARKING])
    ws["A1"].font = Font(size=16, bold=True, color="C1121F")
    ws.append([f"{viewer.unit.name} {year}年{month}月保密津贴发放表（按在各等级的天数折算）"])
    ws.append(["姓名", "部门", "涉密等级", "天数", "标准（元/月）", "金额（元）"])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    total = 0
    for r in rows:
        for level, days, amount in r.parts:
            ws.append(
                [
                    r.person.name,
                    r.person.department.name if r.person.department_id else "",
                    Clearance(level).label,
                    days,
                    viewer.unit.allowance_for(level),
                    float(amount),
                ]
            )
        total += r.total
    ws.append(["合计", "", "", "", "", float(total)])
    _audit(viewer, "personnel.allowance_export", len(rows))
    return _xlsx(wb)
