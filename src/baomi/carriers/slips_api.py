"""JSON API: 传阅单 `circulation-slips` (CR-4, CR-5). Clerks create and run slips; a reader
acknowledges the slip that is with them; everyone who may see the carrier may read the slip."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
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
    paginate,
    ref,
    text,
)
from baomi.approvals.api import EmptyIn
from baomi.carriers import slips
from baomi.carriers.models import CirculationSlip
from baomi.carriers.selectors import carriers_visible_to
from baomi.lib.errors import NotFound

router = Router()


class SlipReaderOut(Schema):
    order: int
    reader: Ref
    sent_at: datetime | None
    acknowledged_at: datetime | None
    returned_at: datetime | None


class SlipOut(Schema):
    id: int
    carrier_id: int
    carrier_label: str
    state: str
    state_display: str
    created_by: Ref
    created_at: datetime
    note: str
    readers: list[SlipReaderOut]


class SlipPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[SlipOut]


def slip_out(s: CirculationSlip) -> dict:
    return {
        "id": s.pk,
        "carrier_id": s.carrier_id,
        "carrier_label": s.carrier.label,
        "state": s.state,
        "state_display": s.get_state_display(),
        "created_by": ref(s.created_by),
        "created_at": s.created_at,
        "note": s.note,
        "readers": [
            {
                "order": r.order,
                "reader": ref(r.reader),
                "sent_at": r.sent_at,
                "acknowledged_at": r.acknowledged_at,
                "returned_at": r.returned_at,
            }
            for r in s.readers.select_related("reader").order_by("order")
        ],
    }


def slips_visible_to(person):
    return CirculationSlip.objects.filter(
        carrier__in=carriers_visible_to(person).values("pk")
    ).select_related("carrier", "created_by")


def _slip(actor, slip_id: int) -> CirculationSlip:
    found = slips_visible_to(actor).filter(pk=slip_id).first()
    if found is None:
        raise NotFound("传阅单不存在，或您无权查看。")
    return found


class SlipQuery(PageQuery):
    state: CirculationSlip.State | None = None
    carrier_id: Id | None = None


@router.get("", response={200: SlipPage, **READ_ERRORS}, summary="传阅单列表")
def list_slips(request, query: Query[SlipQuery]):
    rows = slips_visible_to(request.auth)
    if query.state:
        rows = rows.filter(state=query.state)
    if query.carrier_id:
        rows = rows.filter(carrier_id=query.carrier_id)
    return paginate(rows.order_by("-created_at", "-id"), query, slip_out)


class SlipIn(InputSchema):
    carrier_id: Id
    reader_ids: list[Id] = Field(min_length=1, max_length=50, description="按传阅顺序")
    note: text(500) = ""


@router.post("", response={201: SlipOut, **WRITE_ERRORS}, summary="登记传阅单")
def create_slip(request, payload: SlipIn):
    """Every reader is checked against level and scope up front (PER-1, CR-4)."""
    actor = request.auth
    carrier = lookups.carriers(actor, [payload.carrier_id], "carrier_id")[0]
    readers = lookups.people(actor, payload.reader_ids, "reader_ids")
    return 201, slip_out(slips.create_slip(actor, carrier, readers, note=payload.note))


@router.get("/{slip_id}", response={200: SlipOut, **READ_ERRORS}, summary="传阅单详情")
def get_slip(request, slip_id: Id):
    return slip_out(_slip(request.auth, slip_id))


class SlipSendIn(InputSchema):
    due_date: Day | None = None
    reading_place_id: Id | None = Field(
        None, description="阅读地点（机要室/阅览室）；绝密载体必填（CR-5）"
    )


@router.post("/{slip_id}/send", response={200: SlipOut, **WRITE_ERRORS}, summary="送下一位")
def send_next(request, slip_id: Id, payload: SlipSendIn = None):
    """To the next reader; the previous one must have returned it (CR-4; 绝密 CR-5)."""
    payload = payload or SlipSendIn()
    found = _slip(request.auth, slip_id)
    place = lookups.place(request.auth, payload.reading_place_id, "reading_place_id")
    slips.send_next(request.auth, found, due_date=payload.due_date, reading_place=place)
    return slip_out(_slip(request.auth, slip_id))


@router.post("/{slip_id}/acknowledge", response={200: SlipOut, **WRITE_ERRORS}, summary="签收")
def acknowledge(request, slip_id: Id, payload: EmptyIn = None):
    found = _slip(request.auth, slip_id)
    slips.acknowledge(request.auth, found)
    return slip_out(_slip(request.auth, slip_id))


class SlipReturnIn(InputSchema):
    place_id: Id | None = None


@router.post("/{slip_id}/return", response={200: SlipOut, **WRITE_ERRORS}, summary="阅毕退回")
def take_back(request, slip_id: Id, payload: SlipReturnIn = None):
    payload = payload or SlipReturnIn()
    actor = request.auth
    found = _slip(actor, slip_id)
    slips.take_back(actor, found, place=lookups.place(actor, payload.place_id))
    return slip_out(_slip(actor, slip_id))


class SlipCancelIn(InputSchema):
    reason: text(500, min_length=1)


@router.post("/{slip_id}/cancel", response={200: SlipOut, **WRITE_ERRORS}, summary="终止")
def cancel(request, slip_id: Id, payload: SlipCancelIn):
    found = _slip(request.auth, slip_id)
    slips.cancel(request.auth, found, reason=payload.reason)
    return slip_out(_slip(request.auth, slip_id))


@router.get("/{slip_id}/slip.pdf", response={200: None, **READ_ERRORS}, summary="打印传阅单")
def slip_pdf(request, slip_id: Id):
    found = _slip(request.auth, slip_id)
    response = HttpResponse(slips.slip_pdf(found, request.auth), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="slip-{found.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
