"""JSON API: classified meetings (`meetings`, + `/attendees`, `/papers`) — MTG-1…3.

Every write calls one action of `meetings.actions`; a meeting the caller may not see is 404."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

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
    PeriodIn,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.audit.trail import record_read
from baomi.carriers.choices import CarrierKind, Status
from baomi.carriers.exports import AUDITED_READ_LEVELS
from baomi.carriers.registration import MAX_COPIES_PER_REGISTRATION, Registration
from baomi.classification.choices import Category, Clearance, Level
from baomi.lib.errors import Invalid, NotFound
from baomi.meetings import actions
from baomi.meetings.choices import MeetingState, PaperRole
from baomi.meetings.models import Meeting, MeetingPaper
from baomi.meetings.selectors import meeting_for, meetings_visible_to, not_returned, papers_of

router = Router()


class AttendeeOut(Schema):
    person: Ref
    clearance: str
    clearance_display: str
    added_at: datetime
    approval_id: int | None


class ChecklistOut(Schema):
    equipment_checked: bool
    no_wireless_mics: bool
    phones_collected: bool
    attendees_briefed: bool
    not_to_record: str
    checked_by: Ref | None
    checked_at: datetime | None
    complete: bool


class MeetingOut(Schema):
    id: int
    title: str
    level: str
    level_display: str
    venue: str
    starts_at: datetime
    ends_at: datetime | None
    organiser: Ref
    state: str
    state_display: str
    request_id: int | None
    checklist: ChecklistOut
    attendees: list[AttendeeOut]
    created_at: datetime
    closed_at: datetime | None


class MeetingPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MeetingOut]


def meeting_out(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "title": m.title,
        "level": m.level,
        "level_display": display(Level, m.level),
        "venue": m.venue,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "organiser": ref(m.organiser),
        "state": m.state,
        "state_display": m.get_state_display(),
        "request_id": m.request_id,
        "checklist": {
            "equipment_checked": m.equipment_checked,
            "no_wireless_mics": m.no_wireless_mics,
            "phones_collected": m.phones_collected,
            "attendees_briefed": m.attendees_briefed,
            "not_to_record": m.not_to_record,
            "checked_by": ref(m.checked_by),
            "checked_at": m.checked_at,
            "complete": m.checklist_complete,
        },
        "attendees": [
            {
                "person": ref(a.person),
                "clearance": a.person.clearance,
                "clearance_display": display(Clearance, a.person.clearance),
                "added_at": a.added_at,
                "approval_id": a.approval_id,
            }
            for a in m.attendees.select_related("person")
        ],
        "created_at": m.created_at,
        "closed_at": m.closed_at,
    }


class PaperOut(Schema):
    carrier_id: int
    label: str = Field(description="统一编号-份号")
    number: str
    copy_no: int
    level: str
    marking: str
    role: str
    role_display: str
    status: str
    status_display: str
    handed_to: Ref | None
    handed_out_at: datetime | None
    returned_at: datetime | None
    holder: Ref | None = Field(description="当前持有人（来自载体的流转状态）")


def paper_out(p: MeetingPaper) -> dict:
    c = p.carrier
    return {
        "carrier_id": c.pk,
        "label": c.label,
        "number": c.number,
        "copy_no": c.copy_no,
        "level": c.level,
        "marking": c.marking,
        "role": p.role,
        "role_display": display(PaperRole, p.role),
        "status": c.status,
        "status_display": display(Status, c.status),
        "handed_to": ref(p.handed_to),
        "handed_out_at": p.handed_out_at,
        "returned_at": p.returned_at,
        "holder": ref(c.holder),
    }


def _visible(actor, meeting_id: int) -> Meeting:
    found = meeting_for(actor, meeting_id)
    if found is None:
        raise NotFound("会议不存在，或您无权查看。")
    return found


def _fresh(actor, meeting: Meeting) -> dict:
    return meeting_out(_visible(actor, meeting.pk))


class MeetingQuery(PageQuery):
    state: MeetingState | None = None
    level: Level | None = None


@router.get("", response={200: MeetingPage, **READ_ERRORS}, summary="涉密会议")
def list_meetings(request, query: Query[MeetingQuery]):
    rows = meetings_visible_to(request.auth).select_related("organiser", "request", "checked_by")
    if query.level:
        rows = rows.filter(level=query.level.value)
    if query.state:
        rows = [m for m in rows if m.state == query.state.value]
    return paginate(rows, query, meeting_out)


class MeetingIn(InputSchema):
    title: text(200, min_length=1)
    level: Literal["confidential", "secret", "top_secret"]
    venue: text(200, min_length=1)
    starts_at: datetime
    ends_at: datetime | None = None
    organiser_id: Id


@router.post("", response={201: MeetingOut, **WRITE_ERRORS}, summary="登记涉密会议")
def create_meeting(request, payload: MeetingIn):
    actor = request.auth
    meeting = actions.create_meeting(
        actor,
        title=payload.title,
        level=payload.level,
        venue=payload.venue,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        organiser=lookups.person(actor, payload.organiser_id, "organiser_id"),
    )
    return 201, _fresh(actor, meeting)


@router.get("/{meeting_id}", response={200: MeetingOut, **READ_ERRORS}, summary="会议详情")
def get_meeting(request, meeting_id: Id):
    """One meeting; a read of a 机密/绝密 meeting is recorded in the audit trail (SEC-4)."""
    meeting = _visible(request.auth, meeting_id)
    if meeting.level in AUDITED_READ_LEVELS:
        record_read(request.auth, meeting)
    return meeting_out(meeting)


@router.get(
    "/{meeting_id}/attendees", response={200: list[AttendeeOut], **READ_ERRORS}, summary="参会人员"
)
def list_attendees(request, meeting_id: Id):
    return meeting_out(_visible(request.auth, meeting_id))["attendees"]


class AttendeesIn(InputSchema):
    person_ids: list[Id] = Field(default_factory=list, max_length=500)
    person_id: Id | None = Field(None, description="只增加一人时可用")
    request_id: Id | None = Field(
        None, description="会议批准后增加人员：已批准的“涉密会议增加参会人员”审批单（MTG-1）"
    )


def _people_of(actor, payload) -> list:
    ids = [*payload.person_ids, *([payload.person_id] if payload.person_id else [])]
    if not ids:
        raise Invalid("请选择参会人员。", {"person_ids": ["请至少选择一人"]})
    return lookups.people(actor, ids, "person_ids")


@router.post(
    "/{meeting_id}/attendees", response={200: MeetingOut, **WRITE_ERRORS}, summary="增加参会人员"
)
def add_attendees(request, meeting_id: Id, payload: AttendeesIn):
    """MTG-1: each attendee cleared for the level; after approval only with an approval."""
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    approval = (
        lookups.visible_request(actor, payload.request_id, "request_id")
        if payload.request_id
        else None
    )
    actions.add_attendees(actor, meeting, _people_of(actor, payload), approval=approval)
    return _fresh(actor, meeting)


@router.delete(
    "/{meeting_id}/attendees/{person_id}",
    response={200: MeetingOut, **WRITE_ERRORS},
    summary="移出参会人员",
)
def remove_attendee(request, meeting_id: Id, person_id: Id):
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    person = lookups.person(actor, person_id, "person_id")
    actions.remove_attendee(actor, meeting, person)
    return _fresh(actor, meeting)


class MeetingSubmitIn(InputSchema):
    approver_id: Id
    reason: text(500) = ""


@router.post("/{meeting_id}/submit", response={200: MeetingOut, **WRITE_ERRORS}, summary="送审")
def submit(request, meeting_id: Id, payload: MeetingSubmitIn):
    """MTG-1: the meeting with its attendee list goes to the approver (kind `meeting`)."""
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    actions.submit_for_approval(
        actor,
        meeting,
        approver=lookups.person(actor, payload.approver_id, "approver_id"),
        reason=payload.reason,
    )
    return _fresh(actor, meeting)


class AttendeeRequestIn(InputSchema):
    person_ids: list[Id] = Field(min_length=1, max_length=500)
    approver_id: Id
    reason: text(500, min_length=1)


class RequestRefOut(Schema):
    id: int
    kind: str
    kind_display: str
    status: str


@router.post(
    "/{meeting_id}/attendee-requests",
    response={201: RequestRefOut, **WRITE_ERRORS},
    summary="申请增加参会人员",
)
def request_attendees(request, meeting_id: Id, payload: AttendeeRequestIn):
    """MTG-1: after approval the list grows only through a `meeting_attendees` approval."""
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    made = actions.request_attendees(
        actor,
        meeting,
        lookups.people(actor, payload.person_ids, "person_ids"),
        approver=lookups.person(actor, payload.approver_id, "approver_id"),
        reason=payload.reason,
    )
    return 201, {
        "id": made.pk,
        "kind": made.kind,
        "kind_display": made.get_kind_display(),
        "status": made.status,
    }


class ChecklistIn(InputSchema):
    equipment_checked: bool
    no_wireless_mics: bool
    phones_collected: bool
    attendees_briefed: bool
    not_to_record: text(500) = ""


@router.post(
    "/{meeting_id}/checklist", response={200: MeetingOut, **WRITE_ERRORS}, summary="会前保密检查"
)
def checklist(request, meeting_id: Id, payload: ChecklistIn):
    """MTG-2: recording equipment, wireless microphones, phones, briefing, what may not be
    recorded."""
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    actions.record_checklist(actor, meeting, **payload.model_dump())
    return _fresh(actor, meeting)


@router.get(
    "/{meeting_id}/papers", response={200: list[PaperOut], **READ_ERRORS}, summary="会议文件"
)
def list_papers(request, meeting_id: Id):
    return [paper_out(p) for p in papers_of(_visible(request.auth, meeting_id))]


class PaperIn(InputSchema):
    """会议文件/会议记录 registration (CR-1): kind and scope come from the meeting."""

    title: text(300, min_length=1)
    doc_date: Day
    level: Level
    source: Literal["received", "produced"]
    place_id: Id
    copies: int = Field(1, ge=1, le=MAX_COPIES_PER_REGISTRATION)
    category: Category | None = None
    period: PeriodIn | None = None
    issuer: text(100) = ""
    doc_number: text(100) = ""
    pages: int = Field(1, ge=1, le=1_000_000)
    basis: text(200) = ""
    classifier_id: Id | None = None
    classifier_name: text(100) = ""
    marking_reviewer_id: Id | None = None
    no_copy: bool = False


def _registration(actor, payload: PaperIn) -> Registration:
    return Registration(
        kind=CarrierKind.MEETING_PAPER,
        title=payload.title,
        doc_date=payload.doc_date,
        level=payload.level.value,
        source=payload.source,
        place=lookups.place(actor, payload.place_id),
        copies=payload.copies,
        category=payload.category.value if payload.category else None,
        period=payload.period.to_period() if payload.period else None,
        issuer=payload.issuer,
        doc_number=payload.doc_number,
        pages=payload.pages,
        basis=payload.basis,
        classifier=lookups.person(actor, payload.classifier_id, "classifier_id"),
        classifier_name=payload.classifier_name,
        marking_reviewer=lookups.person(actor, payload.marking_reviewer_id, "marking_reviewer_id"),
        no_copy=payload.no_copy,
    )


def _papers_out(actor, meeting: Meeting, carrier_ids) -> list[dict]:
    rows = papers_of(meeting).filter(carrier_id__in=carrier_ids)
    return [paper_out(p) for p in rows]


@router.post(
    "/{meeting_id}/papers", response={201: list[PaperOut], **WRITE_ERRORS}, summary="登记会议文件"
)
def register_papers(request, meeting_id: Id, payload: PaperIn):
    """MTG-3: the papers as carriers, one copy per attendee, known to the attendees."""
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    made = actions.register_papers(actor, meeting, _registration(actor, payload))
    return 201, _papers_out(actor, meeting, [c.pk for c in made])


@router.post(
    "/{meeting_id}/minutes", response={201: list[PaperOut], **WRITE_ERRORS}, summary="登记会议记录"
)
def register_minutes(request, meeting_id: Id, payload: PaperIn):
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    made = actions.register_minutes(actor, meeting, _registration(actor, payload))
    return 201, _papers_out(actor, meeting, [c.pk for c in made])


class Assignment(InputSchema):
    carrier_id: Id
    person_id: Id


class HandOutIn(InputSchema):
    assignments: list[Assignment] = Field(
        default_factory=list,
        max_length=1000,
        description="逐份分发；为空时按名单顺序每人一份（第1份给第1位…）",
    )


@router.post(
    "/{meeting_id}/papers/hand-out",
    response={200: list[PaperOut], **WRITE_ERRORS},
    summary="分发会议文件",
)
def hand_out(request, meeting_id: Id, payload: HandOutIn):
    """MTG-3: copy by copy to named attendees, through the carriers' 传阅 (custody events)."""
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    if payload.assignments:
        carriers = lookups.carriers(
            actor, [a.carrier_id for a in payload.assignments], "assignments"
        )
        by_id = {c.pk: c for c in carriers}
        people = lookups.people(actor, [a.person_id for a in payload.assignments], "assignments")
        people_by_id = {p.pk: p for p in people}
        pairs = [(by_id[a.carrier_id], people_by_id[a.person_id]) for a in payload.assignments]
    else:
        pairs = actions.one_per_attendee(meeting)
    done = actions.hand_out(actor, meeting, pairs)
    return _papers_out(actor, meeting, [p.carrier_id for p in done])


class CollectIn(InputSchema):
    carrier_ids: list[Id] = Field(min_length=1, max_length=1000)


@router.post(
    "/{meeting_id}/papers/collect",
    response={200: list[PaperOut], **WRITE_ERRORS},
    summary="收回会议文件",
)
def collect(request, meeting_id: Id, payload: CollectIn):
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    carriers = lookups.carriers(actor, payload.carrier_ids, "carrier_ids")
    done = actions.collect(actor, meeting, carriers)
    return _papers_out(actor, meeting, [p.carrier_id for p in done])


class MeetingRecallOut(Schema):
    meeting_id: int
    complete: bool = Field(description="会议文件已全部收回")
    not_returned: list[PaperOut]


@router.get(
    "/{meeting_id}/papers/not-returned",
    response={200: MeetingRecallOut, **READ_ERRORS},
    summary="未收回的会议文件（清退清单）",
)
def recall_list(request, meeting_id: Id):
    """MTG-3: papers handed out and not back, with who holds each one now."""
    meeting = _visible(request.auth, meeting_id)
    missing = not_returned(meeting)
    return {
        "meeting_id": meeting.pk,
        "complete": not missing,
        "not_returned": [paper_out(p) for p in missing],
    }


class MeetingEmptyIn(InputSchema):
    """No fields."""


@router.post("/{meeting_id}/close", response={200: MeetingOut, **WRITE_ERRORS}, summary="会议结束")
def close(request, meeting_id: Id, payload: MeetingEmptyIn = None):
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    actions.close_meeting(actor, meeting)
    return _fresh(actor, meeting)


class CancelIn(InputSchema):
    reason: text(500, min_length=1)


@router.post("/{meeting_id}/cancel", response={200: MeetingOut, **WRITE_ERRORS}, summary="取消会议")
def cancel(request, meeting_id: Id, payload: CancelIn):
    actor = request.auth
    meeting = _visible(actor, meeting_id)
    actions.cancel_meeting(actor, meeting, reason=payload.reason)
    return _fresh(actor, meeting)
