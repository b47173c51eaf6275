"""The device page: the 保密员 uploads a `baomi scan --out` report (DEV-6) and sees the check."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baomi.devices.models import DeviceCheck
from tests.devices.helpers import classified_computer, plain_device

pytestmark = pytest.mark.django_db


def test_r_dev_6_report_uploaded_on_the_page(world, client):
    w = world
    pc = plain_device(w)
    report = {
        "format": "baomi-scan/1",
        "device": str(pc.pk),
        "started": "2026-01-05T10:00:00",
        "finished": "2026-01-05T10:05:00",
        "summary": {"files": 12, "markings": 0, "markings_by_level": {}, "terms": 0, "problems": 0},
    }
    client.force_login(w.clerk.user)
    upload = SimpleUploadedFile("report.json", json.dumps(report).encode(), "application/json")
    response = client.post(
        f"/devices/{pc.pk}/", {"step": "check", "report": upload, "carried_on": "JC-01"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    check = DeviceCheck.objects.get()
    assert check.files == 12 and check.carried_on == "JC-01"
    page = client.get(f"/devices/{pc.pk}/").content.decode()
    assert "未发现涉密信息" in page


def test_r_dev_2_network_change_refused_on_the_page(world, client):
    w = world
    device = classified_computer(w)
    client.force_login(w.clerk.user)
    response = client.post(f"/devices/{device.pk}/", {"step": "network", "network": "internet"})
    assert response.status_code == 403
    assert "DEV-2" in response.content.decode()
