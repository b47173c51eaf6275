"""PER-7: travel abroad — the request, the briefing, exit and the report after return."""

from __future__ import annotations

from datetime import date

from ninja import Schema

from baomi.api import lookups
from baomi.api.schemas import WRITE_ERRORS, Day, Id, InputSchema, text
from baomi.personnel import actions
from baomi.personnel.api._common import OnIn, Router, _owned, _person
from baomi.personnel.models import TravelAbroad

router = Router()


class TravelOut(Schema):
    id: int
    person_id: int
    destination: str
    depart_on: date
    return_on: date
    purpose: str
    request_id: int
    request_status: str
    status: str
    briefed_on: date | None
    departed_on: date | None
    reported_on: date | None


def travel_out(t: TravelAbroad) -> dict:
    return {
        "id": t.pk,
        "person_id": t.person_id,
        "destination": t.destination,
        "depart_on": t.depart_on,
        "return_on": t.return_on,
        "purpose": t.purpose,
        "request_id": t.request_id,
        "request_status": t.request.status,
        "status": t.status,
        "briefed_on": t.briefed_on,
        "departed_on": t.departed_on,
        "reported_on": t.reported_on,
    }


class TravelIn(InputSchema):
    destination: text(200, min_length=1)
    depart_on: Day
    return_on: Day
    purpose: text(500, min_length=1)
    approver_id: Id


@router.post(
    "/people/{person_id}/travels",
    response={201: TravelOut, **WRITE_ERRORS},
    summary="出国（境）申请（PER-7）",
)
def request_travel(request, person_id: Id, payload: TravelIn):
    p = _person(request.auth, person_id, acting=True)
    approver = lookups.person(request.auth, payload.approver_id, "approver_id")
    t = actions.request_travel(
        request.auth,
        p,
        destination=payload.destination,
        depart_on=payload.depart_on,
        return_on=payload.return_on,
        purpose=payload.purpose,
        approver=approver,
    )
    return 201, travel_out(t)


class ReportIn(InputSchema):
    on: Day
    report: text(5000, min_length=1)


@router.post(
    "/travels/{travel_id}/briefing",
    response={200: TravelOut, **WRITE_ERRORS},
    summary="记录行前保密教育",
)
def briefing(request, travel_id: Id, payload: OnIn):
    t = _owned(request.auth, TravelAbroad, travel_id)
    return travel_out(actions.record_briefing(request.auth, t, on=payload.on))


@router.post(
    "/travels/{travel_id}/exit", response={200: TravelOut, **WRITE_ERRORS}, summary="登记出境"
)
def exit_(request, travel_id: Id, payload: OnIn):
    t = _owned(request.auth, TravelAbroad, travel_id)
    return travel_out(actions.record_exit(request.auth, t, on=payload.on))


@router.post(
    "/travels/{travel_id}/report", response={200: TravelOut, **WRITE_ERRORS}, summary="回国报告"
)
def report(request, travel_id: Id, payload: ReportIn):
    t = _owned(request.auth, TravelAbroad, travel_id)
    return travel_out(actions.report_return(request.auth, t, on=payload.on, report=payload.report))
