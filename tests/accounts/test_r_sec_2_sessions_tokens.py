"""SEC-2 sessions and API tokens: idle timeout, tokens that expire, are listed with creation and
last use, revocable by their owner and the 系统管理员, and whose first use is audited."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from baomi.accounts import actions
from baomi.audit.models import AuditEvent
from baomi.org import actions as org
from baomi.org.models import ApiToken
from tests.accounts.conftest import call, login
from tests.api.helpers import assert_error
from tests.factories import PASSWORD, refused


def test_r_sec_2_idle_session_ends_after_30_minutes(world):
    client, _ = login("zhangsan", PASSWORD)
    assert client.get("/carriers/mine/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=20), tick=False):
        assert client.get("/carriers/mine/").status_code == 200  # active: the clock restarts
    with time_machine.travel(timezone.now() + timedelta(minutes=45), tick=False):
        assert client.get("/carriers/mine/").status_code == 200  # 25 minutes after the last
    with time_machine.travel(timezone.now() + timedelta(minutes=80), tick=False):
        response = client.get("/carriers/mine/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        login_page = client.get(response["Location"])
        assert "无操作" in login_page.content.decode()
    event = AuditEvent.objects.filter(event_type="login.logout").last()
    assert "无操作" in event.after["reason"]


def test_r_sec_2_idle_timeout_is_a_security_setting(world):
    actions.update_security_settings(world.sysadmin, idle_timeout_minutes=10)
    client, _ = login("zhangsan", PASSWORD)
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        assert client.get("/carriers/mine/")["Location"].startswith("/login/")


def test_r_sec_2_token_expires_after_90_days(world):
    token = org.create_token(world.zhang, world.zhang, label="脚本")
    stored = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    assert stored.expires_at - stored.created_at >= timedelta(days=89, hours=23)
    client = Client()
    assert call(client, "get", "me", token=token).status_code == 200
    with time_machine.travel(stored.expires_at + timedelta(seconds=1), tick=False):
        assert_error(call(client, "get", "me", token=token), 401, "unauthenticated")


def test_r_sec_2_token_lifetime_is_a_security_setting(world):
    actions.update_security_settings(world.sysadmin, token_lifetime_days=30)
    token = org.create_token(world.zhang, world.zhang)
    stored = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    assert (stored.expires_at - stored.created_at).days in (29, 30)


def test_r_sec_2_token_first_use_is_audited_once(world):
    token = org.create_token(world.zhang, world.zhang)
    client = Client()
    for _ in range(3):
        assert call(client, "get", "me", token=token).status_code == 200
    events = AuditEvent.objects.filter(event_type="token.first_use")
    assert events.count() == 1 and events.get().actor_id == world.zhang.pk


def test_me_tokens_api_create_list_and_revoke(world, api):
    client = api(world.zhang)
    created = client.post("me/tokens", {"label": "统计脚本"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["token"].startswith("bm_") and body["state"] == "active"
    listed = client.get("me/tokens").json()
    mine = next(t for t in listed if t["id"] == body["id"])
    assert "token" not in mine and mine["expires_at"] and mine["created_at"]
    revoked = call(Client(), "delete", f"me/tokens/{body['id']}", token=body["token"])
    assert revoked.status_code == 204
    assert_error(call(Client(), "get", "me", token=body["token"]), 401, "unauthenticated")
    again = call(Client(), "delete", f"me/tokens/{body['id']}", token=api_token(world))
    assert again.status_code == 404  # another person's token does not exist for them


def api_token(world) -> str:
    return org.create_token(world.li, world.li)


def test_the_profile_lists_tokens_with_creation_last_use_and_expiry_and_revokes(world):
    token = org.create_token(world.zhang, world.zhang, label="盘点终端")
    call(Client(), "get", "me", token=token)
    stored = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    browser = Client()
    browser.force_login(world.zhang.user)
    page = browser.get("/me/").content.decode()
    assert "盘点终端" in page and "到期" in page and "最近使用" in page
    assert timezone.localtime(stored.expires_at).strftime("%Y-%m-%d") in page
    response = browser.post(f"/accounts/me/tokens/{stored.pk}/revoke/")
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked


def test_the_sysadmin_revokes_anyones_token(world, api):
    token = org.create_token(world.zhang, world.zhang)
    stored = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    admin = api(world.sysadmin)
    listed = admin.get(f"accounts/{world.zhang.user_id}/tokens").json()
    assert stored.pk in [t["id"] for t in listed]
    response = call(
        admin.client,
        "delete",
        f"accounts/{world.zhang.user_id}/tokens/{stored.pk}",
        token=admin.header.split()[1],
    )
    assert response.status_code == 204
    assert_error(call(Client(), "get", "me", token=token), 401, "unauthenticated")
    assert AuditEvent.objects.filter(event_type="token.revoke", actor_id=world.sysadmin.pk).exists()


def test_others_may_not_revoke_someone_elses_token(world):
    token = org.create_token(world.zhang, world.zhang)
    stored = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    with refused("forbidden"):
        actions.revoke_token(world.secadmin, stored)
    with refused("forbidden"):
        actions.revoke_token(world.li, stored)
