"""Inspection pages (plan, checklist, INS-2 refusal shown to the owner, findings export) and the
alerts: a rectification overdue (INS-2) and an inspection INS-1 requires not yet planned."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from baomi.inspections import actions
from baomi.inspections.choices import RectificationStatus, Severity
from baomi.inspections.models import Inspection, Rectification
from baomi.inspections.schedule import spring_festival
from baomi.lib.alerts import alerts_for
from tests.inspections.helpers import START, at, self_inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_(client):
    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in


def _rectification(w, deadline):
    inspection = self_inspection(w, planned_on=START)
    actions.start_inspection(w.clerk, inspection)
    finding = actions.record_finding(
        w.clerk,
        inspection,
        actions.FindingForm(description="文件柜未上锁", severity=Severity.MINOR, rule_id="CR-15"),
    )
    return actions.assign_rectification(
        w.clerk, finding, content="加装锁具", owner=w.zhang, deadline=deadline
    )


def test_r_ins_1_plan_on_the_page_and_pages_render(world, as_):
    w = world
    client = as_(w.clerk)
    response = client.get("/inspections/")
    assert response.status_code == 200 and "检查安排" in response.content.decode()
    response = client.post(
        "/inspections/",
        {
            "title": "国庆节前检查",
            "kind": "holiday",
            "holiday": "national_day",
            "unit": w.unit.pk,
            "planned_on": "2026-09-20",
            "leader": w.clerk.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = Inspection.objects.get(title="国庆节前检查")
    assert client.post(f"/inspections/{inspection.pk}/", {"op": "start"}).status_code == 302
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "绝密载体是否单独存放于保险柜" in page and "CR-15" in page and "系统预判" in page
    for url in ("/inspections/findings/", "/inspections/rectifications/"):
        assert client.get(url).status_code == 200, url
    xlsx = client.get("/inspections/findings.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")
    assert as_(w.zhang).get(f"/inspections/{inspection.pk}/").status_code == 404
    assert as_(w.sysadmin).get("/inspections/").status_code == 403


def test_r_ins_2_owner_refused_on_the_page(world, as_):
    w = world
    rect = _rectification(w, timezone.localdate() + timedelta(days=5))
    actions.submit_rectification(w.zhang, rect, report="已加锁")
    page = as_(w.zhang).get(f"/inspections/rectifications/{rect.pk}/").content.decode()
    assert "须由其他人员验证关闭" in page and "verify-form" not in page
    response = as_(w.zhang).post(
        f"/inspections/rectifications/{rect.pk}/", {"op": "verify", "accepted": "yes"}
    )
    assert response.status_code == 403 and "INS-2" in response.content.decode()
    assert Rectification.objects.get(pk=rect.pk).status == RectificationStatus.SUBMITTED
    response = as_(w.leader).post(
        f"/inspections/rectifications/{rect.pk}/", {"op": "verify", "accepted": "yes"}
    )
    assert response.status_code == 302
    assert Rectification.objects.get(pk=rect.pk).status == RectificationStatus.CLOSED


def test_r_ins_2_overdue_rectification_alerts_owner_and_office(world):
    w = world
    with at(START):
        rect = _rectification(w, START + timedelta(days=5))
    with at(START + timedelta(days=2)):
        kinds = {a.kind for a in alerts_for(w.zhang, timezone.localdate())}
        assert "rectification_due" in kinds
    with at(START + timedelta(days=6)):
        for person in (w.zhang, w.clerk):
            alert = next(
                a
                for a in alerts_for(person, timezone.localdate())
                if a.kind == "rectification_overdue"
            )
            assert alert.rule_id == "INS-2" and alert.severity == "overdue"
            assert alert.url == f"/inspections/rectifications/{rect.pk}/"
        assert "rectification_overdue" not in {
            a.kind for a in alerts_for(w.li, timezone.localdate())
        }
        actions.submit_rectification(w.zhang, rect, report="已加锁")
        actions.verify_rectification(w.leader, rect, accepted=True)
        assert "rectification_overdue" not in {
            a.kind for a in alerts_for(w.clerk, timezone.localdate())
        }


def test_r_ins_1_holiday_inspection_due_alert_until_planned(world):
    w = world
    festival = spring_festival(2027)
    assert festival == date(2027, 2, 6)
    with at(date(2027, 1, 15)):
        due = [a for a in alerts_for(w.clerk, timezone.localdate()) if a.kind == "inspection_due"]
        assert any("春节" in a.message and a.rule_id == "INS-1" for a in due)
        assert not [a for a in alerts_for(w.zhang, timezone.localdate()) if a.rule_id == "INS-1"]
        self_inspection(w, planned_on=date(2027, 1, 25), title="春节前检查")
        due = [a for a in alerts_for(w.clerk, timezone.localdate()) if a.kind == "inspection_due"]
        assert not any("春节" in a.message for a in due)
