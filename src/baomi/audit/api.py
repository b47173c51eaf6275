"""JSON API: the audit trail, for the 安全审计员 only (SEC-3, SEC-4).

The trail holds no classified text (carriers appear as number and level), so the auditor reads all
of it without any clearance. Anybody else gets 403 `forbidden`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Id,
    PageQuery,
    display,
    paginate,
    text,
)
from baomi.audit.checkpoints import publish
from baomi.audit.models import AuditCheckpoint, AuditEvent, CheckpointReason, Outcome
from baomi.audit.proofs import NotSealed, inclusion
from baomi.audit.verification import verify
from baomi.lib.errors import Forbidden, InvalidState, NotFound
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
    tree_size: int = Field(description="默克尔树的叶子数（已封存的记录数）")
    root: str = Field(description="重算得到的根哈希（十六进制）")
    pending: int = Field(description="尚未封存的记录数")
    problems: list[str]


def verify_message(result) -> str:
    if result.ok:
        pending = f"，另有 {result.pending} 条待封存" if result.pending else ""
        return f"审计日志完整：共校验 {result.checked} 条记录，树大小 {result.size}{pending}。"
    where = f"第 {result.broken_seq} 条" if result.broken_seq is not None else "日志"
    return f"审计日志在{where}处不成立：{result.reason}"


@router.get("/verify", response={200: VerifyOut, **READ_ERRORS}, summary="校验审计日志")
def verify_chain(request):
    """Seal what can be sealed, recompute every leaf and tree head; report what does not hold."""
    require_auditor(request.auth)
    result = verify()
    return {
        "ok": result.ok,
        "checked": result.checked,
        "broken_seq": result.broken_seq,
        "broken_id": result.broken_id,
        "reason": result.reason,
        "message": verify_message(result),
        "tree_size": result.size,
        "root": result.root,
        "pending": result.pending,
        "problems": result.problems,
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
    unit_id: int | None
    hash: str = Field(description="叶子哈希：H(0x00 || 规范内容)")
    sealed: bool = Field(description="是否已封存入默克尔树（否：待封存）")
    leaf_index: int | None = Field(description="在树中的叶子序号（从 0 起）")


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
    unit_id: Id | None = Field(None, description="操作人所在单位")
    sealed: bool | None = Field(None, description="true：已封存；false：待封存")
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
        "unit_id": e.unit_id,
        "hash": e.hash,
        "sealed": leaf_index_of(e) is not None,
        "leaf_index": leaf_index_of(e),
    }


def leaf_index_of(e: AuditEvent) -> int | None:
    try:
        return e.leaf.index
    except AuditEvent.leaf.RelatedObjectDoesNotExist:
        return None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@router.get("/events", response={200: AuditEventPage, **READ_ERRORS}, summary="审计记录")
def list_audit_events(request, query: Query[AuditQuery]):
    """Newest first; filters combine."""
    require_auditor(request.auth)
    events = AuditEvent.objects.select_related("leaf")
    exact = (
        "event_type",
        "outcome",
        "rule_id",
        "actor_id",
        "object_type",
        "object_id",
        "correlation_id",
        "request_id",
        "unit_id",
    )
    for name in exact:
        value = getattr(query, name)
        if value is not None and value != "":
            events = events.filter(**{name: value})
    if query.sealed is not None:
        events = events.filter(leaf__isnull=not query.sealed)
    if query.since:
        events = events.filter(at__gte=_start_of(query.since))
    if query.until:
        events = events.filter(at__lt=_start_of(query.until + timedelta(days=1)))
    return paginate(events.order_by("-seq"), query, event_out)


class CheckpointOut(Schema):
    id: int
    size: int = Field(description="树大小")
    root: str = Field(description="根哈希（十六进制）")
    origin: str
    reason: CheckpointReason
    reason_display: str
    subject: str
    at: datetime
    note: str = Field(description="C2SP 签名检查点全文")


class CheckpointPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CheckpointOut]


def checkpoint_out(c: AuditCheckpoint) -> dict:
    return {
        "id": c.pk,
        "size": c.size,
        "root": c.root,
        "origin": c.origin,
        "reason": c.reason,
        "reason_display": display(CheckpointReason, c.reason),
        "subject": c.subject,
        "at": c.at,
        "note": c.note,
    }


@router.get("/checkpoints", response={200: CheckpointPage, **READ_ERRORS}, summary="签名检查点")
def list_checkpoints(request, query: Query[PageQuery]):
    """Newest first: the checkpoints the sequencer published (hourly, and for each certificate
    or report) and those made on request."""
    require_auditor(request.auth)
    return paginate(AuditCheckpoint.objects.order_by("-at", "-id"), query, checkpoint_out)


@router.post("/checkpoints", response={201: CheckpointOut, **WRITE_ERRORS}, summary="生成检查点")
def create_checkpoint(request):
    """Seal what can be sealed and sign a checkpoint of the tree as it stands now."""
    require_auditor(request.auth)
    return 201, checkpoint_out(publish(CheckpointReason.MANUAL, subject=request.auth.name))


@router.get(
    "/checkpoints/{checkpoint_id}",
    response={200: CheckpointOut, **READ_ERRORS},
    summary="检查点详情",
)
def get_checkpoint(request, checkpoint_id: Id):
    require_auditor(request.auth)
    found = AuditCheckpoint.objects.filter(pk=checkpoint_id).first()
    if found is None:
        raise NotFound("没有这个检查点。")
    return checkpoint_out(found)


@router.get(
    "/checkpoints/{checkpoint_id}/note",
    response={200: str, **READ_ERRORS},
    summary="下载检查点文件",
)
def download_checkpoint(request, checkpoint_id: Id):
    """The signed note as a text file, for `baomi audit verify --checkpoint`."""
    require_auditor(request.auth)
    found = AuditCheckpoint.objects.filter(pk=checkpoint_id).first()
    if found is None:
        raise NotFound("没有这个检查点。")
    return note_response(found)


def note_response(checkpoint: AuditCheckpoint) -> HttpResponse:
    response = HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="checkpoint-{checkpoint.size}-{checkpoint.pk}.txt"'
    )
    return response


class ProofQuery(Schema):
    event: Id = Field(description="审计记录编号")


class ProofOut(Schema):
    event_id: int
    seq: int
    algorithm: str
    leaf_index: int
    tree_size: int
    root: str = Field(description="检查点的根哈希（十六进制）")
    entry: str = Field(description="记录的规范内容；叶子哈希 = H(0x00 || entry)")
    leaf_hash: str
    audit_path: list[str] = Field(description="RFC 9162 包含证明路径（十六进制）")
    checkpoint: str = Field(description="证明所依据的签名检查点")
    checkpoint_id: int


@router.get("/proofs", response={200: ProofOut, **WRITE_ERRORS}, summary="包含证明")
def inclusion_proof(request, query: Query[ProofQuery]):
    """Prove that one event is in the log: leaf index, audit path and a signed checkpoint."""
    require_auditor(request.auth)
    event = AuditEvent.objects.filter(pk=query.event).first()
    if event is None:
        raise NotFound("没有这条审计记录。")
    try:
        return inclusion(event)
    except NotSealed:
        raise InvalidState(
            "这条审计记录尚未封存（其事务之前仍有未结束的事务），请稍后再试。"
        ) from None
