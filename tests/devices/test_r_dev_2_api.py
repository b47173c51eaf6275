"""DEV-2 through the API: isolation, the 责任人's clearance, approved and logged use by others."""

from __future__ import annotations

import pytest

from baomi.devices.choices import USE_KIND
from baomi.devices.models import Device, DeviceUse
from tests.devices.helpers import approval, classified_computer, grant_device_authority

pytestmark = pytest.mark.django_db


def _body(w, **extra):
    return {
        "kind": "desktop",
        "level": "secret",
        "department_id": w.office.pk,
        "brand": "联想",
        "model": "启天M430",
        "serial": "SN-9",
        "responsible_id": w.zhang.pk,
        "network": "standalone",
        "place_id": w.cabinet.pk,
        **extra,
    }


def test_r_dev_2_register_on_internet_refused_through_api(world, api):
    w = world
    response = api(w.clerk).post("devices", _body(w, network="internet"))
    assert response.status_code == 403 and response.json()["error"]["code"] == "DEV-2"
    assert Device.objects.count() == 0


def test_r_dev_2_responsible_below_level_refused_through_api(world, api):
    w = world
    response = api(w.clerk).post("devices", _body(w, responsible_id=w.li.pk))
    assert response.status_code == 403 and response.json()["error"]["code"] == "DEV-2"


def test_r_dev_2_registered_through_api_is_a_carrier_in_use(world, api):
    w = world
    response = api(w.clerk).post("devices", _body(w))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["custody_status"] == "assigned" and body["custody_status_display"] == "在用"
    assert body["ledger"] == "classified-computers"
    moved = api(w.clerk).post(f"devices/{body['id']}/network", {"network": "intranet"})
    assert moved.status_code == 403 and moved.json()["error"]["code"] == "DEV-2"


def test_r_dev_2_use_by_another_through_api(world, api):
    w = world
    grant_device_authority(w)
    device = classified_computer(w)
    body = {"user_id": w.classifier.pk, "reason": "临时处理文件"}
    response = api(w.clerk).post(f"devices/{device.pk}/uses", body)
    assert response.status_code == 403 and response.json()["error"]["code"] == "DEV-2"
    ok = approval(w, USE_KIND, {"device": device.pk, "user": w.classifier.pk})
    response = api(w.clerk).post(f"devices/{device.pk}/uses", {**body, "request_id": ok.pk})
    assert response.status_code == 201, response.content
    assert DeviceUse.objects.get().user == w.classifier


def test_dev_1_device_not_visible_is_404(world, api):
    w = world
    device = classified_computer(w)
    assert api(w.li).get(f"devices/{device.pk}").status_code == 404
    assert api(w.zhang).get(f"devices/{device.pk}").status_code == 200  # the 责任人
