"""Request pages: 申请 (list), 新申请, the request page with its decisions, 待我审批."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from baomi.approvals import actions
from baomi.approvals.choices import RequestKind, RequestStatus, StepOutcome
from baomi.approvals.exports import REQUESTS
from baomi.approvals.filters import RequestFilter
from baomi.approvals.forms import ApproveForm, NewRequestForm, RejectForm
from baomi.approvals.models import ApprovalStep, Request, RequestItem, step_states
from baomi.approvals.rules import requests_visible_to
from baomi.approvals.tables import RequestTable
from baomi.carriers.policies import is_clerk_of
from baomi.carriers.selectors import carrier_for, carriers_visible_to
from baomi.carriers.views import highest_marking
from baomi.lib import exports
from baomi.lib.errors import BaomiError
from baomi.lib.htmx import render_page
from baomi.web.forms import Refusal, apply_error, refusal_of
from baomi.web.views import business_person_required, not_found

PER_PAGE = 25


def with_parts(queryset):
    """Carriers and approvers of each request in two extra queries, whatever the page size."""
    return queryset.select_related("requester", "beneficiary").prefetch_related(
        Prefetch("items", RequestItem.objects.select_related("carrier").order_by("id")),
        Prefetch("steps", ApprovalStep.objects.select_related("approver")),
    )


def _filtered(request, queryset) -> RequestFilter:
    """The requests as the list filters them (?status=…&kind=…); the page and its exports."""
    return RequestFilter(request.GET or None, queryset=with_parts(queryset))


def _list_page(request, queryset, *, heading: str, filterable: bool):
    filterset = _filtered(request, queryset)
    table = RequestTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    shown = [row.record for row in table.page.object_list] if table.page else []
    carriers = [item.carrier for r in shown for item in r.items.all()]
    context = {
        "heading": heading,
        "filter": filterset if filterable else None,
        "exportable": filterable,
        "table": table,
        "page_marking": highest_marking(carriers, "（本页所列载体最高密级）"),
        "watermark_text": True,
    }
    return render_page(
        request,
        "approvals/list.html",
        context,
        partial="approvals/partials/_table.html",
        target="request-table",
    )


@business_person_required
def request_list(request):
    """申请: what I asked for, what names me, what I decide; clerks see the unit's."""
    return _list_page(request, requests_visible_to(request.person), heading="申请", filterable=True)


@business_person_required
def export(request, fmt: str):
    """申请 as filtered and sorted on the page, as xlsx or PDF."""
    filterset = _filtered(request, requests_visible_to(request.person))
    rows = exports.in_table_order(RequestTable, filterset.qs, request)
    return exports.respond(request, REQUESTS, rows, fmt)


@business_person_required
def inbox(request):
    """待我审批: pending steps addressed to me."""
    person = request.person
    pending = Request.objects.filter(
        status=RequestStatus.PENDING,
        pk__in=ApprovalStep.objects.filter(approver=person, outcome=StepOutcome.PENDING).values(
            "request_id"
        ),
    )
    return _list_page(request, pending, heading="待我审批", filterable=False)


@business_person_required
def new(request):
    """新申请 (?carrier=<id>&kind=loan prefills from the carrier page)."""
    person = request.person
    initial = {}
    if request.method == "GET":
        carrier_id = request.GET.get("carrier", "")
        if carrier_id:
            carrier = carrier_for(person, int(carrier_id)) if carrier_id.isdigit() else None
            if carrier is None:
                return not_found(request)
            initial["carriers"] = carrier.label
        if request.GET.get("kind") in RequestKind.values:
            initial["kind"] = request.GET["kind"]
    form = NewRequestForm(request.POST or None, person=person, initial=initial)
    refusal, status = None, 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                created = actions.create_request(person, form.request_form())
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                messages.success(
                    request,
                    f"申请 #{created.pk} 已提交，等待{form.cleaned_data['approver'].name}审批。",
                )
                return redirect("approvals:detail", pk=created.pk)
        else:
            refusal = Refusal("invalid", "申请信息有误，请检查下面标红的项目。", 422, False)
    return render_page(
        request, "approvals/new.html", {"form": form, "refusal": refusal}, status=status
    )


def _visible_request(person, pk):
    return with_parts(requests_visible_to(person)).filter(pk=pk).first()


@business_person_required
def detail(request, pk: int):
    req = _visible_request(request.person, pk)
    if req is None:
        return not_found(request)
    return render_detail(request, req)


def render_detail(request, req, *, approve_form=None, reject_form=None, refusal=None, status=200):
    person = request.person
    items = list(req.items.all())
    visible_ids = set(
        carriers_visible_to(person)
        .filter(pk__in=[i.carrier_id for i in items])
        .values_list("pk", flat=True)
    )
    pending_step = next((s for s in req.steps.all() if s.outcome == StepOutcome.PENDING), None)
    may_decide = (
        req.status == RequestStatus.PENDING
        and pending_step is not None
        and pending_step.approver_id == person.pk
    )
    context = {
        "req": req,
        "items": [
            {"item": i, "carrier": i.carrier, "visible": i.carrier_id in visible_ids} for i in items
        ],
        "steps": step_states(req.steps.all(), open_request=req.status == RequestStatus.PENDING),
        "may_decide": may_decide,
        "may_withdraw": req.status == RequestStatus.PENDING and req.requester_id == person.pk,
        "may_execute": req.status == RequestStatus.APPROVED and is_clerk_of(person, req.unit_id),
        "approve_form": approve_form or ApproveForm(),
        "reject_form": reject_form or RejectForm(),
        "refusal": refusal,
        "page_marking": highest_marking([i.carrier for i in items], "（申请所列载体最高密级）"),
        "watermark_text": f"申请 #{req.pk}",
    }
    return render_page(request, "approvals/detail.html", context, status=status)


def _decide(request, pk, form_class, perform, done):
    person = request.person
    req = _visible_request(person, pk)
    if req is None:
        return not_found(request)
    form = form_class(request.POST) if form_class else None
    refusal, status = None, 422
    if form is None or form.is_valid():
        try:
            perform(person, req, form.cleaned_data if form else {})
        except BaomiError as error:
            refusal = apply_error(form, error) if form else refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("approvals:detail", pk=pk)
    else:
        refusal = Refusal("invalid", "提交的内容有误。", 422, False)
    req = _visible_request(person, pk)
    bound = (
        {"approve_form": form}
        if form_class is ApproveForm
        else ({"reject_form": form} if form_class is RejectForm else {})
    )
    return render_detail(request, req, refusal=refusal, status=status, **bound)


@require_POST
@business_person_required
def approve(request, pk: int):
    def perform(person, req, data):
        actions.approve(
            person,
            req,
            comment=data.get("comment", ""),
            issuer_consent_doc=data.get("issuer_consent_doc", ""),
            issuer_consent_date=data.get("issuer_consent_date"),
        )

    return _decide(request, pk, ApproveForm, perform, f"已批准申请 #{pk}。")


@require_POST
@business_person_required
def reject(request, pk: int):
    def perform(person, req, data):
        actions.reject(person, req, reason=data["reason"])

    return _decide(request, pk, RejectForm, perform, f"已驳回申请 #{pk}。")


@require_POST
@business_person_required
def withdraw(request, pk: int):
    def perform(person, req, data):
        actions.withdraw(person, req)

    return _decide(request, pk, None, perform, f"已撤回申请 #{pk}。")
