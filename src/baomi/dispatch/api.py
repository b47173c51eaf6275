"""JSON API: sending (`POST carriers/{id}/dispatch`, `dispatches`, CR-9) and recall to the issuer
(`POST carriers/{id}/recall`, `recalls/...`, CR-10).

Only the unit's registry clerks dispatch and recall (the actions refuse others with `forbidden`);
lists are the clerk's unit only. Carrier ids in the path go through the visibility selector (404);
ids in the body are 422 on their field (see `baomi.api.lookups`).
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
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
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.carriers.policies import is_clerk_of
from baomi.classification.choices import Level
from baomi.dispatch import actions
from baomi.dispatch.choices import Channel, RecallInterval
from baomi.dispatch.exports import XLSX, recall_list_pdf, recall_list_xlsx
from baomi.dispatch.models import Dispatch, IssuerRecallSchedule
from baomi.dispatch.recall import recall_rounds, round_for
from baomi.lib.errors import Forbidden, NotFound

carrier_router = Router()
dispatches_router = Router()
recalls_router = Router()


def _require_clerk(actor) -> None:
    if not is_clerk_of(actor, actor.unit_id):
        raise Forbidden("只有本单位保密员可以查看发文和清退记录。")


class DispatchCarrierOut(Schema):
    id: int
    label: str
    level: str
    level_display: str
    status: str


class DispatchOut(Schema):
    id: int
    recipient_unit: str
    recipient_person: str
    channel: str
    channel_display: str
    couriers: list[Ref]
    sent_by: Ref
    sent_at: datetime
    request_id: int | None
    note: str
    receipt_signed_by: str
    receipt_at: datetime | None
    carriers: list[DispatchCarrierOut]


class DispatchPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DispatchOut]


def _item(c) -> dict:
    return {
        "id": c.pk,
        "label": c.label,
        "level": c.level,
        "level_display": display(Level, c.level),
        "status": c.status,
    }


def dispatch_out(d: Dispatch) -> dict:
    return {
        "id": d.pk,
        "recipient_unit": d.recipient_unit,
        "recipient_person": d.recipient_person,
        "channel": d.channel,
        "channel_display": display(Channel, d.channel),
        "couriers": [ref(p) for p in d.couriers.all()],
        "sent_by": ref(d.sent_by),
        "sent_at": d.sent_at,
        "request_id": d.request_id,
        "note": d.note,
        "receipt_signed_by": d.receipt_signed_by,
        "receipt_at": d.receipt_at,
        "carriers": [_item(i.carrier) for i in d.items.select_related("carrier").order_by("id")],
    }


class DispatchIn(InputSchema):
    recipient_unit: text(100, min_length=1)
    recipient_person: text(50) = ""
    channel: Channel = Field(
        description="机要交换站/专人送达/机要通信；秘密及以上不得传真、邮寄、电邮、聊天（CR-9）"
    )
    courier_ids: list[Id] = Field(
        default_factory=list, max_length=10, description="绝密须两人（CR-9）"
    )
    request_id: Id | None = Field(None, description="本单位要求发文审批时的已批准申请")
    note: text(500) = ""


class DispatchManyIn(DispatchIn):
    carrier_ids: list[Id] = Field(min_length=1, max_length=200)


def _dispatch(actor, carriers, payload: DispatchIn) -> Dispatch:
    form = actions.DispatchForm(
        carriers=carriers,
        recipient_unit=payload.recipient_unit,
        recipient_person=payload.recipient_person,
        channel=payload.channel.value,
        couriers=lookups.people(actor, payload.courier_ids, "courier_ids"),
        request=lookups.visible_request(actor, payload.request_id, "request_id")
        if payload.request_id
        else None,
        note=payload.note,
    )
    return actions.dispatch(actor, form)


@carrier_router.post(
    "/{carrier_id}/dispatch", response={201: DispatchOut, **WRITE_ERRORS}, summary="发文（发出）"
)
def dispatch_carrier(request, carrier_id: Id, payload: DispatchIn):
    """发出 one carrier to an outside recipient through a named channel (CR-9): SENT."""
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    return 201, dispatch_out(_dispatch(actor, [carrier], payload))


class RecallIn(InputSchema):
    issuer: text(100) = Field("", description="核对：须与载体的制文机关一致（CR-10）")
    received_by: text(50) = ""
    note: text(500) = ""


class RecallOut(Schema):
    id: int
    label: str
    status: str
    status_display: str
    issuer: str


@carrier_router.post(
    "/{carrier_id}/recall", response={200: RecallOut, **WRITE_ERRORS}, summary="清退"
)
def recall_carrier(request, carrier_id: Id, payload: RecallIn = None):
    """清退 one carrier to its issuer (CR-10): RETURNED."""
    payload = payload or RecallIn()
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    # The answer is built from what the action returned, not from a re-read after the commit.
    carrier = actions.recall(
        actor, carrier, issuer=payload.issuer, received_by=payload.received_by, note=payload.note
    )
    return {
        "id": carrier.pk,
        "label": carrier.label,
        "status": carrier.status,
        "status_display": carrier.get_status_display(),
        "issuer": carrier.issuer,
    }


@dispatches_router.get("", response={200: DispatchPage, **READ_ERRORS}, summary="发文记录")
def list_dispatches(request, query: Query[PageQuery]):
    actor = request.auth
    _require_clerk(actor)
    rows = (
        Dispatch.objects.filter(unit_id=actor.unit_id)
        .select_related("sent_by")
        .prefetch_related("couriers")
        .order_by("-sent_at", "-id")
    )
    return paginate(rows, query, dispatch_out)


@dispatches_router.post("", response={201: DispatchOut, **WRITE_ERRORS}, summary="发文（多件）")
def create_dispatch(request, payload: DispatchManyIn):
    actor = request.auth
    carriers = lookups.carriers(actor, payload.carrier_ids, "carrier_ids")
    return 201, dispatch_out(_dispatch(actor, carriers, payload))


def _dispatch_of(actor, dispatch_id: int) -> Dispatch:
    found = Dispatch.objects.filter(pk=dispatch_id, unit_id=actor.unit_id).first()
    if found is None or not is_clerk_of(actor, actor.unit_id):
        raise NotFound("发文记录不存在，或您无权查看。")
    return found


@dispatches_router.get("/{dispatch_id}", response={200: DispatchOut, **READ_ERRORS})
def get_dispatch(request, dispatch_id: Id):
    return dispatch_out(_dispatch_of(request.auth, dispatch_id))


class DispatchReceiptIn(InputSchema):
    signed_by: text(50, min_length=1)
    signed_at: datetime | None = None


@dispatches_router.post(
    "/{dispatch_id}/receipt", response={200: DispatchOut, **WRITE_ERRORS}, summary="登记回执"
)
def receipt(request, dispatch_id: Id, payload: DispatchReceiptIn):
    actor = request.auth
    found = _dispatch_of(actor, dispatch_id)
    signed_at = payload.signed_at
    if signed_at is not None and timezone.is_naive(signed_at):
        signed_at = timezone.make_aware(signed_at)
    return dispatch_out(
        actions.record_receipt(actor, found, signed_by=payload.signed_by, signed_at=signed_at)
    )


# --- recalls ------------------------------------------------------------------------------------


class RecallRoundOut(Schema):
    issuer: str
    due: date
    interval_months: int | None
    highest_level: str
    count: int
    carriers: list[DispatchCarrierOut]


def round_out(entry) -> dict:
    return {
        "issuer": entry.issuer,
        "due": entry.due,
        "interval_months": entry.schedule.interval_months if entry.schedule else None,
        "highest_level": entry.highest_level,
        "count": len(entry.carriers),
        "carriers": [_item(c) for c in entry.carriers],
    }


class RecallDueQuery(Schema):
    within_days: int = Field(0, ge=0, le=366, description="包括今后若干天内到期的")


@recalls_router.get(
    "/due", response={200: list[RecallRoundOut], **READ_ERRORS}, summary="待清退（按制文机关）"
)
def due(request, query: Query[RecallDueQuery]):
    actor = request.auth
    _require_clerk(actor)
    rounds = recall_rounds(actor.unit, timezone.localdate(), within_days=query.within_days)
    return [round_out(r) for r in rounds]


class RecallScheduleOut(Schema):
    id: int
    issuer: str
    interval_months: int
    interval_display: str
    starts_on: date
    last_recalled_on: date | None
    next_due: date


def schedule_out(s: IssuerRecallSchedule) -> dict:
    return {
        "id": s.pk,
        "issuer": s.issuer,
        "interval_months": s.interval_months,
        "interval_display": display(RecallInterval, s.interval_months),
        "starts_on": s.starts_on,
        "last_recalled_on": s.last_recalled_on,
        "next_due": s.next_due,
    }


@recalls_router.get(
    "/schedules", response={200: list[RecallScheduleOut], **READ_ERRORS}, summary="清退周期"
)
def schedules(request):
    actor = request.auth
    _require_clerk(actor)
    return [schedule_out(s) for s in IssuerRecallSchedule.objects.filter(unit_id=actor.unit_id)]


class RecallScheduleIn(InputSchema):
    issuer: text(100, min_length=1)
    interval_months: RecallInterval
    starts_on: Day


@recalls_router.post(
    "/schedules", response={200: RecallScheduleOut, **WRITE_ERRORS}, summary="设置清退周期"
)
def set_schedule(request, payload: RecallScheduleIn):
    actor = request.auth
    made = actions.set_schedule(
        actor,
        actor.unit,
        issuer=payload.issuer,
        interval_months=int(payload.interval_months),
        starts_on=payload.starts_on,
    )
    return schedule_out(made)


class RecallIssuerQuery(Schema):
    issuer: text(100, min_length=1)


def _round(request, issuer: str):
    actor = request.auth
    _require_clerk(actor)
    return actor, round_for(actor.unit, issuer, timezone.localdate())


@recalls_router.get(
    "/list", response={200: RecallRoundOut, **READ_ERRORS}, summary="清退单（JSON）"
)
def recall_list(request, query: Query[RecallIssuerQuery]):
    return round_out(_round(request, query.issuer)[1])


@recalls_router.get("/list.pdf", response={200: None, **READ_ERRORS}, summary="清退单 PDF")
def recall_list_as_pdf(request, query: Query[RecallIssuerQuery]):
    actor, entry = _round(request, query.issuer)
    response = HttpResponse(
        recall_list_pdf(actor.unit, entry, actor), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="recall-list.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@recalls_router.get("/list.xlsx", response={200: None, **READ_ERRORS}, summary="清退单 xlsx")
def recall_list_as_xlsx(request, query: Query[RecallIssuerQuery]):
    actor, entry = _round(request, query.issuer)
    response = HttpResponse(recall_list_xlsx(actor.unit, entry, actor), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="recall-list.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
