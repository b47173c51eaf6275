"""PER-3, PER-4: record a vetting, a signed commitment, a training session."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from baomi.api.schemas import WRITE_ERRORS, Day, Id, InputSchema, text
from baomi.personnel import actions
from baomi.personnel.api._common import Router, _person
from baomi.personnel.choices import CommitmentKind, VettingResult

router = Router()
LongText = text(5000)  # a module name: a schema field called `text` would shadow the function


class Created(Schema):
    id: int


class VettingIn(InputSchema):
    on: Day
    result: VettingResult
    findings: text(2000) = ""
    next_review_on: Day | None = None


@router.post(
    "/people/{person_id}/vettings", response={201: Created, **WRITE_ERRORS}, summary="记录保密审查"
)
def vetting(request, person_id: Id, payload: VettingIn):
    p = _person(request.auth, person_id, acting=True)
    v = actions.record_vetting(
        request.auth,
        p,
        on=payload.on,
        result=payload.result.value,
        findings=payload.findings,
        next_review_on=payload.next_review_on,
    )
    return 201, {"id": v.pk}


class CommitmentIn(InputSchema):
    kind: CommitmentKind
    signed_on: Day
    text: LongText = ""


@router.post(
    "/people/{person_id}/commitments",
    response={201: Created, **WRITE_ERRORS},
    summary="登记保密承诺书",
)
def commitment(request, person_id: Id, payload: CommitmentIn):
    p = _person(request.auth, person_id, acting=True)
    c = actions.sign_commitment(
        request.auth, p, kind=payload.kind.value, signed_on=payload.signed_on, text=payload.text
    )
    return 201, {"id": c.pk}


class TrainingIn(InputSchema):
    on: Day
    hours: float = Field(gt=0, le=100)
    subject: text(200, min_length=1)
    score: int | None = Field(None, ge=0, le=100)


@router.post(
    "/people/{person_id}/trainings", response={201: Created, **WRITE_ERRORS}, summary="登记保密培训"
)
def training(request, person_id: Id, payload: TrainingIn):
    p = _person(request.auth, person_id, acting=True)
    t = actions.record_training(
        request.auth,
        p,
        on=payload.on,
        hours=payload.hours,
        subject=payload.subject,
        score=payload.score,
    )
    return 201, {"id": t.pk}
