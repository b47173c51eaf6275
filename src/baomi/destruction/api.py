"""JSON API: destruction lists (`destruction-lists`, CR-12). There is no `carriers/{id}/destroy`:
a carrier is destroyed only as an item of an approved list."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api import lookups
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.carriers.selectors import carriers_visible_to
from baomi.destruction import actions
from baomi.destruction.certificate import certificate_pdf
from baomi.destruction.models import DestructionList, ListStatus, Method
from baomi.destruction.selectors import lists_visible_to
from baomi.lib.errors import InvalidState, NotFound

router = Router()


class ItemOut(Schema):
    carrier_id: int
    label: str
    level: str
    level_display: str
    marking: str
    status: str
    checked_by: Ref | None
    checked_at: datetime | None


class ListOut(Schema):
    id: int
    number: str
    status: str
    status_display: str
    created_by: Ref
    created_at: datetime
    reason: str
    request_id: int | None
    request_status: str | None
    method: str
    method_display: str
    place: str
    destroyed_at: datetime | None
    witnesses: list[Ref]
    items: list[ItemOut]


class ListPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ListOut]


def list_out(d: DestructionList) -> dict:
    items = d.items.select_related("carrier", "checked_by").order_by("id")
    return {
        "id": d.pk,
        "number": d.number,
        "status": d.status,
        "status_display": display(ListStatus, d.status),
        "created_by": ref(d.created_by),
        "created_at": d.created_at,
        "reason": d.reason,
        "request_id": d.request_id,
        "request_status": d.request.status if d.request_id else None,
        "method": d.method,
        "method_display": display(Method, d.method),
        "place": d.place,
        "destroyed_at": d.destroyed_at,
        "witnesses": [ref(w) for w in d.witnesses.all()],
        "items": [
            {
                "carrier_id": i.carrier_id,
                "label": i.carrier.label,
                "level": i.carrier.level,
                "level_display": i.carrier.get_level_display(),
                "marking": i.carrier.marking,
                "status": i.carrier.status,
                "checked_by": ref(i.checked_by),
                "checked_at": i.checked_at,
            }
            for i in items
        ],
    }


def _visible(actor, list_id: int) -> DestructionList:
    found = lists_visible_to(actor).filter(pk=list_id).first()
    if found is None:
        raise NotFound("销毁清单不存在，或您无权查看。")
    return found


def _carrier_in(actor, dlist, carrier_id: int):
    found = carriers_visible_to(actor).filter(pk=carrier_id).first()
    if found is None or not dlist.items.filter(carrier=found).exists():
        raise NotFound("清单中没有该载体。")
    return found


def _fresh(dlist: DestructionList) -> dict:
    dlist.refresh_from_db()
    return list_out(dlist)


@router.get("", response={200: ListPage, **READ_ERRORS}, summary="销毁清单")
def list_lists(request, query: Query[PageQuery]):
    lists = lists_visible_to(request.auth).select_related("created_by", "request")
    return paginate(lists, query, list_out)


class CreateIn(InputSchema):
    carrier_ids: list[Id] = Field(min_length=1, max_length=500)
    reason: text(500) = ""


@router.post("", response={201: ListOut, **WRITE_ERRORS}, summary="登记销毁清单")
def create_list(request, payload: CreateIn):
    actor = request.auth
    made = actions.create_list(
        actor, lookups.carriers(actor, payload.carrier_ids, "carrier_ids"), reason=payload.reason
    )
    return 201, _fresh(made)


@router.get("/{list_id}", response={200: ListOut, **READ_ERRORS}, summary="销毁清单详情")
def get_list(request, list_id: Id):
    return list_out(_visible(request.auth, list_id))


class AddIn(InputSchema):
    carrier_ids: list[Id] = Field(min_length=1, max_length=500)


@router.post("/{list_id}/items", response={200: ListOut, **WRITE_ERRORS}, summary="增列载体")
def add_items(request, list_id: Id, payload: AddIn):
    actor = request.auth
    dlist = _visible(actor, list_id)
    actions.add_items(actor, dlist, lookups.carriers(actor, payload.carrier_ids, "carrier_ids"))
    return _fresh(dlist)


@router.post(
    "/{list_id}/items/{carrier_id}/check",
    response={200: ListOut, **WRITE_ERRORS},
    summary="逐件清点",
)
def check_item(request, list_id: Id, carrier_id: Id):
    actor = request.auth
    dlist = _visible(actor, list_id)
    actions.check_item(actor, dlist, _carrier_in(actor, dlist, carrier_id))
    return _fresh(dlist)


@router.post(
    "/{list_id}/items/{carrier_id}/unlist",
    response={200: ListOut, **WRITE_ERRORS},
    summary="移出清单",
)
def unlist(request, list_id: Id, carrier_id: Id):
    actor = request.auth
    dlist = _visible(actor, list_id)
    actions.unlist(actor, dlist, _carrier_in(actor, dlist, carrier_id))
    return _fresh(dlist)


class SubmitIn(InputSchema):
    approver_id: Id
    reason: text(500) = ""


@router.post("/{list_id}/submit", response={200: ListOut, **WRITE_ERRORS}, summary="报领导审批")
def submit(request, list_id: Id, payload: SubmitIn):
    actor = request.auth
    dlist = _visible(actor, list_id)
    approver = lookups.person(actor, payload.approver_id, "approver_id")
    actions.submit(actor, dlist, approver=approver, reason=payload.reason)
    return _fresh(dlist)


class DestroyIn(InputSchema):
    method: Method
    place: text(200, min_length=1)
    witness_ids: list[Id] = Field(max_length=20, description="监销人（至少两名不同的人）")


@router.post("/{list_id}/destroy", response={200: ListOut, **WRITE_ERRORS}, summary="销毁")
def destroy(request, list_id: Id, payload: DestroyIn):
    """CR-12: approved list, every item checked, ≥2 different cleared witnesses who did not ask
    for it, a method that fits each carrier; all carriers DESTROYED at once."""
    actor = request.auth
    dlist = _visible(actor, list_id)
    # The same id twice must reach the rule (APR-1), not be folded into one person here.
    people = {p.pk: p for p in lookups.people(actor, payload.witness_ids, "witness_ids")}
    witnesses = [people[i] for i in payload.witness_ids]
    actions.destroy(
        actor, dlist, method=payload.method.value, place=payload.place, witnesses=witnesses
    )
    return _fresh(dlist)


@router.get(
    "/{list_id}/certificate.pdf",
    response={200: None, **READ_ERRORS, 409: dict},
    summary="销毁证明（PDF）",
)
def certificate(request, list_id: Id):
    dlist = _visible(request.auth, list_id)
    if dlist.status != ListStatus.DESTROYED:
        raise InvalidState("清单尚未销毁，不能出具销毁证明。", {"status": dlist.status})
    response = HttpResponse(certificate_pdf(dlist), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="destruction-{dlist.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
