"""The request kinds devices register with the approval engine (DEV-2, DEV-4):

    device_use       {"device": id, "level": str, "user": person id}   他人使用涉密计算机
    device_repair    {"device": id, "level": str}                      维修
    device_disposal  {"device": id, "level": str, "disposal": "scrap" | "change_of_use"}

Each approval names the device (and the person); the action that uses it checks they match.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from baomi.approvals import kinds
from baomi.classification.choices import Level
from baomi.devices.choices import DISPOSAL_KIND, REPAIR_KIND, USE_KIND
from baomi.lib.errors import Invalid, RuleViolation

FIELD = "proposed_change"


def _invalid(message: str) -> Invalid:
    return Invalid(f"审批内容有误：{message}", {FIELD: [message]})


def _device(data: Any, unit_id: int):
    from baomi.devices.models import Device

    if not isinstance(data, Mapping) or not isinstance(data.get("device"), int):
        raise _invalid("须写明设备")
    device = Device.objects.filter(pk=data["device"], unit_id=unit_id).first()
    if device is None:
        raise _invalid(f"设备 #{data['device']} 不存在")
    return device


def level_of_device(device) -> str:
    # A non-classified device's approvals are decided at 内部 (APR-2 needs a level).
    return device.level or Level.INTERNAL


def _normalize_use(data: Any, unit_id: int) -> dict:
    device = _device(data, unit_id)
    user = data.get("user")
    if not isinstance(user, int) or isinstance(user, bool):
        raise _invalid("须写明使用人")
    return {"device": device.pk, "level": level_of_device(device), "user": user}


def _normalize_repair(data: Any, unit_id: int) -> dict:
    device = _device(data, unit_id)
    return {"device": device.pk, "level": level_of_device(device)}


def _normalize_disposal(data: Any, unit_id: int) -> dict:
    device = _device(data, unit_id)
    disposal = data.get("disposal")
    if disposal not in ("scrap", "change_of_use"):
        raise _invalid("须写明报废或改变用途")
    return {"device": device.pk, "level": level_of_device(device), "disposal": disposal}


def _number(change: dict) -> str:
    from baomi.devices.models import Device

    device = Device.objects.select_related("carrier").filter(pk=change.get("device")).first()
    return str(device) if device else f"设备 #{change.get('device')}"


def _describe_use(change: dict) -> str:
    from baomi.org.models import Person

    user = Person.objects.filter(pk=change.get("user")).first()
    return f"{_number(change)} 由{user.name if user else '（未知）'}使用"


def _check_use(approver, request) -> None:
    """DEV-2 / PER-1: the person named is still cleared for the computer's level."""
    from baomi.devices.models import Device
    from baomi.org.models import Person

    change = request.proposed_change or {}
    device = Device.objects.filter(pk=change.get("device")).first()
    user = Person.objects.filter(pk=change.get("user")).first()
    if device is None or user is None:
        raise RuleViolation("DEV-2", "审批单所指的设备或使用人不存在（DEV-2）。")
    if device.level and not user.covers(device.level):
        raise RuleViolation(
            "PER-1",
            f"{user.name}的涉密等级不能覆盖{device.get_level_display()}计算机（PER-1）。",
        )


def _url(change: dict) -> str:
    from django.urls import reverse

    device = change.get("device")
    return reverse("devices:detail", args=[device]) if isinstance(device, int) else ""


def register_kinds() -> None:
    kinds.register(
        kinds.KindSpec(
            code=USE_KIND,
            label="他人使用涉密计算机",
            rule_id="DEV-2",
            need="涉密计算机由责任人以外的人员使用须经批准",
            normalize=_normalize_use,
            level_of=lambda change: change["level"],
            describe=_describe_use,
            check_approvable=_check_use,
            url_of=_url,
        )
    )
    kinds.register(
        kinds.KindSpec(
            code=REPAIR_KIND,
            label="设备维修",
            rule_id="DEV-4",
            need="存储过涉密信息的设备维修须经批准",
            normalize=_normalize_repair,
            level_of=lambda change: change["level"],
            describe=lambda change: f"{_number(change)} 送修",
            url_of=_url,
        )
    )
    kinds.register(
        kinds.KindSpec(
            code=DISPOSAL_KIND,
            label="设备报废/改变用途",
            rule_id="DEV-4",
            need="设备报废或改变用途须经技术处理并经批准",
            normalize=_normalize_disposal,
            level_of=lambda change: change["level"],
            describe=lambda change: (
                f"{_number(change)} {'报废' if change.get('disposal') == 'scrap' else '改变用途'}"
            ),
            url_of=_url,
        )
    )
