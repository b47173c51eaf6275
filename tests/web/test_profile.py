"""我的信息 (/me/): API tokens are created by org.actions.create_token and shown once."""

from __future__ import annotations

from django.urls import reverse

from baomi.org.models import ApiToken

URL = reverse("web:profile")


def test_profile_shows_who_i_am(world, as_):
    html = as_(world.zhang).get(URL).content.decode()
    assert "张三" in html and "重要" in html and "办公室秘书科" in html


def test_a_token_is_created_and_shown_once(world, as_):
    client = as_(world.zhang)
    r = client.post(URL, {"label": "统计脚本"})
    html = r.content.decode()
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    token = html.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("bm_")
    stored = ApiToken.objects.get()
    assert stored.person == world.zhang and stored.digest == ApiToken.digest_of(token)
    assert stored.label == "统计脚本"
    assert token not in client.get(URL).content.decode()


def test_system_roles_may_have_a_token_too(world, as_):
    r = as_(world.auditor).post(URL, {"label": ""})
    assert r.status_code == 200 and ApiToken.objects.filter(person=world.auditor).exists()


def test_bad_input_is_a_form_error(world, as_):
    r = as_(world.zhang).post(URL, {"label": "x" * 101})
    assert r.status_code == 422 and "提交未成功" in r.content.decode()
    assert not ApiToken.objects.exists()


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(URL).status_code == 302
