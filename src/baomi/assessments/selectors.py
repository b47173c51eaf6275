"""Reads of the yearly assessment (deny by default): the unit's 保密办, head and 保密委员会 read
its sheets, assessments and 奖惩记录; the 安全保密管理员 reads the sheets they configure. The
other system roles see nothing (SEC-3). Counts only — nothing here names a carrier (ORG-4)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from baomi.assessments.models import Assessment, RewardPenalty, Score, ScoringSheet
from baomi.assessments.rules import may_configure, may_read
from baomi.org.models import Person


def sheets_visible_to(person: Person | None) -> QuerySet[ScoringSheet]:
    if not (may_read(person) or may_configure(person)):
        return ScoringSheet.objects.none()
    return ScoringSheet.objects.filter(unit_id=person.unit_id).prefetch_related("items")


def sheet_for(person: Person | None, sheet_id: int) -> ScoringSheet | None:
    return sheets_visible_to(person).filter(pk=sheet_id).first()


def assessments_visible_to(person: Person | None) -> QuerySet[Assessment]:
    if not may_read(person):
        return Assessment.objects.none()
    return Assessment.objects.filter(unit_id=person.unit_id).select_related(
        "sheet", "created_by", "finalised_by"
    )


def assessment_for(person: Person | None, assessment_id: int) -> Assessment | None:
    return assessments_visible_to(person).filter(pk=assessment_id).first()


def decisions_visible_to(person: Person | None) -> QuerySet[RewardPenalty]:
    if not may_read(person):
        return RewardPenalty.objects.none()
    return RewardPenalty.objects.filter(unit_id=person.unit_id).select_related(
        "department", "subject_unit", "person", "recorded_by"
    )


@dataclass
class SubjectRow:
    """One department or subordinate unit: its scores in item order and its total."""

    name: str
    department_id: int | None
    unit_id: int | None
    scores: list[Score] = field(default_factory=list)
    rank: int = 0

    @property
    def total(self) -> Decimal:
        return sum((s.points or Decimal(0) for s in self.scores), Decimal(0))

    @property
    def complete(self) -> bool:
        return all(s.points is not None for s in self.scores)

    @property
    def reasons(self) -> str:
        return "；".join(f"第{s.item.position}项：{s.reason}" for s in self.scores if s.reason)


def result_table(assessment: Assessment) -> list[SubjectRow]:
    """The scores as one row per subject, highest total first (one query)."""
    rows: OrderedDict[tuple, SubjectRow] = OrderedDict()
    scores = assessment.scores.select_related(
        "item", "department", "subject_unit", "adjusted_by"
    ).order_by("department__name", "subject_unit__code", "item__position")
    for score in scores:
        key = (score.department_id, score.subject_unit_id)
        if key not in rows:
            rows[key] = SubjectRow(score.subject_name, *key)
        rows[key].scores.append(score)
    return sorted(rows.values(), key=lambda row: (-row.total, row.name))
