"""The first run in a real browser: `baomi init` → the 系统管理员 signs in with the printed
one-time password → must change it → binds a TOTP token (#otp-secret) → reaches the accounts."""

from __future__ import annotations

import re
import time
from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP

pytestmark = [pytest.mark.browser, pytest.mark.otp]

NEW_PASSWORD = "Qx7#plover-Tarn9"


def test_first_run_sysadmin_changes_password_and_binds_a_token(page):
    out = StringIO()
    call_command(
        "init", "--unit", "XX县保密局", "--code", "X01", "--authority", "无",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    password = dict(line.split("\t") for line in out.getvalue().splitlines())["sysadmin"]

    page.goto(page.base_url + "/login/")
    page.fill("#id_username", "sysadmin")
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/password/"))
    page.fill("#id_current_password", password)
    page.fill("#id_new_password", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("#change-password")

    page.wait_for_url(re.compile(r"/accounts/otp/setup/"))
    secret = page.inner_text("#otp-secret").strip()
    totp = TOTP(b32decode(secret), 30, 0, 6, 0)
    totp.time = time.time()
    page.fill("#id_token", str(totp.token()).zfill(6))
    page.click("#otp-confirm")

    page.goto(page.base_url + "/accounts/")
    page.wait_for_selector("#accounts-table")
    assert page.locator('tr[data-username="auditor"]').count() == 1
