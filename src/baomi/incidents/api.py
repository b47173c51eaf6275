"""JSON API: 失泄密事件 (`incidents`) — INC-1. There is no DELETE: a report is never removed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.utils import timezone
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
from baomi.classification.choices import Level
from baomi.incidents import actions
from baomi.incidents.choices import IncidentKind, IncidentState
from baomi.incidents.models import Incident
from baomi.incidents.selectors import incident_for, incidents_visible_to
from baomi.lib.errors import Invalid, NotFound

router = Router()


class IncidentOut(Schema):
    id: int
    kind: str
    kind_display: str
    summary: str
    level: str
    level_display: str
    state: str
    state_display: str
    discovered_at: datetime
    discovered_where: str
    discovered_by: Ref
    reported_by: Ref
    created_at: datetime
    report_due_at: datetime = Field(description="发现后 24 小时：上报保密行政管理部门的期限")
    report_overdue: bool
    authority_reported_at: datetime | None
    authority_reference: str
    device_ids: list[int]
    carrier_ids: list[int]


class IncidentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[IncidentOut]


def incident_out(i: Incident) -> dict:
    return {
        "id": i.pk,
        "kind": i.kind,
        "kind_display": display(IncidentKind, i.kind),
        "summary": i.summary,
        "level": i.level,
        "level_display": display(Level, i.level),
        "state": i.state,
        "state_display": display(IncidentState, i.state),
        "discovered_at": i.discovered_at,
        "discovered_where": i.discovered_where,
        "discovered_by": ref(i.discovered_by),
        "reported_by": ref(i.reported_by),
        "created_at": i.created_at,
        "report_due_at": i.report_due_at,
        "report_overdue": i.report_overdue(timezone.now()),
        "authority_reported_at": i.authority_reported_at,
        "authority_reference": i.authority_reference,
        "device_ids": sorted(i.devices.values_list("pk", flat=True)),
        "carrier_ids": sorted(i.carriers.values_list("pk", flat=True)),
    }


def _visible(actor, incident_id: int) -> Incident:
    found = incident_for(actor, incident_id)
    if found is None:
        raise NotFound("事件不存在，或您无权查看。")
    return found


class IncidentQuery(PageQuery):
    state: IncidentState | None = None


@router.get("", response={200: IncidentPage, **READ_ERRORS}, summary="失泄密事件")
def list_incidents(request, query: Query[IncidentQuery]):
    rows = incidents_visible_to(request.auth).select_related("discovered_by", "reported_by")
    if query.state:
        rows = rows.filter(state=query.state.value)
    return paginate(rows.order_by("-discovered_at", "-id"), query, incident_out)


class IncidentIn(InputSchema):
    kind: IncidentKind
    summary: text(500, min_length=1)
    level: Literal["internal", "confidential", "secret", "top_secret"]
    discovered_at: datetime
    discovered_where: text(200, min_length=1)
    discovered_by_id: Id
    device_ids: list[Id] = Field(default_factory=list, max_length=100)
    carrier_ids: list[Id] = Field(default_factory=list, max_length=100)


@router.post("", response={201: IncidentOut, **WRITE_ERRORS}, summary="报告失泄密事件")
def open_incident(request, payload: IncidentIn):
    """INC-1: report at once; the 24-hour clock to the 保密行政管理部门 starts at discovery."""
    from baomi.devices.selectors import devices_visible_to

    actor = request.auth
    devices = list(devices_visible_to(actor).filter(pk__in=payload.device_ids))
    if len(devices) != len(set(payload.device_ids)):
        raise Invalid("设备不存在，或您无权使用。", {"device_ids": ["有设备不存在"]})
    incident = actions.open_incident(
        actor,
        kind=payload.kind.value,
        summary=payload.summary,
        level=payload.level,
        discovered_at=payload.discovered_at,
        discovered_where=payload.discovered_where,
        discovered_by=lookups.person(actor, payload.discovered_by_id, "discovered_by_id"),
        devices=devices,
        carriers=lookups.carriers(actor, payload.carrier_ids, "carrier_ids"),
    )
    return 201, incident_out(_visible(actor, incident.pk))


@router.get("/{incident_id}", response={200: IncidentOut, **READ_ERRORS}, summary="事件详情")
def get_incident(request, incident_id: Id):
    return incident_out(_visible(request.auth, incident_id))


class AuthorityReportIn(InputSchema):
    reference: text(200, min_length=1)
    reported_at: datetime | None = None


@router.post(
    "/{incident_id}/authority-report",
    response={200: IncidentOut, **WRITE_ERRORS},
    summary="已上报保密行政管理部门",
)
def report_to_authority(request, incident_id: Id, payload: AuthorityReportIn):
    actor = request.auth
    incident = _visible(actor, incident_id)
    actions.report_to_authority(
        actor, incident, reported_at=payload.reported_at, reference=payload.reference
    )
    return incident_out(_visible(actor, incident_id))
