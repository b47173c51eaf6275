"""DEV-4: repair at a designated repair point with a supervisor present; scrapping and change
of use with technical sanitisation and approval. A classified device is never sold as scrap: its
scrapping puts its carrier on a destruction list like any carrier (CR-12)."""

from __future__ import annotations

from django.utils import timezone

from baomi.approvals.rules import consume_registered
from baomi.audit.trail import record
from baomi.carriers.choices import Status
from baomi.carriers.rules import require_clerk
from baomi.devices.choices import (
    DISPOSAL_KIND,
    REPAIR_KIND,
    DeviceStatus,
    DiskHandling,
    RepairState,
)
from baomi.devices.models import Device, Disposal, Repair
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Person


def _lock(device: Device) -> Device:
    return Device.objects.select_for_update(of=("self",)).get(pk=device.pk)


def _text(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise Invalid(f"请填写{label}（最多 {limit} 字）。", {field: [f"请填写{label}"]})
    return value


def _approval(approval, kind: str, device: Device, what: str, **expect):
    """DEV-4 / APR-3: an approved request of this kind naming this device (and `expect`)."""
    if approval is None:
        raise RuleViolation("DEV-4", f"{device}{what}须经批准：没有提供审批单（DEV-4）。")
    approval = consume_registered(approval, kind)
    change = approval.proposed_change or {}
    if change.get("device") != device.pk or any(change.get(k) != v for k, v in expect.items()):
        raise RuleViolation("APR-3", f"审批单 #{approval.pk} 批准的不是{device}{what}（APR-3）。")
    return approval


@action("device.send_to_repair")
def send_to_repair(
    actor: Person,
    device: Device,
    approval=None,
    *,
    repair_point: str,
    designated: bool,
    supervisor: Person | None,
    disk: str,
    fault: str,
) -> Repair:
    """DEV-4: a device that stored secrets is repaired only at a designated repair point, with a
    cleared supervisor present, and with approval; the hard disk is removed or kept on record."""
    require_clerk(actor, device.unit_id, "登记设备维修")
    device = _lock(device)
    if device.status in (DeviceStatus.REPAIR, DeviceStatus.SCRAPPED, DeviceStatus.SCRAPPING):
        raise InvalidState(
            f"{device}当前为“{device.get_status_display()}”，不能送修。", {"status": device.status}
        )
    if disk not in DiskHandling.values:
        raise Invalid("请选择硬盘处理方式。", {"disk": ["请选择拆除硬盘或保留硬盘现场监修"]})
    repair_point = _text(repair_point, "repair_point", "维修点", 200)
    fault = _text(fault, "fault", "故障情况", 500)
    if device.classified:
        if not designated:
            raise RuleViolation(
                "DEV-4",
                f"涉密设备 {device.number} 只能在保密行政管理部门指定的维修点维修，"
                f"“{repair_point}”不是指定维修点（DEV-4）。",
            )
        if supervisor is None or not supervisor.covers(device.level) or supervisor.has_system_role:
            raise RuleViolation(
                "DEV-4",
                f"涉密设备 {device.number} 维修须有本单位涉密等级覆盖"
                f"{device.get_level_display()}的人员全程监修（DEV-4）。",
            )
        approval = _approval(approval, REPAIR_KIND, device, "送修")
    elif supervisor is None:
        raise Invalid("请指定监修人。", {"supervisor_id": ["请指定监修人"]})
    before = device.snapshot()
    repair = Repair.objects.create(
        device=device,
        repair_point=repair_point,
        supervisor=supervisor,
        disk=disk,
        fault=fault,
        approval=approval,
        sent_at=timezone.now(),
        recorded_by=actor,
    )
    device.status = DeviceStatus.REPAIR
    device.save(update_fields=["status"])
    record(
        "device.send_to_repair",
        actor,
        device,
        before=before,
        after={**device.snapshot(), "repair": repair.pk, "disk": disk},
        request_id=getattr(approval, "pk", None),
    )
    return repair


@action("device.return_from_repair")
def return_from_repair(actor: Person, repair: Repair) -> Repair:
    require_clerk(actor, repair.device.unit_id, "登记维修返回")
    device = _lock(repair.device)
    repair = Repair.objects.select_for_update().get(pk=repair.pk)
    if repair.state != RepairState.OPEN:
        raise InvalidState(f"维修 #{repair.pk} 已结束。", {"state": repair.state})
    repair.state, repair.returned_at = RepairState.DONE, timezone.now()
    repair.save(update_fields=["state", "returned_at"])
    before = device.snapshot()
    device.status = DeviceStatus.IN_USE if device.responsible_id else DeviceStatus.SPARE
    device.save(update_fields=["status"])
    record("device.return_from_repair", actor, device, before=before, after=device.snapshot())
    return repair


@action("device.dispose")
def dispose(
    actor: Person,
    device: Device,
    approval=None,
    *,
    kind: str,
    method: str,
    sanitised_by: Person | None,
    witness: Person | None,
    new_use: str = "",
) -> Disposal:
    """DEV-4: scrapping or change of use, with technical sanitisation (method, who, witness)
    and approval. A classified device is never sold as scrap: it goes on a destruction list."""
    require_clerk(actor, device.unit_id, "登记设备报废或改变用途")
    device = _lock(device)
    if kind not in Disposal.Kind.values:
        raise Invalid("请选择报废或改变用途。", {"kind": ["类型无效"]})
    if device.status in (DeviceStatus.SCRAPPED, DeviceStatus.SCRAPPING):
        raise InvalidState(f"{device}已{device.get_status_display()}。", {"status": device.status})
    method = _text(method, "method", "技术处理方法", 200)
    if sanitised_by is None or witness is None:
        raise RuleViolation(
            "DEV-4", "报废或改变用途须记录技术处理人和监督人（DEV-4：技术处理须有人监督）。"
        )
    if sanitised_by.pk == witness.pk:
        raise RuleViolation(
            "DEV-4", "技术处理人与监督人不能是同一人（DEV-4：技术处理须有他人监督）。"
        )
    if device.classified and kind == Disposal.Kind.CHANGE_OF_USE:
        raise RuleViolation(
            "DEV-4",
            f"涉密设备 {device.number} 不能直接改作非涉密用途：其存储部件须按涉密载体销毁，"
            "请办理报废（DEV-4、CR-12）。",
        )
    if kind == Disposal.Kind.CHANGE_OF_USE:
        new_use = _text(new_use, "new_use", "新用途", 200)
    if device.classified and device.carrier.status != Status.IN_REGISTRY:
        raise InvalidState(
            f"涉密设备 {device.number} 须先交回机要室（当前为"
            f"“{device.carrier.get_status_display()}”），才能列入销毁清单。",
            {"status": device.carrier.status},
        )
    approval = _approval(approval, DISPOSAL_KIND, device, Disposal.Kind(kind).label, disposal=kind)
    before = device.snapshot()
    destruction_list = None
    if device.classified:
        from baomi.destruction.actions import create_list

        # Scrapping a classified device is destroying a carrier: the destruction list's own
        # approval, witnesses and certificate follow (CR-12).
        destruction_list = create_list(
            actor, [device.carrier], reason=f"涉密设备报废：{device.number}"
        )
    disposal = Disposal.objects.create(
        device=device,
        kind=kind,
        method=method,
        sanitised_by=sanitised_by,
        witness=witness,
        new_use=new_use.strip()[:200],
        approval=approval,
        destruction_list=destruction_list,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if kind == Disposal.Kind.SCRAP:
        device.status = DeviceStatus.SCRAPPING if device.classified else DeviceStatus.SCRAPPED
    else:
        device.status = DeviceStatus.SPARE
        device.remarks = f"改变用途：{disposal.new_use}"[:500]
    device.save(update_fields=["status", "remarks"])
    record(
        "device.dispose",
        actor,
        device,
        before=before,
        after={**device.snapshot(), "disposal": disposal.pk, "kind": kind},
        request_id=approval.pk,
    )
    return disposal
