"""DEV-3: classified media only on classified computers; non-classified media and computers
never hold classified information — refused as an action, an incident when it happened anyway."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.classification.choices import Level
from baomi.devices import actions
from baomi.devices.choices import DeviceKind
from baomi.devices.models import MediaUse
from baomi.incidents.choices import IncidentKind
from tests.devices.helpers import classified_computer, classified_stick, plain_device
from tests.factories import refused

pytestmark = pytest.mark.django_db


def test_r_dev_3_classified_stick_on_internet_computer_refused(world):
    w = world
    stick, pc = classified_stick(w), plain_device(w)
    with refused("DEV-3"):
        actions.record_media_use(w.clerk, stick, pc, purpose="拷贝文件")


def test_r_dev_3_plain_stick_on_classified_computer_refused(world):
    w = world
    computer = classified_computer(w)
    plain = plain_device(w, DeviceKind.USB_DRIVE, asset_number="FM-U1")
    with refused("DEV-3"):
        actions.record_media_use(w.clerk, plain, computer)


def test_r_dev_3_higher_level_stick_on_lower_level_computer_refused(world):
    w = world
    computer = classified_computer(w, level=Level.CONFIDENTIAL)
    stick = classified_stick(w, level=Level.SECRET)
    with refused("DEV-3"):
        actions.record_media_use(w.clerk, stick, computer)


def test_r_dev_3_classified_stick_on_classified_computer_recorded(world):
    w = world
    computer, stick = classified_computer(w), classified_stick(w)
    use = actions.record_media_use(w.clerk, stick, computer, purpose="拷贝文件")
    assert MediaUse.objects.get() == use


def test_r_dev_3_found_at_inspection_opens_incident(world):
    w = world
    stick, pc = classified_stick(w), plain_device(w)
    incident = actions.report_misuse(
        w.clerk,
        [stick, pc],
        level=Level.SECRET,
        summary="检查发现涉密U盘插入互联网计算机",
        discovered_at=timezone.now() - timedelta(hours=1),
        discovered_where="办公室302",
        discovered_by=w.zhang,
    )
    assert incident.kind == IncidentKind.MEDIA_MISUSE
    assert set(incident.devices.all()) == {stick, pc}
    assert list(incident.carriers.all()) == [stick.carrier]


def test_r_dev_3_refused_through_the_api(world, api):
    w = world
    stick, pc = classified_stick(w), plain_device(w)
    response = api(w.clerk).post(f"devices/{stick.pk}/media-uses", {"computer_id": pc.pk})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "DEV-3"
    assert MediaUse.objects.count() == 0
    found = api(w.clerk).post(
        f"devices/{stick.pk}/misuse",
        {
            "other_device_ids": [pc.pk],
            "level": "secret",
            "summary": "检查发现涉密U盘插入互联网计算机",
            "discovered_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "discovered_where": "办公室302",
            "discovered_by_id": w.zhang.pk,
        },
    )
    assert found.status_code == 201, found.content
    assert found.json()["kind"] == IncidentKind.MEDIA_MISUSE
