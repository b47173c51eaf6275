"""SEC-4: `baomi audit verify` recomputes the log and names the first row that does not hold.

Runs on SQLite and on PostgreSQL (there past the append-only trigger, as a superuser could)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from baomi.approvals.choices import RequestKind
from baomi.audit.models import AuditEvent
from baomi.carriers import actions
from tests.factories import approved, receive
from tests.tamper import json_param, tamper


def run_verify() -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `baomi audit verify`."""
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def chain(world):
    """The world plus some custody movements: a chain of a few dozen rows."""
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    actions.acknowledge(w.zhang, carrier)
    actions.return_to_registry(w.clerk, carrier)
    actions.lend(w.clerk, carrier, approved(w, RequestKind.LOAN, [carrier]))
    actions.return_to_registry(w.clerk, carrier)
    return w


def middle_row() -> AuditEvent:
    rows = list(AuditEvent.objects.order_by("seq"))
    return rows[len(rows) // 2]


def test_r_sec_4_verify_passes_on_an_untouched_chain(chain):
    code, out, err = run_verify()
    assert code == 0, err
    count = AuditEvent.objects.count()
    assert out.strip() == f"审计日志完整：{count} 条记录，树大小 {count}"
    assert err == ""


def test_r_sec_4_verify_names_a_row_whose_actor_was_changed(chain):
    row = middle_row()
    tamper("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["钱领导", row.pk])
    assert AuditEvent.objects.get(pk=row.pk).actor_name == "钱领导"  # the tamper took

    code, out, err = run_verify()
    assert code == 1 and out == ""
    assert f"序号 {row.seq}" in err and f"记录编号 {row.pk}" in err
    assert "篡改" in err


def test_r_sec_4_verify_names_a_row_whose_after_was_changed(chain):
    row = AuditEvent.objects.filter(event_type="carrier.lend").get()
    forged = {**row.after, "holder_name": "王五"}
    tamper(
        f'UPDATE audit_auditevent SET "after" = {json_param()} WHERE id = %s',
        [json.dumps(forged, ensure_ascii=False), row.pk],
    )

    code, _, err = run_verify()
    assert code == 1
    assert f"序号 {row.seq}" in err and "篡改" in err


def test_r_sec_4_verify_detects_a_deleted_middle_row(chain):
    row = middle_row()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])

    code, _, err = run_verify()
    assert code == 1
    # Its leaf remains and names the record that is gone.
    assert f"记录编号 {row.pk}" in err and "记录被删除" in err


def test_r_sec_4_verify_detects_a_deleted_last_row(chain):
    row = AuditEvent.objects.order_by("-seq").first()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])

    code, _, err = run_verify()
    assert code == 1
    assert f"记录编号 {row.pk}" in err and "记录被删除" in err
