"""The inspection API's output shapes: an inspection with its answers, a finding with its
evidence and rectification, a carrier named by number and level only (ORG-4)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema

from baomi.api.schemas import Ref, display, ref
from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.inspections.choices import (
    Answer,
    Holiday,
    InspectionKind,
    InspectionStatus,
    RectificationStatus,
    Severity,
)
from baomi.inspections.models import Finding, Inspection


class FindingCarrierRef(Schema):
    """A carrier by number and level only (ORG-4: never its title)."""

    id: int
    label: str
    level: str
    level_display: str


def carrier_ref(c: Carrier | None) -> dict | None:
    if c is None:
        return None
    return {
        "id": c.pk,
        "label": c.label,
        "level": c.level,
        "level_display": display(Level, c.level),
    }


class AnswerOut(Schema):
    id: int
    position: int
    text: str
    rule_id: str
    auto_check: str
    answer: str
    answer_display: str
    answered_by_system: bool
    evidence: str
    note: str


class EvidenceOut(Schema):
    id: int
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class RectificationBrief(Schema):
    id: int
    status: str
    status_display: str
    owner: Ref
    deadline: date


class FindingOut(Schema):
    id: int
    inspection_id: int
    unit: Ref
    answer_id: int | None
    description: str
    severity: str
    severity_display: str
    rule_id: str
    found_by_system: bool
    person: Ref | None
    place: Ref | None
    site: Ref | None
    carrier: FindingCarrierRef | None
    created_at: datetime
    evidence: list[EvidenceOut]
    rectification: RectificationBrief | None


def finding_out(f: Finding) -> dict:
    rect = getattr(f, "rectification", None) if hasattr(f, "rectification") else None
    return {
        "id": f.pk,
        "inspection_id": f.inspection_id,
        "unit": ref(f.inspection.unit),
        "answer_id": f.answer_id,
        "description": f.description,
        "severity": f.severity,
        "severity_display": display(Severity, f.severity),
        "rule_id": f.rule_id,
        "found_by_system": f.found_by_system,
        "person": ref(f.person),
        "place": ref(f.place),
        "site": ref(f.site),
        "carrier": carrier_ref(f.carrier),
        "created_at": f.created_at,
        "evidence": [
            {
                "id": e.pk,
                "file_name": e.file_name,
                "content_type": e.content_type,
                "size": e.size,
                "uploaded_at": e.uploaded_at,
            }
            for e in f.evidence.all()
        ],
        "rectification": {
            "id": rect.pk,
            "status": rect.status,
            "status_display": display(RectificationStatus, rect.status),
            "owner": ref(rect.owner),
            "deadline": rect.deadline,
        }
        if rect is not None
        else None,
    }


class InspectionOut(Schema):
    id: int
    title: str
    unit: Ref
    inspecting_unit: Ref
    kind: str
    kind_display: str
    holiday: str
    holiday_display: str
    planned_on: date
    template: Ref
    leader: Ref
    status: str
    status_display: str
    started_at: datetime | None
    completed_at: datetime | None
    summary: str
    findings_count: int
    answers: list[AnswerOut]


def inspection_out(i: Inspection, *, with_answers: bool = True) -> dict:
    return {
        "id": i.pk,
        "title": i.title,
        "unit": ref(i.unit),
        "inspecting_unit": ref(i.inspecting_unit),
        "kind": i.kind,
        "kind_display": display(InspectionKind, i.kind),
        "holiday": i.holiday,
        "holiday_display": display(Holiday, i.holiday),
        "planned_on": i.planned_on,
        "template": ref(i.template),
        "leader": ref(i.leader),
        "status": i.status,
        "status_display": display(InspectionStatus, i.status),
        "started_at": i.started_at,
        "completed_at": i.completed_at,
        "summary": i.summary,
        "findings_count": i.findings.count(),
        "answers": [
            {
                "id": a.pk,
                "position": a.position,
                "text": a.text,
                "rule_id": a.rule_id,
                "auto_check": a.auto_check,
                "answer": a.answer,
                "answer_display": display(Answer, a.answer) or "未检查",
                "answered_by_system": a.answered_by_system,
                "evidence": a.evidence,
                "note": a.note,
            }
            for a in i.answers.all()
        ]
        if with_answers
        else [],
    }


class InspectionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[InspectionOut]


class FindingPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[FindingOut]
