"""Bad input to every POST endpoint of `inspections`, `rectifications`, `trainings`,
`question-bank`, `exams` and `catalogue`: 422 `invalid` naming the field, nothing changed.
`CASES` and `NO_BODY` are also read by tests/api."""

from __future__ import annotations

import pytest
from django.utils import timezone

from baomi.catalogue import actions as catalogue
from baomi.catalogue.models import CatalogueEntry
from baomi.classification.choices import Level
from baomi.classification.periods import Period
from baomi.inspections import actions
from baomi.inspections.choices import Severity
from baomi.inspections.models import Evidence, Finding, Inspection, InspectionAnswer, Rectification
from baomi.training import actions as training
from baomi.training.choices import QuestionLevel, SessionKind
from baomi.training.models import Exam, ExamAttempt, Question, TrainingSession
from tests.api.helpers import api_as, assert_invalid, ledger_state
from tests.inspections.helpers import self_inspection
from tests.training.helpers import bank_rows, xlsx

pytestmark = pytest.mark.django_db

CASES = {
    "inspections": (
        "clerk",
        {"title": "", "kind": "surprise", "planned_on": "明天", "leader_id": "x"},
        ["title", "kind", "planned_on", "leader_id"],
    ),
    "inspections/templates": ("clerk", {"name": "", "items": []}, ["name", "items"]),
    "inspections/findings/{finding_id}/evidence": (
        "clerk",
        {"file_name": "", "content_base64": "不是base64"},
        ["file_name"],
    ),
    "inspections/{inspection_id}/answers/{answer_id}": ("clerk", {"answer": "maybe"}, ["answer"]),
    "inspections/{inspection_id}/complete": ("clerk", {"summary": ""}, ["summary"]),
    "inspections/{inspection_id}/findings": (
        "clerk",
        {"description": "", "severity": "fatal", "carrier_id": 0},
        ["description", "severity", "carrier_id"],
    ),
    "rectifications": (
        "clerk",
        {"finding_id": "x", "content": "", "owner_id": 0, "deadline": "下周"},
        ["finding_id", "content", "owner_id", "deadline"],
    ),
    "rectifications/{rectification_id}/submit": ("leader", {"report": ""}, ["report"]),
    "rectifications/{rectification_id}/verify": ("leader", {"accepted": "perhaps"}, ["accepted"]),
    "trainings": (
        "clerk",
        {"title": "", "kind": "party", "held_on": "x", "hours": -1},
        ["title", "kind", "held_on", "hours"],
    ),
    "trainings/{session_id}/attendance": ("clerk", {"person_ids": []}, ["person_ids"]),
    "question-bank": (
        "clerk",
        {"kind": "essay", "text": "", "answer": ""},
        ["kind", "text", "answer"],
    ),
    "question-bank/import": ("clerk", {}, ["file"]),
    "exams": (
        "clerk",
        {"title": "", "level": "boss", "question_count": 0, "time_limit_minutes": 1},
        ["title", "level", "question_count", "time_limit_minutes", "candidate_ids"],
    ),
    "exams/{exam_id}/answers": ("li", {"answers": {"1": "Z" * 40}}, ["answers.1"]),
    "exams/{exam_id}/submit": ("li", {"answers": []}, ["answers"]),
    "catalogue": (
        "classifier",
        {"code": "", "matter": "", "level": "ultra", "period": {"kind": "weeks"}},
        ["code", "matter", "level", "period.kind", "scope", "source_document"],
    ),
    "catalogue/{entry_id}/revise": (
        "classifier",
        {"matter": "", "level": "secret", "period": {"kind": "years"}},
        ["matter", "period", "scope", "source_document"],
    ),
    "catalogue/{entry_id}/retire": ("classifier", {"note": ""}, ["note"]),
}

# POST endpoints whose only input is the id in the path.
NO_BODY = {"inspections/{inspection_id}/start", "exams/{exam_id}/start"}

MODELS = (
    Inspection,
    InspectionAnswer,
    Finding,
    Evidence,
    Rectification,
    TrainingSession,
    Question,
    Exam,
    ExamAttempt,
    CatalogueEntry,
)


def my_state() -> dict:
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in MODELS}


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(world, template):
    w = world
    today = timezone.localdate()
    inspection = self_inspection(w, planned_on=today)
    actions.start_inspection(w.clerk, inspection)
    finding = actions.record_finding(
        w.clerk, inspection, actions.FindingForm(description="x", severity=Severity.MINOR)
    )
    rect = actions.assign_rectification(
        w.clerk, finding, content="整改", owner=w.leader, deadline=today
    )
    session = training.create_session(
        w.clerk, title="培训", kind=SessionKind.SPECIAL, held_on=today, hours=1
    )
    training.import_questions(w.clerk, file_name="题库.xlsx", data=xlsx(bank_rows()))
    exam = training.generate_exam(
        w.clerk,
        training.ExamForm(
            title="考试",
            level=QuestionLevel.ALL,
            question_count=3,
            time_limit_minutes=10,
            candidates=[w.li],
        ),
    )
    training.start_attempt(w.li, exam)
    entry = catalogue.publish_entry(
        w.classifier,
        catalogue.EntryForm("1.1", "事项", Level.SECRET, Period.of_years(10), "范围", "文件"),
    )
    who, body, fields = CASES[template]
    client = api_as(w, getattr(w, who))
    path = template.format(
        inspection_id=inspection.pk,
        answer_id=inspection.answers.first().pk,
        finding_id=finding.pk,
        rectification_id=rect.pk,
        session_id=session.pk,
        exam_id=exam.pk,
        entry_id=entry.pk,
    )
    before, mine = ledger_state(), my_state()
    if template == "question-bank/import":
        response = client.client.post("/api/v1/" + path, {}, **client._headers())
    else:
        response = client.post(path, body)
    assert_invalid(response, *fields)
    assert ledger_state() == before and my_state() == mine
