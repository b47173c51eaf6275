"""The 看板 page and its xlsx: the figures as tables (no JavaScript needed), the charts' data
through json_script only, no titles, 404 for the three system roles, a bounded query count."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from baomi.audit.models import AuditEvent, Outcome
from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from tests.factories import PASSWORD, receive
from tests.reports.helpers import page_data, stats_for

PAGE = "/dashboard/"
EXPORT = "/dashboard/export.xlsx"
SECRET_TITLE = "绝不可外泄的标题"


@pytest.fixture
def some(world):
    w = world
    made = receive(w, level=Level.SECRET, copies=3, title=SECRET_TITLE)
    receive(w, level=Level.TOP_SECRET)
    receive(w, level=Level.SECRET, scope_departments=[w.finance])
    carriers.circulate(w.clerk, made[0], w.zhang)
    return made


def test_the_clerk_sees_the_unit_figures_as_tables(world, some, as_):
    w = world
    r = as_(w.clerk).get(PAGE)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-figure="carriers_total">5<' in html
    assert re.search(r'<tr data-level="secret"><th scope="row">机密</th><td[^>]*>4</td>', html)
    assert re.search(
        r'<tr data-status="circulating"><th scope="row">传阅中</th><td[^>]*>1</td>', html
    )
    assert w.unit.name + "全部载体" in html
    assert SECRET_TITLE not in html
    assert page_data(r) == _json(stats_for(w.clerk))


def test_a_staff_member_sees_only_their_own_figures(world, some, as_):
    r = as_(world.zhang).get(PAGE)
    assert r.status_code == 200
    assert 'data-figure="carriers_total">3<' in r.content.decode()  # not the 绝密, not 财务科's
    assert page_data(r)["scope"] == "visible"


def test_no_inline_script_only_files_and_json_data(world, some, as_):
    html = as_(world.clerk).get(PAGE).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    inline = [attrs for attrs, body in scripts if body.strip() and "application/json" not in attrs]
    assert inline == []
    assert "vendor/echarts/echarts.min.js" in html and "baomi/dashboard.js" in html
    # by level, by status, overdue, trend; for a whole unit also findings, coverage, device checks
    assert html.count('data-chart="') == 7


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_r_sec_3_the_system_roles_get_404(world, some, as_, role):
    client = as_(getattr(world, role))
    assert client.get(PAGE).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert 'href="/dashboard/"' not in client.get("/me/").content.decode()


def test_the_nav_links_the_dashboard_for_business_people(world, as_):
    html = as_(world.zhang).get("/me/").content.decode()
    assert 'href="/dashboard/"' in html and "看板" in html


def test_a_unit_out_of_reach_or_malformed_is_404(world, some, as_):
    client = as_(world.clerk)
    assert client.get(PAGE, {"unit": world.province.pk}).status_code == 404
    assert client.get(PAGE, {"unit": "abc"}).status_code == 404
    assert as_(world.zhang).get(PAGE, {"unit": world.unit.pk}).status_code == 404


def test_the_xlsx_holds_the_same_figures_and_is_audited(world, some, as_):
    w = world
    r = as_(w.clerk).get(EXPORT)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(r.content))
    assert wb.sheetnames == ["概况", "按密级", "按状态", "待审批申请", "月度趋势"]
    levels = wb["按密级"]
    assert levels["A1"].value == "内部"
    rows = {row[0]: row[1:] for row in levels.iter_rows(min_row=4, values_only=True)}
    assert rows["机密"] == (4, 0, 4) and rows["绝密"] == (1, 0, 1)
    summary = {row[0]: row[1] for row in wb["概况"].iter_rows(min_row=4, values_only=True)}
    assert summary["在管载体"] == 5
    assert len(list(wb["月度趋势"].iter_rows(min_row=4))) == 12
    assert SECRET_TITLE not in _all_text(wb)
    event = AuditEvent.objects.filter(event_type="reports.statistics_export").get()
    assert (event.outcome, event.actor_id) == (Outcome.READ, w.clerk.pk)


def test_the_page_stays_under_a_fixed_number_of_queries(world, as_, django_assert_max_num_queries):
    """50 carriers, ten of them out: the figures are aggregates, never a query per carrier.
    Measured 11 for the clerk, the unit head and a staff member alike: session, user, person,
    scope (unit, or the staff member's office/committee checks), then one query per figure.
    Issue 12 adds seven for a whole unit (open findings, rectifications, incidents, people
    trained, exams, device checks, the nearest deadlines), grouped by unit: 19 at most."""
    w = world
    made = receive(w, level=Level.SECRET, copies=50)
    for carrier in made[:10]:
        carriers.circulate(w.clerk, carrier, w.zhang, due_date=timezone.localdate())
    for person in (w.clerk, w.leader, w.zhang):
        client = as_(person)
        with django_assert_max_num_queries(19):
            r = client.get(PAGE)
        assert page_data(r)["carriers_live"] == 50, person


def test_overdue_shows_on_the_page(world, some, as_, passwords_without_expiry):
    import time_machine

    with time_machine.travel(timezone.now() + timedelta(days=40), tick=False):
        r = as_(world.clerk).get(PAGE)
    assert 'data-figure="overdue">1<' in r.content.decode()


def _json(stats: dict) -> dict:
    """What json_script makes of the dict (dates as ISO text)."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(stats, cls=DjangoJSONEncoder))


def _all_text(wb) -> str:
    return " ".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    )


def test_r_org_4_a_superior_office_switches_to_a_subordinate_unit(world, some, as_):
    from baomi.org import actions as org

    w = world
    system = org.automation_actor(w.province)
    province = org.create_person(
        system, w.province, name="省保密办刘", post="保密员", username="liu", password=PASSWORD
    )
    org.set_clearance(system, province, "core")
    org.grant_role(system, province, "is_registry_clerk")
    client = as_(province)
    html = client.get(PAGE).content.decode()
    assert f'<option value="{w.unit.pk}">{w.unit.name}</option>' in html  # the picker
    r = client.get(PAGE, {"unit": w.unit.pk})
    assert (page_data(r)["unit_id"], page_data(r)["carriers_total"]) == (w.unit.pk, 5)
    assert f'href="/dashboard/export.xlsx?unit={w.unit.pk}"' in r.content.decode()
