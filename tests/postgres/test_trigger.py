"""SEC-4 on PostgreSQL: the audit table refuses UPDATE, DELETE and TRUNCATE, whoever asks."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from baomi.audit.models import AuditEvent
from baomi.audit.trail import verify

pytestmark = pytest.mark.postgres

STATEMENTS = {
    "update": "UPDATE audit_auditevent SET actor_name = '王五' WHERE id = %s",
    "delete": "DELETE FROM audit_auditevent WHERE id = %s",
    "truncate": "TRUNCATE audit_auditevent",
}


def snapshot() -> list[tuple]:
    return list(AuditEvent.objects.order_by("seq").values_list("seq", "actor_name", "hash"))


@pytest.mark.parametrize("operation", list(STATEMENTS))
def test_r_sec_4_audit_table_refuses_changes_on_postgresql(world, operation):
    before = snapshot()
    row = AuditEvent.objects.order_by("seq")[len(before) // 2]
    sql = STATEMENTS[operation]
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, [row.pk] if "%s" in sql else [])
    assert "append-only" in str(refusal.value) and operation.upper() in str(refusal.value)
    assert snapshot() == before
    assert verify().ok


@pytest.mark.parametrize(
    "table", ["audit_auditleaf", "audit_audittreehead", "audit_auditcheckpoint"]
)
@pytest.mark.parametrize("operation", ["UPDATE", "DELETE", "TRUNCATE"])
def test_r_sec_4_every_audit_table_is_append_only(world, table, operation):
    from baomi.audit.checkpoints import publish

    publish()  # seals: a leaf, a head and a checkpoint exist
    column = '"index"' if table == "audit_auditleaf" else "size"
    statement = {
        "UPDATE": f"UPDATE {table} SET {column} = {column} + 1000",
        "DELETE": f"DELETE FROM {table}",
        # CASCADE, as a hostile administrator would: rows elsewhere (a yearly report) point here.
        "TRUNCATE": f"TRUNCATE {table} CASCADE",
    }[operation]
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as c:
        c.execute(statement)
    assert "append-only" in str(refusal.value) and operation in str(refusal.value)
    assert verify().ok
