"""SEC-4: `audit verify` over ranges of leaves in several processes (issue 10, speed) finds and
names exactly what the one-process walk finds — on an intact log, after a row is edited past the
trigger, and after a tree head is forged."""

from __future__ import annotations

import pytest
from django.db import transaction

from baomi.audit import verification
from baomi.audit.checkpoints import publish
from baomi.audit.models import AuditEvent
from baomi.audit.sequencer import seal
from baomi.audit.trail import record
from tests.factories import build_world
from tests.tamper import tamper

pytestmark = pytest.mark.postgres


def both_ways(monkeypatch) -> tuple[verification.VerifyResult, verification.VerifyResult]:
    """(parallel, sequential) results of the same verify, with checkpoints to prove against."""
    notes = [("cp", cp.note) for cp in verification.AuditCheckpoint.objects.order_by("size")]
    calls = []
    real = verification._walk_in_parallel

    def spy(*args):
        calls.append(args[-1])
        return real(*args)

    monkeypatch.setattr(verification, "_walk_in_parallel", spy)
    parallel = verification.verify(notes, seal_first=False)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute('SELECT COUNT(*), COALESCE(MAX("index"), -1) FROM audit_auditleaf')
        state = cursor.fetchone()
    assert calls == [2], ("the parallel walk did not run", connection.in_atomic_block, state)
    monkeypatch.setattr(verification, "_workers", lambda: 1)
    sequential = verification.verify(notes, seal_first=False)
    return parallel, sequential


def same(parallel, sequential) -> None:
    assert (parallel.ok, parallel.size, parallel.root, parallel.checked) == (
        sequential.ok,
        sequential.size,
        sequential.root,
        sequential.checked,
    )
    assert parallel.problems == sequential.problems
    assert (parallel.broken_seq, parallel.broken_id) == (
        sequential.broken_seq,
        sequential.broken_id,
    )
    assert [c.ok for c in parallel.checkpoints] == [c.ok for c in sequential.checkpoints]


@pytest.fixture
def log_of_ranges(committed_db, monkeypatch):
    """37 sealed leaves in ranges of 4 (so whole ranges, a part range and heads inside ranges),
    sealed in uneven batches, with two published checkpoints."""
    monkeypatch.setattr(verification, "RANGE_BITS", 2)
    monkeypatch.setattr(verification, "PARALLEL_FROM", 1)
    w = build_world()
    # One committed transaction that seals its own rows batch by batch: the sequencer seals
    # other transactions' rows only once every older transaction on the (shared) server ended.
    with transaction.atomic():
        for batch in (3, 5, 1, 7, 2, 4, 4, 6):
            for _ in range(batch):
                record("bench.audit", w.clerk, w.unit, after={"n": batch})
            seal()
            if batch == 1:
                publish()
        publish()
    assert AuditEvent.objects.filter(leaf__isnull=False).count() >= 32
    return w


def test_r_sec_4_parallel_verify_agrees_with_the_sequential_walk_on_an_intact_log(
    log_of_ranges, monkeypatch
):
    parallel, sequential = both_ways(monkeypatch)
    assert parallel.ok, parallel.problems
    same(parallel, sequential)


def test_r_sec_4_parallel_verify_names_an_edited_row_as_the_sequential_walk_does(
    log_of_ranges, monkeypatch
):
    rows = list(AuditEvent.objects.order_by("seq"))
    row = rows[len(rows) // 2]
    tamper("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["王五", row.pk])
    parallel, sequential = both_ways(monkeypatch)
    assert not parallel.ok and parallel.broken_id == row.pk
    same(parallel, sequential)


def test_r_sec_4_parallel_verify_names_a_forged_tree_head_as_the_sequential_walk_does(
    log_of_ranges, monkeypatch
):
    tamper(
        "UPDATE audit_audittreehead SET root = %s WHERE size = (SELECT MIN(size) FROM"
        " audit_audittreehead WHERE size > 4)",
        ["00" * 32],
    )
    parallel, sequential = both_ways(monkeypatch)
    assert not parallel.ok and "树头" in parallel.reason
    same(parallel, sequential)
