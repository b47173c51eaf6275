"""Bad input to every POST endpoint of `devices` and `incidents`: 422 `invalid` naming the field,
nothing changed. `CASES` is also read by tests/api (every POST endpoint has a bad-input case)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.devices.models import Device, DeviceCheck, DeviceUse, Disposal, MediaUse, Repair
from baomi.incidents import actions as incidents
from baomi.incidents.models import Incident
from tests.api.helpers import api_as, assert_invalid, ledger_state
from tests.devices.helpers import plain_device

pytestmark = pytest.mark.django_db

# template → (who, body, fields named in the 422)
CASES = {
    "devices": (
        "clerk",
        {"kind": "toaster", "level": "ultra", "network": "wifi", "commissioned_on": "昨天"},
        ["kind", "level", "network", "commissioned_on"],
    ),
    "devices/{device_id}/assign": ("clerk", {"person_id": "a"}, ["person_id"]),
    "devices/{device_id}/network": ("clerk", {"network": "wifi"}, ["network"]),
    "devices/{device_id}/uses": (
        "clerk",
        {"user_id": 0, "reason": "", "request_id": "x"},
        ["user_id", "reason", "request_id"],
    ),
    "devices/{device_id}/media-uses": (
        "clerk",
        {"computer_id": "a", "purpose": "用" * 501},
        ["computer_id", "purpose"],
    ),
    "devices/{device_id}/misuse": (
        "clerk",
        {"level": "public", "summary": "", "discovered_at": "刚才"},
        ["level", "summary", "discovered_at", "discovered_where", "discovered_by_id"],
    ),
    "devices/{device_id}/checks": ("clerk", {"format": "other"}, ["report"]),
    "devices/{device_id}/repairs": (
        "clerk",
        {"repair_point": "", "designated": "maybe", "disk": "lost", "fault": ""},
        ["repair_point", "designated", "disk", "fault"],
    ),
    "devices/{device_id}/disposals": (
        "clerk",
        {"kind": "sell", "method": "", "witness_id": "x"},
        ["kind", "method", "witness_id"],
    ),
    "incidents": (
        "zhang",
        {"kind": "fire", "summary": "", "level": "public", "discovered_at": "x"},
        ["kind", "summary", "level", "discovered_at", "discovered_where", "discovered_by_id"],
    ),
    "incidents/{incident_id}/authority-report": (
        "clerk",
        {"reference": "", "reported_at": "x"},
        ["reference", "reported_at"],
    ),
}
# Takes no input: the repair in the path comes back.
NO_BODY = {"devices/{device_id}/repairs/{repair_id}/return"}


def my_state() -> dict:
    models = (Device, DeviceUse, MediaUse, DeviceCheck, Repair, Disposal, Incident)
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(world, template):
    w = world
    device = plain_device(w)
    incident = incidents.open_incident(
        w.zhang,
        kind="loss",
        summary="丢失",
        level="secret",
        discovered_at=timezone.now() - timedelta(hours=1),
        discovered_where="办公室",
        discovered_by=w.zhang,
    )
    who, body, fields = CASES[template]
    client = api_as(w, getattr(w, who))
    before, mine = ledger_state(), my_state()
    response = client.post(template.format(device_id=device.pk, incident_id=incident.pk), body)
    assert_invalid(response, *fields)
    assert ledger_state() == before and my_state() == mine
