"""Builders for device tests: computers and media through the actions, approvals of the kinds
devices register with the engine."""

from __future__ import annotations

from datetime import date

from baomi.approvals import actions as approvals
from baomi.classification.choices import Level
from baomi.devices import actions
from baomi.devices.choices import DISPOSAL_KIND, REPAIR_KIND, USE_KIND, DeviceKind, Network
from baomi.org import actions as org


def grant_device_authority(w) -> None:
    """The leader approves device use, repair and disposal up to 绝密 (APR-2)."""
    for kind in (USE_KIND, REPAIR_KIND, DISPOSAL_KIND):
        org.grant_approval_authority(w.system, w.leader, kind, Level.TOP_SECRET)


def classified_computer(w, *, level=Level.SECRET, responsible=None, **extra):
    form = actions.DeviceForm(
        kind=extra.pop("kind", DeviceKind.DESKTOP),
        level=level,
        department=w.office,
        brand="联想",
        model="启天M430",
        serial=extra.pop("serial", "SN-0001"),
        disk_serial="WD-123",
        mac="00:11:22:33:44:55",
        responsible=responsible or w.zhang,
        location="办公室301",
        network=extra.pop("network", Network.STANDALONE),
        commissioned_on=date(2025, 3, 1),
        place=extra.pop("place", w.safe if level == Level.TOP_SECRET else w.cabinet),
        **extra,
    )
    return actions.register_device(w.clerk, form)


def classified_stick(w, *, level=Level.SECRET, responsible=None, **extra):
    return classified_computer(
        w,
        level=level,
        responsible=responsible,
        kind=DeviceKind.USB_DRIVE,
        network="",
        serial=extra.pop("serial", "USB-0001"),
        **extra,
    )


def plain_device(w, kind=DeviceKind.DESKTOP, *, network=Network.INTERNET, **extra):
    form = actions.DeviceForm(
        kind=kind,
        department=w.office,
        brand="戴尔",
        model="OptiPlex",
        serial=extra.pop("serial", "PC-0001"),
        responsible=extra.pop("responsible", w.li),
        location="办公室302",
        network=network if kind in (DeviceKind.DESKTOP, DeviceKind.LAPTOP) else "",
        asset_number=extra.pop("asset_number", "FM-001"),
        **extra,
    )
    return actions.register_device(w.clerk, form)


def approval(w, kind, change, *, requester=None):
    request = approvals.create_request(
        requester or w.zhang,
        approvals.RequestForm(
            kind=kind,
            carriers=[],
            reason="工作需要",
            approver=w.leader,
            proposed_change=change,
        ),
    )
    return approvals.approve(w.leader, request, comment="同意")
