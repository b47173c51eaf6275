"""JSON API: the device ledgers (`devices`, + `/checks`, `/uses`, `/media-uses`, `/repairs`,
`/disposals`, `/misuse`) — DEV-1…4, DEV-6. Every write calls one action; a device the caller may
not see is 404."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

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
from baomi.carriers.choices import Status
from baomi.devices import actions, checks, upkeep
from baomi.devices.choices import (
    CheckResult,
    DeviceKind,
    DeviceStatus,
    DiskHandling,
    Ledger,
    Network,
)
from baomi.devices.models import Device, DeviceCheck, Disposal, Repair
from baomi.devices.selectors import device_for, devices_visible_to
from baomi.lib.errors import Invalid, NotFound

router = Router()
LEVEL = Literal["", "internal", "confidential", "secret", "top_secret"]


class DeviceOut(Schema):
    id: int
    number: str = Field(description="保密编号：涉密设备为载体统一编号-份号")
    ledger: str
    ledger_display: str
    kind: str
    kind_display: str
    unit: str
    department: Ref | None
    brand: str
    model: str
    serial: str
    disk_serial: str
    mac: str
    level: str
    level_display: str
    carrier_id: int | None
    custody_status: str = Field(description="涉密设备的载体流转状态，如 assigned（在用）")
    custody_status_display: str
    responsible: Ref | None
    location: str
    network: str
    network_display: str
    status: str
    status_display: str
    commissioned_on: date | None
    last_checked_at: datetime | None


class DevicePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DeviceOut]


def device_out(d: Device) -> dict:
    last = d.checks.order_by("-checked_at").values_list("checked_at", flat=True).first()
    carrier = d.carrier
    return {
        "id": d.pk,
        "number": d.number,
        "ledger": d.ledger.value,
        "ledger_display": d.ledger.label,
        "kind": d.kind,
        "kind_display": display(DeviceKind, d.kind),
        "unit": d.unit.name,
        "department": ref(d.department),
        "brand": d.brand,
        "model": d.model,
        "serial": d.serial,
        "disk_serial": d.disk_serial,
        "mac": d.mac,
        "level": d.level,
        "level_display": d.level_display,
        "carrier_id": d.carrier_id,
        "custody_status": carrier.status if carrier else "",
        "custody_status_display": display(Status, carrier.status) if carrier else "",
        "responsible": ref(d.responsible),
        "location": d.location,
        "network": d.network,
        "network_display": display(Network, d.network),
        "status": d.status,
        "status_display": display(DeviceStatus, d.status),
        "commissioned_on": d.commissioned_on,
        "last_checked_at": last,
    }


def visible(actor, device_id: int) -> Device:
    found = device_for(actor, device_id)
    if found is None:
        raise NotFound("设备不存在，或您无权查看。")
    return found


def _fresh(actor, device: Device) -> dict:
    return device_out(visible(actor, device.pk))


def _device_in_body(actor, device_id: int, field: str) -> Device:
    found = device_for(actor, device_id)
    if found is None:
        raise Invalid("设备不存在，或您无权使用。", {field: [f"设备 #{device_id} 不存在"]})
    return found


class DeviceQuery(PageQuery):
    ledger: Ledger | None = None
    kind: DeviceKind | None = None
    network: Network | None = None


def ledger_rows(rows, ledger: Ledger):
    from baomi.devices.choices import COMPUTER_KINDS, MEDIA_KINDS, OFFICE_KINDS

    state = ["confidential", "secret", "top_secret"]
    return {
        Ledger.CLASSIFIED_COMPUTERS: rows.filter(kind__in=COMPUTER_KINDS, level__in=state),
        Ledger.COMPUTERS: rows.filter(kind__in=COMPUTER_KINDS).exclude(level__in=state),
        Ledger.CLASSIFIED_MEDIA: rows.filter(kind__in=MEDIA_KINDS, level__in=state),
        Ledger.MEDIA: rows.filter(kind__in=MEDIA_KINDS).exclude(level__in=state),
        Ledger.OFFICE: rows.filter(kind__in=OFFICE_KINDS),
        Ledger.CRYPTO: rows.filter(kind=DeviceKind.CRYPTO),
    }[ledger]


@router.get("", response={200: DevicePage, **READ_ERRORS}, summary="设备台帐")
def list_devices(request, query: Query[DeviceQuery]):
    rows = devices_visible_to(request.auth).order_by("kind", "id")
    if query.ledger:
        rows = ledger_rows(rows, query.ledger)
    if query.kind:
        rows = rows.filter(kind=query.kind.value)
    if query.network:
        rows = rows.filter(network=query.network.value)
    return paginate(rows, query, device_out)


class DeviceIn(InputSchema):
    kind: DeviceKind
    level: LEVEL = ""
    department_id: Id | None = None
    brand: text(100) = ""
    model: text(100) = ""
    serial: text(100) = ""
    disk_serial: text(100) = ""
    mac: text(64) = ""
    responsible_id: Id | None = None
    location: text(200) = ""
    network: Literal["", "standalone", "classified", "intranet", "internet"] = ""
    status: DeviceStatus = DeviceStatus.IN_USE
    commissioned_on: Day | None = None
    asset_number: text(64) = ""
    remarks: text(500) = ""
    place_id: Id | None = Field(None, description="涉密设备不用时的存放位置")


@router.post("", response={201: DeviceOut, **WRITE_ERRORS}, summary="登记设备")
def register_device(request, payload: DeviceIn):
    """DEV-1/DEV-2: a classified device also enters the carrier ledger, 在用 with its 责任人."""
    actor = request.auth
    departments = (
        lookups.departments(actor, [payload.department_id], "department_id")
        if payload.department_id
        else [None]
    )
    form = actions.DeviceForm(
        kind=payload.kind.value,
        level=payload.level,
        department=departments[0],
        brand=payload.brand,
        model=payload.model,
        serial=payload.serial,
        disk_serial=payload.disk_serial,
        mac=payload.mac,
        responsible=lookups.person(actor, payload.responsible_id, "responsible_id"),
        location=payload.location,
        network=payload.network,
        status=payload.status.value,
        commissioned_on=payload.commissioned_on,
        asset_number=payload.asset_number,
        remarks=payload.remarks,
        place=lookups.place(actor, payload.place_id),
    )
    device = actions.register_device(actor, form)
    return 201, _fresh(actor, device)


@router.get("/{device_id}", response={200: DeviceOut, **READ_ERRORS}, summary="设备详情")
def get_device(request, device_id: Id):
    return device_out(visible(request.auth, device_id))


class DeviceAssignIn(InputSchema):
    person_id: Id


@router.post("/{device_id}/assign", response={200: DeviceOut, **WRITE_ERRORS}, summary="确定责任人")
def assign(request, device_id: Id, payload: DeviceAssignIn):
    actor = request.auth
    device = visible(actor, device_id)
    actions.assign(actor, device, lookups.person(actor, payload.person_id, "person_id"))
    return _fresh(actor, device)


class NetworkIn(InputSchema):
    network: Network
    location: text(200) | None = None


@router.post(
    "/{device_id}/network", response={200: DeviceOut, **WRITE_ERRORS}, summary="变更联网情况"
)
def change_network(request, device_id: Id, payload: NetworkIn):
    """DEV-2: a classified computer is never moved onto the internet or an ordinary network."""
    actor = request.auth
    device = visible(actor, device_id)
    actions.change_network(actor, device, payload.network.value, location=payload.location)
    return _fresh(actor, device)


class UseIn(InputSchema):
    user_id: Id
    request_id: Id | None = Field(None, description="已批准的“他人使用涉密计算机”审批单（DEV-2）")
    reason: text(500, min_length=1)
    used_at: datetime | None = None


class UseOut(Schema):
    id: int
    user: Ref
    reason: str
    used_at: datetime
    approval_id: int


@router.post("/{device_id}/uses", response={201: UseOut, **WRITE_ERRORS}, summary="登记他人使用")
def log_use(request, device_id: Id, payload: UseIn):
    """DEV-2 一人一机: use by another person needs an approval and is logged."""
    actor = request.auth
    device = visible(actor, device_id)
    approval = (
        lookups.visible_request(actor, payload.request_id, "request_id")
        if payload.request_id
        else None
    )
    use = actions.log_use(
        actor,
        device,
        lookups.person(actor, payload.user_id, "user_id"),
        approval,
        reason=payload.reason,
        used_at=payload.used_at,
    )
    return 201, {
        "id": use.pk,
        "user": ref(use.user),
        "reason": use.reason,
        "used_at": use.used_at,
        "approval_id": use.approval_id,
    }


class MediaUseIn(InputSchema):
    computer_id: Id
    purpose: text(500) = ""


class MediaUseOut(Schema):
    id: int
    medium_id: int
    computer_id: int
    used_at: datetime


@router.post(
    "/{device_id}/media-uses", response={201: MediaUseOut, **WRITE_ERRORS}, summary="登记介质使用"
)
def record_media_use(request, device_id: Id, payload: MediaUseIn):
    """DEV-3: a classified medium only on a classified computer (refused otherwise)."""
    actor = request.auth
    medium = visible(actor, device_id)
    computer = _device_in_body(actor, payload.computer_id, "computer_id")
    use = actions.record_media_use(actor, medium, computer, purpose=payload.purpose)
    return 201, {
        "id": use.pk,
        "medium_id": use.medium_id,
        "computer_id": use.computer_id,
        "used_at": use.used_at,
    }


class MisuseIn(InputSchema):
    other_device_ids: list[Id] = Field(default_factory=list, max_length=50)
    level: Literal["internal", "confidential", "secret", "top_secret"]
    summary: text(500, min_length=1)
    discovered_at: datetime
    discovered_where: text(200, min_length=1)
    discovered_by_id: Id


class IncidentRefOut(Schema):
    id: int
    kind: str
    state: str
    report_due_at: datetime


@router.post(
    "/{device_id}/misuse", response={201: IncidentRefOut, **WRITE_ERRORS}, summary="报告违规使用"
)
def report_misuse(request, device_id: Id, payload: MisuseIn):
    """DEV-3 broken anyway (found at an inspection): opens an incident (INC-1)."""
    actor = request.auth
    devices = [visible(actor, device_id)] + [
        _device_in_body(actor, i, "other_device_ids") for i in payload.other_device_ids
    ]
    incident = actions.report_misuse(
        actor,
        devices,
        level=payload.level,
        summary=payload.summary,
        discovered_at=payload.discovered_at,
        discovered_where=payload.discovered_where,
        discovered_by=lookups.person(actor, payload.discovered_by_id, "discovered_by_id"),
    )
    return 201, {
        "id": incident.pk,
        "kind": incident.kind,
        "state": incident.state,
        "report_due_at": incident.report_due_at,
    }


class DeviceCheckOut(Schema):
    id: int
    device_id: int
    checked_at: datetime
    result: str
    result_display: str
    files: int
    markings: int
    terms: int
    carried_on: str
    uploaded_by: Ref
    uploaded_at: datetime
    incident_id: int | None


def check_out(c: DeviceCheck) -> dict:
    return {
        "id": c.pk,
        "device_id": c.device_id,
        "checked_at": c.checked_at,
        "result": c.result,
        "result_display": display(CheckResult, c.result),
        "files": c.files,
        "markings": c.markings,
        "terms": c.terms,
        "carried_on": c.carried_on,
        "uploaded_by": ref(c.uploaded_by),
        "uploaded_at": c.uploaded_at,
        "incident_id": c.incident_id,
    }


@router.get(
    "/{device_id}/checks",
    response={200: list[DeviceCheckOut], **READ_ERRORS},
    summary="季度保密检查",
)
def list_checks(request, device_id: Id):
    device = visible(request.auth, device_id)
    return [check_out(c) for c in device.checks.select_related("uploaded_by")]


@router.post(
    "/{device_id}/checks",
    response={201: DeviceCheckOut, **WRITE_ERRORS},
    summary="上传季度保密检查报告",
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "`baomi scan --device N --out report.json` 的报告本身，"
            '或 {"report": 报告, "carried_on": "带回所用介质"}',
        }
    },
)
def upload_check(request, device_id: Id):
    """DEV-6: the scanner's JSON report (as `--report-to` posts it, or wrapped with the medium it
    was carried on). Markings found open a DEV-3 incident."""
    actor = request.auth
    device = visible(actor, device_id)
    body = _json_body(request)
    carried_on = ""
    if "report" in body and "format" not in body:
        carried_on = str(body.get("carried_on") or "")
        body = body["report"]
    check = checks.upload_check(actor, device, body, carried_on=carried_on)
    return 201, check_out(check)


def _json_body(request) -> dict[str, Any]:
    if len(request.body) > checks.MAX_REPORT_BYTES:
        raise Invalid("检查报告过大。", {"report": ["检查报告过大"]})
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise Invalid("检查报告不是有效的 JSON。", {"report": ["不是有效的 JSON"]}) from error
    if not isinstance(body, dict):
        raise Invalid("检查报告须为 JSON 对象。", {"report": ["须为 JSON 对象"]})
    return body


class RepairIn(InputSchema):
    repair_point: text(200, min_length=1)
    designated: bool = Field(description="是否保密行政管理部门指定的维修点（DEV-4）")
    supervisor_id: Id | None = None
    disk: DiskHandling
    fault: text(500, min_length=1)
    request_id: Id | None = Field(None, description="已批准的“设备维修”审批单（涉密设备）")


class RepairOut(Schema):
    id: int
    device_id: int
    repair_point: str
    supervisor: Ref
    disk: str
    disk_display: str
    state: str
    sent_at: datetime
    returned_at: datetime | None


def repair_out(r: Repair) -> dict:
    return {
        "id": r.pk,
        "device_id": r.device_id,
        "repair_point": r.repair_point,
        "supervisor": ref(r.supervisor),
        "disk": r.disk,
        "disk_display": display(DiskHandling, r.disk),
        "state": r.state,
        "sent_at": r.sent_at,
        "returned_at": r.returned_at,
    }


def _approval(actor, request_id):
    return lookups.visible_request(actor, request_id, "request_id") if request_id else None


@router.post("/{device_id}/repairs", response={201: RepairOut, **WRITE_ERRORS}, summary="送修")
def send_to_repair(request, device_id: Id, payload: RepairIn):
    """DEV-4: designated repair point, supervisor present, approval for a classified device."""
    actor = request.auth
    device = visible(actor, device_id)
    repair = upkeep.send_to_repair(
        actor,
        device,
        _approval(actor, payload.request_id),
        repair_point=payload.repair_point,
        designated=payload.designated,
        supervisor=lookups.person(actor, payload.supervisor_id, "supervisor_id"),
        disk=payload.disk.value,
        fault=payload.fault,
    )
    return 201, repair_out(repair)


@router.post(
    "/{device_id}/repairs/{repair_id}/return",
    response={200: RepairOut, **WRITE_ERRORS},
    summary="维修返回",
)
def return_from_repair(request, device_id: Id, repair_id: Id):
    actor = request.auth
    device = visible(actor, device_id)
    repair = device.repairs.filter(pk=repair_id).first()
    if repair is None:
        raise NotFound("维修记录不存在。")
    return repair_out(upkeep.return_from_repair(actor, repair))


class DisposalIn(InputSchema):
    kind: Disposal.Kind
    method: text(200, min_length=1)
    sanitised_by_id: Id | None = None
    witness_id: Id | None = None
    new_use: text(200) = ""
    request_id: Id | None = Field(None, description="已批准的“设备报废/改变用途”审批单")


class DisposalOut(Schema):
    id: int
    device_id: int
    kind: str
    kind_display: str
    method: str
    sanitised_by: Ref
    witness: Ref
    destruction_list_id: int | None


@router.post(
    "/{device_id}/disposals",
    response={201: DisposalOut, **WRITE_ERRORS},
    summary="报废或改变用途",
)
def dispose(request, device_id: Id, payload: DisposalIn):
    """DEV-4: sanitisation recorded and approved; a classified device goes on a destruction list."""
    actor = request.auth
    device = visible(actor, device_id)
    disposal = upkeep.dispose(
        actor,
        device,
        _approval(actor, payload.request_id),
        kind=payload.kind.value,
        method=payload.method,
        sanitised_by=lookups.person(actor, payload.sanitised_by_id, "sanitised_by_id"),
        witness=lookups.person(actor, payload.witness_id, "witness_id"),
        new_use=payload.new_use,
    )
    return 201, {
        "id": disposal.pk,
        "device_id": disposal.device_id,
        "kind": disposal.kind,
        "kind_display": disposal.get_kind_display(),
        "method": disposal.method,
        "sanitised_by": ref(disposal.sanitised_by),
        "witness": ref(disposal.witness),
        "destruction_list_id": disposal.destruction_list_id,
    }
