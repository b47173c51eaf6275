"""SEC-2 second factor: TOTP (动态口令牌), required for the three system roles, optional for
others; an administrator registers a hardware token's seed."""

from __future__ import annotations

import re
import time
from base64 import b32decode
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from baomi.accounts import actions
from baomi.audit.models import AuditEvent
from tests.accounts.conftest import call, login, totp_code
from tests.factories import PASSWORD, refused

SEED_HEX = "3132333435363738393031323334353637383930"  # RFC 6238's test seed


def code_for_secret(secret: str, at: float | None = None) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(b32decode(secret), 30, 0, 6, 0)
    totp.time = at if at is not None else time.time()
    return str(totp.token()).zfill(6)


@pytest.mark.otp
def test_r_sec_2_otp_required_for_a_system_role_enrolment_then_verification(world):
    client, response = login("sysadmin", PASSWORD)
    assert response.status_code == 302
    first = client.get("/accounts/")
    assert first.status_code == 302 and first["Location"].startswith("/accounts/otp/setup/")
    page = client.get(first["Location"])
    secret = re.search(r'id="otp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    assert "<svg" in page.content.decode()  # the QR code, inline
    assert call(client, "get", "accounts").status_code == 403  # the API waits for it too
    wrong = client.post("/accounts/otp/setup/", {"token": "000000"})
    assert wrong.status_code == 403 and "SEC-2" in wrong.content.decode()
    # django-otp throttles after a wrong code (1 s, 2 s, 4 s…): the right one comes a bit later.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        done = client.post("/accounts/otp/setup/", {"token": code_for_secret(secret)})
        assert done.status_code == 302
        assert client.get("/accounts/").status_code == 200
    assert TOTPDevice.objects.filter(user=world.sysadmin.user, confirmed=True).count() == 1
    # The next login asks for the code before anything else.
    again, _ = login("sysadmin", PASSWORD)
    step = again.get("/accounts/")
    assert step["Location"].startswith("/accounts/otp/verify/")
    refused_code = again.post("/accounts/otp/verify/", {"token": "123456"})
    assert refused_code.status_code == 403
    # A code of a later time step than the enrolment's (django-otp refuses a step already used,
    # and "now + 30 s" can fall in the enrolment's own step), past the wrong code's throttle.
    with time_machine.travel(timezone.now() + timedelta(seconds=40)):
        ok = again.post("/accounts/otp/verify/", {"token": code_for_secret(secret)})
        assert ok.status_code == 302
        assert again.get("/accounts/").status_code == 200
    assert AuditEvent.objects.filter(event_type="otp.enrol", outcome="done").exists()
    assert AuditEvent.objects.filter(event_type="otp.verify", outcome="refused").exists()


@pytest.mark.otp
def test_r_sec_2_otp_optional_for_others(world):
    client, _ = login("zhangsan", PASSWORD)
    assert client.get("/carriers/mine/").status_code == 200


def test_otp_requirement_can_be_turned_off_by_setting(world):
    client, _ = login("auditor", PASSWORD)
    assert client.get("/audit/").status_code == 200


@pytest.mark.otp
def test_r_sec_2_hardware_token_registered_by_the_sysadmin_is_asked_at_login(world):
    device = actions.register_hardware_token(
        world.system, world.sysadmin, serial="SN-001", seed=SEED_HEX
    )
    assert device.key == SEED_HEX
    actions.register_hardware_token(
        world.sysadmin, world.zhang, serial="SN-002", seed="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    )
    token = TOTPDevice.objects.get(user=world.zhang.user)
    assert token.key == SEED_HEX  # the same seed given as base32
    client, _ = login("zhangsan", PASSWORD)
    step = client.get("/carriers/mine/")
    assert step["Location"].startswith("/accounts/otp/verify/")
    assert client.post("/accounts/otp/verify/", {"token": totp_code(token)}).status_code == 302
    assert client.get("/carriers/mine/").status_code == 200


def test_r_sec_3_tokens_of_system_accounts_are_registered_only_on_the_server(world):
    with refused("SEC-3"):
        actions.register_hardware_token(world.sysadmin, world.auditor, serial="SN-9", seed=SEED_HEX)
    call_command(
        "account",
        "register-token",
        "auditor",
        "--serial",
        "SN-9",
        "--seed",
        SEED_HEX,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert TOTPDevice.objects.filter(user=world.auditor.user, confirmed=True).exists()
    call_command("account", "reset-otp", "auditor", stdout=StringIO(), stderr=StringIO())
    assert not TOTPDevice.objects.filter(user=world.auditor.user).exists()


def test_a_bad_seed_is_invalid(world):
    from baomi.lib.errors import Invalid

    with pytest.raises(Invalid) as error:
        actions.register_hardware_token(world.sysadmin, world.zhang, serial="X", seed="xyz!")
    assert "seed" in error.value.detail


def test_the_sysadmin_page_registers_a_hardware_token(world):
    browser = Client()
    browser.force_login(world.sysadmin.user)
    response = browser.post(
        f"/accounts/{world.li.user_id}/otp/",
        {"serial": "SN-77", "seed": SEED_HEX, "digits": 6, "step": 30},
    )
    assert response.status_code == 302
    assert "动态口令牌 SN-77" in browser.get(f"/accounts/{world.li.user_id}/").content.decode()
    assert call(Client(), "get", "me").status_code == 401


@pytest.mark.otp
def test_r_sec_2_wrong_second_factor_codes_lock_the_account_like_wrong_passwords(world):
    from baomi.accounts.models import Account
    from baomi.accounts.policy import current_settings

    actions.register_hardware_token(world.sysadmin, world.zhang, serial="SN-3", seed=SEED_HEX)
    client, _ = login("zhangsan", PASSWORD)
    limit = current_settings().failure_limit
    answers = [
        client.post("/accounts/otp/verify/", {"token": "000000"}, REMOTE_ADDR="10.1.1.1")
        for _ in range(limit)
    ]
    assert [a.status_code for a in answers[:-1]] == [403] * (limit - 1)
    assert answers[-1].status_code == 429 and "锁定" in answers[-1].content.decode()
    assert Account.objects.get(user=world.zhang.user).is_locked()
    assert AuditEvent.objects.filter(event_type="account.lock", outcome="done").exists()
    # The half-logged-in session is over: the password alone opens nothing now.
    assert client.get("/carriers/mine/").status_code == 302
    _, again = login("zhangsan", PASSWORD)
    assert again.status_code == 429
