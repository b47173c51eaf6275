"""SEC-2: repeated failures lock the account; the lockout page says so in Chinese."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import PASSWORD


def test_r_sec_2_lockout_page_after_repeated_failures(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "zhangsan", "password": "wrong-password"})
    r = client.post(reverse("login"), {"username": "zhangsan", "password": PASSWORD})
    html = r.content.decode()
    assert r.status_code in (403, 429)
    assert "账号已暂时锁定" in html and "SEC-2" in html
    assert "_auth_user_id" not in client.session


def test_login_page_and_home_redirects(world, client):
    assert client.get(reverse("login")).status_code == 200
    r = client.post(reverse("login"), {"username": "baomiyuan", "password": PASSWORD})
    assert r.status_code == 302
    assert client.get(reverse("home")).url == reverse("carriers:list")
