"""SEC-1: every action is done by an authenticated named person; shared accounts are impossible."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from baomi.audit.models import AuditEvent
from baomi.lib.errors import Invalid
from baomi.org import actions as org
from baomi.org.models import Person
from tests.factories import PASSWORD, receive


def test_r_sec_1_an_account_belongs_to_one_person_only(world):
    w = world
    with transaction.atomic(), pytest.raises(IntegrityError):
        Person.objects.create(unit=w.unit, name="借用张三账号的人", user=w.zhang.user)


def test_r_sec_1_a_username_cannot_be_issued_twice(world):
    w = world
    before = Person.objects.count()
    with pytest.raises(Invalid, match="用户名已存在") as refused:
        org.create_person(
            w.system, w.unit, name="另一个张三", username="zhangsan", password=PASSWORD
        )
    assert refused.value.detail == {"username": ["用户名已存在"]}
    assert Person.objects.count() == before


def test_r_sec_1_nothing_is_done_or_shown_without_a_named_login(world):
    carrier = receive(world)
    anonymous = Client()
    assert anonymous.get("/api/v1/carriers").status_code == 401
    response = anonymous.post(
        f"/api/v1/carriers/{carrier.pk}/void", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    page = anonymous.get(f"/carriers/{carrier.pk}/")
    assert page.status_code == 302 and "/login/" in page["Location"]


def test_r_sec_1_every_audit_row_names_the_person_who_acted(world):
    w = world
    receive(world)
    rows = AuditEvent.objects.filter(event_type="carrier.register")
    assert rows.exists()
    assert all(r.actor_id == w.clerk.pk and r.actor_name == w.clerk.name for r in rows)
