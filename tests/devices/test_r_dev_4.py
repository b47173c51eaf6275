"""DEV-4: repair at a designated point with a supervisor and approval; scrapping and change of use
with sanitisation and approval; a classified device is never sold as scrap — it goes on a
destruction list like any carrier."""

from __future__ import annotations

import pytest

from baomi.carriers import actions as carriers
from baomi.carriers.choices import Status
from baomi.destruction.models import DestructionItem
from baomi.devices import upkeep
from baomi.devices.choices import DISPOSAL_KIND, REPAIR_KIND, DeviceStatus, DiskHandling
from baomi.devices.models import Disposal, Repair
from tests.devices.helpers import (
    approval,
    classified_computer,
    grant_device_authority,
    plain_device,
)
from tests.factories import refused

pytestmark = pytest.mark.django_db


def _repair(w, device, ok=None, **extra):
    fields = {
        "repair_point": "市保密局指定维修点",
        "designated": True,
        "supervisor": w.clerk,
        "disk": DiskHandling.REMOVED,
        "fault": "无法开机",
        **extra,
    }
    return upkeep.send_to_repair(w.clerk, device, ok, **fields)


def test_r_dev_4_repair_at_undesignated_shop_refused(world):
    w = world
    grant_device_authority(w)
    device = classified_computer(w)
    ok = approval(w, REPAIR_KIND, {"device": device.pk})
    with refused("DEV-4"):
        _repair(w, device, ok, repair_point="街边电脑店", designated=False)


def test_r_dev_4_repair_without_cleared_supervisor_or_approval_refused(world):
    w = world
    grant_device_authority(w)
    device = classified_computer(w)
    with refused("DEV-4"):
        _repair(w, device, None)
    ok = approval(w, REPAIR_KIND, {"device": device.pk})
    with refused("DEV-4"):
        _repair(w, device, ok, supervisor=w.li)  # 一般 cannot supervise a 机密 computer


def test_r_dev_4_approved_repair_recorded_and_returned(world):
    w = world
    grant_device_authority(w)
    device = classified_computer(w)
    ok = approval(w, REPAIR_KIND, {"device": device.pk})
    repair = _repair(w, device, ok)
    device.refresh_from_db()
    assert device.status == DeviceStatus.REPAIR and repair.disk == DiskHandling.REMOVED
    upkeep.return_from_repair(w.clerk, repair)
    device.refresh_from_db()
    assert device.status == DeviceStatus.IN_USE
    assert Repair.objects.get().returned_at is not None


def _dispose(w, device, ok, **extra):
    fields = {
        "kind": Disposal.Kind.SCRAP,
        "method": "硬盘消磁后物理粉碎",
        "sanitised_by": w.clerk,
        "witness": w.classifier,
        **extra,
    }
    return upkeep.dispose(w.clerk, device, ok, **fields)


def test_r_dev_4_scrapping_without_approval_or_witness_refused(world):
    w = world
    grant_device_authority(w)
    device = plain_device(w)
    with refused("DEV-4"):
        _dispose(w, device, None)
    ok = approval(w, DISPOSAL_KIND, {"device": device.pk, "disposal": "scrap"})
    with refused("DEV-4"):
        _dispose(w, device, ok, witness=w.clerk)  # the sanitiser cannot witness themself


def test_r_dev_4_classified_computer_scrapped_through_destruction_list(world):
    w = world
    grant_device_authority(w)
    device = classified_computer(w)
    ok = approval(w, DISPOSAL_KIND, {"device": device.pk, "disposal": "scrap"})
    with pytest.raises(Exception, match="交回机要室"):
        _dispose(w, device, ok)
    carriers.return_to_registry(w.clerk, device.carrier)
    ok = approval(w, DISPOSAL_KIND, {"device": device.pk, "disposal": "scrap"})
    disposal = _dispose(w, device, ok)
    device.refresh_from_db()
    device.carrier.refresh_from_db()
    assert device.status == DeviceStatus.SCRAPPING
    assert device.carrier.status == Status.PENDING_DESTRUCTION
    assert DestructionItem.objects.get(carrier=device.carrier).list == disposal.destruction_list


def test_r_dev_4_classified_change_of_use_refused(world):
    w = world
    grant_device_authority(w)
    device = classified_computer(w)
    carriers.return_to_registry(w.clerk, device.carrier)
    ok = approval(w, DISPOSAL_KIND, {"device": device.pk, "disposal": "change_of_use"})
    with refused("DEV-4"):
        _dispose(w, device, ok, kind=Disposal.Kind.CHANGE_OF_USE, new_use="改作上网机")


def test_r_dev_4_refused_through_the_api(world, api):
    w = world
    grant_device_authority(w)
    device = classified_computer(w)
    response = api(w.clerk).post(
        f"devices/{device.pk}/repairs",
        {
            "repair_point": "街边电脑店",
            "designated": False,
            "supervisor_id": w.clerk.pk,
            "disk": "kept",
            "fault": "蓝屏",
        },
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "DEV-4"
    response = api(w.clerk).post(
        f"devices/{device.pk}/disposals",
        {
            "kind": "scrap",
            "method": "消磁",
            "sanitised_by_id": w.clerk.pk,
            "witness_id": w.clerk.pk,
        },
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "DEV-4"
    assert Repair.objects.count() == 0 and Disposal.objects.count() == 0
