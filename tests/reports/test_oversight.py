"""The dashboard's oversight figures (issue 12): open findings and their deadlines (overdue
highlighted), incidents within/over 24 hours, training and exam coverage, internet computers
overdue for their quarterly check (DEV-6) — each checked against a count made independently
from the ledger rows; a superior unit sees the same figures for its subordinate (ORG-4, counts
only); the page's query count does not grow with the number of subordinate units."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baomi.devices.models import Device
from baomi.incidents.models import Incident
from baomi.inspections.models import Finding, Rectification
from baomi.org import actions as org
from baomi.org.models import Person
from baomi.personnel.models import TrainingRecord
from baomi.training.models import ExamAttempt
from tests.api.helpers import assert_conforms, assert_error
from tests.inspections.helpers import at, province_clerk
from tests.reports.helpers import oversight_data
from tests.reports.oversight_helpers import TODAY, build_oversight, moment

pytestmark = pytest.mark.django_db
PAGE = "/dashboard/"


def independent_counts(w) -> dict:
    """The same figures, counted row by row from the ledgers (no aggregate, no shared code)."""
    findings = [
        f
        for f in Finding.objects.filter(inspection__unit=w.unit)
        if not hasattr(f, "rectification") or f.rectification.status != "closed"
    ]
    rects = [
        r
        for r in Rectification.objects.filter(finding__inspection__unit=w.unit)
        if r.status != "closed"
    ]
    now = moment(TODAY, 10)
    open_incidents = [i for i in Incident.objects.filter(unit=w.unit) if i.state != "closed"]
    cleared = [
        p
        for p in Person.objects.filter(unit=w.unit, active=True)
        if p.clearance in ("core", "important", "general")
        and not p.system_role
        and not p.is_automation
    ]
    trained = {
        t.person_id for t in TrainingRecord.objects.all() if t.on > TODAY - timedelta(days=365)
    }
    examined = {a.person_id: a.score for a in ExamAttempt.objects.all() if a.score is not None}
    computers = [d for d in Device.objects.filter(unit=w.unit) if d.network == "internet"]
    this_q = moment(TODAY.replace(month=4, day=1), 0)
    last_q = moment(TODAY.replace(month=1, day=1), 0)

    def checks(d):
        return [c.checked_at for c in d.checks.all()]

    return {
        "findings_open": len(findings),
        "rectifications_open": len(rects),
        "rectifications_overdue": sum(r.deadline < TODAY for r in rects),
        "rectifications_due_soon": sum(
            TODAY <= r.deadline <= TODAY + timedelta(days=7) for r in rects
        ),
        "incidents_open": len(open_incidents),
        "incidents_report_overdue": sum(
            i.authority_reported_at is None and now - i.discovered_at > timedelta(hours=24)
            for i in open_incidents
        ),
        "incidents_report_pending": sum(
            i.authority_reported_at is None and now - i.discovered_at <= timedelta(hours=24)
            for i in open_incidents
        ),
        "people_cleared": len(cleared),
        "people_trained": sum(p.pk in trained for p in cleared),
        "people_examined": sum(p.pk in examined for p in cleared),
        "people_passed": sum(examined.get(p.pk, -1) >= 60 for p in cleared),
        "computers_internet": len(computers),
        "computers_checked_this_quarter": sum(
            any(c >= this_q for c in checks(d)) for d in computers
        ),
        "computers_check_overdue": sum(
            not any(c >= last_q for c in checks(d)) and d.registered_at < this_q for d in computers
        ),
    }


def test_oversight_figures_match_independent_counts(world, as_):
    w = world
    build_oversight(w)
    with at(TODAY, 10):
        data = oversight_data(as_(w.clerk).get(PAGE))
    expected = independent_counts(w)
    assert {k: data[k] for k in expected} == expected
    # and what those counts are, for the reader
    assert expected == {
        "findings_open": 3 + 1,  # three recorded and open (plus the system's untrained finding)
        "rectifications_open": 2,
        "rectifications_overdue": 1,
        "rectifications_due_soon": 1,
        "incidents_open": 3,
        "incidents_report_overdue": 1,
        "incidents_report_pending": 1,
        "people_cleared": 5,
        "people_trained": 2,
        "people_examined": 2,
        "people_passed": 1,
        "computers_internet": 3,
        "computers_checked_this_quarter": 1,
        "computers_check_overdue": 1,
    }
    assert (data["training_coverage"], data["exam_coverage"]) == (40, 40)
    by_severity = {row["severity"]: row["count"] for row in data["findings_by_severity"]}
    assert by_severity["critical"] == 1 and by_severity["minor"] == 1
    # the nearest deadlines, the overdue one first and marked
    first, second = data["deadlines"][:2]
    assert first["overdue"] and first["deadline"] == "2026-05-10"
    assert not second["overdue"] and second["days_left"] == 5


def test_the_page_highlights_what_is_overdue(world, as_):
    w = world
    build_oversight(w)
    with at(TODAY, 10):
        html = as_(w.clerk).get(PAGE).content.decode()
    assert 'data-figure="incidents_report_overdue">1<' in html
    assert 'data-figure="computers_check_overdue">1<' in html
    late = Rectification.objects.get(deadline=TODAY - timedelta(days=5))
    assert f'data-rectification="{late.pk}" class="table-danger"' in html


def test_a_superior_unit_sees_the_same_figures_for_its_subordinate(world, as_):
    """ORG-4: counts only — no finding text, owner or incident summary of the subordinate."""
    w = world
    build_oversight(w)
    superior = province_clerk(w)
    with at(TODAY, 10):
        own = oversight_data(as_(w.clerk).get(PAGE))
        response = as_(superior).get(PAGE)
    data = oversight_data(response)
    (row,) = data["subordinates"]
    assert row["unit_id"] == w.unit.pk
    for key in (
        "findings_open",
        "rectifications_overdue",
        "incidents_open",
        "people_trained",
        "exam_coverage",
        "computers_check_overdue",
    ):
        assert row[key] == own[key], key
    html = response.content.decode()
    assert "table-subordinates" in html
    assert "文件柜未上锁" not in html and "超过24小时未上报" not in html and "张三" not in html
    # a staff member sees no oversight figures at all
    with at(TODAY, 10):
        assert oversight_data(as_(w.zhang).get(PAGE)) is None


def test_the_query_count_does_not_grow_with_subordinate_units(world, as_):
    w = world
    build_oversight(w)
    superior = province_clerk(w)
    client = as_(superior)

    def queries() -> int:
        with at(TODAY, 10), CaptureQueriesContext(connection) as ctx:
            assert client.get(PAGE).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    system = org.automation_actor(w.province)
    for n in range(5):
        org.create_unit(system, name=f"下级单位{n}", code=f"C1{n}", parent=w.province)
    assert queries() == one


def test_the_api_returns_the_same_oversight_figures_as_the_page(world, as_, api):
    w = world
    build_oversight(w)
    superior = province_clerk(w)
    for person in (w.clerk, superior):
        with at(TODAY, 10):
            response = api(person).get("statistics/oversight")
            assert response.status_code == 200, response.content
            assert_conforms(response, "GET", "statistics/oversight")
            assert response.json() == oversight_data(as_(person).get(PAGE))
    with at(TODAY, 10):
        assert_error(api(w.zhang).get("statistics/oversight"), 404, "not_found")
        assert_error(api(w.sysadmin).get("statistics/oversight"), 404, "not_found")
