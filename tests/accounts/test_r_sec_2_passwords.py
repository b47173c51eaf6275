"""SEC-2 passwords: strong, not personal data, not one of the last five, changed regularly —
refused through the action, the page and the API, and an expired or one-time password forces a
change before anything else."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from baomi.accounts import actions
from baomi.accounts.models import Account, PasswordHistory
from baomi.accounts.policy import current_settings
from baomi.accounts.validators import name_variants
from baomi.audit.models import AuditEvent
from tests.accounts.conftest import NEW_PASSWORD, call, login
from tests.api.helpers import assert_error
from tests.factories import PASSWORD, refused


def change(person, new, current=PASSWORD):
    return actions.change_own_password(person, current=current, new=new)


@pytest.mark.parametrize(
    "weak, why",
    [
        ("Ab1!efgh", "至少 10 个字符"),  # 机密: ≥ 10
        ("abcdefghijkl", "3 种"),  # one class
        ("abcdefgh1234", "3 种"),  # two classes
        ("Zhangsan#2026", "姓名"),  # 张三 in pinyin
        ("Xy#张三123456", "姓名"),  # 张三 in characters
        ("Sanzhang-2026x", "姓名"),  # given name first
        ("zhang-san#2026X", "姓名"),  # separated syllables
        ("Pw#zhangsan2026", "姓名"),
    ],
)
def test_r_sec_2_weak_or_personal_password_refused_by_the_action(world, weak, why):
    with refused("SEC-2") as error:
        change(world.zhang, weak)
    assert why in error.value.message
    assert world.zhang.user.check_password(PASSWORD)


def test_r_sec_2_password_containing_the_username_refused(world):
    with refused("SEC-2") as error:
        change(world.li, "Lisi-Pw#2026")  # the username is lisi; 李四 is lisi too
    assert "SEC-2" in error.value.message
    with refused("SEC-2") as error:
        change(world.clerk, "My#baomiyuan7")
    assert "用户名" in error.value.message


def test_r_sec_2_password_containing_the_person_number_refused(world):
    world.zhang.number = "GB2026077"
    world.zhang.save(update_fields=["number"])
    with refused("SEC-2") as error:
        change(world.zhang, "Xq#gb2026077z")
    assert "人员编号" in error.value.message


def test_pinyin_readings_cover_heteronyms_of_a_surname():
    assert {"zhangsan", "sanzhang"} <= name_variants("张三")
    assert "shanming" in name_variants("单明") or "danming" in name_variants("单明")


def test_r_sec_2_reused_password_refused_for_the_last_five(world):
    person = world.zhang
    passwords = [f"Strong#Pass{i}x" for i in range(6)]
    current = PASSWORD
    for p in passwords:
        change(person, p, current)
        current = p
    assert PasswordHistory.objects.filter(user=person.user).count() == 5
    for old in passwords[1:]:
        with refused("SEC-2") as error:
            change(person, old, current)
        assert "最近 5 次" in error.value.message or "相同" in error.value.message
    # The sixth back is out of the window again.
    change(person, passwords[0], current)


def test_r_sec_2_wrong_current_password_is_invalid(world):
    from baomi.lib.errors import Invalid

    with pytest.raises(Invalid) as error:
        change(world.zhang, NEW_PASSWORD, current="wrong")
    assert error.value.detail == {"current_password": ["当前口令不正确"]}


def test_r_sec_2_a_good_password_is_accepted_and_audited(world):
    account = change(world.zhang, NEW_PASSWORD)
    assert world.zhang.user.check_password(NEW_PASSWORD) or account.user.check_password(
        NEW_PASSWORD
    )
    expected = account.password_changed_at + timedelta(days=7)
    assert account.password_expires_at == expected
    event = AuditEvent.objects.filter(event_type="account.password_change").get()
    assert event.actor_id == world.zhang.pk and NEW_PASSWORD not in str(event.after)


@override_settings(BAOMI_SYSTEM_LEVEL="秘密")
def test_r_sec_2_defaults_follow_the_system_level_confidential(world):
    policy = current_settings()
    assert (policy.min_length, policy.max_age_days) == (8, 30)
    change(world.zhang, "Ab#4efgh")  # 8 characters are enough at 秘密


@override_settings(BAOMI_SYSTEM_LEVEL="top_secret")
def test_r_sec_2_defaults_follow_the_system_level_top_secret(world):
    policy = current_settings()
    assert (policy.min_length, policy.max_age_days) == (12, 7)
    with refused("SEC-2"):
        change(world.zhang, "Ab#4efghijk")  # 11 are not


# -- through the API -----------------------------------------------------------------------------


def test_r_sec_2_api_weak_password_refused_with_sec_2(world, api):
    response = api(world.zhang).post(
        "me/password", {"current_password": PASSWORD, "new_password": "zhangsan"}
    )
    error = assert_error(response, 403, "SEC-2")
    assert "SEC-2" in error["message"] and error["detail"]["new_password"]
    assert world.zhang.user.check_password(PASSWORD)


def test_r_sec_2_api_reused_password_refused(world, api):
    client = api(world.zhang)
    assert (
        client.post(
            "me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        ).status_code
        == 200
    )
    back = client.post("me/password", {"current_password": NEW_PASSWORD, "new_password": PASSWORD})
    assert_error(back, 403, "SEC-2")


def test_r_sec_2_api_change_own_password(world, api):
    response = api(world.zhang).post("me/password", {"current": PASSWORD, "new": NEW_PASSWORD})
    assert response.status_code == 200, response.content
    assert response.json()["password_expires_at"]


# -- through the page ----------------------------------------------------------------------------


def test_r_sec_2_page_weak_password_refused(world):
    client = Client()
    client.force_login(world.zhang.user)
    response = client.post(
        "/accounts/password/",
        {
            "current_password": PASSWORD,
            "new_password": "Zhangsan#2026",
            "new_password2": "Zhangsan#2026",
        },
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "SEC-2" in text and "姓名" in text
    assert world.zhang.user.check_password(PASSWORD)


def test_page_change_keeps_the_session(world):
    client = Client()
    client.force_login(world.zhang.user)
    response = client.post(
        "/accounts/password/",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


# -- expiry and must-change ----------------------------------------------------------------------


def test_r_sec_2_expired_password_forces_a_change_on_pages(world):
    client, response = login("zhangsan", PASSWORD)
    assert response.status_code == 302
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        client, _ = login("zhangsan", PASSWORD)
        page = client.get("/carriers/mine/")
        assert page.status_code == 302 and page["Location"].startswith("/accounts/password/")
        form = client.get(page["Location"])
        assert "口令已过期" in form.content.decode()
        done = client.post(
            "/accounts/password/",
            {
                "current_password": PASSWORD,
                "new_password": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
                "next": "/carriers/mine/",
            },
        )
        assert done.status_code == 302 and done["Location"] == "/carriers/mine/"
        assert client.get("/carriers/mine/").status_code == 200


def test_r_sec_2_expired_password_api_answers_403_sec_2_until_changed(world, api):
    client = api(world.zhang)
    assert client.get("me").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        blocked = client.get("carriers")
        error = assert_error(blocked, 403, "SEC-2")
        assert "过期" in error["message"]
        ok = client.post(
            "me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert ok.status_code == 200
        assert client.get("carriers").status_code == 200


def test_r_sec_2_shorter_max_age_applies_to_existing_accounts(world):
    actions.update_security_settings(world.sysadmin, max_age_days=3)
    account = Account.objects.get(user=world.zhang.user)
    assert account.password_expires_at == account.password_changed_at + timedelta(days=3)


def test_r_sec_2_reset_password_forces_a_change_at_next_login(world):
    password = actions.reset_password(world.sysadmin, world.zhang)
    client, response = login("zhangsan", password)
    assert response.status_code == 302
    page = client.get("/carriers/mine/")
    assert page["Location"].startswith("/accounts/password/")
    blocked = call(client, "get", "carriers")
    assert_error(blocked, 403, "SEC-2")
    opened = call(
        client,
        "post",
        "me/password",
        {"current_password": password, "new_password": NEW_PASSWORD},
    )
    assert opened.status_code == 200, opened.content
    assert client.get("/carriers/mine/").status_code == 200


def test_r_sec_2_forced_change_page_does_not_redirect_its_own_fragments_in_a_loop(world):
    """The header's bell (an HTMX load) on the password page once answered HX-Redirect to that
    very page: the browser reloaded it, loaded the bell again, and never let the person type."""
    password = actions.reset_password(world.sysadmin, world.clerk)
    client, _ = login(world.clerk.user.username, password)
    form_url = "http://testserver/accounts/password/?next=%2Fcarriers%2F"
    assert client.get("/accounts/password/").status_code == 200
    from_form = client.get("/alerts/count/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=form_url)
    assert from_form.status_code == 204 and "HX-Redirect" not in from_form
    # From any other page the fragment still sends the whole page to the change (SEC-2).
    elsewhere = client.get(
        "/alerts/count/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/carriers/",
    )
    assert elsewhere.status_code == 204
    assert elsewhere["HX-Redirect"].startswith("/accounts/password/")
