"""PER-2: propose a level, the department head checks it, the unit head approves or either
rejects it."""

from __future__ import annotations

from datetime import date

from ninja import Schema

from baomi.api.schemas import WRITE_ERRORS, Id, InputSchema, ReasonIn, display, text
from baomi.classification.choices import Clearance, Level
from baomi.personnel import actions
from baomi.personnel.api._common import Router, _owned, _person
from baomi.personnel.choices import DecisionStatus
from baomi.personnel.models import ClearanceDecision

router = Router()


class DecisionOut(Schema):
    id: int
    person_id: int
    previous: str
    clearance: str
    clearance_display: str
    highest_level: str
    reason: str
    status: str
    status_display: str
    proposed_by: str
    checked_by: str | None
    decided_by: str | None
    effective_on: date | None
    comment: str


def decision_out(d: ClearanceDecision) -> dict:
    return {
        "id": d.pk,
        "person_id": d.person_id,
        "previous": d.previous,
        "clearance": d.clearance,
        "clearance_display": display(Clearance, d.clearance),
        "highest_level": d.highest_level,
        "reason": d.reason,
        "status": d.status,
        "status_display": display(DecisionStatus, d.status),
        "proposed_by": d.proposed_by.name,
        "checked_by": d.checked_by.name if d.checked_by_id else None,
        "decided_by": d.decided_by.name if d.decided_by_id else None,
        "effective_on": d.effective_on,
        "comment": d.comment,
    }


class ProposeIn(InputSchema):
    clearance: Clearance
    highest_level: Level
    reason: text(500, min_length=1)


@router.post(
    "/people/{person_id}/clearance-decisions",
    response={201: DecisionOut, **WRITE_ERRORS},
    summary="提出涉密等级（PER-2）",
)
def propose(request, person_id: Id, payload: ProposeIn):
    p = _person(request.auth, person_id, acting=True)
    d = actions.propose_clearance(
        request.auth,
        p,
        clearance=payload.clearance.value,
        highest_level=payload.highest_level.value,
        reason=payload.reason,
    )
    return 201, decision_out(d)


class CommentIn(InputSchema):
    comment: text(500) = ""


@router.post(
    "/clearance-decisions/{decision_id}/check",
    response={200: DecisionOut, **WRITE_ERRORS},
    summary="部门负责人审核",
)
def check(request, decision_id: Id, payload: CommentIn):
    d = _owned(request.auth, ClearanceDecision, decision_id)
    return decision_out(actions.check_clearance(request.auth, d, comment=payload.comment))


@router.post(
    "/clearance-decisions/{decision_id}/approve",
    response={200: DecisionOut, **WRITE_ERRORS},
    summary="单位负责人批准",
)
def approve(request, decision_id: Id, payload: CommentIn):
    d = _owned(request.auth, ClearanceDecision, decision_id)
    return decision_out(actions.approve_clearance(request.auth, d, comment=payload.comment))


@router.post(
    "/clearance-decisions/{decision_id}/reject",
    response={200: DecisionOut, **WRITE_ERRORS},
    summary="退回涉密等级申请",
)
def reject(request, decision_id: Id, payload: ReasonIn):
    d = _owned(request.auth, ClearanceDecision, decision_id)
    return decision_out(actions.reject_clearance(request.auth, d, reason=payload.reason))
