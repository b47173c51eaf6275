"""JSON API: `meeting-attendances` — meetings attended elsewhere and the papers brought back
(CR-2). design.md names no resource for these; `meeting-attendances` sits beside `meetings`.
Every write calls one action of `outside_meetings.actions`; what the caller may not see is 404."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api import lookups
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    EmptyIn,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.carriers.choices import CarrierKind, Status
from baomi.classification.choices import Level
from baomi.lib.errors import NotFound
from baomi.outside_meetings import actions
from baomi.outside_meetings.models import BroughtBackPaper, MeetingAttendance
from baomi.outside_meetings.selectors import (
    attendance_for,
    attendances_visible_to,
    declaration_due,
    papers_waiting,
)

router = Router()


class BroughtBackPaperOut(Schema):
    carrier_id: int
    label: str
    title: str
    level: str
    level_display: str
    status: str
    status_display: str
    holder: Ref | None
    original_copy_no: str
    registered_at: datetime | None
    registered_by: Ref | None
    attendance_id: int


class MeetingAttendanceOut(Schema):
    id: int
    person: Ref
    meeting_title: str
    organiser: str
    held_on: date
    level: str
    level_display: str
    note: str
    recorded_at: datetime
    declared: bool
    declared_at: datetime | None
    declared_none: bool
    declare_by: date = Field(description="申报期限：会议结束后第 2 个工作日（国务院节假日安排）")
    papers: list[BroughtBackPaperOut]


class MeetingAttendancePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MeetingAttendanceOut]


class BroughtBackPaperPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[BroughtBackPaperOut]


def paper_out(paper: BroughtBackPaper) -> dict:
    c = paper.carrier
    return {
        "carrier_id": c.pk,
        "label": c.label,
        "title": c.title,
        "level": c.level,
        "level_display": display(Level, c.level),
        "status": c.status,
        "status_display": display(Status, c.status),
        "holder": ref(c.holder),
        "original_copy_no": paper.original_copy_no,
        "registered_at": paper.registered_at,
        "registered_by": ref(paper.registered_by),
        "attendance_id": paper.attendance_id,
    }


def attendance_out(a: MeetingAttendance) -> dict:
    papers = a.papers.select_related("carrier", "carrier__holder", "registered_by")
    return {
        "id": a.pk,
        "person": ref(a.person),
        "meeting_title": a.meeting_title,
        "organiser": a.organiser,
        "held_on": a.held_on,
        "level": a.level,
        "level_display": display(Level, a.level),
        "note": a.note,
        "recorded_at": a.recorded_at,
        "declared": a.declared,
        "declared_at": a.declared_at,
        "declared_none": a.declared_none,
        "declare_by": declaration_due(a),
        "papers": [paper_out(p) for p in papers],
    }


def _visible(actor, pk: int) -> MeetingAttendance:
    found = attendance_for(actor, pk)
    if found is None:
        raise NotFound("外出会议登记不存在，或您无权查看。")
    return found


class MeetingAttendanceQuery(PageQuery):
    declared: bool | None = Field(None, description="是否已申报（带回文件或未带回）")
    mine: bool = Field(False, description="只看本人的")


@router.get("", response={200: MeetingAttendancePage, **READ_ERRORS}, summary="外出参加会议")
def list_attendances(request, query: Query[MeetingAttendanceQuery]):
    rows = attendances_visible_to(request.auth).select_related("person")
    if query.declared is not None:
        rows = rows.filter(declared_at__isnull=not query.declared)
    if query.mine:
        rows = rows.filter(person=request.auth)
    return paginate(rows.order_by("-held_on", "-id"), query, attendance_out)


class MeetingAttendanceIn(InputSchema):
    meeting_title: text(200, min_length=1)
    organiser: text(200, min_length=1)
    held_on: Day
    level: Level
    note: text(500) = ""


@router.post("", response={201: MeetingAttendanceOut, **WRITE_ERRORS}, summary="登记外出参加会议")
def record_attendance(request, payload: MeetingAttendanceIn):
    made = actions.record_attendance(
        request.auth,
        meeting_title=payload.meeting_title,
        organiser=payload.organiser,
        held_on=payload.held_on,
        level=payload.level.value,
        note=payload.note,
    )
    return 201, attendance_out(_visible(request.auth, made.pk))


@router.get(
    "/declared-papers",
    response={200: BroughtBackPaperPage, **READ_ERRORS},
    summary="待登记带回文件",
)
def list_declared_papers(request, query: Query[PageQuery]):
    """The 保密员's list: papers declared and waiting to be registered (CR-2)."""
    return paginate(papers_waiting(request.auth), query, paper_out)


class RegisterBroughtBackIn(InputSchema):
    place_id: Id
    scope_person_ids: list[Id] = Field(default_factory=list, max_length=500)
    scope_department_ids: list[Id] = Field(default_factory=list, max_length=200)
    note: text(200) = ""


@router.post(
    "/declared-papers/{carrier_id}/register",
    response={200: BroughtBackPaperOut, **WRITE_ERRORS},
    summary="登记带回文件",
)
def register_paper(request, carrier_id: Id, payload: RegisterBroughtBackIn):
    """CR-2: the office registers a declared paper; from then on it may be used."""
    actor = request.auth
    paper = papers_waiting(actor).filter(carrier_id=carrier_id).first()
    if paper is None:
        raise NotFound("待登记的带回文件不存在，或您无权登记。")
    actions.register_paper(
        actor,
        paper.carrier,
        place=lookups.place(actor, payload.place_id),
        scope_people=lookups.people(actor, payload.scope_person_ids, "scope_person_ids"),
        scope_departments=lookups.departments(
            actor, payload.scope_department_ids, "scope_department_ids"
        ),
        note=payload.note,
    )
    paper.refresh_from_db()
    paper.carrier.refresh_from_db()
    return paper_out(paper)


@router.get(
    "/{attendance_id}", response={200: MeetingAttendanceOut, **READ_ERRORS}, summary="登记详情"
)
def get_attendance(request, attendance_id: Id):
    return attendance_out(_visible(request.auth, attendance_id))


class BroughtBackPaperIn(InputSchema):
    title: text(300, min_length=1)
    level: Level
    kind: CarrierKind = CarrierKind.MEETING_PAPER
    issuer: text(100) = ""
    doc_number: text(100) = ""
    original_copy_no: text(32) = ""
    pages: int = Field(1, ge=1, le=100_000)


class BroughtBackPapersIn(InputSchema):
    papers: list[BroughtBackPaperIn] = Field(min_length=1, max_length=actions.MAX_PAPERS)


@router.post(
    "/{attendance_id}/papers",
    response={200: MeetingAttendanceOut, **WRITE_ERRORS},
    summary="申报带回文件",
)
def declare_papers(request, attendance_id: Id, payload: BroughtBackPapersIn):
    """CR-2: each paper becomes a carrier, declared (已申报), in the declarer's hands."""
    attendance = _visible(request.auth, attendance_id)
    specs = [
        actions.PaperSpec(
            title=p.title,
            level=p.level.value,
            kind=p.kind.value,
            issuer=p.issuer,
            doc_number=p.doc_number,
            original_copy_no=p.original_copy_no,
            pages=p.pages,
        )
        for p in payload.papers
    ]
    actions.declare_papers(request.auth, attendance, specs)
    return attendance_out(_visible(request.auth, attendance_id))


@router.post(
    "/{attendance_id}/no-papers",
    response={200: MeetingAttendanceOut, **WRITE_ERRORS},
    summary="申报未带回文件",
)
def declare_none(request, attendance_id: Id, payload: EmptyIn = None):
    attendance = _visible(request.auth, attendance_id)
    actions.declare_none(request.auth, attendance)
    return attendance_out(_visible(request.auth, attendance_id))
