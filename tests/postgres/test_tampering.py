"""SEC-4 on PostgreSQL: a superuser who gets past the trigger is still caught by the log."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from baomi.audit.models import AuditEvent
from baomi.audit.sequencer import seal
from tests.tamper import tamper

pytestmark = pytest.mark.postgres


def verify_fails() -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert exit_.value.code == 1
    return err.getvalue()


def middle_row() -> AuditEvent:
    rows = list(AuditEvent.objects.order_by("seq"))
    return rows[len(rows) // 2]


def test_r_sec_4_tampering_past_the_trigger_with_replica_role_is_named(world):
    row = middle_row()
    tamper(
        'UPDATE audit_auditevent SET actor_name = %s, "after" = %s::jsonb WHERE id = %s',
        ["王五", '{"clearance": "core"}', row.pk],
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"  # the trigger is back on
    assert AuditEvent.objects.get(pk=row.pk).actor_name == "王五"

    err = verify_fails()
    assert f"序号 {row.seq}" in err and f"记录编号 {row.pk}" in err and "篡改" in err


def test_r_sec_4_deleting_with_the_trigger_disabled_is_named(world):
    seal()  # the sequencer has run: the row has its leaf
    row = middle_row()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    assert not AuditEvent.objects.filter(pk=row.pk).exists()

    err = verify_fails()
    assert f"记录编号 {row.pk}" in err and "记录被删除" in err
