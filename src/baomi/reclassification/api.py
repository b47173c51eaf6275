"""JSON API: `reclassifications` (CL-8, CL-9, CL-13), `unclear-items` (CL-14) and `notices`.

A change needs an approved request (POST /requests, kind `reclassification` or `scope_widening`),
named here as `request_id`; without it the action refuses with CL-8 / CL-13."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api import lookups
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
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
from baomi.carriers.rules import today
from baomi.classification.choices import Category, Level
from baomi.lib.errors import NotFound
from baomi.reclassification import actions
from baomi.reclassification.models import ChangeKind, Reclassification, UnclearItem
from baomi.reclassification.selectors import (
    ending_soon,
    may_manage,
    notices_of,
    period_end,
    review_due,
    unclear_pending,
)

router = Router()
notices_router = Router()
unclear_router = Router()


class ChangeOut(Schema):
    id: int
    carrier_id: int
    carrier_label: str
    kind: str
    kind_display: str
    request_id: int | None
    before: dict
    after: dict
    reason: str
    actor: Ref
    at: datetime
    automatic: bool


class ChangePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ChangeOut]


class DueOut(Schema):
    carrier_id: int
    label: str
    level: str
    level_display: str
    marking: str
    period_end: date | None


class DuePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DueOut]


def change_out(c: Reclassification) -> dict:
    return {
        "id": c.pk,
        "carrier_id": c.carrier_id,
        "carrier_label": c.carrier.label,
        "kind": c.kind,
        "kind_display": display(ChangeKind, c.kind),
        "request_id": c.request_id,
        "before": c.before,
        "after": c.after,
        "reason": c.reason,
        "actor": ref(c.actor),
        "at": c.at,
        "automatic": c.automatic,
    }


def due_out(c) -> dict:
    return {
        "carrier_id": c.pk,
        "label": c.label,
        "level": c.level,
        "level_display": display(Level, c.level),
        "marking": c.marking,
        "period_end": period_end(c),
    }


def _changes_visible_to(actor):
    if not may_manage(actor, actor.unit_id):
        return Reclassification.objects.none()
    return Reclassification.objects.filter(unit_id=actor.unit_id).select_related("carrier", "actor")


def _require_manager(actor):
    if not may_manage(actor, actor.unit_id):
        raise NotFound("对象不存在，或您无权查看。")


class ReclassifyIn(InputSchema):
    carrier_id: Id
    request_id: Id | None = Field(None, description="已批准的密级变更申请；缺少时按 CL-8 拒绝")
    reason: text(500, min_length=1)
    action: Literal["change", "declassify"] = Field(
        "change", description="change：变更/降密/延期；declassify：解密"
    )
    level: Level | None = None
    category: Category | None = None
    period: PeriodIn | None = None


class ScopeIn(InputSchema):
    carrier_id: Id
    request_id: Id | None = Field(
        None, description="扩大范围：已批准的扩大知悉范围申请（CL-13）；缩小：密级变更申请（CL-8）"
    )
    reason: text(500, min_length=1)
    add_people: list[Id] = Field(default_factory=list, max_length=1000)
    add_departments: list[Id] = Field(default_factory=list, max_length=200)
    remove_people: list[Id] = Field(default_factory=list, max_length=1000)
    remove_departments: list[Id] = Field(default_factory=list, max_length=200)


class PeriodReviewIn(InputSchema):
    carrier_id: Id
    note: text(500) = ""


def _approval(actor, request_id):
    return lookups.visible_request(actor, request_id, "request_id") if request_id else None


@router.get("", response={200: ChangePage, **READ_ERRORS}, summary="密级变更记录")
def list_changes(request, query: Query[PageQuery]):
    return paginate(_changes_visible_to(request.auth), query, change_out)


@router.post("", response={201: ChangeOut, **WRITE_ERRORS}, summary="变更/降密/延期/解密")
def reclassify(request, payload: ReclassifyIn):
    """On an approved `reclassification` request (CL-8); extension only before the end (CL-9)."""
    actor = request.auth
    carrier = lookups.carriers(actor, [payload.carrier_id], "carrier_id")[0]
    change = actions.reclassify(
        actor,
        carrier,
        _approval(actor, payload.request_id),
        reason=payload.reason,
        level=payload.level.value if payload.level else None,
        category=payload.category.value if payload.category else None,
        period=payload.period.to_period() if payload.period else None,
        declassify=payload.action == "declassify",
    )
    return 201, change_out(change)


@router.post("/scope", response={201: ChangeOut, **WRITE_ERRORS}, summary="变更知悉范围")
def change_scope(request, payload: ScopeIn):
    """Widening needs the unit head's (or a designee's) approval (CL-13); all in it are told."""
    actor = request.auth
    carrier = lookups.carriers(actor, [payload.carrier_id], "carrier_id")[0]
    change = actions.change_scope(
        actor,
        carrier,
        _approval(actor, payload.request_id),
        reason=payload.reason,
        add_people=lookups.people(actor, payload.add_people, "add_people"),
        add_departments=lookups.departments(actor, payload.add_departments, "add_departments"),
        remove_people=lookups.people(actor, payload.remove_people, "remove_people"),
        remove_departments=lookups.departments(
            actor, payload.remove_departments, "remove_departments"
        ),
    )
    return 201, change_out(change)


@router.post("/review", response={201: ChangeOut, **WRITE_ERRORS}, summary="年度审核（维持）")
def review(request, payload: PeriodReviewIn):
    actor = request.auth
    carrier = lookups.carriers(actor, [payload.carrier_id], "carrier_id")[0]
    return 201, change_out(actions.review(actor, carrier, note=payload.note))


@router.get("/review-due", response={200: DuePage, **READ_ERRORS}, summary="年度审核清单")
def list_review_due(request, query: Query[PageQuery]):
    """法23: classified carriers not reviewed in the last twelve months."""
    _require_manager(request.auth)
    return paginate(review_due(request.auth.unit_id, today()).order_by("pk"), query, due_out)


@router.get("/periods-ending", response={200: DuePage, **READ_ERRORS}, summary="保密期限将届满")
def list_periods_ending(request, query: Query[PageQuery]):
    """Periods ending within 90 days (CL-9)."""
    _require_manager(request.auth)
    carriers = sorted(ending_soon(request.auth.unit_id, today()), key=lambda c: period_end(c))
    return paginate(carriers, query, due_out)


# --- unclear items (CL-14) -------------------------------------------------------------------


class UnclearOut(Schema):
    id: int
    carrier_id: int
    carrier_label: str
    proposed_level: str
    question: str
    reported_by: Ref
    reported_on: date
    deadline: date
    state: str
    decision: str


class UnclearPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[UnclearOut]


class UnclearIn(InputSchema):
    carrier_id: Id
    proposed_level: Level
    question: text(500, min_length=1)


class DecideIn(InputSchema):
    decision: text(500, min_length=1)


def unclear_out(u: UnclearItem) -> dict:
    return {
        "id": u.pk,
        "carrier_id": u.carrier_id,
        "carrier_label": u.carrier.label,
        "proposed_level": u.proposed_level,
        "question": u.question,
        "reported_by": ref(u.reported_by),
        "reported_on": u.reported_on,
        "deadline": u.deadline,
        "state": u.state,
        "decision": u.decision,
    }


@unclear_router.get("", response={200: UnclearPage, **READ_ERRORS}, summary="密级不明确事项")
def list_unclear(request, query: Query[PageQuery]):
    _require_manager(request.auth)
    items = UnclearItem.objects.filter(unit_id=request.auth.unit_id).select_related(
        "carrier", "reported_by"
    )
    return paginate(items, query, unclear_out)


@unclear_router.post("", response={201: UnclearOut, **WRITE_ERRORS}, summary="报告密级不明确事项")
def report_unclear(request, payload: UnclearIn):
    """Reported for a decision within 10 working days (CL-14)."""
    actor = request.auth
    carrier = lookups.carriers(actor, [payload.carrier_id], "carrier_id")[0]
    item = actions.report_unclear(
        actor, carrier, proposed_level=payload.proposed_level.value, question=payload.question
    )
    return 201, unclear_out(item)


@unclear_router.post(
    "/{item_id}/decide", response={200: UnclearOut, **WRITE_ERRORS}, summary="确定密级"
)
def decide(request, item_id: Id, payload: DecideIn):
    actor = request.auth
    _require_manager(actor)
    item = unclear_pending(actor.unit_id).filter(pk=item_id).first() or (
        UnclearItem.objects.filter(unit_id=actor.unit_id, pk=item_id).first()
    )
    if item is None:
        raise NotFound("事项不存在，或您无权查看。")
    return unclear_out(actions.decide_unclear(actor, item, decision=payload.decision))


# --- notices -----------------------------------------------------------------------------------


class NoticeOut(Schema):
    id: int
    carrier_id: int | None
    carrier_label: str | None
    message: str
    created_at: datetime
    read_at: datetime | None


class NoticePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[NoticeOut]


class NoticeQuery(PageQuery):
    unread: bool | None = Field(None, description="true：只看未读")


class ReadIn(InputSchema):
    ids: list[Id] = Field(default_factory=list, max_length=1000, description="空为全部标记已读")


def notice_out(n) -> dict:
    return {
        "id": n.pk,
        "carrier_id": n.carrier_id,
        "carrier_label": n.carrier.label if n.carrier_id else None,
        "message": n.message,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@notices_router.get("", response={200: NoticePage, **READ_ERRORS}, summary="我的通知")
def list_notices(request, query: Query[NoticeQuery]):
    notices = notices_of(request.auth)
    if query.unread:
        notices = notices.filter(read_at__isnull=True)
    return paginate(notices, query, notice_out)


@notices_router.post("/read", response={200: dict, **WRITE_ERRORS}, summary="标记已读")
def read(request, payload: ReadIn = None):
    payload = payload or ReadIn()
    notices = notices_of(request.auth)
    if payload.ids:
        notices = notices.filter(pk__in=payload.ids)
    return {"marked": actions.mark_read(request.auth, list(notices))}
