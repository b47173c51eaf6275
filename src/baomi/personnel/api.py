"""JSON API for 涉密人员 (`people` sub-resources) and ORG-4 statistics.

A person in the path is 404 unless the caller may see their record (themselves, the 保密办, the
unit head, their department head); ids in a body are 422 on that field (api.lookups)."""

from __future__ import annotations

from datetime import date

from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api import lookups
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Id,
    InputSchema,
    PageQuery,
    display,
    paginate,
    text,
)
from baomi.carriers.selectors import holdings_of
from baomi.classification.choices import Clearance, Level
from baomi.lib.errors import NotFound
from baomi.org.models import Person, Unit
from baomi.personnel import actions
from baomi.personnel.choices import (
    CommitmentKind,
    DecisionStatus,
    DepartureKind,
    MoveKind,
    VettingResult,
)
from baomi.personnel.models import ClearanceDecision, Departure, Move, TravelAbroad
from baomi.personnel.rules import may_view_person
from baomi.personnel.selectors import (
    filtered_ledger,
    ledger_rows,
    require_ledger_viewer,
    unit_statistics,
)

router = Router()
LongText = text(5000)  # a module name: a schema field called `text` would shadow the function


def _person(actor: Person, person_id: int, *, acting: bool = False) -> Person:
    """The record needs may_view_person; an action only needs the same unit — the action
    itself decides who may do it (a colleague of the department proposes a level, PER-2)."""
    person = (
        Person.objects.filter(pk=person_id, is_automation=False)
        .select_related("department", "unit", "user")
        .first()
    )
    if person is None or person.unit_id != actor.unit_id:
        raise NotFound("人员不存在，或您无权查看。")
    if not acting and not may_view_person(actor, person):
        raise NotFound("人员不存在，或您无权查看。")
    return person


def _owned(actor: Person, model, pk: int):
    obj = model.objects.filter(pk=pk).select_related("person__department").first()
    if obj is None or obj.person.unit_id != actor.unit_id:
        raise NotFound("记录不存在，或您无权查看。")
    return obj


def _iso(value):
    return value.isoformat() if value else None


# --- shapes ------------------------------------------------------------------------------------


class LedgerRowOut(Schema):
    person_id: int
    name: str
    department_name: str
    post: str
    clearance: str
    clearance_display: str
    level_since: date | None
    vetting_result: str
    commitment_on: date | None
    last_training_on: date | None
    training_hours_12m: float
    highest_level: str
    highest_level_display: str
    cooling_off_start: date | None
    cooling_off_end: date | None
    is_classifier: bool
    status: str


class LedgerPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[LedgerRowOut]


def row_out(r) -> dict:
    p = r.person
    return {
        "person_id": p.pk,
        "name": p.name,
        "department_name": p.department.name if p.department_id else "",
        "post": p.post,
        "clearance": r.clearance,
        "clearance_display": r.clearance_display,
        "level_since": r.level_since,
        "vetting_result": r.vetting_result,
        "commitment_on": r.commitment_on,
        "last_training_on": r.last_training_on,
        "training_hours_12m": float(r.training_hours_12m),
        "highest_level": r.highest_level,
        "highest_level_display": r.highest_level_display,
        "cooling_off_start": r.cooling_off_start,
        "cooling_off_end": r.cooling_off_end,
        "is_classifier": r.is_classifier,
        "status": r.status,
    }


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


class RecordOut(Schema):
    """A person's whole record: the ledger row, every history, and what they hold now."""

    row: LedgerRowOut
    decisions: list[DecisionOut]
    vettings: list[dict]
    commitments: list[dict]
    trainings: list[dict]
    departures: list[dict]
    moves: list[dict]
    travels: list[dict]
    holdings: list[dict]


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


class Created(Schema):
    id: int


class StatisticsOut(Schema):
    unit_id: int
    unit_name: str
    carriers_total: int
    carriers_by_level: dict[str, int]
    carriers_by_status: dict[str, int]
    people_by_clearance: dict[str, int]
    cooling_off: int
    inspections: list[dict]


# --- reads -------------------------------------------------------------------------------------


class LedgerQuery(PageQuery):
    department: Id | None = None
    clearance: Clearance | None = None
    status: text(20) | None = Field(None, description="active（在岗）或 cooling_off（脱密期）")
    q: text(50) | None = None


@router.get(
    "/classified-people", response={200: LedgerPage, **READ_ERRORS}, summary="涉密人员登记表"
)
def classified_people(request, query: Query[LedgerQuery]):
    """The 涉密人员登记表: people in post and in their 脱密期 (保密办 and the unit head)."""
    require_ledger_viewer(request.auth)
    people = filtered_ledger(
        request.auth.unit_id,
        department=query.department,
        clearance=query.clearance or "",
        status=query.status or "",
        q=query.q or "",
    )
    return paginate(ledger_rows(people), query, row_out)


@router.get(
    "/people/{person_id}/record", response={200: RecordOut, **READ_ERRORS}, summary="涉密人员档案"
)
def person_record(request, person_id: Id):
    p = _person(request.auth, person_id)
    return {
        "row": row_out(ledger_rows(Person.objects.filter(pk=p.pk))[0]),
        "decisions": [
            decision_out(d)
            for d in p.clearance_decisions.select_related("proposed_by", "checked_by", "decided_by")
        ],
        "vettings": [
            {
                "id": v.pk,
                "on": _iso(v.on),
                "result": v.result,
                "result_display": display(VettingResult, v.result),
                "reviewer": v.reviewer.name,
                "findings": v.findings,
                "next_review_on": _iso(v.next_review_on),
            }
            for v in p.vettings.select_related("reviewer")
        ],
        "commitments": [
            {
                "id": c.pk,
                "kind": c.kind,
                "kind_display": display(CommitmentKind, c.kind),
                "signed_on": _iso(c.signed_on),
            }
            for c in p.commitments.all()
        ],
        "trainings": [
            {
                "id": t.pk,
                "on": _iso(t.on),
                "hours": float(t.hours),
                "subject": t.subject,
                "score": t.score,
            }
            for t in p.trainings.all()
        ],
        "departures": [
            {**departure_out(d), "end_date": _iso(d.end_date)}
            | {
                k: _iso(v)
                for k, v in departure_out(d).items()
                if k.endswith(("_on", "_start", "_end"))
            }
            for d in p.departures.select_related("commitment")
        ],
        "moves": [move_out(m) for m in p.moves.select_related("request")],
        "travels": [
            {k: _iso(v) if isinstance(v, date) else v for k, v in travel_out(t).items()}
            for t in p.travels.select_related("request")
        ],
        "holdings": [
            {
                "id": c.pk,
                "label": c.label,
                "level": c.level,
                "level_display": display(Level, c.level),
                "status": c.status,
                "due_date": _iso(c.due_date),
            }
            for c in holdings_of(p)
        ],
    }


@router.get(
    "/units/{unit_id}/statistics",
    response={200: StatisticsOut, **READ_ERRORS},
    summary="单位保密工作统计（ORG-4）",
)
def statistics(request, unit_id: Id):
    """Counts only: the caller's own unit, or a subordinate one (ORG-4) — never a superior."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("单位不存在。")
    return unit_statistics(request.auth, unit)


# --- PER-2 -------------------------------------------------------------------------------------


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


class ReasonIn(InputSchema):
    reason: text(500, min_length=1)


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


# --- PER-3, PER-4 ------------------------------------------------------------------------------


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


# --- PER-5, CR-13 ------------------------------------------------------------------------------


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


class OnIn(InputSchema):
    on: Day


class DevicesIn(InputSchema):
    on: Day
    note: text(500, min_length=1)


class ExtendIn(InputSchema):
    until: Day
    reason: text(500, min_length=1)


class EmptyIn(InputSchema):
    pass


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


# --- PER-6 -------------------------------------------------------------------------------------


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


# --- PER-7 -------------------------------------------------------------------------------------


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
