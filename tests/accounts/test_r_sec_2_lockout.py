"""SEC-2 lockout after repeated failures — per account and per client address — with a message
that says until when and whom to ask; a locked or disabled account's token stops at once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings

from baomi.accounts import actions
from baomi.accounts.lockout import client_address
from baomi.accounts.models import Account
from baomi.audit.models import AuditEvent
from tests.accounts.conftest import call, login
from tests.api.helpers import assert_error
from tests.factories import PASSWORD, refused


def fail(username: str, times: int, address: str = "10.1.1.1"):
    client = Client(REMOTE_ADDR=address)
    for _ in range(times):
        response = login(username, "wrong-password", address=address, client=client)[1]
    return response


def test_r_sec_2_account_locked_after_five_failures_with_until_and_whom_to_ask(world):
    fail("zhangsan", 5)
    account = Account.objects.get(user=world.zhang.user)
    assert account.is_locked()
    _, response = login("zhangsan", PASSWORD, address="10.2.2.2")  # right password, other PC
    assert response.status_code == 429
    text = response.content.decode()
    assert "账号已暂时锁定" in text and "系统管理员" in text
    until = account.locked_until.astimezone().strftime("%Y-%m-%d %H:%M")
    from django.utils import timezone

    assert (
        timezone.localtime(account.locked_until).strftime("%Y-%m-%d %H:%M") in text or until in text
    )
    lock = AuditEvent.objects.get(event_type="account.lock")
    assert lock.object_id == world.zhang.pk
    assert AuditEvent.objects.filter(event_type="login.failed").count() >= 5


def test_r_sec_2_failed_logins_and_logins_are_audited(world):
    fail("zhangsan", 1, address="10.3.3.3")
    failed = AuditEvent.objects.get(event_type="login.failed")
    assert failed.after["username"] == "zhangsan" and failed.after["address"] == "10.3.3.3"
    assert "wrong-password" not in str(failed.after)
    client, response = login("zhangsan", PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event_type="login.success", actor_id=world.zhang.pk).exists()
    client.post("/logout/")
    assert AuditEvent.objects.filter(event_type="login.logout", actor_id=world.zhang.pk).exists()


def test_r_sec_2_locked_accounts_token_refused_at_once(world, api):
    client = api(world.zhang)
    assert client.get("me").status_code == 200
    fail("zhangsan", 5)
    assert_error(client.get("me"), 401, "unauthenticated")
    actions.unlock_account(world.sysadmin, world.zhang)
    assert client.get("me").status_code == 200
    _, response = login("zhangsan", PASSWORD)
    assert response.status_code == 302


def test_r_sec_2_disabled_accounts_token_and_session_refused_at_once(world, api):
    client = api(world.zhang)
    browser = Client()
    browser.force_login(world.zhang.user)
    assert browser.get("/carriers/mine/").status_code == 200
    actions.disable_account(world.sysadmin, world.zhang)
    assert_error(client.get("me"), 401, "unauthenticated")
    assert browser.get("/carriers/mine/")["Location"].startswith("/login/")
    _, response = login("zhangsan", PASSWORD)
    assert response.status_code == 200  # the login form again, not signed in
    actions.enable_account(world.sysadmin, world.zhang)
    assert client.get("me").status_code == 200


def test_r_sec_2_one_address_failing_across_many_usernames_is_throttled(world):
    actions.update_security_settings(world.sysadmin, address_failure_limit=8)
    for i in range(8):
        fail(f"guess{i}", 1, address="10.6.6.6")  # never more than one failure per username
    _, blocked = login("lisi", PASSWORD, address="10.6.6.6")
    assert blocked.status_code == 429
    text = blocked.content.decode()
    assert "本机登录已暂时锁定" in text and "系统管理员" in text and "锁定至" in text
    assert not Account.objects.get(user=world.li.user).is_locked()  # the address, not lisi
    _, elsewhere = login("lisi", PASSWORD, address="10.7.7.7")
    assert elsewhere.status_code == 302
    assert AuditEvent.objects.filter(event_type="login.address_locked").exists()


def test_the_address_limit_is_higher_than_the_account_limit_by_default(world):
    for i in range(6):
        fail(f"guess{i}", 1, address="10.8.8.8")
    _, response = login("lisi", PASSWORD, address="10.8.8.8")
    assert response.status_code == 302  # 6 failures from one address lock no one yet


def test_client_address_ignores_forwarding_headers_without_a_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.5"


@override_settings(BAOMI_TRUSTED_PROXIES=["10.0.0.0/24"])
def test_client_address_from_a_trusted_proxy_takes_the_forwarded_client():
    factory = RequestFactory()
    request = factory.get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4, 10.0.0.9"
    )
    assert client_address(request) == "1.2.3.4"  # the rightmost hop that is not our proxy
    untrusted = factory.get("/", REMOTE_ADDR="192.168.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(untrusted) == "192.168.9.9"
    garbled = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_address(garbled) == "10.0.0.5"


@override_settings(BAOMI_TRUSTED_PROXIES=["10.0.0.1"])
def test_r_sec_2_lockout_behind_a_proxy_counts_the_real_client(world):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        client.post(
            "/login/",
            {"username": "zhangsan", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="172.16.0.8",
        )
    failed = AuditEvent.objects.filter(event_type="login.failed").last()
    assert failed.after["address"] == "172.16.0.8"


def test_unlock_through_the_page_and_the_api(world, api):
    fail("zhangsan", 5)
    browser = Client()
    browser.force_login(world.sysadmin.user)
    detail = browser.get(f"/accounts/{world.zhang.user_id}/")
    assert "已锁定" in detail.content.decode()
    done = browser.post(f"/accounts/{world.zhang.user_id}/do/unlock/")
    assert done.status_code == 302
    assert not Account.objects.get(user=world.zhang.user).is_locked()
    fail("lisi", 5)
    answer = api(world.sysadmin).post(f"accounts/{world.li.user_id}/unlock")
    assert answer.status_code == 200 and answer.json()["state"] == "active"
    _, response = login("lisi", PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event_type="account.unlock").count() == 2


def test_r_sec_3_unlock_command_for_a_system_account_is_audited(world):
    fail("auditor", 5)
    with refused("SEC-3"):
        actions.unlock_account(world.sysadmin, world.auditor)
    assert Account.objects.get(user=world.auditor.user).is_locked()
    call_command("account", "unlock", "auditor", stdout=StringIO(), stderr=StringIO())
    assert not Account.objects.get(user=world.auditor.user).is_locked()
    event = AuditEvent.objects.filter(event_type="account.unlock", outcome="done").get()
    assert event.object_id == world.auditor.pk and event.outcome == "done"


@pytest.mark.parametrize("method", ["page", "api"])
def test_r_sec_3_unlocking_a_system_account_from_the_console_is_refused(world, api, method):
    fail("secadmin", 5)
    if method == "page":
        browser = Client()
        browser.force_login(world.sysadmin.user)
        response = browser.post(f"/accounts/{world.secadmin.user_id}/do/unlock/")
        assert response.status_code == 403 and "SEC-3" in response.content.decode()
    else:
        assert_error(
            api(world.sysadmin).post(f"accounts/{world.secadmin.user_id}/unlock"), 403, "SEC-3"
        )
    assert Account.objects.get(user=world.secadmin.user).is_locked()
    assert AuditEvent.objects.filter(event_type="account.unlock", outcome="refused").exists()


def test_locked_session_is_ended(world):
    browser = Client()
    browser.force_login(world.zhang.user)
    fail("zhangsan", 5)
    from baomi.accounts import session

    # The session's snapshot is refreshed at the latest after REFRESH_SECONDS; force it here.
    s = browser.session
    s[session.KEY]["at"] = 0
    s.save()
    response = call(browser, "get", "me")
    assert response.status_code == 401
