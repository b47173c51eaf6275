"""The auditor's pages (SEC-3, SEC-4): the audit log, filterable by unit; its check; the signed
checkpoints (list, download, make one); an inclusion proof for one event."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from baomi.audit.api import note_response
from baomi.audit.checkpoints import publish
from baomi.audit.exports import TRAIL
from baomi.audit.filters import AuditFilter
from baomi.audit.models import AuditCheckpoint, AuditEvent, CheckpointReason
from baomi.audit.proofs import NotSealed, check_inclusion, inclusion
from baomi.audit.signing import export_public_key_text
from baomi.audit.tables import AuditTable
from baomi.audit.verification import verify
from baomi.lib import exports
from baomi.lib.htmx import is_htmx, render_page
from baomi.org.choices import SystemRole
from baomi.web.views import forbidden, person_required

PER_PAGE = 50


def _auditor_only(request):
    if request.person.system_role != SystemRole.AUDITOR:
        return forbidden(request, "只有安全审计员可以查看审计记录（SEC-3 三员分立）。")
    return None


def _trail(request) -> AuditFilter:
    """The log as the page filters it (?event_type=…&since=…); the page and its exports."""
    return AuditFilter(request.GET or None, queryset=AuditEvent.objects.select_related("leaf"))


@person_required
def audit_list(request):
    denied = _auditor_only(request)
    if denied:
        return denied
    filterset = _trail(request)
    table = AuditTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    context = {"filter": filterset, "table": table, "watermark_text": True}
    return render_page(
        request,
        "audit/list.html",
        context,
        partial="audit/partials/_table.html",
        target="audit-table",
    )


@person_required
def export(request, fmt: str):
    """The filtered log, in the page's order, as xlsx or PDF (an audited read itself)."""
    denied = _auditor_only(request)
    if denied:
        return denied
    rows = exports.in_table_order(AuditTable, _trail(request).qs, request)
    return exports.respond(request, TRAIL, rows, fmt)


@person_required
def verify_chain(request):
    """校验审计日志: seal, recompute every leaf and tree head; report what does not hold (SEC-4)."""
    denied = _auditor_only(request)
    if denied:
        return denied
    result = verify()
    if is_htmx(request):
        return render_page(request, "audit/partials/_verify.html", {"result": result})
    filterset = AuditFilter(None, queryset=AuditEvent.objects.select_related("leaf"))
    table = AuditTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    context = {"filter": filterset, "table": table, "watermark_text": True, "result": result}
    return render_page(request, "audit/list.html", context)


@person_required
def checkpoints(request):
    """The signed checkpoints, newest first, each downloadable; the verifier key to hand over."""
    denied = _auditor_only(request)
    if denied:
        return denied
    rows = AuditCheckpoint.objects.order_by("-at", "-id")[:200]
    context = {"checkpoints": rows, "vkey": export_public_key_text(), "reasons": CheckpointReason}
    return render_page(request, "audit/checkpoints.html", context)


@require_POST
@person_required
def create_checkpoint(request):
    denied = _auditor_only(request)
    if denied:
        return denied
    made = publish(CheckpointReason.MANUAL, subject=request.person.name)
    messages.success(request, f"已生成检查点：树大小 {made.size}。")
    return redirect("audit:checkpoints")


@person_required
def download_checkpoint(request, pk: int):
    denied = _auditor_only(request)
    if denied:
        return denied
    return note_response(get_object_or_404(AuditCheckpoint, pk=pk))


@person_required
def proof(request):
    """包含证明: that one event is in the log, checkable offline against its checkpoint."""
    denied = _auditor_only(request)
    if denied:
        return denied
    event_id = request.GET.get("event", "")
    event = AuditEvent.objects.filter(pk=int(event_id)).first() if event_id.isdigit() else None
    context = {"event": event, "event_id": event_id}
    if event is not None:
        try:
            found = inclusion(event)
        except NotSealed:
            context["not_sealed"] = True
        else:
            context.update(proof=found, proof_ok=check_inclusion(found))
            if request.GET.get("format") == "json":
                return _json_download(found)
    status = 404 if event_id and event is None else 200
    return render_page(request, "audit/proof.html", context, status=status)


def _json_download(found: dict):
    from django.http import HttpResponse

    response = HttpResponse(
        json.dumps(found, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="proof-{found["event_id"]}.json"'
    return response
