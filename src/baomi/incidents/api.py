"""JSON API: 失泄密事件 (`incidents`) — INC-1 — with its sub-actions as POST endpoints, and the
应急预案 / 应急演练 of INC-2 (`incidents/emergency-plans`, `incidents/drills`). There is no
DELETE that removes anything: a report is never removed (405 naming INC-1)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import Prefetch
from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api import lookups
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.audit.trail import record_refusal
from baomi.classification.choices import Level
from baomi.incidents import actions
from baomi.incidents.choices import EntryKind, IncidentKind, IncidentState
from baomi.incidents.models import Incident, IncidentEntry
from baomi.incidents.preparedness_api import router as preparedness_router
from baomi.incidents.selectors import incidents_visible_to, still_lost_in
from baomi.lib import clock
from baomi.lib.errors import Invalid, NotFound, RuleViolation

router = Router()
# `{int:incident_id}` below: these literal paths are not taken for an incident id.
router.add_router("", preparedness_router)


class IncidentEntryOut(Schema):
    id: int
    kind: str
    kind_display: str
    text: str
    carrier_id: int | None
    carrier_label: str | None
    author: Ref
    created_at: datetime


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
    information: str = Field(description="涉及的信息（载体以外）")
    how: str = Field(description="事件经过")
    harm: str = Field(description="危害及后果")
    remedies: str = Field(description="报告时已采取的补救措施；其后的措施见 entries")
    report_due_at: datetime = Field(description="发现后 24 小时：上报保密行政管理部门的期限")
    report_overdue: bool
    authority_reported_at: datetime | None
    authority_reference: str
    device_ids: list[int]
    carrier_ids: list[int]
    lost_carrier_ids: list[int] = Field(description="在本事件中报失、尚未找回的载体")
    stocktake_id: int | None = Field(description="清查发现的事件：来源清查（CR-14）")
    cause: str
    responsible_person: Ref | None
    responsibility: str
    closed_at: datetime | None
    closed_by: Ref | None
    entries: list[IncidentEntryOut] = Field(
        description="调查记录、补救措施、载体报失与找回（只增不改）"
    )


class IncidentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[IncidentOut]


def entry_out(e) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_display": display(EntryKind, e.kind),
        "text": e.text,
        "carrier_id": e.carrier_id,
        "carrier_label": e.carrier.label if e.carrier_id else None,
        "author": ref(e.author),
        "created_at": e.created_at,
    }


def incident_out(i: Incident) -> dict:
    carrier_ids = sorted(c.pk for c in i.carriers.all())
    lost = still_lost_in(i)
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
        "information": i.information,
        "how": i.how,
        "harm": i.harm,
        "remedies": i.remedies,
        "report_due_at": i.report_due_at,
        "report_overdue": i.report_overdue(clock.now()),
        "authority_reported_at": i.authority_reported_at,
        "authority_reference": i.authority_reference,
        "device_ids": sorted(d.pk for d in i.devices.all()),
        "carrier_ids": carrier_ids,
        "lost_carrier_ids": [c for c in carrier_ids if c in lost],
        "stocktake_id": i.stocktake_id,
        "cause": i.cause,
        "responsible_person": ref(i.responsible_person),
        "responsibility": i.responsibility,
        "closed_at": i.closed_at,
        "closed_by": ref(i.closed_by),
        "entries": [entry_out(e) for e in i.entries.all()],
    }


def _with_related(rows):
    return rows.select_related(
        "discovered_by", "reported_by", "responsible_person", "closed_by"
    ).prefetch_related(
        "carriers",
        "devices",
        Prefetch(
            "entries",
            queryset=IncidentEntry.objects.select_related("author", "carrier"),
        ),
    )


def _visible(actor, incident_id: int) -> Incident:
    found = _with_related(incidents_visible_to(actor)).filter(pk=incident_id).first()
    if found is None:
        raise NotFound("事件不存在，或您无权查看。")
    return found


class IncidentQuery(PageQuery):
    state: IncidentState | None = None
    kind: IncidentKind | None = None


@router.get("", response={200: IncidentPage, **READ_ERRORS}, summary="失泄密事件")
def list_incidents(request, query: Query[IncidentQuery]):
    rows = _with_related(incidents_visible_to(request.auth))
    if query.state:
        rows = rows.filter(state=query.state.value)
    if query.kind:
        rows = rows.filter(kind=query.kind.value)
    return paginate(rows.order_by("-discovered_at", "-id"), query, incident_out)


class IncidentIn(InputSchema):
    kind: IncidentKind
    summary: text(500, min_length=1)
    level: Literal["internal", "confidential", "secret", "top_secret"]
    discovered_at: datetime
    discovered_where: text(200, min_length=1)
    discovered_by_id: Id
    information: text(5000) = ""
    how: text(5000) = ""
    harm: text(5000) = ""
    remedies: text(5000) = ""
    device_ids: list[Id] = Field(default_factory=list, max_length=100)
    carrier_ids: list[Id] = Field(
        default_factory=list,
        max_length=100,
        description="丢失事件中的载体随即报失（由持有人或保密员）",
    )


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
        information=payload.information,
        how=payload.how,
        harm=payload.harm,
        remedies=payload.remedies,
        devices=devices,
        carriers=lookups.carriers(actor, payload.carrier_ids, "carrier_ids"),
    )
    return 201, incident_out(_visible(actor, incident.pk))


@router.get("/{int:incident_id}", response={200: IncidentOut, **READ_ERRORS}, summary="事件详情")
def get_incident(request, incident_id: Id):
    return incident_out(_visible(request.auth, incident_id))


@router.delete(
    "/{int:incident_id}",
    response={405: ErrorOut, **READ_ERRORS},
    summary="（不可删除）失泄密事件只能结案（INC-1）",
)
def delete_incident(request, incident_id: Id):
    """INC-1: no hiding. The refusal is recorded in the audit trail like any rule refusal."""
    actor = request.auth
    incident = _visible(actor, incident_id)
    error = RuleViolation(
        "INC-1", f"{incident}不得删除或隐瞒，只能查明原因、认定责任后由保密委员会结案（INC-1）。"
    )
    record_refusal("incident.delete", actor, incident, error)
    return 405, {"error": {"code": error.rule_id, "message": error.message, "detail": {}}}


class AuthorityReportIn(InputSchema):
    reference: text(200, min_length=1)
    reported_at: datetime | None = None


@router.post(
    "/{int:incident_id}/authority-report",
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


class IncidentCarriersIn(InputSchema):
    carrier_ids: list[Id] = Field(..., min_length=1, max_length=100)


@router.post(
    "/{int:incident_id}/carriers",
    response={200: IncidentOut, **WRITE_ERRORS},
    summary="关联载体（丢失事件中随即报失）",
)
def link_carriers(request, incident_id: Id, payload: IncidentCarriersIn):
    actor = request.auth
    incident = _visible(actor, incident_id)
    actions.link_carriers(
        actor, incident, lookups.carriers(actor, payload.carrier_ids, "carrier_ids")
    )
    return incident_out(_visible(actor, incident_id))


class IncidentConfirmIn(InputSchema):
    still_missing_ids: list[Id] | None = Field(
        None, max_length=10_000, description="复查后仍未找到的载体；缺省为草稿所列全部"
    )
    note: text(500) = ""


@router.post(
    "/{int:incident_id}/confirm",
    response={200: IncidentOut, **WRITE_ERRORS},
    summary="确认清查发现的事件草稿（CR-14）",
)
def confirm(request, incident_id: Id, payload: IncidentConfirmIn):
    actor = request.auth
    incident = _visible(actor, incident_id)
    still_missing = None
    if payload.still_missing_ids is not None:
        listed = {c.pk: c for c in incident.carriers.all()}
        unknown = [i for i in payload.still_missing_ids if i not in listed]
        if unknown:
            raise Invalid(
                "只能从草稿所列载体中选择。",
                {"still_missing_ids": [f"载体 #{i} 不在草稿清单中" for i in unknown]},
            )
        still_missing = [listed[i] for i in dict.fromkeys(payload.still_missing_ids)]
    actions.confirm_draft(actor, incident, still_missing=still_missing, note=payload.note)
    return incident_out(_visible(actor, incident_id))


class IncidentEntryIn(InputSchema):
    kind: Literal["note", "remedy"] = Field(description="note 调查记录；remedy 补救措施")
    text: text(5000, min_length=1)


@router.post(
    "/{int:incident_id}/entries",
    response={201: IncidentEntryOut, **WRITE_ERRORS},
    summary="追加调查记录或补救措施（只增不改）",
)
def add_entry(request, incident_id: Id, payload: IncidentEntryIn):
    actor = request.auth
    incident = _visible(actor, incident_id)
    entry = actions.add_entry(actor, incident, kind=payload.kind, text=payload.text)
    return 201, entry_out(entry)


class IncidentCloseIn(InputSchema):
    # Blank is not a 422 here: closing without them is the INC-1 refusal the action names.
    cause: text(5000) = Field("", description="原因分析")
    responsibility: text(5000) = Field("", description="责任认定及处理")
    responsible_person_id: Id | None = None


@router.post(
    "/{int:incident_id}/close",
    response={200: IncidentOut, **WRITE_ERRORS},
    summary="结案（保密委员会；须查明原因、认定责任）",
)
def close(request, incident_id: Id, payload: IncidentCloseIn):
    actor = request.auth
    incident = _visible(actor, incident_id)
    actions.close_incident(
        actor,
        incident,
        cause=payload.cause,
        responsibility=payload.responsibility,
        responsible_person=lookups.person(
            actor, payload.responsible_person_id, "responsible_person_id"
        ),
    )
    return incident_out(_visible(actor, incident_id))
