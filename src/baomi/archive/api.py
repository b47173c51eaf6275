"""JSON API: dossiers (卷宗), archiving, retrieval requests and retrieval (CR-11, CL-6, ARC-1, ARC-2).

`POST carriers/{id}/archive` and `POST carriers/{id}/retrieve` live on `carrier_router` (mounted
at /carriers beside the ledger's own router); the rest under /dossiers and /retrievals.
"""

from __future__ import annotations

from datetime import datetime

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
from baomi.archive import actions
from baomi.archive.models import Dossier
from baomi.archive.selectors import archive_movements, contents_of, dossiers_visible_to
from baomi.carriers.api_out import CarrierDetailOut, CarrierOut, carrier_detail, carrier_out
from baomi.carriers.choices import EventKind, Status
from baomi.classification.choices import Level
from baomi.lib.errors import NotFound

router = Router()
retrievals_router = Router()
carrier_router = Router()


class DossierOut(Schema):
    id: int
    number: str
    title: str
    year: int
    place: Ref
    leadership_meeting: bool
    level: str
    level_display: str
    marking: str = Field(description="按卷内最高密级、最长保密期限重算（CL-6），只读")
    items: int


class DossierDetailOut(DossierOut):
    carriers: list[CarrierOut]


class DossierPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DossierOut]


class MovementOut(Schema):
    id: int
    at: datetime
    kind: str
    kind_display: str
    carrier: dict
    actor: Ref
    status_before_display: str
    status_after_display: str
    place_before: Ref | None
    place_after: Ref | None
    request_id: int | None
    note: str


class MovementPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MovementOut]


def dossier_out(d: Dossier) -> dict:
    return {
        "id": d.pk,
        "number": d.number,
        "title": d.title,
        "year": d.year,
        "place": ref(d.place),
        "leadership_meeting": d.leadership_meeting,
        "level": d.level,
        "level_display": display(Level, d.level),
        "marking": d.marking,
        "items": d.items.filter(removed_at__isnull=True).count(),
    }


def _visible_dossier(actor, dossier_id: int) -> Dossier:
    found = dossiers_visible_to(actor).select_related("place").filter(pk=dossier_id).first()
    if found is None:
        raise NotFound("卷宗不存在，或您无权查看。")
    return found


@router.get("", response={200: DossierPage, **READ_ERRORS}, summary="卷宗列表")
def list_dossiers(request, query: Query[PageQuery]):
    dossiers = dossiers_visible_to(request.auth).select_related("place")
    return paginate(dossiers, query, dossier_out)


@router.get("/movements", response={200: MovementPage, **READ_ERRORS}, summary="档案出入库登记")
def list_movements(request, query: Query[PageQuery]):
    """ARC-2: every movement into or out of the archive store, newest first."""

    def out(e):
        return {
            "id": e.pk,
            "at": e.at,
            "kind": e.kind,
            "kind_display": display(EventKind, e.kind),
            "carrier": {"id": e.carrier_id, "label": e.carrier.label},
            "actor": ref(e.actor),
            "status_before_display": display(Status, e.status_before),
            "status_after_display": display(Status, e.status_after),
            "place_before": ref(e.place_before),
            "place_after": ref(e.place_after),
            "request_id": e.request_id,
            "note": e.note,
        }

    return paginate(archive_movements(request.auth), query, out)


class DossierIn(InputSchema):
    number: text(40, min_length=1)
    title: text(300, min_length=1)
    year: int = Field(ge=1900, le=2999)
    place_id: Id
    leadership_meeting: bool = False


@router.post("", response={201: DossierDetailOut, **WRITE_ERRORS}, summary="立卷")
def create_dossier(request, payload: DossierIn):
    actor = request.auth
    dossier = actions.create_dossier(
        actor,
        number=payload.number,
        title=payload.title,
        year=payload.year,
        place=lookups.place(actor, payload.place_id),
        leadership_meeting=payload.leadership_meeting,
    )
    return 201, _detail(actor, dossier)


def _detail(actor, dossier: Dossier) -> dict:
    dossier.refresh_from_db()
    return {
        **dossier_out(dossier),
        "carriers": [carrier_out(c) for c in contents_of(dossier, actor)],
    }


@router.get("/{dossier_id}", response={200: DossierDetailOut, **READ_ERRORS}, summary="卷宗详情")
def get_dossier(request, dossier_id: Id):
    return _detail(request.auth, _visible_dossier(request.auth, dossier_id))


# --- carrier actions --------------------------------------------------------------------------


class ArchiveIn(InputSchema):
    dossier_id: Id
    note: text(500) = ""


class RetrieveIn(InputSchema):
    request_id: Id | None = Field(None, description="已批准的档案调阅申请；缺少时按 ARC-1 拒绝")
    place_id: Id | None = Field(None, description="默认回到固定存放位置")
    note: text(500) = ""


@carrier_router.post(
    "/{carrier_id}/archive", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="归档"
)
def archive_carrier(request, carrier_id: Id, payload: ArchiveIn):
    """归档 into a dossier (CR-11); the dossier's marking is recomputed (CL-6)."""
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    dossier = lookups.dossier(actor, payload.dossier_id)
    carrier = actions.archive(actor, carrier, dossier, note=payload.note)
    return carrier_detail(actor, carrier)


@carrier_router.post(
    "/{carrier_id}/retrieve", response={200: CarrierDetailOut, **WRITE_ERRORS}, summary="调阅出库"
)
def retrieve_carrier(request, carrier_id: Id, payload: RetrieveIn = None):
    """调阅出库 against an approved retrieval request (ARC-1)."""
    payload = payload or RetrieveIn()
    actor = request.auth
    carrier = lookups.visible_carrier(actor, carrier_id)
    approval = (
        lookups.visible_request(actor, payload.request_id, "request_id")
        if payload.request_id
        else None
    )
    carrier = actions.retrieve(
        actor, carrier, approval, place=lookups.place(actor, payload.place_id), note=payload.note
    )
    return carrier_detail(actor, carrier)


# --- retrieval requests -----------------------------------------------------------------------


class RetrievalIn(InputSchema):
    carrier_ids: list[Id] = Field(min_length=1, max_length=200)
    reason: text(500, min_length=1)
    approver_id: Id
    beneficiary_id: Id | None = Field(None, description="调阅人，默认为申请人")


class RetrievalOut(Schema):
    id: int
    kind: str
    status: str
    status_display: str
    carrier_ids: list[int]
    approver: Ref
    beneficiary: Ref


@retrievals_router.post("", response={201: RetrievalOut, **WRITE_ERRORS}, summary="档案调阅申请")
def create_retrieval(request, payload: RetrievalIn):
    """ARC-1: 绝密 and leadership-meeting records must be addressed to the unit head."""
    actor = request.auth
    approver = lookups.person(actor, payload.approver_id, "approver_id")
    made = actions.request_retrieval(
        actor,
        lookups.carriers(actor, payload.carrier_ids, "carrier_ids"),
        reason=payload.reason,
        approver=approver,
        beneficiary=lookups.person(actor, payload.beneficiary_id, "beneficiary_id"),
    )
    from baomi.approvals.choices import RequestStatus

    return 201, {
        "id": made.pk,
        "kind": made.kind,
        "status": made.status,
        "status_display": display(RequestStatus, made.status),
        "carrier_ids": sorted(made.items.values_list("carrier_id", flat=True)),
        "approver": ref(approver),
        "beneficiary": ref(made.beneficiary),
    }
