"""Writing the audit log (SEC-4).

Every action writes its audit row inside its own transaction through `record`; refusals are
written by `record_refusal` in a transaction of their own after the action rolled back. A row
takes no lock beyond its own insert: the sequencer (audit/sequencer.py) orders and seals rows
later, so writers never wait for each other here.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BigIntegerField, Func
from django.utils import timezone

from baomi.audit.models import AuditEvent, Outcome
from baomi.lib import bulk
from baomi.lib.context import correlation_id

# The fields a leaf covers, in the (sorted) order the canonical JSON writes them.
HASHED_FIELDS = (
    "actor_id",
    "actor_name",
    "after",
    "algorithm",
    "at",
    "before",
    "correlation_id",
    "event_type",
    "message",
    "object_id",
    "object_text",
    "object_type",
    "outcome",
    "request_id",
    "rule_id",
    "seq",
    "unit_id",
)


def utc_text(value: datetime) -> str:
    # A naive time is UTC: that is how Django stores it and how SQLite hands it back raw.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(values: dict) -> bytes:
    """The bytes a leaf covers: sorted keys, no whitespace, UTF-8, times in UTC ISO form."""
    clean = {name: values[name] for name in HASHED_FIELDS}
    clean["at"] = utc_text(clean["at"])
    return json.dumps(clean, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(values: dict) -> str:
    """The row's leaf hash, hex: H(0x00 || canonical content) with the row's own algorithm."""
    return _tree(values["algorithm"]).leaf(canonical(values)).hex()


@functools.cache
def _tree(algorithm: str):
    from baomi.audit.merkle import Tree

    return Tree(algorithm)


def describe(obj) -> tuple[str, int | None, str]:
    """(type, id, text) of an audited object; its `audit_text` must hold no classified text."""
    if obj is None:
        return "", None, ""
    text = obj.audit_text() if hasattr(obj, "audit_text") else str(obj)
    return obj._meta.model_name, obj.pk, text[:200]


class CurrentXid(Func):
    """The inserting transaction's id on PostgreSQL (NULL elsewhere), for the sequencer."""

    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra):
        return "pg_current_xact_id()::text::bigint", []


SEQUENCE = "audit_event_seq"


def _next_seq() -> int:
    """A number of its own for the new row, without locking anything another writer needs.

    PostgreSQL: a sequence (never rolled back, so gaps are normal and mean nothing). SQLite: one
    writer at a time holds the database's write lock (IMMEDIATE transactions), so MAX + 1 is safe.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT nextval('{SEQUENCE}')")
        else:
            cursor.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_auditevent")
        return cursor.fetchone()[0]


def _values(
    seq: int,
    event_type: str,
    actor,
    obj,
    *,
    before: dict | None,
    after: dict | None,
    outcome: str,
    rule_id: str,
    message: str,
    request_id: int | None,
) -> dict:
    object_type, object_id, object_text = describe(obj)
    return {
        "seq": seq,
        "event_type": event_type,
        "outcome": outcome,
        "rule_id": rule_id,
        "message": message[:500],
        "actor_id": getattr(actor, "pk", None),
        "actor_name": getattr(actor, "name", None) or "匿名",
        "unit_id": getattr(actor, "unit_id", None),
        "object_type": object_type,
        "object_id": object_id,
        "object_text": object_text,
        "before": before,
        "after": after,
        "at": timezone.now(),
        "correlation_id": correlation_id(),
        "request_id": request_id,
        "algorithm": settings.BAOMI_AUDIT_HASH,
    }


def record(
    event_type: str,
    actor,
    obj=None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    outcome: str = Outcome.DONE,
    rule_id: str = "",
    message: str = "",
    request_id: int | None = None,
    seq: int | None = None,
) -> AuditEvent:
    """Insert one row into the log. Must run inside the caller's transaction. `seq`: a number
    the caller already drew from the sequence in a statement of its own (carriers.custody.lock
    does, to spare a round trip); by default one is drawn here."""
    _count_rows(1)
    values = _values(
        seq if seq is not None else _next_seq(),
        event_type,
        actor,
        obj,
        before=before,
        after=after,
        outcome=outcome,
        rule_id=rule_id,
        message=message,
        request_id=request_id,
    )
    event = AuditEvent(**values, hash=row_hash(values), xid=CurrentXid())
    event.save(force_insert=True)
    event.xid = None  # the expression is not a value; nobody reads it back
    return event


def rows_written() -> int:
    """How many audit rows this connection has written: a number drawn ahead (`record`'s
    `seq`) keeps the log's order only while no other row was written after it was drawn."""
    return getattr(connection, "baomi_audit_rows", 0)


def _count_rows(count: int) -> None:
    connection.baomi_audit_rows = rows_written() + count


def _next_seqs(count: int) -> list[int]:
    """`count` numbers of their own for a bulk insert (see `_next_seq`)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT nextval('{SEQUENCE}') FROM generate_series(1, %s)", [count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_auditevent")
        start = cursor.fetchone()[0]
        return list(range(start + 1, start + count + 1))


def _current_xid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return cursor.fetchone()[0]


def record_many(event_type: str, actor, entries) -> int:
    """One done row per `(obj, before, after)` of `entries`, in order: the same rows as one
    `record` each, inserted in bulk (an import writes thousands). Must run inside the caller's
    transaction. Returns how many rows were written."""
    entries = list(entries)
    if not entries:
        return 0
    _count_rows(len(entries))
    seqs, xid, rows = _next_seqs(len(entries)), _current_xid(), []
    for seq, (obj, before, after) in zip(seqs, entries, strict=True):
        values = _values(
            seq,
            event_type,
            actor,
            obj,
            before=before,
            after=after,
            outcome=Outcome.DONE,
            rule_id="",
            message="",
            request_id=None,
        )
        rows.append({**values, "hash": row_hash(values), "xid": xid})
    bulk.insert_values(AuditEvent, rows)
    return len(rows)


def record_refusal(
    event_type: str, actor, obj, error, *, request_id: int | None = None
) -> AuditEvent:
    """A refused attempt, in its own transaction: the business data stays as it was."""
    with transaction.atomic():
        return record(
            event_type,
            actor,
            obj,
            outcome=Outcome.REFUSED,
            rule_id=getattr(error, "rule_id", "") or getattr(error, "code", ""),
            message=getattr(error, "message", str(error)),
            request_id=request_id,
        )


def record_read(actor, obj) -> AuditEvent:
    """A read of a 机密/绝密 record (SEC-4, 条例20: who came to know it)."""
    with transaction.atomic():
        return record(f"{obj._meta.model_name}.read", actor, obj, outcome=Outcome.READ)


def record_list_read(actor, model_name: str, labels: list[str], *, form: str) -> AuditEvent | None:
    """One row for a list response that showed 机密/绝密 records (SEC-4): their numbers, never
    their text. Nothing when the response showed none."""
    if not labels:
        return None
    with transaction.atomic():
        return record(
            f"{model_name}.list_read",
            actor,
            None,
            outcome=Outcome.READ,
            after={"form": form, "count": len(labels), "numbers": labels},
        )


def verify(*args, **kwargs):
    """Recompute the log; see audit/verification.py."""
    from baomi.audit.verification import verify as run

    return run(*args, **kwargs)
