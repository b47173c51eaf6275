"""JSON API: the audit trail, for the 安全审计员 only (SEC-3, SEC-4).

The trail holds no classified text (carriers appear as number and level), so the auditor reads all
of it without any clearance. Anybody else gets 403 `forbidden`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api.schemas import READ_ERRORS, Day, Id, PageQuery, display, paginate, text
from baomi.audit.models import AuditEvent, Outcome
from baomi.audit.trail import verify
from baomi.lib.errors import Forbidden
from baomi.org.choices import SystemRole
from baomi.org.models import Person

router = Router()


def require_auditor(person: Person) -> None:
    if person.system_role != SystemRole.AUDITOR:
        raise Forbidden("只有安全审计员可以查阅和校验审计记录（SEC-3 三员分立）。")


class VerifyOut(Schema):
    ok: bool
    checked: int = Field(description="已校验的记录数")
    broken_seq: int | None
    broken_id: int | None
    reason: str
    message: str


@router.get("/verify", response={200: VerifyOut, **READ_ERRORS}, summary="校验审计链")
def verify_chain(request):
    """Recompute the hash chain from the first row; report the first row that does not hold."""
    require_auditor(request.auth)
    result = verify()
    message = (
        f"审计链完整：共校验 {result.checked} 条记录。"
        if result.ok
        else f"审计链在第 {result.broken_seq} 条处断裂：{result.reason}"
    )
    return {
        "ok": result.ok,
        "checked": result.checked,
        "broken_seq": result.broken_seq,
        "broken_id": result.broken_id,
        "reason": result.reason,
        "message": message,
    }


class AuditEventOut(Schema):
    id: int
    seq: int
    event_type: str
    event_type_display: str
    outcome: str
    outcome_display: str
    rule_id: str
    message: str
    actor_id: int | None
    actor_name: str
    object_type: str
    object_id: int | None
    object_text: str
    before: Any
    after: Any
    at: datetime
    correlation_id: str
    request_id: int | None
    hash: str
    prev_hash: str


class AuditEventPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AuditEventOut]


class AuditQuery(PageQuery):
    event_type: text(64) | None = Field(None, description="如 carrier.lend")
    outcome: Outcome | None = None
    rule_id: text(16) | None = None
    actor_id: Id | None = None
    object_type: text(32) | None = Field(None, description="如 carrier、request")
    object_id: Id | None = None
    correlation_id: text(64) | None = None
    request_id: Id | None = None
    since: Day | None = Field(None, description="起始日期（含）")
    until: Day | None = Field(None, description="截止日期（含）")


def event_out(e: AuditEvent) -> dict:
    return {
        "id": e.pk,
        "seq": e.seq,
        "event_type": e.event_type,
        "event_type_display": e.event_label,
        "outcome": e.outcome,
        "outcome_display": display(Outcome, e.outcome),
        "rule_id": e.rule_id,
        "message": e.message,
        "actor_id": e.actor_id,
        "actor_name": e.actor_name,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "object_text": e.object_text,
        "before": e.before,
        "after": e.after,
        "at": e.at,
        "correlation_id": e.correlation_id,
        "request_id": e.request_id,
        "hash": e.hash,
        "prev_hash": e.prev_hash,
    }


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@router.get("/events", response={200: AuditEventPage, **READ_ERRORS}, summary="审计记录")
def list_audit_events(request, query: Query[AuditQuery]):
    """Newest first; filters combine."""
    require_auditor(request.auth)
    events = AuditEvent.objects.all()
    exact = (
        "event_type",
        "outcome",
        "rule_id",
        "actor_id",
        "object_type",
        "object_id",
        "correlation_id",
        "request_id",
    )
    for name in exact:
        value = getattr(query, name)
        if value is not None and value != "":
            events = events.filter(**{name: value})
    if query.since:
        events = events.filter(at__gte=_start_of(query.since))
    if query.until:
        events = events.filter(at__lt=_start_of(query.until + timedelta(days=1)))
    return paginate(events.order_by("-seq"), query, event_out)
