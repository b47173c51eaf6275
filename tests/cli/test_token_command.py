"""`baomi token create <username>`: a token that authenticates, shown once; unknown users refused."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from baomi.audit.models import AuditEvent
from baomi.org.models import ApiToken


def test_token_create_prints_a_token_whose_digest_is_stored(world):
    out, err = StringIO(), StringIO()
    call_command("token", "create", "baomiyuan", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert token.startswith("bm_") and len(token) > 30
    stored = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    assert stored.person == world.clerk and not stored.revoked
    assert token not in {t.digest for t in ApiToken.objects.all()}  # only the digest is kept
    assert "赵保密" in err.getvalue()
    event = AuditEvent.objects.filter(event_type="token.create").get()
    assert event.object_id == world.clerk.pk and token not in str(event.after)


def test_token_create_authenticates_against_the_api(world, client):
    out = StringIO()
    call_command("token", "create", "zhangsan", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    answer = client.get("/api/v1/carriers", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200, answer.content
    refused = client.get("/api/v1/carriers", HTTP_AUTHORIZATION="Bearer bm_not-a-token")
    assert refused.status_code == 401


def test_token_create_refuses_an_unknown_user_in_chinese(world):
    with pytest.raises(CommandError) as refusal:
        call_command("token", "create", "nobody", stdout=StringIO(), stderr=StringIO())
    assert refusal.value.returncode == 2
    assert "没有用户名为“nobody”的人员" in str(refusal.value)
    assert not ApiToken.objects.exists()


def test_token_create_exits_2_from_the_console(world, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends; the test's transaction needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["baomi", "token", "--skip-checks", "create", "nobody"]).execute()
    assert exit_.value.code == 2
    assert "没有用户名为“nobody”的人员" in capsys.readouterr().err
    assert not ApiToken.objects.exists()
