"""PER-6: a transfer or resignation during the 脱密期, and completing it."""

from __future__ import annotations

from ninja import Schema

from baomi.api import lookups
from baomi.api.schemas import WRITE_ERRORS, Day, Id, InputSchema, text
from baomi.personnel import actions
from baomi.personnel.api._common import Router, _owned, _person
from baomi.personnel.choices import MoveKind
from baomi.personnel.models import Move

router = Router()


class MoveOut(Schema):
    id: int
    person_id: int
    kind: str
    status: str
    request_id: int
    request_status: str


def move_out(m: Move) -> dict:
    return {
        "id": m.pk,
        "person_id": m.person_id,
        "kind": m.kind,
        "status": m.status,
        "request_id": m.request_id,
        "request_status": m.request.status,
    }


class MoveIn(InputSchema):
    kind: MoveKind
    reason: text(500, min_length=1)
    approver_id: Id


@router.post(
    "/people/{person_id}/moves",
    response={201: MoveOut, **WRITE_ERRORS},
    summary="脱密期内调动/辞职（PER-6）",
)
def request_move(request, person_id: Id, payload: MoveIn):
    p = _person(request.auth, person_id, acting=True)
    approver = lookups.person(request.auth, payload.approver_id, "approver_id")
    m = actions.request_move(
        request.auth, p, kind=payload.kind.value, reason=payload.reason, approver=approver
    )
    return 201, move_out(m)


class MoveCompleteIn(InputSchema):
    signed_on: Day
    commitment_text: text(5000) = ""
    note: text(1000, min_length=1)


@router.post(
    "/moves/{move_id}/complete", response={200: MoveOut, **WRITE_ERRORS}, summary="办结（PER-6）"
)
def complete_move(request, move_id: Id, payload: MoveCompleteIn):
    m = _owned(request.auth, Move, move_id)
    m = actions.complete_move(
        request.auth,
        m,
        signed_on=payload.signed_on,
        commitment_text=payload.commitment_text,
        note=payload.note,
    )
    return move_out(m)
