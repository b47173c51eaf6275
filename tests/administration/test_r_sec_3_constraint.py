"""SEC-3 in the database: `person_system_role_excludes_business` refuses a system-role person with
a business flag or a clearance, whatever writes the row (the actions refuse it first). Runs on
SQLite and — where DATABASE_URL points at it — on PostgreSQL (tests/postgres runs it there too)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from baomi.org.models import Person


@pytest.mark.parametrize(
    "change",
    [
        {"is_registry_clerk": True},
        {"is_classifier": True},
        {"is_unit_head": True},
        {"clearance": "general"},
    ],
)
def test_r_sec_3_database_refuses_a_business_role_beside_a_system_role(world, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=world.secadmin.pk).update(**change)
    assert not Person.objects.filter(pk=world.secadmin.pk, **change).exists()


def test_r_sec_3_database_refuses_a_system_role_beside_a_business_role(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=world.clerk.pk).update(system_role="auditor")


def test_r_sec_3_database_allows_business_people_and_plain_system_accounts(world):
    Person.objects.filter(pk=world.zhang.pk).update(is_registry_clerk=True, clearance="core")
    Person.objects.filter(pk=world.auditor.pk).update(post="审计")
    assert Person.objects.filter(is_registry_clerk=True, pk=world.zhang.pk).exists()
