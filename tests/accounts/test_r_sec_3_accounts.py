"""SEC-3 三员分立 for accounts: only the 系统管理员 creates and manages accounts and security
settings; the three system accounts are reset or unlocked only by commands on the server; a
system role never takes a second system role or a business role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from baomi.accounts import actions
from baomi.accounts.models import Account
from baomi.audit.models import AuditEvent
from baomi.org import actions as org
from baomi.org.choices import SystemRole
from baomi.org.models import Person
from tests.accounts.conftest import login
from tests.api.helpers import assert_error
from tests.factories import PASSWORD, refused


def browser(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


@pytest.mark.parametrize("target", ["sysadmin", "secadmin", "auditor"])
def test_r_sec_3_sysadmin_cannot_reset_a_system_account_by_the_action(world, target):
    with refused("SEC-3") as error:
        actions.reset_password(world.sysadmin, getattr(world, target))
    assert "baomi account" in error.value.message


@pytest.mark.parametrize("target", ["sysadmin", "auditor"])
def test_r_sec_3_sysadmin_cannot_reset_a_system_account_from_the_page(world, target):
    person = getattr(world, target)
    response = browser(world.sysadmin).post(f"/accounts/{person.user_id}/reset-password/")
    assert response.status_code == 403 and "SEC-3" in response.content.decode()
    assert person.user.__class__.objects.get(pk=person.user_id).check_password(PASSWORD)
    refusal = AuditEvent.objects.get(event_type="account.reset_password")
    assert refusal.outcome == "refused" and refusal.rule_id == "SEC-3"


@pytest.mark.parametrize("target", ["sysadmin", "secadmin"])
def test_r_sec_3_sysadmin_cannot_reset_a_system_account_through_the_api(world, api, target):
    person = getattr(world, target)
    response = api(world.sysadmin).post(f"accounts/{person.user_id}/reset-password")
    assert_error(response, 403, "SEC-3")
    assert AuditEvent.objects.filter(
        event_type="account.reset_password", outcome="refused", rule_id="SEC-3"
    ).exists()


@pytest.mark.parametrize("act", [actions.disable_account, actions.unlock_account])
def test_r_sec_3_no_console_action_on_a_system_account(world, act):
    with refused("SEC-3"):
        act(world.sysadmin, world.auditor)


def test_r_sec_3_sysadmin_cannot_grant_itself_anything(world):
    with refused("forbidden"):
        org.grant_role(world.sysadmin, world.sysadmin, "is_registry_clerk")
    with refused("forbidden"):
        org.set_clearance(world.sysadmin, world.sysadmin, "core")
    with refused("forbidden"):
        org.assign_system_role(world.sysadmin, world.sysadmin, SystemRole.AUDITOR)


def test_r_sec_3_no_second_system_role_and_no_business_role(world):
    with refused("SEC-3"):
        org.assign_system_role(world.system, world.secadmin, SystemRole.AUDITOR)
    with refused("SEC-3"):
        org.grant_role(world.secadmin, world.auditor, "is_unit_head")


def test_r_sec_3_a_system_role_person_gets_no_account_from_the_console(world):
    someone = Person.objects.create(unit=world.unit, name="另一位审计员", system_role="auditor")
    with refused("SEC-3"):
        actions.create_account(world.sysadmin, someone, username="auditor2")


@pytest.mark.parametrize("who", ["secadmin", "auditor"])
def test_r_sec_3_only_the_sysadmin_creates_accounts(world, api, who):
    actor = getattr(world, who)
    newcomer = org.create_person(world.system, world.unit, name="赵六")
    with refused("forbidden"):
        actions.create_account(actor, newcomer, username="zhaoliu")
    response = api(actor).post("accounts", {"person_id": newcomer.pk, "username": "zhaoliu"})
    assert_error(response, 403, "forbidden")
    assert_error(api(actor).get("accounts"), 403, "forbidden")
    page = browser(actor).get("/accounts/")
    assert page.status_code == 403
    newcomer.refresh_from_db()
    assert newcomer.user_id is None


@pytest.mark.parametrize("who", ["secadmin", "auditor"])
def test_r_sec_3_only_the_sysadmin_changes_security_settings(world, api, who):
    actor = getattr(world, who)
    with refused("forbidden"):
        actions.update_security_settings(actor, min_length=14)
    client = api(actor)
    assert client.get("security-settings").status_code == 200  # they may read it
    response = client.client.put(
        "/api/v1/security-settings",
        data='{"min_length": 14}',
        content_type="application/json",
        HTTP_AUTHORIZATION=client.header,
    )
    assert_error(response, 403, "forbidden")
    page = browser(actor).post("/accounts/security-settings/", {"min_length": 14})
    assert page.status_code in (403, 422)
    from baomi.accounts.policy import current_settings

    assert current_settings().min_length == 10


def test_the_sysadmin_edits_security_settings_never_below_the_level(world, api):
    client = api(world.sysadmin)
    response = client.client.put(
        "/api/v1/security-settings",
        data='{"min_length": 12, "idle_timeout_minutes": 15}',
        content_type="application/json",
        HTTP_AUTHORIZATION=client.header,
    )
    assert response.status_code == 200, response.content
    assert response.json()["min_length"] == 12
    weaker = client.client.put(
        "/api/v1/security-settings",
        data='{"max_age_days": 30}',
        content_type="application/json",
        HTTP_AUTHORIZATION=client.header,
    )
    assert_error(weaker, 403, "SEC-2")
    page = browser(world.sysadmin).get("/accounts/security-settings/")
    assert page.status_code == 200 and 'value="12"' in page.content.decode()


def test_reset_password_command_prints_a_one_time_password_and_is_audited(world):
    out, err = StringIO(), StringIO()
    call_command("account", "reset-password", "auditor", stdout=out, stderr=err)
    password = out.getvalue().strip()
    assert len(password) >= 14 and password not in err.getvalue()
    assert Account.objects.get(user=world.auditor.user).must_change_password
    event = AuditEvent.objects.get(event_type="account.reset_password")
    assert event.outcome == "done" and event.object_id == world.auditor.pk
    assert event.actor_id == Person.objects.get(unit=world.unit, is_automation=True).pk
    assert password not in str(event.after)
    client, response = login("auditor", password)
    assert response.status_code == 302
    assert client.get("/audit/")["Location"].startswith("/accounts/password/")
