"""INS-3 through the actions: a scoring sheet, a yearly assessment whose computed items come
from the real ledgers (an overdue loan, a training, inspection findings), a manual score refused
without a reason, finalising that freezes the scores, and a used sheet revised as a new version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from baomi.assessments import actions
from baomi.assessments.choices import AssessmentStatus, Decision, Source, Target
from baomi.assessments.models import Score
from baomi.assessments.selectors import result_table
from baomi.audit.models import AuditEvent
from baomi.inspections.choices import Severity
from baomi.inspections.models import Finding
from baomi.lib.errors import Forbidden, InvalidState
from tests.assessments.helpers import ASSESSED_ON, ITEMS, build_ledger, department_sheet
from tests.factories import refused
from tests.inspections.helpers import at, province_clerk

pytestmark = pytest.mark.django_db


def _score(assessment, department, position) -> Score:
    return assessment.scores.select_related("item").get(
        department=department, item__position=position
    )


def _office_findings_weight(w) -> int:
    """Independently of the assessment: the findings of 2026 that concern a person or key site of
    办公室秘书科, weighted 1/2/3 by severity."""
    weight = {Severity.MINOR: 1, Severity.SERIOUS: 2, Severity.CRITICAL: 3}
    rows = Finding.objects.filter(created_at__year=2026, person__department=w.office)
    return sum(weight[Severity(f.severity)] for f in rows)


def test_r_ins_3_computed_items_come_from_the_ledgers(world):
    w = world
    build_ledger(w)
    with at(ASSESSED_ON):
        sheet = department_sheet(w)
        assert not sheet.frozen
        assessment = actions.run_assessment(w.clerk, sheet, year=2026)
    sheet.refresh_from_db()
    assert sheet.frozen  # used once: its items never change again
    assert assessment.status == AssessmentStatus.DRAFT
    # one score per department and item
    assert assessment.scores.count() == 4 * len(ITEMS)

    # findings: 李四's 较重 finding (and any the system found on 办公室秘书科 people)
    weight = _office_findings_weight(w)
    assert weight >= 2
    findings = _score(assessment, w.office, 1)
    assert findings.fact == weight and findings.computed_points == 20 - 2 * weight
    assert findings.points == findings.computed_points and "较重" in findings.basis
    assert _score(assessment, w.finance, 1).points == 20

    # the loan to 张三 was due 03-05 and is still out on 03-12: one late hand-out
    loans = _score(assessment, w.office, 2)
    assert (loans.fact, loans.points) == (1, Decimal("5.0"))
    assert _score(assessment, w.registry, 2).points == 10

    # training: 办公室秘书科 1 of 4 cleared people (张三), 机要室 1 of 1, 财务科 nobody
    office_training = _score(assessment, w.office, 3)
    assert office_training.fact == Decimal("0.25") and office_training.points == Decimal("2.5")
    assert "应 4，实 1" in office_training.basis
    assert _score(assessment, w.registry, 3).points == 10
    assert _score(assessment, w.finance, 3).points == 10

    # the manual item waits for the assessor
    manual = _score(assessment, w.office, 4)
    assert manual.computed_points is None and manual.points is None

    # the basis never names a carrier's title
    assert not assessment.scores.filter(basis__contains="关于某项工作的通知").exists()
    assert AuditEvent.objects.filter(event_type="assessment.run", object_id=assessment.pk).exists()


def test_r_ins_3_a_score_without_reason_is_refused(world):
    w = world
    build_ledger(w)
    with at(ASSESSED_ON):
        assessment = actions.run_assessment(w.clerk, department_sheet(w), year=2026)
        manual = _score(assessment, w.office, 4)
        with refused("INS-3"):
            actions.adjust_score(w.clerk, manual, points=8, reason="  ")
        computed = _score(assessment, w.office, 2)
        with refused("INS-3"):
            actions.adjust_score(w.clerk, computed, points=10, reason="")
        manual.refresh_from_db()
        assert manual.points is None


def test_r_ins_3_finalise_freezes_the_scores(world):
    w = world
    build_ledger(w)
    with at(ASSESSED_ON):
        assessment = actions.run_assessment(w.clerk, department_sheet(w), year=2026)
        # a manual item without points: not yet
        with refused("invalid_state", error=InvalidState):
            actions.finalise(w.clerk, assessment)
        for manual in assessment.scores.filter(item__position=4):
            actions.adjust_score(w.clerk, manual, points=8, reason="制度齐全，台帐规范")
        overruled = actions.adjust_score(
            w.clerk,
            _score(assessment, w.office, 2),
            points=7,
            reason="逾期系出差延误，已书面说明",
        )
        assert overruled.computed_points == 5 and overruled.points == 7 and overruled.adjusted
        assert overruled.adjusted_by == w.clerk
        actions.finalise(w.clerk, assessment)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FINAL and assessment.finalised_by == w.clerk
    event = AuditEvent.objects.get(
        event_type="assessment.finalise", object_id=assessment.pk, outcome="done"
    )
    assert "办公室秘书科" in event.after["totals"]
    rows = result_table(assessment)
    assert [row.total for row in rows] == sorted((row.total for row in rows), reverse=True)
    office = next(row for row in rows if row.name == "办公室秘书科")
    assert office.total == sum(s.points for s in office.scores)
    assert "出差延误" in office.reasons

    with at(ASSESSED_ON), refused("invalid_state", error=InvalidState):
        actions.adjust_score(w.clerk, _score(assessment, w.office, 4), points=10, reason="复核")
    with at(ASSESSED_ON), refused("invalid_state", error=InvalidState):
        actions.recompute(w.clerk, assessment)


def test_r_ins_3_a_used_sheet_is_revised_as_a_new_version(world):
    w = world
    with at(ASSESSED_ON):
        sheet = department_sheet(w)
        draft = actions.revise_sheet(w.clerk, sheet, items=ITEMS[:2])
        assert draft.pk == sheet.pk and draft.items.count() == 2  # unused: changed in place
        actions.run_assessment(w.clerk, sheet, year=2026)
        revised = actions.revise_sheet(w.clerk, sheet, items=ITEMS)
    assert revised.pk != sheet.pk and revised.version == 2 and revised.previous == sheet
    assert sheet.items.count() == 2 and revised.items.count() == len(ITEMS)
    with at(ASSESSED_ON), refused("invalid_state", error=InvalidState):
        actions.revise_sheet(w.clerk, sheet, items=ITEMS)  # only the latest version changes
    with at(ASSESSED_ON), refused("invalid_state", error=InvalidState):
        actions.run_assessment(w.clerk, sheet, year=2026)  # once per sheet and year


def test_r_ins_3_only_the_office_assesses(world):
    w = world
    with at(ASSESSED_ON):
        sheet = department_sheet(w)
        with refused("forbidden", error=Forbidden):
            actions.run_assessment(w.zhang, sheet, year=2026)
        with refused("forbidden", error=Forbidden):
            actions.create_sheet(w.zhang, name="x", target=Target.DEPARTMENTS, items=ITEMS)
        # the 安全保密管理员 configures sheets, but does not score
        made = actions.create_sheet(
            w.secadmin, name="安全保密管理员配置", target=Target.DEPARTMENTS, items=ITEMS
        )
        with refused("forbidden", error=Forbidden):
            actions.run_assessment(w.secadmin, made, year=2026)


def test_r_ins_3_a_superior_unit_assesses_its_subordinates_and_records_decisions(world):
    w = world
    build_ledger(w)
    superior = province_clerk(w)
    with at(ASSESSED_ON):
        sheet = actions.create_sheet(
            superior,
            name="下级单位保密工作考核表",
            target=Target.UNITS,
            items=[
                actions.ItemForm("借阅逾期归还", 10, Source.OVERDUE_LOANS, 2),
                actions.ItemForm("整改按期完成", 10, Source.RECTIFICATION_ON_TIME),
            ],
        )
        assessment = actions.run_assessment(superior, sheet, year=2026)
        scores = {s.item.position: s for s in assessment.scores.select_related("item")}
        assert all(s.subject_unit == w.unit for s in scores.values())
        assert scores[1].points == 8  # the one late loan of the subordinate unit
        assert scores[2].points == 10 and "无到期整改" in scores[2].basis
        made = actions.record_decision(
            superior,
            actions.DecisionForm(
                decision=Decision.REWARD,
                description="年度保密工作考核优秀，通报表扬",
                decided_on=date(2026, 3, 12),
                year=2026,
                subject_unit=w.unit,
                assessment=assessment,
            ),
        )
        assert made.subject_name == w.unit.name
        # a subordinate unit records nothing about its superior
        with refused("ORG-4"):
            actions.record_decision(
                w.clerk,
                actions.DecisionForm(
                    decision=Decision.PENALTY,
                    description="x",
                    decided_on=date(2026, 3, 12),
                    year=2026,
                    subject_unit=w.province,
                ),
            )
