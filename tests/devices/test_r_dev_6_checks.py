"""DEV-6: an internet computer is checked every quarter with `baomi scan --device N --out`; the
report is carried over and uploaded on `devices/{id}/checks`; markings found open a DEV-3
incident (INC-1); a computer without a check this quarter alerts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.devices import checks
from baomi.devices.alerts import quarterly_checks
from baomi.devices.choices import CheckResult
from baomi.devices.models import DeviceCheck
from baomi.incidents.choices import IncidentKind
from baomi.incidents.models import Incident
from baomi.lib.errors import Invalid
from tests.devices.helpers import classified_computer, plain_device
from tests.scanner.test_cli import baomi_scan

pytestmark = pytest.mark.django_db


def scan_out(tmp_path, device, *, marked: bool) -> dict:
    root = tmp_path / "电脑"
    root.mkdir()
    text = "关于某事的通知\n机密★5年\n" if marked else "普通内容\n"
    (root / "通知.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "report.json"
    run = baomi_scan(str(root), "--device", str(device.pk), "--out", str(out))
    assert run.returncode == (1 if marked else 0), run.stderr
    assert "report.json" in run.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_r_dev_6_clean_report_uploaded_through_api_records_the_check(world, api, tmp_path):
    w = world
    pc = plain_device(w)
    report = scan_out(tmp_path, pc, marked=False)
    response = api(w.clerk).post(
        f"devices/{pc.pk}/checks", {"report": report, "carried_on": "检查专用U盘 JC-01"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["result"] == CheckResult.CLEAN and body["incident_id"] is None
    assert body["carried_on"] == "检查专用U盘 JC-01"
    listed = api(w.clerk).get(f"devices/{pc.pk}/checks").json()
    assert [c["id"] for c in listed] == [body["id"]]
    assert Incident.objects.count() == 0


def test_r_dev_6_marking_found_on_internet_computer_opens_dev_3_incident(world, api, tmp_path):
    w = world
    pc = plain_device(w)
    report = scan_out(tmp_path, pc, marked=True)
    # The raw report, exactly as `--report-to URL` posts it.
    response = api(w.clerk).post(f"devices/{pc.pk}/checks", raw=json.dumps(report))
    assert response.status_code == 201, response.content
    check = DeviceCheck.objects.get(pk=response.json()["id"])
    assert check.result == CheckResult.FINDINGS and check.markings == 1
    incident = check.incident
    assert incident.kind == IncidentKind.CLASSIFIED_ON_ORDINARY and incident.level == "secret"
    assert list(incident.devices.all()) == [pc]
    assert "DEV-3" in incident.summary
    assert incident.report_due_at == incident.discovered_at + timedelta(hours=24)


def test_r_dev_6_report_of_another_device_refused(world, tmp_path):
    w = world
    pc = plain_device(w)
    other = plain_device(w, serial="PC-2", asset_number="FM-002")
    report = scan_out(tmp_path, other, marked=False)
    with pytest.raises(Invalid):
        checks.upload_check(w.clerk, pc, report)
    with pytest.raises(Invalid):
        checks.upload_check(w.clerk, pc, {"format": "something-else"})
    assert DeviceCheck.objects.count() == 0


def test_r_dev_6_classified_computer_is_not_checked_this_way(world, api):
    w = world
    device = classified_computer(w)
    response = api(w.clerk).post(f"devices/{device.pk}/checks", {})
    assert response.status_code == 422


def test_r_dev_6_overdue_check_alerts(world, tmp_path):
    w = world
    pc = plain_device(w)
    today = timezone.localdate()
    alerts = [a for a in quarterly_checks(w.clerk, today) if a.object_id == pc.pk]
    assert alerts and alerts[0].rule_id == "DEV-6"
    checks.upload_check(w.clerk, pc, scan_out(tmp_path, pc, marked=False))
    assert [a for a in quarterly_checks(w.clerk, today) if a.object_id == pc.pk] == []
