"""JSON API `rectifications` (INS-2, 条例59): each finding's 整改 — content, owner, deadline —
submitted by its owner and verified by someone else. Writes call `inspections.actions`."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.inspections import actions
from baomi.inspections.choices import RectificationStatus
from baomi.inspections.models import Rectification
from baomi.inspections.selectors import (
    finding_for,
    rectification_for,
    rectifications_visible_to,
)
from baomi.lib.errors import NotFound
from baomi.org.models import Person

rectifications_router = Router()


def _missing(field: str, what: str, value) -> NotFound:
    return NotFound(f"{what}不存在，或您无权使用。", {field: [f"{what} #{value} 不存在"]})


# --- rectifications ---------------------------------------------------------------------------


class RectificationOut(Schema):
    id: int
    finding_id: int
    inspection_id: int
    unit: Ref
    content: str
    owner: Ref
    deadline: date
    overdue: bool
    status: str
    status_display: str
    report: str
    submitted_at: datetime | None
    verified_by: Ref | None
    verified_at: datetime | None
    verification_note: str


def rectification_out(r: Rectification) -> dict:
    return {
        "id": r.pk,
        "finding_id": r.finding_id,
        "inspection_id": r.finding.inspection_id,
        "unit": ref(r.finding.inspection.unit),
        "content": r.content,
        "owner": ref(r.owner),
        "deadline": r.deadline,
        "overdue": r.status != RectificationStatus.CLOSED and r.deadline < timezone.localdate(),
        "status": r.status,
        "status_display": display(RectificationStatus, r.status),
        "report": r.report,
        "submitted_at": r.submitted_at,
        "verified_by": ref(r.verified_by),
        "verified_at": r.verified_at,
        "verification_note": r.verification_note,
    }


class RectificationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RectificationOut]


class RectificationQuery(PageQuery):
    status: RectificationStatus | None = None
    mine: bool | None = Field(None, description="true：本人负责的整改")


def _rectification(actor, rectification_id: int) -> Rectification:
    found = rectification_for(actor, rectification_id)
    if found is None:
        raise NotFound("整改不存在，或您无权查看。")
    return found


@rectifications_router.get("", response={200: RectificationPage, **READ_ERRORS}, summary="整改")
def list_rectifications(request, query: Query[RectificationQuery]):
    rows = rectifications_visible_to(request.auth)
    if query.status:
        rows = rows.filter(status=query.status.value)
    if query.mine:
        rows = rows.filter(owner=request.auth)
    return paginate(rows, query, rectification_out)


class RectificationAssignIn(InputSchema):
    finding_id: Id
    content: text(2000, min_length=1)
    owner_id: Id
    deadline: Day


@rectifications_router.post(
    "", response={201: RectificationOut, **WRITE_ERRORS}, summary="下达整改（INS-2）"
)
def assign(request, payload: RectificationAssignIn):
    actor = request.auth
    finding = finding_for(actor, payload.finding_id)
    if finding is None:
        raise _missing("finding_id", "问题", payload.finding_id)
    owner = Person.objects.filter(
        pk=payload.owner_id, unit_id=finding.inspection.unit_id, is_automation=False
    ).first()
    if owner is None:
        raise _missing("owner_id", "人员", payload.owner_id)
    made = actions.assign_rectification(
        actor, finding, content=payload.content, owner=owner, deadline=payload.deadline
    )
    return 201, rectification_out(_rectification(actor, made.pk))


@rectifications_router.get(
    "/{rectification_id}", response={200: RectificationOut, **READ_ERRORS}, summary="整改详情"
)
def get_rectification(request, rectification_id: Id):
    return rectification_out(_rectification(request.auth, rectification_id))


class RectificationSubmitIn(InputSchema):
    report: text(5000, min_length=1)


@rectifications_router.post(
    "/{rectification_id}/submit",
    response={200: RectificationOut, **WRITE_ERRORS},
    summary="提交整改情况（责任人）",
)
def submit(request, rectification_id: Id, payload: RectificationSubmitIn):
    actor = request.auth
    actions.submit_rectification(
        actor, _rectification(actor, rectification_id), report=payload.report
    )
    return rectification_out(_rectification(actor, rectification_id))


class VerifyIn(InputSchema):
    accepted: bool = Field(..., description="true：验证通过并关闭；false：退回责任人")
    note: text(500) = ""


@rectifications_router.post(
    "/{rectification_id}/verify",
    response={200: RectificationOut, **WRITE_ERRORS},
    summary="验证整改（不能由责任人本人验证，INS-2）",
)
def verify(request, rectification_id: Id, payload: VerifyIn):
    actor = request.auth
    actions.verify_rectification(
        actor, _rectification(actor, rectification_id), accepted=payload.accepted, note=payload.note
    )
    return rectification_out(_rectification(actor, rectification_id))
