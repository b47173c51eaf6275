"""PER-5, CR-13: the departure procedure, and extending the 脱密期."""

from __future__ import annotations

from datetime import date

from ninja import Schema

from baomi.api.schemas import WRITE_ERRORS, Day, EmptyIn, Id, InputSchema, text
from baomi.personnel import actions
from baomi.personnel.api._common import OnIn, Router, _owned, _person
from baomi.personnel.choices import DepartureKind
from baomi.personnel.models import Departure

router = Router()


class DepartureOut(Schema):
    id: int
    person_id: int
    kind: str
    status: str
    clearance: str
    end_date: date
    reminder_talk_on: date | None
    commitment_signed_on: date | None
    devices_returned_on: date | None
    cooling_off_start: date | None
    cooling_off_end: date | None


def departure_out(d: Departure) -> dict:
    return {
        "id": d.pk,
        "person_id": d.person_id,
        "kind": d.kind,
        "status": d.status,
        "clearance": d.clearance,
        "end_date": d.end_date,
        "reminder_talk_on": d.reminder_talk_on,
        "commitment_signed_on": d.commitment.signed_on if d.commitment_id else None,
        "devices_returned_on": d.devices_returned_on,
        "cooling_off_start": d.cooling_off_start,
        "cooling_off_end": d.cooling_off_end,
    }


class DepartureIn(InputSchema):
    kind: DepartureKind
    end_date: Day
    reason: text(500, min_length=1)


@router.post(
    "/people/{person_id}/departures",
    response={201: DepartureOut, **WRITE_ERRORS},
    summary="开始办理离岗（PER-5）",
)
def start_departure(request, person_id: Id, payload: DepartureIn):
    p = _person(request.auth, person_id, acting=True)
    d = actions.start_departure(
        request.auth, p, kind=payload.kind.value, end_date=payload.end_date, reason=payload.reason
    )
    return 201, departure_out(d)


class DevicesIn(InputSchema):
    on: Day
    note: text(500, min_length=1)


class ExtendIn(InputSchema):
    until: Day
    reason: text(500, min_length=1)


@router.post(
    "/departures/{departure_id}/reminder-talk",
    response={200: DepartureOut, **WRITE_ERRORS},
    summary="记录离岗提醒谈话",
)
def reminder_talk(request, departure_id: Id, payload: OnIn):
    d = _owned(request.auth, Departure, departure_id)
    return departure_out(actions.record_reminder_talk(request.auth, d, on=payload.on))


@router.post(
    "/departures/{departure_id}/devices-returned",
    response={200: DepartureOut, **WRITE_ERRORS},
    summary="确认设备交回",
)
def devices_returned(request, departure_id: Id, payload: DevicesIn):
    d = _owned(request.auth, Departure, departure_id)
    return departure_out(
        actions.record_devices_returned(request.auth, d, on=payload.on, note=payload.note)
    )


@router.post(
    "/departures/{departure_id}/complete",
    response={200: DepartureOut, **WRITE_ERRORS},
    summary="办结离岗（CR-13、PER-5）",
)
def complete_departure(request, departure_id: Id, payload: EmptyIn | None = None):
    d = _owned(request.auth, Departure, departure_id)
    return departure_out(actions.complete_departure(request.auth, d))


@router.post(
    "/departures/{departure_id}/extend",
    response={200: DepartureOut, **WRITE_ERRORS},
    summary="延长脱密期",
)
def extend(request, departure_id: Id, payload: ExtendIn):
    d = _owned(request.auth, Departure, departure_id)
    return departure_out(
        actions.extend_cooling_off(request.auth, d, until=payload.until, reason=payload.reason)
    )
