"""Writing and verifying the audit chain (SEC-4).

Every action writes its audit row inside its own transaction through `record`; refusals are
written by `record_refusal` in a transaction of their own after the action rolled back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from baomi.audit.models import AuditEvent, AuditHead, Outcome
from baomi.lib.context import correlation_id
from baomi.lib.crypto import digest_hex

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "event_type",
    "outcome",
    "rule_id",
    "message",
    "actor_id",
    "actor_name",
    "object_type",
    "object_id",
    "object_text",
    "before",
    "after",
    "at",
    "correlation_id",
    "request_id",
    "algorithm",
    "prev_hash",
)


def canonical(values: dict) -> bytes:
    """The bytes the hash covers: sorted keys, no whitespace, UTF-8, times in UTC ISO form."""
    clean = {}
    for name in HASHED_FIELDS:
        value = values[name]
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        clean[name] = value
    return json.dumps(clean, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(values: dict) -> str:
    return digest_hex(values["algorithm"], canonical(values))


def describe(obj) -> tuple[str, int | None, str]:
    """(type, id, text) of an audited object; its `audit_text` must hold no classified text."""
    if obj is None:
        return "", None, ""
    text = obj.audit_text() if hasattr(obj, "audit_text") else str(obj)
    return obj._meta.model_name, obj.pk, text[:200]


def _values(
    seq: int,
    prev_hash: str,
    event_type: str,
    actor,
    obj,
    *,
    before,
    after,
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
        "object_type": object_type,
        "object_id": object_id,
        "object_text": object_text,
        "before": before,
        "after": after,
        "at": timezone.now(),
        "correlation_id": correlation_id(),
        "request_id": request_id,
        "algorithm": settings.BAOMI_AUDIT_HASH,
        "prev_hash": prev_hash,
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
) -> AuditEvent:
    """Append one row to the chain. Must run inside the caller's transaction."""
    # Lock the head so two writers cannot both extend the same predecessor (a fork).
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    values = _values(
        head.seq + 1,
        head.hash,
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
    event = AuditEvent.objects.create(**values, hash=row_hash(values))
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def record_many(event_type: str, actor, entries) -> int:
    """Append one done row per `(obj, before, after)` of `entries`, in order, under one lock of
    the head: the same rows as one `record` each (a bulk import writes thousands). Must run
    inside the caller's transaction. Returns how many rows were written."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    seq, previous, rows = head.seq, head.hash, []
    for obj, before, after in entries:
        seq += 1
        values = _values(
            seq,
            previous,
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
        previous = row_hash(values)
        rows.append(AuditEvent(**values, hash=previous))
    if not rows:
        return 0
    AuditEvent.objects.bulk_create(rows, batch_size=500)
    head.seq, head.hash = seq, previous
    head.save(update_fields=["seq", "hash"])
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


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""


def verify(batch_size: int = 5000) -> VerifyResult:
    """Recompute the chain from the first row; stop at the first row that does not hold."""
    previous, expected_seq, checked = GENESIS, 1, 0
    rows = AuditEvent.objects.order_by("seq").values(*HASHED_FIELDS, "id", "hash")
    for row in rows.iterator(chunk_size=batch_size):
        problem = _row_problem(row, previous, expected_seq)
        if problem:
            return VerifyResult(False, checked, row["seq"], row["id"], problem)
        previous, expected_seq, checked = row["hash"], row["seq"] + 1, checked + 1
    head = AuditHead.objects.filter(id=1).first()
    if head and checked and (head.seq != expected_seq - 1 or head.hash != previous):
        return VerifyResult(
            False, checked, head.seq, None, "链头与最后一条记录不符（记录被删除？）"
        )
    return VerifyResult(True, checked)


def _row_problem(row: dict, previous: str, expected_seq: int) -> str:
    if row["seq"] != expected_seq:
        return f"序号不连续：应为 {expected_seq}，实为 {row['seq']}（记录被删除或插入）"
    if row["prev_hash"] != previous:
        return "前一哈希与上一条记录不符"
    if row_hash(row) != row["hash"]:
        return "内容与哈希不符（记录被篡改）"
    return ""
