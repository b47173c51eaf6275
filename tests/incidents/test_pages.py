"""The incident pages: report one, see the 24-hour clock, confirm a CR-14 draft, append to the
record, the committee's closure refused without cause and responsibility (INC-1), a lost
carrier's `found` refused on its page without the incident (INC-1), plans and drills (INC-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baomi.carriers.choices import Status
from baomi.incidents.choices import IncidentState
from baomi.incidents.models import Drill, EmergencyPlan, Incident
from tests.factories import receive
from tests.incidents.helpers import count_missing, loss, seat_committee

pytestmark = pytest.mark.django_db


def test_r_inc_1_report_on_the_page_marks_the_carrier_lost_and_shows_the_clock(world, client):
    w = world
    paper = receive(w)
    client.force_login(w.clerk.user)
    assert client.get("/incidents/new/").status_code == 200
    discovered = timezone.localtime() - timedelta(hours=30)
    response = client.post(
        "/incidents/new/",
        {
            "kind": "loss",
            "summary": "外出途中文件丢失",
            "level": "secret",
            "discovered_at": discovered.strftime("%Y-%m-%dT%H:%M"),
            "discovered_where": "出租车上",
            "discovered_by": w.zhang.pk,
            "carrier_labels": paper.label,
            "how": "下车时遗落",
            "harm": "可能泄露",
            "remedies": "联系出租车公司",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == f"/incidents/{incident.pk}/"
    paper.refresh_from_db()
    assert paper.status == Status.LOST
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'id="clock"' in page and "已超过 24 小时" in page and "INC-1" in page
    assert paper.label in page and "在本事件中报失" in page
    listing = client.get("/incidents/").content.decode()
    assert "已超过 24 小时未上报" in listing


def test_r_inc_1_an_unknown_carrier_number_is_a_field_error(world, client):
    w = world
    client.force_login(w.zhang.user)
    response = client.post(
        "/incidents/new/",
        {
            "kind": "loss",
            "summary": "丢失",
            "level": "secret",
            "discovered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "discovered_where": "办公室",
            "discovered_by": w.zhang.pk,
            "carrier_labels": "2026-9999999-01",
        },
    )
    assert response.status_code == 422 and "没有载体 2026-9999999-01" in response.content.decode()
    assert not Incident.objects.exists()


def test_r_inc_1_closing_on_the_page_needs_cause_and_responsibility(world, client):
    w = world
    seat_committee(w)
    incident = loss(w)
    client.force_login(w.clerk.user)
    client.post(f"/incidents/{incident.pk}/", {"op": "entry", "kind": "note", "text": "询问当事人"})
    client.post(
        f"/incidents/{incident.pk}/", {"op": "authority", "reference": "市保密局〔2026〕7号"}
    )
    assert "close-form" not in client.get(f"/incidents/{incident.pk}/").content.decode()
    client.force_login(w.leader.user)
    refused = client.post(f"/incidents/{incident.pk}/", {"op": "close", "cause": "保管不善"})
    assert refused.status_code == 403
    assert 'data-code="INC-1"' in refused.content.decode()
    assert Incident.objects.get(pk=incident.pk).state == IncidentState.REPORTED
    done = client.post(
        f"/incidents/{incident.pk}/",
        {
            "op": "close",
            "cause": "保管不善",
            "responsibility": "通报批评",
            "responsible_person": w.zhang.pk,
        },
    )
    assert done.status_code == 302
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "已结案" in page and "通报批评" in page and "询问当事人" in page


def test_r_inc_1_found_on_the_carrier_page_needs_the_incident(world, client):
    w = world
    paper = receive(w)
    incident = loss(w, carriers=[paper])
    client.force_login(w.clerk.user)
    form = client.get(f"/carriers/{paper.pk}/")
    assert form.status_code == 200 and f"事件 #{incident.pk}" in form.content.decode()
    refused = client.post(f"/carriers/{paper.pk}/found/", {"note": "找到了"})
    assert refused.status_code == 403 and "INC-1" in refused.content.decode()
    paper.refresh_from_db()
    assert paper.status == Status.LOST
    done = client.post(f"/carriers/{paper.pk}/found/", {"note": "找到了", "incident": incident.pk})
    assert done.status_code in (200, 302), done.content.decode()[:500]
    paper.refresh_from_db()
    assert paper.status == Status.IN_REGISTRY
    assert incident.entries.filter(kind="carrier_found", carrier=paper).exists()


def test_r_cr_14_the_draft_is_confirmed_on_its_page(world, client):
    w = world
    gone, turned_up = receive(w, copies=2)
    count_missing(w, [], [gone, turned_up])
    draft = Incident.objects.get()
    client.force_login(w.clerk.user)
    page = client.get(f"/incidents/{draft.pk}/").content.decode()
    assert 'id="draft"' in page and "confirm-form" in page
    response = client.post(
        f"/incidents/{draft.pk}/", {"op": "confirm", "still_missing": [gone.pk], "note": "复查"}
    )
    assert response.status_code == 302
    gone.refresh_from_db()
    turned_up.refresh_from_db()
    assert gone.status == Status.LOST and turned_up.status == Status.IN_REGISTRY


def test_r_inc_2_plans_and_drills_on_the_page(world, client):
    w = world
    client.force_login(w.clerk.user)
    assert client.get("/incidents/preparedness/").status_code == 200
    response = client.post(
        "/incidents/preparedness/",
        {
            "op": "plan",
            "title": "失泄密事件应急预案",
            "version": "V1",
            "approved_on": "2026-02-01",
            "file": SimpleUploadedFile("预案.pdf", b"%PDF-1.4 plan", "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:800]
    plan = EmergencyPlan.objects.get()
    assert client.get(f"/incidents/preparedness/plans/{plan.pk}/file/").content == b"%PDF-1.4 plan"
    response = client.post(
        "/incidents/preparedness/",
        {
            "op": "drill",
            "held_on": "2026-05-20",
            "plan": plan.pk,
            "scenario": "模拟涉密笔记本电脑丢失",
            "participants": [w.clerk.pk, w.zhang.pk],
            "findings": "通讯录需更新",
        },
    )
    assert response.status_code == 302
    assert Drill.objects.get().participants.count() == 2
    assert "模拟涉密笔记本电脑丢失" in client.get("/incidents/preparedness/").content.decode()
    client.force_login(w.li.user)
    assert client.get("/incidents/preparedness/").status_code == 404
