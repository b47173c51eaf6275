"""Destruction pages: lists, item-by-item check, submission, destruction, certificate (CR-12)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from baomi.approvals.choices import RequestKind
from baomi.carriers.choices import Status
from baomi.carriers.policies import is_clerk_of
from baomi.carriers.selectors import carriers_visible_to
from baomi.carriers.views import highest_marking
from baomi.destruction import actions
from baomi.destruction.certificate import certificate_pdf
from baomi.destruction.exports import DESTRUCTION_LISTS
from baomi.destruction.models import DestructionList, ListStatus, Method
from baomi.destruction.selectors import lists_visible_to
from baomi.lib import exports
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.org.models import Person
from baomi.web.forms import (
    IdsField,
    PostedForm,
    model_field,
    posted_id,
    posted_ids,
    refusal_of,
)
from baomi.web.views import business_person_required, not_found


class NewListForm(PostedForm):
    """A new 销毁清单 as the page posts it: ids are ids, the reason as long as the model allows."""

    carriers = IdsField()
    reason = model_field(DestructionList, "reason")


def _status_filter(request) -> str:
    status = request.GET.get("status", "")
    return status if status in ListStatus.values else ""


def _lists(request, status: str):
    """The lists the viewer may see, as the page filters them (?status=…); page and exports."""
    rows = lists_visible_to(request.person).select_related("created_by", "request")
    if status:
        rows = rows.filter(status=status)
    return rows.prefetch_related("items__carrier")


@business_person_required
def export(request, fmt: str):
    """销毁清单 as filtered on the page, as xlsx or PDF."""
    return exports.respond(
        request, DESTRUCTION_LISTS, _lists(request, _status_filter(request)), fmt
    )


@business_person_required
def list_page(request):
    person = request.person
    clerk = is_clerk_of(person, person.unit_id)
    refusal, status = None, 200
    listable = (
        carriers_visible_to(person)
        .filter(unit_id=person.unit_id, status__in=[Status.IN_REGISTRY, Status.ARCHIVED])
        .order_by("number", "copy_no")
    )
    if request.method == "POST" and clerk:
        try:
            data = NewListForm.parse(request.POST)
            chosen = list(listable.filter(pk__in=data["carriers"]))
            made = actions.create_list(person, chosen, reason=data["reason"])
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, f"已登记{made}。")
            return redirect("destruction:detail", pk=made.pk)
    wanted = _status_filter(request)
    lists = list(_lists(request, wanted))
    context = {
        "lists": lists,
        "wanted": wanted,
        "statuses": ListStatus.choices,
        "query": request.GET.urlencode(),
        "is_clerk": clerk,
        "listable": listable[:500] if clerk else [],
        "refusal": refusal,
        "watermark_text": True,
    }
    return render_page(request, "destruction/list.html", context, status=status)


@business_person_required
def detail(request, pk: int):
    person = request.person
    dlist = lists_visible_to(person).select_related("request", "created_by").filter(pk=pk).first()
    if dlist is None:
        return not_found(request)
    clerk = is_clerk_of(person, dlist.unit_id)
    refusal, status = None, 200
    if request.method == "POST" and clerk:
        op = request.POST.get("op")
        try:
            done = _perform(person, dlist, op, request.POST)
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("destruction:detail", pk=pk)
        dlist.refresh_from_db()
    items = list(dlist.items.select_related("carrier", "checked_by").order_by("id"))
    people = Person.objects.filter(
        unit_id=dlist.unit_id, active=True, is_automation=False, system_role=""
    ).order_by("name")
    context = {
        "dlist": dlist,
        "items": items,
        "is_clerk": clerk,
        "methods": Method.choices,
        "people": people,
        "approvers": people.filter(authorities__kind=RequestKind.DESTRUCTION),
        "witnesses": list(dlist.witnesses.all()),
        "refusal": refusal,
        "editable": dlist.status == ListStatus.DRAFT,
        "page_marking": highest_marking([i.carrier for i in items], "（本清单最高密级）"),
        "watermark_text": dlist.number,
    }
    return render_page(request, "destruction/detail.html", context, status=status)


def _perform(person, dlist, op: str | None, post) -> str:
    carrier = None
    if op in ("check", "unlist"):
        carrier = carriers_visible_to(person).filter(pk=posted_id(post.get("carrier"))).first()
        if carrier is None:
            raise Invalid("请选择载体。", {"carrier": ["请选择载体"]})
    if op == "check":
        actions.check_item(person, dlist, carrier)
        return f"已清点 {carrier.label}。"
    if op == "unlist":
        actions.unlist(person, dlist, carrier)
        return f"{carrier.label} 已移出清单，回到机要室。"
    people = Person.objects.filter(unit_id=dlist.unit_id, is_automation=False)
    if op == "submit":
        approver = people.filter(pk=posted_id(post.get("approver"))).first()
        if approver is None:
            raise Invalid("请选择审批人。", {"approver": ["请选择审批人"]})
        request = actions.submit(person, dlist, approver=approver, reason=post.get("reason", ""))
        return f"已报批（审批单 #{request.pk}）。"
    if op == "destroy":
        found = {p.pk: p for p in people.filter(pk__in=posted_ids(post.getlist("witnesses")))}
        witnesses = [
            found[i] for i in (posted_id(x) for x in post.getlist("witnesses")) if i in found
        ]
        actions.destroy(
            person,
            dlist,
            method=post.get("method", ""),
            place=post.get("place", ""),
            witnesses=witnesses,
        )
        return f"{dlist} 已全部销毁。"
    raise Invalid("未知操作。", {"op": ["未知操作"]})


@business_person_required
def certificate(request, pk: int):
    dlist = lists_visible_to(request.person).filter(pk=pk).first()
    if dlist is None or dlist.status != ListStatus.DESTROYED:
        return not_found(request)
    response = HttpResponse(certificate_pdf(dlist), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="destruction-{dlist.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
