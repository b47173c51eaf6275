"""The ledger a yearly assessment reads (INS-3), built with the real actions at fixed dates:

- 2026-03-02: a 机密 carrier lent to 张三 (办公室秘书科), due 03-05, never returned;
- 2026-03-02: a concentrated training attended by 张三 and 赵保密 (机要室);
- 2026-03-12: a self-inspection with a 较重 finding concerning 李四 (办公室秘书科).

Cleared people in post: 机要室 赵保密; 办公室秘书科 钱领导, 孙定密, 张三, 李四; 综合科 王五 is
uncleared and 财务科 has nobody — both count as fully covered by training."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from baomi.assessments import actions
from baomi.assessments.choices import Source, Target
from baomi.inspections import actions as inspections
from baomi.inspections.choices import Severity
from baomi.training import actions as training
from tests.inspections.helpers import START, at, overdue_loan, self_inspection

ASSESSED_ON = START + timedelta(days=10)

ITEMS = [
    actions.ItemForm("检查发现问题", 20, Source.FINDINGS, 2, "INS-2"),
    actions.ItemForm("借阅逾期归还", 10, Source.OVERDUE_LOANS, 5, "CR-6"),
    actions.ItemForm("涉密人员培训覆盖率", 10, Source.TRAINING_COVERAGE, 0, "PER-4"),
    actions.ItemForm("保密制度建设", 10, Source.MANUAL),
]


def build_ledger(w):
    with at(START):
        carrier = overdue_loan(w)
        session = training.create_session(
            w.clerk, title="上半年集中培训", kind="concentrated", held_on=START, hours=Decimal(2)
        )
        training.record_attendance(w.clerk, session, [w.zhang, w.clerk])
    with at(ASSESSED_ON):
        inspection = self_inspection(w, planned_on=ASSESSED_ON)
        inspections.start_inspection(w.clerk, inspection)
        inspections.record_finding(
            w.clerk,
            inspection,
            inspections.FindingForm(
                description="李四办公桌上放置涉密文件无人看管",
                severity=Severity.SERIOUS,
                rule_id="CR-3",
                person=w.li,
            ),
        )
    return carrier


def department_sheet(w, actor=None):
    return actions.create_sheet(
        actor or w.clerk, name="部门保密工作考核表", target=Target.DEPARTMENTS, items=ITEMS
    )
