"""INC-1 (the minimal base the oversight issue extends): a report with the devices and carriers
concerned, the 24-hour clock to the 保密行政管理部门 shown and alerted, never deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.incidents import actions
from baomi.incidents.alerts import incident_report_due
from baomi.incidents.choices import IncidentKind, IncidentState
from baomi.incidents.models import Incident
from baomi.lib.errors import RuleViolation
from tests.factories import receive

pytestmark = pytest.mark.django_db


def _open(w, *, hours_ago=1, carriers=()):
    # The 保密员 marks the carriers of a loss lost; anyone reports (test_r_inc_1_workflow.py).
    return actions.open_incident(
        w.clerk if carriers else w.zhang,
        kind=IncidentKind.LOSS,
        summary="出差途中发现文件丢失",
        level="secret",
        discovered_at=timezone.now() - timedelta(hours=hours_ago),
        discovered_where="火车站",
        discovered_by=w.zhang,
        carriers=list(carriers),
    )


def test_r_inc_1_anyone_reports_and_the_clock_runs_24_hours(world):
    w = world
    paper = receive(w)
    incident = _open(w, carriers=[paper])
    assert incident.report_due_at == incident.discovered_at + timedelta(hours=24)
    assert list(incident.carriers.all()) == [paper]
    alerts = incident_report_due(w.clerk, timezone.localdate())
    assert [(a.kind, a.rule_id) for a in alerts] == [("incident_report_due", "INC-1")]


def test_r_inc_1_report_not_sent_after_24_hours_alerts_overdue(world):
    w = world
    _open(w, hours_ago=30)
    alerts = incident_report_due(w.clerk, timezone.localdate())
    assert [(a.kind, a.severity) for a in alerts] == [("incident_report_overdue", "overdue")]


def test_r_inc_1_reported_to_authority_stops_the_alert(world):
    w = world
    incident = _open(w)
    actions.report_to_authority(w.clerk, incident, reference="电话报告市保密局值班室")
    incident.refresh_from_db()
    assert incident.state == IncidentState.REPORTED
    assert incident_report_due(w.clerk, timezone.localdate()) == []


def test_r_inc_1_incident_cannot_be_deleted(world):
    w = world
    incident = _open(w)
    with pytest.raises(RuleViolation) as info:
        incident.delete()
    assert info.value.rule_id == "INC-1"
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_r_inc_1_api_has_no_delete_and_shows_the_clock(world, api):
    w = world
    response = api(w.zhang).post(
        "incidents",
        {
            "kind": "loss",
            "summary": "文件丢失",
            "level": "secret",
            "discovered_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "discovered_where": "办公室",
            "discovered_by_id": w.zhang.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["report_overdue"] is False and body["authority_reported_at"] is None
    assert api(w.clerk).delete(f"incidents/{body['id']}").status_code == 405
    assert Incident.objects.filter(pk=body["id"]).exists()
    listed = api(w.clerk).get("incidents").json()
    assert [i["id"] for i in listed["results"]] == [body["id"]]
    assert api(w.li).get(f"incidents/{body['id']}").status_code == 404
    reported = api(w.clerk).post(
        f"incidents/{body['id']}/authority-report", {"reference": "市保密局〔2026〕1号"}
    )
    assert reported.status_code == 200 and reported.json()["state"] == "reported"
