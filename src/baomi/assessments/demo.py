"""Demo yearly assessment (INS-3), through the actions: the default departmental scoring sheet
and last year's assessment of the demo office's departments, computed from its ledgers and left
in draft with the manual items waiting for the 保密办."""

from __future__ import annotations

from baomi.assessments import actions
from baomi.assessments.choices import Source, Target

DEPARTMENT_SHEET = "部门保密工作考核评分表"
DEPARTMENT_ITEMS = (
    ("保密检查发现问题", 20, Source.FINDINGS, 2, "INS-2"),
    ("整改按期完成率", 15, Source.RECTIFICATION_ON_TIME, 0, "INS-2"),
    ("借阅、传阅、外带逾期归还", 15, Source.OVERDUE_LOANS, 3, "CR-6"),
    ("要害部位每日下班检查", 10, Source.CLOSING_CHECKS_MISSING, 1, "SITE-3"),
    ("涉密人员年度培训覆盖率", 15, Source.TRAINING_COVERAGE, 0, "PER-4"),
    ("互联网计算机季度保密检查", 10, Source.DEVICE_CHECKS_OVERDUE, 2, "DEV-6"),
    ("失泄密事件", 10, Source.INCIDENTS, 10, "INC-1"),
    ("保密制度建设与责任落实", 5, Source.MANUAL, 0, "ORG-3"),
)


def load_assessments_demo(demo) -> None:
    clerk = demo.people["clerk"]
    sheet = actions.create_sheet(
        clerk,
        name=DEPARTMENT_SHEET,
        target=Target.DEPARTMENTS,
        items=[actions.ItemForm(*item) for item in DEPARTMENT_ITEMS],
    )
    actions.run_assessment(clerk, sheet, year=demo.today.year - 1)
