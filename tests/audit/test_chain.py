"""SEC-4: every change, every refusal and every read of 机密/绝密 is one row of the audit log,
hashed as it is written and sealed into the Merkle tree; the log holds no classified text."""

from __future__ import annotations

import contextlib
import json

from django.db import connection

from baomi.approvals.choices import RequestKind
from baomi.audit.models import AuditEvent, AuditLeaf, AuditTreeHead, Outcome
from baomi.audit.sequencer import seal
from baomi.audit.trail import HASHED_FIELDS, record_read, row_hash, verify
from baomi.carriers import actions
from baomi.carriers.models import CustodyEvent
from baomi.classification.choices import Level
from baomi.lib.errors import BaomiError
from tests.factories import approved, receive

TITLE = "关于绝密工程甲的部署方案"
NEW_TITLE = "关于绝密工程乙的部署方案"
REMARK = "内含工程甲坐标"


def last_row() -> AuditEvent | None:
    return AuditEvent.objects.order_by("-seq").first()


def assert_appends_one_linked_row(do, *, outcome=Outcome.DONE, rule_id=""):
    """Run `do()`; exactly one row must follow, hashed over its content, and sealing must make it
    the next leaf of the tree."""
    previous = last_row()
    try:
        do()
    except BaomiError:
        assert outcome == Outcome.REFUSED
    rows = list(AuditEvent.objects.filter(seq__gt=previous.seq).order_by("seq"))
    assert len(rows) == 1, [r.event_type for r in rows]
    row = rows[0]
    assert row.seq > previous.seq
    values = {f: getattr(row, f) for f in HASHED_FIELDS}
    assert row.hash == row_hash(values)
    assert (row.outcome, row.rule_id) == (outcome, rule_id)
    seal()
    assert AuditLeaf.objects.get(event=row).index == AuditLeaf.objects.count() - 1
    return row


def test_r_sec_4_the_log_is_sealed_into_a_tree_and_verifies(world):
    assert not AuditLeaf.objects.exists()  # written, not yet sealed
    result = verify()  # seals first (catch-up), then recomputes
    assert result.ok and result.checked == AuditEvent.objects.count() == result.size
    assert list(AuditLeaf.objects.values_list("event__seq", flat=True)) == list(
        AuditEvent.objects.values_list("seq", flat=True)
    )
    assert AuditTreeHead.objects.latest("size").root == result.root


def test_r_sec_4_every_action_adds_exactly_one_linked_row(world):
    w = world
    carrier = receive(w)
    request = approved(w, RequestKind.LOAN, [carrier])
    steps = [
        ("carrier.circulate", lambda: actions.circulate(w.clerk, carrier, w.zhang)),
        ("carrier.acknowledge", lambda: actions.acknowledge(w.zhang, carrier)),
        ("carrier.return", lambda: actions.return_to_registry(w.clerk, carrier)),
        ("carrier.lend", lambda: actions.lend(w.clerk, carrier, request)),
        ("carrier.return", lambda: actions.return_to_registry(w.clerk, carrier)),
        ("carrier.relocate", lambda: actions.relocate(w.clerk, carrier, w.safe)),
        ("carrier.amend", lambda: actions.amend(w.clerk, carrier, {"pages": 4}, reason="页数")),
        ("carrier.report_lost", lambda: actions.report_lost(w.clerk, carrier)),
        ("carrier.found", lambda: actions.found(w.clerk, carrier)),
    ]
    for event_type, do in steps:
        events_before = CustodyEvent.objects.count()
        row = assert_appends_one_linked_row(do)
        assert row.event_type == event_type
        assert row.object_id == carrier.pk
        assert CustodyEvent.objects.count() == events_before + 1
    assert verify().ok


def test_r_sec_4_registration_and_copies_add_one_row_per_carrier(world):
    w = world
    before = last_row().seq
    made = receive(w, copies=3)
    rows = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [r.object_id for r in rows] == [c.pk for c in made]
    assert {r.event_type for r in rows} == {"carrier.register"}
    request = approved(w, RequestKind.COPY, [made[0]], copies=2)
    before = last_row().seq
    copies = actions.copy(w.clerk, made[0], request, copies=2)
    rows = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [r.object_id for r in rows] == [c.pk for c in copies] + [made[0].pk]
    assert all(r.request_id == request.pk for r in rows)
    assert verify().ok


def test_r_sec_4_refusals_are_audited_with_the_rule_id(world):
    w = world
    carrier = receive(w)
    row = assert_appends_one_linked_row(
        lambda: actions.lend(w.clerk, carrier, None), outcome=Outcome.REFUSED, rule_id="CR-6"
    )
    assert row.event_type == "carrier.lend"
    assert (row.actor_id, row.actor_name) == (w.clerk.pk, "赵保密")
    assert (row.object_type, row.object_id) == ("carrier", carrier.pk)
    assert row.object_text == carrier.audit_text() == f"{carrier.label} 机密"
    assert "CR-6" in row.message
    row = assert_appends_one_linked_row(
        lambda: actions.circulate(w.clerk, carrier, w.li),
        outcome=Outcome.REFUSED,
        rule_id="PER-1",
    )
    row = assert_appends_one_linked_row(
        lambda: actions.acknowledge(w.li, carrier), outcome=Outcome.REFUSED, rule_id="forbidden"
    )
    assert verify().ok


def test_r_sec_4_reads_are_audited(world):
    w = world
    carrier = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    row = assert_appends_one_linked_row(
        lambda: record_read(w.leader, carrier), outcome=Outcome.READ
    )
    assert row.event_type == "carrier.read"
    assert (row.actor_name, row.object_id) == ("钱领导", carrier.pk)
    assert row.object_text == f"{carrier.label} 绝密"
    assert verify().ok


def test_r_sec_4_amending_the_title_records_a_redaction_not_the_text(world):
    w = world
    carrier = receive(w, title=TITLE)
    row = assert_appends_one_linked_row(
        lambda: actions.amend(
            w.clerk, carrier, {"title": NEW_TITLE, "remarks": REMARK}, reason="标题录入错误"
        )
    )
    assert set(row.before) == {"title", "remarks"}
    assert row.before["title"] == row.after["title"] == "〔涉密内容，不入审计〕"
    assert row.after["remarks"] == "〔涉密内容，不入审计〕"
    assert row.after["reason"] == "标题录入错误"
    carrier.refresh_from_db()
    assert carrier.title == NEW_TITLE


def test_r_sec_4_the_trail_never_holds_the_title(world):
    w = world
    carrier = receive(w, title=TITLE, copies=2)[0]
    actions.circulate(w.clerk, carrier, w.zhang)
    actions.acknowledge(w.zhang, carrier)
    for attempt in (
        lambda: actions.circulate(w.clerk, carrier, w.classifier),  # CR-4 sideways
        lambda: actions.void(w.clerk, carrier, reason="x"),  # invalid state
        lambda: actions.lend(w.clerk, carrier, None),
    ):
        with contextlib.suppress(BaomiError):
            attempt()
    actions.return_to_registry(w.clerk, carrier)
    request = approved(w, RequestKind.COPY, [carrier], copies=1)
    actions.copy(w.clerk, carrier, request, copies=1)
    actions.amend(w.clerk, carrier, {"title": NEW_TITLE, "remarks": REMARK}, reason="更正")
    record_read(w.clerk, carrier)
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED).count() == 3
    for row in AuditEvent.objects.all():
        text = json.dumps(
            [row.object_text, row.message, row.before, row.after, row.event_type],
            ensure_ascii=False,
        )
        for secret in (TITLE, NEW_TITLE, REMARK, "工程甲", "工程乙"):
            assert secret not in text, (row.seq, row.event_type, text)


def tamper(sql: str, params: list) -> None:
    """Raw SQL as an attacker with database access would write it, once the rows are sealed.
    On PostgreSQL the append-only trigger is switched off first (the test rolls that back)."""
    seal()
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql.format(table=table), params)


def test_r_sec_4_tampering_with_a_row_is_detected(world):
    w = world
    receive(w)
    victim = AuditEvent.objects.order_by("seq")[3]
    tamper("UPDATE {table} SET actor_name = %s WHERE id = %s", ["别人", victim.pk])
    result = verify()
    assert not result.ok and result.broken_seq == victim.seq


def test_r_sec_4_deleting_the_last_row_is_detected(world):
    w = world
    receive(w)
    last = last_row()
    tamper("DELETE FROM {table} WHERE id = %s", [last.pk])
    assert not verify().ok


def test_r_sec_4_sealing_in_small_batches_seals_every_row_once(world):
    receive(world, copies=3)
    total = AuditEvent.objects.count()
    assert seal(batch_size=7) == total
    assert seal(batch_size=7) == 0
    indexes = list(AuditLeaf.objects.order_by("index").values_list("index", flat=True))
    assert indexes == list(range(total))
    assert AuditTreeHead.objects.count() == -(-total // 7)
    assert verify().ok


def test_the_sequencer_worker_seals_and_publishes_then_stops(world):
    from baomi.audit.models import AuditCheckpoint
    from baomi.audit.sequencer import run_forever

    rounds = []
    run_forever(0, checkpoint_every=0, stop=lambda: rounds.append(1) or len(rounds) > 2)
    assert AuditLeaf.objects.count() == AuditEvent.objects.count()
    assert AuditCheckpoint.objects.get().size == AuditEvent.objects.count()
