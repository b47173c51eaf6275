"""三员分立 (SEC-3): one system role per account, no business role or clearance beside it, and the
system roles see no carriers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.carriers.rules import today
from baomi.carriers.selectors import carrier_for, carriers_visible_to
from baomi.classification.choices import Level
from baomi.org import actions as org
from baomi.org.choices import SystemRole
from tests.factories import person, receive, refused


@pytest.mark.parametrize("role", [SystemRole.SECADMIN, SystemRole.AUDITOR])
def test_r_sec_3_a_system_role_account_cannot_take_a_second_system_role(world, role):
    w = world
    with refused("SEC-3"):
        org.assign_system_role(w.system, w.sysadmin, role)
    w.sysadmin.refresh_from_db()
    assert w.sysadmin.system_role == SystemRole.SYSADMIN


@pytest.mark.parametrize("role", ["is_registry_clerk", "is_classifier", "is_unit_head"])
def test_r_sec_3_a_system_role_account_cannot_take_a_business_role(world, role):
    w = world
    with refused("SEC-3"):
        org.grant_role(w.system, w.auditor, role)


def test_r_sec_3_a_system_role_account_cannot_be_cleared(world):
    w = world
    with refused("SEC-3"):
        org.set_clearance(w.secadmin, w.sysadmin, "general")


def test_r_sec_3_a_system_role_account_cannot_approve(world):
    w = world
    with refused("SEC-3"):
        org.grant_approval_authority(w.system, w.sysadmin, RequestKind.LOAN, Level.SECRET)


@pytest.mark.parametrize("who", ["zhang", "clerk", "leader"])
def test_r_sec_3_a_cleared_or_business_account_cannot_take_a_system_role(world, who):
    w = world
    with refused("SEC-3"):
        org.assign_system_role(w.system, getattr(w, who), SystemRole.AUDITOR)


def test_r_sec_3_an_approver_account_cannot_take_a_system_role(world):
    w = world
    someone = person(w.system, w.unit, "郑某", w.office, "none", "")
    org.grant_approval_authority(w.system, someone, RequestKind.LOAN, Level.INTERNAL)
    with refused("SEC-3"):
        org.assign_system_role(w.system, someone, SystemRole.SYSADMIN)


def test_r_sec_3_only_deployment_assigns_system_roles(world):
    w = world
    someone = person(w.system, w.unit, "郑某", None, "none", "")
    with refused("forbidden"):
        org.assign_system_role(w.sysadmin, someone, SystemRole.AUDITOR)


def test_r_sec_3_only_the_security_officer_grants_clearance(world):
    w = world
    for actor in (w.sysadmin, w.auditor, w.clerk):
        with refused("forbidden"):
            org.set_clearance(actor, w.li, "core")
    org.set_clearance(w.secadmin, w.li, "important")
    w.li.refresh_from_db()
    assert w.li.clearance == "important"


def test_r_sec_3_only_the_system_administrator_creates_accounts(world):
    w = world
    for actor in (w.secadmin, w.auditor, w.clerk):
        with refused("forbidden"):
            org.create_person(actor, w.unit, name="新人")


def test_r_sec_3_system_roles_see_no_carriers(world):
    w = world
    carriers = [receive(w), receive(w, level=Level.INTERNAL), receive(w, level=Level.CONFIDENTIAL)]
    for system_role in (w.sysadmin, w.secadmin, w.auditor):
        assert not carriers_visible_to(system_role).exists()
        assert all(carrier_for(system_role, c.pk) is None for c in carriers)
    assert carriers_visible_to(w.clerk).count() == 3  # the query does find them for others


def test_r_sec_3_system_roles_cannot_request_carriers(world):
    w = world
    carrier = receive(w, level=Level.INTERNAL)
    form = approvals.RequestForm(
        kind=RequestKind.LOAN,
        carriers=[carrier],
        reason="查看",
        approver=w.leader,
        due_date=today() + timedelta(days=1),
    )
    with refused("SEC-3"):
        approvals.create_request(w.sysadmin, form)
