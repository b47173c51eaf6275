"""Handover pages (交接, CR-13): open a list of someone's holdings, both sign, complete."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from baomi.carriers.policies import is_clerk_of
from baomi.carriers.views import highest_marking
from baomi.handover import actions
from baomi.handover.exports import HANDOVERS
from baomi.handover.models import HandoverStatus
from baomi.handover.selectors import handovers_visible_to
from baomi.lib import exports
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.org.models import Person
from baomi.web.forms import posted_id, refusal_of
from baomi.web.views import business_person_required, not_found


def _status_filter(request) -> str:
    status = request.GET.get("status", "")
    return status if status in HandoverStatus.values else ""


def _handovers(request, status: str):
    """The handovers the viewer may see, as the page filters them (?status=…); page and exports."""
    rows = handovers_visible_to(request.person)
    if status:
        rows = rows.filter(status=status)
    return rows.prefetch_related("items__carrier")


@business_person_required
def export(request, fmt: str):
    """交接单 as filtered on the page, as xlsx or PDF."""
    return exports.respond(request, HANDOVERS, _handovers(request, _status_filter(request)), fmt)


@business_person_required
def list_page(request):
    person = request.person
    clerk = is_clerk_of(person, person.unit_id)
    people = Person.objects.filter(
        unit_id=person.unit_id, is_automation=False, system_role=""
    ).order_by("name")
    refusal, status = None, 200
    if request.method == "POST" and clerk:
        giver = people.filter(pk=posted_id(request.POST.get("person"))).first()
        receiver = people.filter(pk=posted_id(request.POST.get("receiver"))).first()
        try:
            if giver is None or receiver is None:
                raise Invalid("请选择移交人和接收人。", {"person": ["请选择移交人和接收人"]})
            made = actions.open_handover(
                person, giver, receiver, reason=request.POST.get("reason", "")
            )
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, f"已建立{made}，请双方签字确认。")
            return redirect("handover:detail", pk=made.pk)
    wanted = _status_filter(request)
    context = {
        "handovers": _handovers(request, wanted),
        "wanted": wanted,
        "statuses": HandoverStatus.choices,
        "query": request.GET.urlencode(),
        "is_clerk": clerk,
        "people": people,
        "refusal": refusal,
    }
    return render_page(request, "handover/list.html", context, status=status)


@business_person_required
def detail(request, pk: int):
    person = request.person
    handover = handovers_visible_to(person).filter(pk=pk).first()
    if handover is None:
        return not_found(request)
    refusal, status = None, 200
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "confirm":
                actions.confirm(person, handover)
                done = "已签字确认。"
            elif op == "complete":
                actions.complete(person, handover)
                done = "交接完成，载体已转到接收人名下。"
            elif op == "cancel":
                actions.cancel(person, handover)
                done = "交接单已取消。"
            else:
                raise Invalid("未知操作。", {"op": ["未知操作"]})
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("handover:detail", pk=pk)
        handover.refresh_from_db()
    carriers = [i.carrier for i in handover.items.select_related("carrier", "carrier__holder")]
    context = {
        "h": handover,
        "carriers": carriers,
        "is_clerk": is_clerk_of(person, handover.unit_id),
        "is_party": person.pk in (handover.person_id, handover.receiver_id),
        "refusal": refusal,
        "page_marking": highest_marking(carriers, "（本交接单最高密级）"),
        "watermark_text": f"交接单 #{handover.pk}",
    }
    return render_page(request, "handover/detail.html", context, status=status)
