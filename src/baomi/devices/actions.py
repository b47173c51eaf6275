"""The only writers of the device ledgers (DEV-1…4, DEV-6). A classified device's custody moves
through the carrier ledger's `custody.move`, so there is one custody history, not two."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from baomi.approvals.rules import consume_registered
from baomi.audit.trail import record
from baomi.carriers import custody
from baomi.carriers.choices import WITH_HOLDER, CarrierKind, EventKind, Source, Status
from baomi.carriers.models import Place
from baomi.carriers.registration import Registration, register_carriers
from baomi.carriers.rules import require_clerk, require_may_hold
from baomi.devices.choices import (
    CARRIER_KIND,
    COMPUTER_KINDS,
    MEDIA_KINDS,
    USE_KIND,
    DeviceKind,
    DeviceStatus,
)
from baomi.devices.models import Device, DeviceUse, MediaUse
from baomi.devices.rules import (
    is_classified,
    require_isolated,
    require_medium_fits,
    require_responsible,
)
from baomi.incidents.actions import open_incident_in
from baomi.incidents.choices import IncidentKind
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Department, Person


@dataclass
class DeviceForm:
    """What the 保密员 fills in on the device ledger (the official columns, DEV-1)."""

    kind: str
    level: str = ""  # "" (非涉密), confidential, secret, top_secret
    department: Department | None = None
    brand: str = ""
    model: str = ""
    serial: str = ""
    disk_serial: str = ""
    mac: str = ""
    responsible: Person | None = None
    location: str = ""
    network: str = ""
    status: str = DeviceStatus.IN_USE
    commissioned_on: date | None = None
    asset_number: str = ""
    remarks: str = ""
    # Where a classified device is kept when not in use (its carrier's home place).
    place: Place | None = None


TEXT_LIMITS = {
    "brand": 100,
    "model": 100,
    "serial": 100,
    "disk_serial": 100,
    "mac": 64,
    "location": 200,
    "asset_number": 64,
    "remarks": 500,
}


def _lock(device: Device) -> Device:
    # Two clerks changing one device serialise here.
    return Device.objects.select_for_update(of=("self",)).get(pk=device.pk)


def what(kind: str) -> str:
    return "计算机" if kind in COMPUTER_KINDS else DeviceKind(kind).label


def check_form(actor: Person, form: DeviceForm) -> None:
    """Every rule of the ledger form (DEV-1, DEV-2), without writing: shared by the import."""
    errors: dict[str, list[str]] = {}
    if form.kind not in DeviceKind.values:
        errors["kind"] = ["设备类型无效"]
    if form.level not in ("", "internal", "confidential", "secret", "top_secret"):
        errors["level"] = ["密级无效"]
    if form.status not in DeviceStatus.values:
        errors["status"] = ["使用情况无效"]
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(form, name) or "") > limit:
            errors[name] = [f"最多 {limit} 字"]
    if form.department is not None and form.department.unit_id != actor.unit_id:
        errors["department"] = ["部门不属于本单位"]
    if is_classified(form.level) and form.place is None:
        errors["place"] = ["涉密设备须指定不用时的存放位置"]
    if form.network and form.kind in MEDIA_KINDS:
        errors["network"] = ["存储介质没有联网情况"]
    if errors:
        raise Invalid("设备登记信息有误。", errors)
    if form.level == "internal":
        form.level = ""  # 内部 devices are kept on the non-classified ledgers
    require_isolated(form.level, form.network, what(form.kind))
    require_responsible(form.responsible, form.level, what(form.kind))


def _title(form: DeviceForm) -> str:
    parts = [DeviceKind(form.kind).label, form.brand, form.model]
    return " ".join(p for p in parts if p)[:300]


def _create(actor: Person, form: DeviceForm, *, batch=None) -> Device:
    carrier = None
    if is_classified(form.level):
        carrier = register_carriers(
            actor,
            Registration(
                kind=CARRIER_KIND.get(DeviceKind(form.kind), CarrierKind.EQUIPMENT),
                title=_title(form),
                doc_date=form.commissioned_on or timezone.localdate(),
                level=form.level,
                # A device comes into the unit from outside (采购/配发): registered like 收文.
                source=Source.RECEIVED,
                place=form.place,
                issuer=(form.brand or "设备登记")[:100],
                pages=1,
                scope_people=[form.responsible] if form.responsible else [],
                scope_departments=[form.department] if form.department else [],
                remarks=form.remarks,
            ),
        )[0]
    device = Device.objects.create(
        unit_id=actor.unit_id,
        department=form.department,
        kind=form.kind,
        brand=form.brand.strip(),
        model=form.model.strip(),
        serial=form.serial.strip(),
        disk_serial=form.disk_serial.strip(),
        mac=form.mac.strip(),
        level=form.level,
        carrier=carrier,
        asset_number=form.asset_number.strip(),
        responsible=form.responsible,
        location=form.location.strip(),
        network=form.network,
        status=form.status,
        commissioned_on=form.commissioned_on,
        remarks=form.remarks.strip(),
        registered_by=actor,
        registered_at=timezone.now(),
        import_batch=batch,
    )
    record("device.register", actor, device, after=device.snapshot())
    if carrier is not None and form.responsible is not None and form.status == DeviceStatus.IN_USE:
        _assign_carrier(actor, device, form.responsible)
        device.carrier.refresh_from_db()
    return device


@action("device.register")
def register_device(actor: Person, form: DeviceForm) -> Device:
    """DEV-1: a device enters its ledger; a classified one also enters the carrier ledger (its
    保密编号 is the carrier number) and goes 在用 to its 责任人 at once when in use (DEV-2)."""
    require_clerk(actor, actor.unit_id, "登记设备")
    check_form(actor, form)
    return _create(actor, form)


def create_checked(actor: Person, form: DeviceForm) -> Device:
    """Write a device whose form `check_form` passed (the ledger import, inside its action)."""
    return _create(actor, form)


def _assign_carrier(actor: Person, device: Device, person: Person) -> None:
    carrier = custody.lock(device.carrier)
    if carrier.status in WITH_HOLDER and carrier.holder_id != person.pk:
        raise RuleViolation(
            "CR-4",
            f"设备 {carrier.label} 在{carrier.holder.name}手中，须先交回机要室再交给{person.name}"
            "（CR-4：不得横传）。",
        )
    if carrier.status == Status.ASSIGNED:
        return
    custody.require_status(carrier, (Status.IN_REGISTRY,), "配发在用")
    if not carrier.scope_people.filter(pk=person.pk).exists():
        # The 责任人 is in the device's 知悉范围 by being its 责任人 (DEV-2).
        carrier.scope_people.add(person)
    require_may_hold(person, carrier)
    custody.move(actor, carrier, EventKind.ASSIGN, status=Status.ASSIGNED, holder=person)


@action("device.assign")
def assign(actor: Person, device: Device, person: Person) -> Device:
    """DEV-2 专人专管: the device goes to its (new) 责任人, cleared for its level; a classified
    one moves to 在用 in the carrier ledger (from the registry, never hand to hand — CR-4)."""
    require_clerk(actor, device.unit_id, "确定设备责任人")
    device = _lock(device)
    if device.status == DeviceStatus.SCRAPPED:
        raise InvalidState(f"{device}已报废。", {"status": device.status})
    require_responsible(person, device.level, what(device.kind))
    before = device.snapshot()
    if device.carrier_id:
        _assign_carrier(actor, device, person)
        device.carrier.refresh_from_db()
    device.responsible, device.status = person, DeviceStatus.IN_USE
    device.save(update_fields=["responsible", "status"])
    record("device.assign", actor, device, before=before, after=device.snapshot())
    return device


@action("device.change_network")
def change_network(actor: Person, device: Device, network: str, *, location: str | None = None):
    """DEV-2: moving a classified computer onto the internet or an ordinary network is refused."""
    require_clerk(actor, device.unit_id, "变更设备联网情况")
    device = _lock(device)
    require_isolated(device.level, network, what(device.kind))
    before = device.snapshot()
    device.network = network
    if location is not None:
        device.location = location.strip()[:200]
    device.save(update_fields=["network", "location"])
    record("device.change_network", actor, device, before=before, after=device.snapshot())
    return device


@action("device.log_use")
def log_use(
    actor: Person,
    device: Device,
    user: Person,
    approval,
    *,
    reason: str,
    used_at: datetime | None = None,
) -> DeviceUse:
    """DEV-2 一人一机: use by anyone but the 责任人 needs an approved `device_use` request naming
    this computer and this person, and is logged (who, when, why)."""
    require_clerk(actor, device.unit_id, "登记他人使用")
    device = _lock(device)
    if not device.classified or device.kind not in COMPUTER_KINDS:
        raise Invalid("只有涉密计算机需要登记他人使用。", {"device": ["不是涉密计算机"]})
    if user.pk == device.responsible_id:
        raise Invalid("责任人本人使用无须登记。", {"user_id": ["该人员是责任人"]})
    if approval is None:
        raise RuleViolation(
            "DEV-2",
            f"{user.name}不是涉密计算机 {device.number} 的责任人，使用须经批准"
            "（DEV-2：一人一机，他人使用须审批并登记）。",
        )
    approval = consume_registered(approval, USE_KIND)
    change = approval.proposed_change or {}
    if change.get("device") != device.pk or change.get("user") != user.pk:
        raise RuleViolation(
            "APR-3",
            f"审批单 #{approval.pk} 批准的不是{user.name}使用 {device.number}（APR-3）。",
        )
    require_responsible(user, device.level, what(device.kind))
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise Invalid("请填写使用事由。", {"reason": ["请填写使用事由（最多 500 字）"]})
    now = timezone.now()
    use = DeviceUse.objects.create(
        device=device,
        user=user,
        reason=reason,
        used_at=used_at or now,
        approval=approval,
        recorded_by=actor,
        recorded_at=now,
    )
    record(
        "device.log_use",
        actor,
        device,
        after={"user": user.pk, "user_name": user.name, "used_at": use.used_at.isoformat()},
        request_id=approval.pk,
    )
    return use


@action("device.record_media_use")
def record_media_use(
    actor: Person, medium: Device, computer: Device, *, purpose: str = ""
) -> MediaUse:
    """DEV-3: record a medium used on a computer — refused for any pairing that would put
    classified information where it may not be."""
    require_clerk(actor, medium.unit_id, "登记介质使用")
    if medium.kind not in MEDIA_KINDS:
        raise Invalid("请选择存储介质。", {"medium_id": ["不是存储介质"]})
    if computer.kind not in COMPUTER_KINDS or computer.unit_id != medium.unit_id:
        raise Invalid("请选择本单位的计算机。", {"computer_id": ["不是本单位的计算机"]})
    require_medium_fits(medium, computer)
    use = MediaUse.objects.create(
        medium=medium,
        computer=computer,
        used_at=timezone.now(),
        purpose=(purpose or "").strip()[:500],
        recorded_by=actor,
    )
    record("device.record_media_use", actor, medium, after={"computer": computer.pk})
    return use


@action("device.report_misuse")
def report_misuse(
    actor: Person,
    devices: list[Device],
    *,
    level: str,
    summary: str,
    discovered_at: datetime,
    discovered_where: str,
    discovered_by: Person,
):
    """DEV-3 broken anyway (found at an inspection): a classified medium was on a non-classified
    computer, or a non-classified device holds classified data — this opens an incident (INC-1)."""
    if not devices:
        raise Invalid("请选择涉及的设备。", {"device_ids": ["请至少选择一台设备"]})
    unit_ids = {d.unit_id for d in devices}
    if unit_ids != {actor.unit_id}:
        raise Invalid("设备不属于本单位。", {"device_ids": ["设备不属于本单位"]})
    media_misuse = any(d.classified and d.kind in MEDIA_KINDS for d in devices)
    return open_incident_in(
        actor,
        kind=IncidentKind.MEDIA_MISUSE if media_misuse else IncidentKind.CLASSIFIED_ON_ORDINARY,
        summary=summary,
        level=level,
        discovered_at=discovered_at,
        discovered_where=discovered_where,
        discovered_by=discovered_by,
        devices=devices,
        carriers=[d.carrier for d in devices if d.carrier_id],
    )
