"""Who counts what on the dashboard: the unit's 保密办, head and 保密委员会 count the whole unit
(as ORG-4 does); everyone else counts only what they may see; the three system roles have no
dashboard (SEC-3)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from baomi.lib.errors import NotFound
from baomi.org import actions as org
from baomi.personnel.organisation import add_committee_member, end_committee_member
from tests.factories import receive
from tests.reports.helpers import per_level, per_status, stats_for

TZ = ZoneInfo("Asia/Shanghai")
SECRET_TITLE = "绝不可外泄的标题"


@pytest.fixture
def ledger(world):
    """Six carriers: what 张三 (重要, 办公室秘书科) may see, and what he may not (公开 items are
    not registered)."""
    w = world
    office_secret = receive(w, level=Level.SECRET, copies=2, title=SECRET_TITLE)
    return {
        "office_secret": office_secret,
        "office_confidential": receive(w, level=Level.CONFIDENTIAL),
        "office_top_secret": receive(w, level=Level.TOP_SECRET),  # above 张三's clearance
        "finance_secret": receive(w, level=Level.SECRET, scope_departments=[w.finance]),
        "office_internal": receive(w, level=Level.INTERNAL),
    }


def test_the_clerk_counts_every_carrier_of_the_unit(world, ledger):
    w = world
    carriers.circulate(w.clerk, ledger["office_secret"][0], w.zhang)
    stats = stats_for(w.clerk)
    assert (stats["scope"], stats["unit_id"]) == ("unit", w.unit.pk)
    assert per_level(stats) == {
        "top_secret": 1,
        "secret": 3,
        "confidential": 1,
        "internal": 1,
        "public": 0,
    }
    assert per_status(stats) == {"in_registry": 5, "circulating": 1}
    assert (stats["carriers_total"], stats["carriers_live"], stats["overdue"]) == (6, 6, 0)
    assert [row["level"] for row in stats["by_level"]] == [lv.value for lv in Level]


def test_a_staff_member_counts_only_what_they_may_see(world, ledger):
    """张三 sees the office's 机密, 秘密 and 内部 — not the 绝密 (PER-1) nor the 财务科's 机密
    (知悉范围): a selector that ignored visibility would count 6."""
    w = world
    stats = stats_for(w.zhang)
    assert (stats["scope"], stats["unit_id"]) == ("visible", None)
    assert per_level(stats) == {
        "top_secret": 0,
        "secret": 2,
        "confidential": 1,
        "internal": 1,
        "public": 0,
    }
    assert stats["carriers_total"] == 4
    assert per_status(stats) == {"in_registry": 4}
    li = stats_for(w.li)  # 一般: 秘密 and below
    assert per_level(li, "live") == {
        "top_secret": 0,
        "secret": 0,
        "confidential": 1,
        "internal": 1,
        "public": 0,
    }
    assert stats_for(w.wang)["carriers_total"] == 0  # 综合科: in none of the scopes


def test_the_unit_head_counts_the_whole_unit_though_outside_its_scopes(world, ledger):
    w = world
    assert w.leader.department == w.office  # not in the 财务科's scope
    stats = stats_for(w.leader)
    assert stats["scope"] == "unit"
    assert per_level(stats)["secret"] == 3


def test_a_serving_committee_member_counts_the_whole_unit(world, ledger):
    w = world
    assert stats_for(w.li)["scope"] == "visible"
    member = add_committee_member(w.system, w.unit, w.li, role="member", start_on=date(2026, 1, 1))
    assert stats_for(w.li)["carriers_total"] == 6
    end_committee_member(w.system, member, end_on=date(2026, 1, 2))
    assert stats_for(w.li)["carriers_total"] == 2


def test_counts_hold_no_titles(world, ledger):
    assert SECRET_TITLE not in json.dumps(stats_for(world.clerk), default=str, ensure_ascii=False)


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_r_sec_3_the_system_roles_have_no_dashboard(world, ledger, role):
    with pytest.raises(NotFound):
        stats_for(getattr(world, role))


def test_someone_out_of_post_has_no_dashboard(world):
    w = world
    w.li.active = False  # what a completed departure leaves (PER-5)
    with pytest.raises(NotFound):
        stats_for(w.li)


def test_overdue_counts_carriers_past_due_with_a_person(world, ledger):
    w = world
    start = datetime(2026, 3, 2, 10, tzinfo=TZ)
    with time_machine.travel(start, tick=False):
        secret = ledger["office_secret"][1]
        carriers.circulate(w.clerk, secret, w.zhang, due_date=start.date() + timedelta(days=2))
        carriers.circulate(w.clerk, ledger["office_top_secret"], w.leader)  # back the same day
        assert stats_for(w.clerk)["overdue"] == 0
    with time_machine.travel(start + timedelta(days=1), tick=False):
        stats = stats_for(w.clerk)
        assert per_level(stats, "overdue") == {
            "top_secret": 1,
            "secret": 0,
            "confidential": 0,
            "internal": 0,
            "public": 0,
        }
    with time_machine.travel(start + timedelta(days=3), tick=False):
        assert stats_for(w.clerk)["overdue"] == 2
        assert stats_for(w.zhang)["overdue"] == 1  # the 绝密 with the leader is not his to see
        carriers.return_to_registry(w.clerk, secret)
        assert stats_for(w.clerk)["overdue"] == 1


def test_pending_requests_unit_wide_for_the_clerk_and_own_for_staff(world, ledger):
    w = world
    form = approvals.RequestForm(
        kind=RequestKind.LOAN,
        carriers=[ledger["office_secret"][0]],
        reason="工作需要",
        approver=w.leader,
        due_date=timezone.localdate() + timedelta(days=5),
    )
    approvals.create_request(w.zhang, form)
    for person, expected in ((w.clerk, 1), (w.zhang, 1), (w.leader, 1), (w.li, 0)):
        stats = stats_for(person)
        assert stats["requests_pending"] == expected, person
    assert stats_for(w.clerk)["requests_by_kind"] == [
        {"kind": "loan", "kind_display": "借阅", "count": 1}
    ]


@pytest.fixture
def province_clerk(world):
    system = org.automation_actor(world.province)
    clerk = org.create_person(system, world.province, name="省保密办刘", post="保密员")
    org.set_clearance(system, clerk, "core")
    return org.grant_role(system, clerk, "is_registry_clerk")


def test_r_org_4_a_superior_office_picks_a_subordinate_unit(world, ledger, province_clerk):
    w = world
    assert stats_for(province_clerk)["carriers_total"] == 0  # its own unit holds nothing
    stats = stats_for(province_clerk, w.unit.pk)
    assert (stats["unit_id"], stats["carriers_total"]) == (w.unit.pk, 6)


def test_r_org_4_never_upwards_and_never_for_staff(world, ledger, province_clerk):
    w = world
    with pytest.raises(NotFound):
        stats_for(w.clerk, w.province.pk)
    with pytest.raises(NotFound):
        stats_for(w.zhang, w.unit.pk)  # his own unit, but he does not answer for all of it
    assert stats_for(w.clerk, w.unit.pk)["unit_id"] == w.unit.pk
