"""`baomi init`: the first unit and the three system accounts, once per database (SEC-3)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from baomi.accounts.models import Account
from baomi.audit.models import AuditEvent
from baomi.classification.choices import Authority
from baomi.org.models import Person, Unit
from tests.accounts.conftest import NEW_PASSWORD, login
from tests.factories import db_state

ARGS = ["init", "--unit", "XX县保密局", "--code", "X01", "--authority", "无"]


def run_init(*extra: str) -> tuple[list[list[str]], str]:
    out, err = StringIO(), StringIO()
    call_command(*ARGS, *extra, stdout=out, stderr=err)
    return [line.split("\t") for line in out.getvalue().splitlines()], err.getvalue()


@pytest.mark.django_db
def test_init_creates_the_unit_and_the_three_system_accounts():
    lines, err = run_init("--superior-name", "XX市保密局", "--superior-code", "S01")
    assert [line[0] for line in lines] == ["sysadmin", "secadmin", "auditor"]
    assert all(len(line) == 2 and len(line[1]) >= 14 for line in lines)
    unit = Unit.objects.get(code="X01")
    assert unit.classification_authority == Authority.NONE
    assert unit.parent == Unit.objects.get(code="S01", name="XX市保密局")
    for username, password in lines:
        person = Person.objects.get(user__username=username)
        assert person.system_role == username and person.unit == unit
        assert person.user.check_password(password)
        assert Account.objects.get(user=person.user).must_change_password
        assert password not in err
    assert "已初始化" in err
    events = list(AuditEvent.objects.values_list("event_type", flat=True))
    assert events.count("unit.create") == 2 and events.count("account.create") == 3
    assert "system.init" in events
    assert not any(p in str(e.after) for e in AuditEvent.objects.all() for _, p in lines)


@pytest.mark.django_db
def test_init_accepts_the_authority_by_its_chinese_name():
    run_init("--authority", "机密")
    assert Unit.objects.get(code="X01").classification_authority == Authority.SECRET


@pytest.mark.django_db
def test_init_runs_once_a_second_run_exits_2_and_changes_nothing():
    run_init()
    before = db_state()
    users = list(Account.objects.values_list("pk", "user__password"))
    with pytest.raises(CommandError) as second:
        run_init()
    assert second.value.returncode == 2
    assert "已初始化" in str(second.value) and "XX县保密局" in str(second.value)
    assert db_state() == before
    assert list(Account.objects.values_list("pk", "user__password")) == users


def test_init_on_the_demo_or_a_world_exits_2(world):
    before = db_state()
    with pytest.raises(CommandError) as refused:
        run_init()
    assert refused.value.returncode == 2
    assert db_state() == before


@pytest.mark.django_db
def test_init_exits_2_from_the_console_with_a_chinese_message(capsys, monkeypatch):
    run_init()
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["baomi", *ARGS[:1], "--skip-checks", *ARGS[1:]]).execute()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "本数据库已初始化" in err


@pytest.mark.django_db
def test_init_refuses_half_a_superior():
    with pytest.raises(CommandError) as refused:
        run_init("--superior-name", "XX市保密局")
    assert refused.value.returncode == 2 and "同时给出" in str(refused.value)
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_the_sysadmin_logs_in_with_the_printed_password_and_must_change_it(settings):
    settings.BAOMI_OTP_REQUIRED_FOR_SYSTEM_ROLES = False
    lines, _ = run_init()
    password = dict(lines)["sysadmin"]
    client, response = login("sysadmin", password)
    assert response.status_code == 302
    page = client.get("/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/accounts/password/")
    assert "首次登录" in page.content.decode()
    changed = client.post(
        "/accounts/password/",
        {"current_password": password, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert client.get("/accounts/").status_code == 200
    assert not Account.objects.get(user__username="sysadmin").must_change_password
