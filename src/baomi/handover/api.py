"""JSON API: handovers (交接, CR-13) and the post change it guards."""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema

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
from baomi.handover import actions
from baomi.handover.models import Handover, HandoverStatus
from baomi.handover.selectors import handovers_visible_to
from baomi.lib.errors import NotFound

router = Router()
people_router = Router()


class HandoverOut(Schema):
    id: int
    person: Ref
    receiver: Ref
    reason: str
    status: str
    status_display: str
    created_at: datetime
    person_confirmed_at: datetime | None
    receiver_confirmed_at: datetime | None
    completed_at: datetime | None
    carriers: list[dict]


class HandoverPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[HandoverOut]


def handover_out(h: Handover) -> dict:
    return {
        "id": h.pk,
        "person": ref(h.person),
        "receiver": ref(h.receiver),
        "reason": h.reason,
        "status": h.status,
        "status_display": display(HandoverStatus, h.status),
        "created_at": h.created_at,
        "person_confirmed_at": h.person_confirmed_at,
        "receiver_confirmed_at": h.receiver_confirmed_at,
        "completed_at": h.completed_at,
        "carriers": [
            {"id": i.carrier_id, "label": i.carrier.label, "level": i.carrier.level}
            for i in h.items.select_related("carrier")
        ],
    }


def _visible(actor, handover_id: int) -> Handover:
    found = handovers_visible_to(actor).filter(pk=handover_id).first()
    if found is None:
        raise NotFound("交接单不存在，或您无权查看。")
    return found


def _fresh(h: Handover) -> dict:
    h.refresh_from_db()
    return handover_out(h)


@router.get("", response={200: HandoverPage, **READ_ERRORS}, summary="交接单")
def list_handovers(request, query: Query[PageQuery]):
    return paginate(handovers_visible_to(request.auth), query, handover_out)


class OpenIn(InputSchema):
    person_id: Id
    receiver_id: Id
    reason: text(500) = ""


@router.post("", response={201: HandoverOut, **WRITE_ERRORS}, summary="建立交接清单")
def open_handover(request, payload: OpenIn):
    actor = request.auth
    made = actions.open_handover(
        actor,
        lookups.person(actor, payload.person_id, "person_id"),
        lookups.person(actor, payload.receiver_id, "receiver_id"),
        reason=payload.reason,
    )
    return 201, _fresh(made)


@router.get("/{handover_id}", response={200: HandoverOut, **READ_ERRORS}, summary="交接单详情")
def get_handover(request, handover_id: Id):
    return handover_out(_visible(request.auth, handover_id))


@router.post(
    "/{handover_id}/confirm", response={200: HandoverOut, **WRITE_ERRORS}, summary="签字确认"
)
def confirm(request, handover_id: Id):
    h = _visible(request.auth, handover_id)
    actions.confirm(request.auth, h)
    return _fresh(h)


@router.post(
    "/{handover_id}/complete", response={200: HandoverOut, **WRITE_ERRORS}, summary="完成交接"
)
def complete(request, handover_id: Id):
    h = _visible(request.auth, handover_id)
    actions.complete(request.auth, h)
    return _fresh(h)


@router.post(
    "/{handover_id}/cancel", response={200: HandoverOut, **WRITE_ERRORS}, summary="取消交接"
)
def cancel(request, handover_id: Id):
    h = _visible(request.auth, handover_id)
    actions.cancel(request.auth, h)
    return _fresh(h)


class ChangePostIn(InputSchema):
    department_id: Id | None = None
    post: text(100) = ""


class PostOut(Schema):
    id: int
    name: str
    department: Ref | None
    post: str


@people_router.post(
    "/{person_id}/change-post", response={200: PostOut, **WRITE_ERRORS}, summary="调整岗位"
)
def change_post(request, person_id: Id, payload: ChangePostIn):
    """CR-13: refused while the person holds any carrier (the refusal lists them)."""
    actor = request.auth
    try:
        person = lookups.person(actor, person_id, "person_id")
    except Exception as error:  # a person in the path: unknown is 404
        raise NotFound("人员不存在。") from error
    department = (
        lookups.departments(actor, [payload.department_id], "department_id")[0]
        if payload.department_id
        else None
    )
    person = actions.change_post(actor, person, department=department, post=payload.post)
    return {
        "id": person.pk,
        "name": person.name,
        "department": ref(person.department),
        "post": person.post,
    }
