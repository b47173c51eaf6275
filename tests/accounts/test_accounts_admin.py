"""The 系统管理员's account administration: create for a person, list and filter, disable,
enable, reset — through the action, the page and the API (SEC-1, SEC-2)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from baomi.accounts import actions
from baomi.accounts.models import Account
from baomi.audit.models import AuditEvent
from baomi.lib.errors import Invalid, InvalidState
from baomi.org import actions as org
from tests.accounts.conftest import NEW_PASSWORD, login
from tests.api.helpers import assert_error
from tests.factories import PASSWORD


def newcomer(world, name="赵六"):
    return org.create_person(world.system, world.unit, name=name, department=world.office)


def test_create_account_returns_a_one_time_password_that_must_be_changed(world):
    person = newcomer(world)
    user, password = actions.create_account(world.sysadmin, person, username="zhaoliu")
    assert user.check_password(password) and Account.objects.get(user=user).must_change_password
    event = AuditEvent.objects.get(event_type="account.create")
    assert event.actor_id == world.sysadmin.pk and password not in str(event.after)
    client, _ = login("zhaoliu", password)
    assert client.get("/carriers/mine/")["Location"].startswith("/accounts/password/")
    changed = client.post(
        "/accounts/password/",
        {"current_password": password, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert client.get("/carriers/mine/").status_code == 200


def test_r_sec_1_one_account_per_person_and_unique_usernames(world):
    with pytest.raises(InvalidState):
        actions.create_account(world.sysadmin, world.zhang, username="zhang2")
    with pytest.raises(Invalid) as taken:
        actions.create_account(world.sysadmin, newcomer(world), username="ZhangSan")
    assert taken.value.detail == {"username": ["用户名已存在"]}


def test_create_account_through_the_api(world, api):
    person = newcomer(world)
    response = api(world.sysadmin).post("accounts", {"person_id": person.pk, "username": "zhaoliu"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == "zhaoliu" and body["state"] == "must_change"
    assert body["person"] == {"id": person.pk, "name": "赵六"}
    assert len(body["one_time_password"]) >= 14
    detail = api(world.sysadmin).get(f"accounts/{body['id']}").json()
    assert "one_time_password" not in detail


def test_create_account_through_the_page(world):
    person = newcomer(world)
    client = Client()
    client.force_login(world.sysadmin.user)
    listing = client.get("/accounts/")
    assert "赵六" in listing.content.decode()
    response = client.post("/accounts/create/", {"person": person.pk, "username": "zhaoliu"})
    assert response.status_code == 200
    text = response.content.decode()
    password = html.unescape(re.search(r'id="one-time-password">([^<]+)<', text).group(1))
    person.refresh_from_db()
    assert person.user.check_password(password)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_list_filters_by_state_and_unit(world, api):
    actions.disable_account(world.sysadmin, world.li)
    actions.reset_password(world.sysadmin, world.wang)
    client = api(world.sysadmin)
    disabled = client.get("accounts", {"state": "disabled"}).json()
    assert [a["username"] for a in disabled["results"]] == ["lisi"]
    must = client.get("accounts", {"state": "must-change"}).json()
    assert [a["username"] for a in must["results"]] == ["wangwu"]
    active = {a["username"] for a in client.get("accounts", {"state": "active"}).json()["results"]}
    assert "zhangsan" in active and "lisi" not in active and "wangwu" not in active
    by_unit = client.get("accounts", {"unit": world.unit.pk, "page_size": 200}).json()
    assert by_unit["count"] == 9  # the world's nine logins
    assert client.get("accounts", {"unit": world.province.pk}).json()["count"] == 0
    assert_error(client.get("accounts", {"state": "sleeping"}), 422, "invalid")
    page = Client()
    page.force_login(world.sysadmin.user)
    html = page.get("/accounts/", {"state": "disabled"}).content.decode()
    assert 'data-username="lisi"' in html and 'data-username="zhangsan"' not in html


def test_expired_state_is_listed(world, api):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        expired = api(world.sysadmin).get("accounts", {"state": "expired"})
    # The sysadmin's own password is expired then too: the API asks it to change first.
    assert_error(expired, 403, "SEC-2")
    rows = Account.objects.filter(password_expires_at__lte=timezone.now() + timedelta(days=8))
    assert rows.count() >= 9


def test_disable_and_enable_through_the_api_and_page(world, api):
    client = api(world.sysadmin)
    done = client.post(f"accounts/{world.li.user_id}/disable")
    assert done.status_code == 200 and done.json()["state"] == "disabled"
    assert_error(client.post(f"accounts/{world.li.user_id}/disable"), 409, "invalid_state")
    page = Client()
    page.force_login(world.sysadmin.user)
    assert page.post(f"/accounts/{world.li.user_id}/do/enable/").status_code == 302
    world.li.user.refresh_from_db()
    assert world.li.user.is_active
    _, response = login("lisi", PASSWORD)
    assert response.status_code == 302


def test_reset_through_the_api_shows_the_password_once(world, api):
    response = api(world.sysadmin).post(f"accounts/{world.zhang.user_id}/reset-password")
    assert response.status_code == 200
    password = response.json()["one_time_password"]
    world.zhang.user.refresh_from_db()
    assert world.zhang.user.check_password(password)


def test_accounts_of_other_units_are_not_found(world, api):
    other = org.create_person(
        org.automation_actor(world.province),
        world.province,
        name="省局某人",
        username="shengju",
        password="Sheng#Ju-2026x",
    )
    assert_error(api(world.sysadmin).get(f"accounts/{other.user_id}"), 404, "not_found")
    assert_error(api(world.sysadmin).post(f"accounts/{other.user_id}/disable"), 404, "not_found")
