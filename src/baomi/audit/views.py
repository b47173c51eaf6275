"""The auditor's page (SEC-3, SEC-4): the audit trail, filterable, and a chain check."""

from __future__ import annotations

from django_tables2 import RequestConfig

from baomi.audit.exports import TRAIL
from baomi.audit.filters import AuditFilter
from baomi.audit.models import AuditEvent
from baomi.audit.tables import AuditTable
from baomi.audit.trail import verify
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
    """The trail as the page filters it (?event_type=…&since=…); the page and its exports."""
    return AuditFilter(request.GET or None, queryset=AuditEvent.objects.all())


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
    """The filtered trail, in the page's order, as xlsx or PDF (an audited read itself)."""
    denied = _auditor_only(request)
    if denied:
        return denied
    rows = exports.in_table_order(AuditTable, _trail(request).qs, request)
    return exports.respond(request, TRAIL, rows, fmt)


@person_required
def verify_chain(request):
    """校验审计链: recompute every hash; report the first broken row (SEC-4)."""
    denied = _auditor_only(request)
    if denied:
        return denied
    result = verify()
    if is_htmx(request):
        return render_page(request, "audit/partials/_verify.html", {"result": result})
    filterset = AuditFilter(None, queryset=AuditEvent.objects.all())
    table = AuditTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    context = {"filter": filterset, "table": table, "watermark_text": True, "result": result}
    return render_page(request, "audit/list.html", context)
