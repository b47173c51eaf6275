"""Pages: 发文 (CR-9), 清退 (CR-10), 传阅单 (CR-4, CR-5), 审批路径与单位设置 (APR, CR-7, CR-8).

Thin: parse the POST, call the action, show its refusal (rule id, Chinese) or redirect."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from baomi.approvals import actions as approval_actions
from baomi.approvals.choices import PolicyRole, RequestKind
from baomi.approvals.models import ApprovalPolicy
from baomi.carriers import slips
from baomi.carriers.actions import READING_PLACE_KINDS
from baomi.carriers.models import Carrier, CirculationSlip, Place
from baomi.carriers.policies import is_clerk_of
from baomi.carriers.selectors import carriers_visible_to
from baomi.carriers.views import highest_marking
from baomi.classification.choices import Level
from baomi.dispatch import actions
from baomi.dispatch.choices import Channel, RecallInterval
from baomi.dispatch.exports import DISPATCHES, XLSX, recall_list_pdf, recall_list_xlsx
from baomi.dispatch.models import Dispatch, IssuerRecallSchedule, RecallItem
from baomi.dispatch.recall import recall_rounds, round_for, within_days_of
from baomi.lib import exports
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.org import actions as org
from baomi.org.choices import SystemRole
from baomi.org.models import Person
from baomi.web.forms import IdField, PostedForm, model_field, posted_ids, refusal_of
from baomi.web.views import business_person_required, forbidden, not_found, person_required


def _clerk_only(request):
    if not is_clerk_of(request.person, request.person.unit_id):
        return forbidden(request, "只有本单位保密员可以办理发文、清退和传阅单。")
    return None


def _carriers_by_labels(person: Person, text: str) -> list[Carrier]:
    labels = [t for t in text.replace("，", ",").replace("\n", ",").split(",") if t.strip()]
    found = []
    for label in (t.strip() for t in labels):
        number, _, copy_no = label.rpartition("-")
        carrier = (
            carriers_visible_to(person).filter(number=number, copy_no=int(copy_no)).first()
            if copy_no.isdigit()
            else None
        )
        if carrier is None:
            raise Invalid(f"载体 {label} 不存在，或您无权查看。", {"carriers": [label]})
        found.append(carrier)
    if not found:
        raise Invalid("请填写载体编号。", {"carriers": ["请填写载体编号"]})
    return found


def _named_person(person: Person, person_id: str) -> Person:
    found = _people(person, [person_id])
    if not found:
        raise Invalid("请选择本单位人员。", {"person": ["请选择本单位人员"]})
    return found[0]


def _people(person: Person, ids: list[str]) -> list[Person]:
    wanted = posted_ids(ids)
    found = {
        p.pk: p
        for p in Person.objects.filter(pk__in=wanted, unit_id=person.unit_id, is_automation=False)
    }
    return [found[i] for i in wanted if i in found]


def _unit_people(person: Person):
    return Person.objects.filter(
        unit_id=person.unit_id, is_automation=False, system_role="", active=True
    ).order_by("department_id", "id")


# --- 发文 -----------------------------------------------------------------------------------------

RECEIPTS = {
    "pending": ("待回执", Q(receipt_at__isnull=True)),
    "done": ("已回执", Q(receipt_at__isnull=False)),
}
SHOW_DISPATCHES = 200


def _dispatch_filters(request) -> dict:
    g = request.GET
    return {
        "channel": g.get("channel", "") if g.get("channel") in Channel.values else "",
        "receipt": g.get("receipt", "") if g.get("receipt") in RECEIPTS else "",
    }


def _dispatches(request, filters: dict):
    """The unit's 发文, newest first, as the list filters them; the page and its exports."""
    rows = (
        Dispatch.objects.filter(unit_id=request.person.unit_id)
        .select_related("sent_by")
        .prefetch_related("couriers", "items__carrier")
    )
    if filters["channel"]:
        rows = rows.filter(channel=filters["channel"])
    if filters["receipt"]:
        rows = rows.filter(RECEIPTS[filters["receipt"]][1])
    return rows


@business_person_required
def dispatch_page(request):
    """发文登记 and the list of what was sent."""
    denied = _clerk_only(request)
    if denied:
        return denied
    person, refusal, status = request.person, None, 200
    if request.method == "POST":
        try:
            sent = actions.dispatch(
                person,
                actions.DispatchForm(
                    carriers=_carriers_by_labels(person, request.POST.get("carriers", "")),
                    recipient_unit=request.POST.get("recipient_unit", ""),
                    recipient_person=request.POST.get("recipient_person", ""),
                    channel=request.POST.get("channel", ""),
                    couriers=_people(person, request.POST.getlist("couriers")),
                    note=request.POST.get("note", ""),
                ),
            )
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, f"发文 #{sent.pk} 已登记，载体已发出。")
            return redirect("dispatch:list")
    filters = _dispatch_filters(request)
    rows = _dispatches(request, filters)[:SHOW_DISPATCHES]
    carriers = [i.carrier for d in rows for i in d.items.all()]
    context = {
        "rows": rows,
        "filters": filters,
        "receipts": [(key, label) for key, (label, _) in RECEIPTS.items()],
        "query": request.GET.urlencode(),
        "channels": Channel.choices,
        "people": _unit_people(person),
        "refusal": refusal,
        "post": request.POST,
        "page_marking": highest_marking(carriers, "（本页所列载体最高密级）"),
        "watermark_text": True,
    }
    return render_page(request, "dispatch/dispatches.html", context, status=status)


@business_person_required
def export(request, fmt: str):
    """发文 as filtered on the page, every row (not only the first 200), as xlsx or PDF."""
    denied = _clerk_only(request)
    if denied:
        return denied
    rows = _dispatches(request, _dispatch_filters(request))
    return exports.respond(request, DISPATCHES, rows, fmt)


@require_POST
@business_person_required
def receipt(request, pk: int):
    denied = _clerk_only(request)
    if denied:
        return denied
    sent = Dispatch.objects.filter(pk=pk, unit_id=request.person.unit_id).first()
    if sent is None:
        return not_found(request)
    try:
        actions.record_receipt(request.person, sent, signed_by=request.POST.get("signed_by", ""))
    except BaomiError as error:
        messages.error(request, f"{refusal_of(error).label}：{error.message}")
    else:
        messages.success(request, f"发文 #{pk} 的回执已登记。")
    return redirect("dispatch:list")


# --- 清退 -----------------------------------------------------------------------------------------


class ScheduleForm(PostedForm):
    """清退周期 as the page posts it, bounded and typed as IssuerRecallSchedule is."""

    issuer = model_field(IssuerRecallSchedule, "issuer")
    interval_months = model_field(IssuerRecallSchedule, "interval_months")
    starts_on = forms.DateField()


class RecallForm(PostedForm):
    carrier = IdField()
    received_by = model_field(RecallItem, "received_by")


@business_person_required
def recalls(request):
    """待清退 per issuer, the schedules, and the per-carrier 清退 button."""
    denied = _clerk_only(request)
    if denied:
        return denied
    person, refusal, status = request.person, None, 200
    if request.method == "POST":
        try:
            if request.POST.get("op") == "schedule":
                data = ScheduleForm.parse(request.POST)
                actions.set_schedule(
                    person,
                    person.unit,
                    issuer=data["issuer"],
                    interval_months=int(data["interval_months"]),
                    starts_on=data["starts_on"],
                )
                messages.success(request, "清退周期已保存。")
            else:
                data = RecallForm.parse(request.POST)
                carrier = carriers_visible_to(person).filter(pk=data["carrier"]).first()
                if carrier is None:
                    return not_found(request)
                actions.recall(person, carrier, received_by=data["received_by"])
                messages.success(request, f"载体 {carrier.label} 已清退。")
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            return redirect("dispatch:recalls")
    within_days = within_days_of(request.GET.get("within"))
    rounds = recall_rounds(
        person.unit, timezone.localdate(), within_days=within_days, viewer=person
    )
    context = {
        "rounds": rounds,
        "within": within_days,
        "today": timezone.localdate(),
        "schedules": IssuerRecallSchedule.objects.filter(unit_id=person.unit_id),
        "intervals": RecallInterval.choices,
        "refusal": refusal,
        "page_marking": highest_marking(
            [c for r in rounds for c in r.carriers], "（本页所列载体最高密级）"
        ),
        "watermark_text": True,
    }
    return render_page(request, "dispatch/recalls.html", context, status=status)


def _date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise Invalid(
            "日期格式应为 YYYY-MM-DD。", {"starts_on": ["日期格式应为 YYYY-MM-DD"]}
        ) from exc


@business_person_required
def recall_list(request, fmt: str):
    denied = _clerk_only(request)
    if denied:
        return denied
    if fmt not in ("pdf", "xlsx"):
        return not_found(request)
    person = request.person
    # The same query and horizon as the page the link was on (`?within=`): what is printed is
    # what was on the screen.
    entry = round_for(
        person,
        request.GET.get("issuer", ""),
        timezone.localdate(),
        within_days=within_days_of(request.GET.get("within")),
    )
    if fmt == "pdf":
        response = HttpResponse(
            recall_list_pdf(person.unit, entry, person), content_type="application/pdf"
        )
    else:
        response = HttpResponse(recall_list_xlsx(person.unit, entry, person), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="recall-list.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# --- 传阅单 ---------------------------------------------------------------------------------------


def _slips_of(person):
    return CirculationSlip.objects.filter(carrier__in=carriers_visible_to(person).values("pk"))


@business_person_required
def slip_list(request):
    person, refusal, status = request.person, None, 200
    if request.method == "POST":
        denied = _clerk_only(request)
        if denied:
            return denied
        try:
            carrier = _carriers_by_labels(person, request.POST.get("carrier", ""))[0]
            readers = _people(person, request.POST.getlist("readers"))
            order = posted_ids(request.POST.getlist("readers"))
            readers.sort(key=lambda p: order.index(p.pk))
            slip = slips.create_slip(person, carrier, readers, note=request.POST.get("note", ""))
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, f"传阅单 #{slip.pk} 已登记。")
            return redirect("dispatch:slip", pk=slip.pk)
    rows = (
        _slips_of(person)
        .select_related("carrier", "created_by")
        .prefetch_related("readers__reader")[:200]
    )
    context = {
        "rows": rows,
        "people": _unit_people(person),
        "may_create": is_clerk_of(person, person.unit_id),
        "refusal": refusal,
        "page_marking": highest_marking([s.carrier for s in rows], "（本页所列载体最高密级）"),
        "watermark_text": True,
    }
    return render_page(request, "dispatch/slips.html", context, status=status)


@business_person_required
def slip_detail(request, pk: int):
    person = request.person
    slip = _slips_of(person).select_related("carrier").filter(pk=pk).first()
    if slip is None:
        return not_found(request)
    refusal, status = None, 200
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "send":
                place_id = request.POST.get("reading_place", "")
                place = (
                    Place.objects.filter(pk=int(place_id), unit_id=person.unit_id).first()
                    if place_id.isdigit()
                    else None
                )
                slips.send_next(person, slip, reading_place=place)
            elif op == "ack":
                slips.acknowledge(person, slip)
            elif op == "return":
                slips.take_back(person, slip)
            elif op == "cancel":
                slips.cancel(person, slip, reason=request.POST.get("reason", ""))
            else:
                raise Invalid("未知操作。", {"op": ["未知操作"]})
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            return redirect("dispatch:slip", pk=pk)
        slip.refresh_from_db()
    if request.GET.get("print"):
        response = HttpResponse(slips.slip_pdf(slip, person), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="slip-{slip.pk}.pdf"'
        return response
    out = slips.current_reader(slip)
    context = {
        "slip": slip,
        "carrier": slip.carrier,
        "readers": slip.readers.select_related("reader").order_by("order"),
        "current": out,
        "next": slips.next_reader(slip),
        "is_clerk": is_clerk_of(person, slip.unit_id),
        "reading_places": Place.objects.filter(
            unit_id=slip.unit_id, kind__in=READING_PLACE_KINDS
        ).order_by("name"),
        "is_reader": out is not None and out.reader_id == person.pk,
        "refusal": refusal,
        "page_marking": highest_marking([slip.carrier]),
        "watermark_text": f"传阅单 #{slip.pk}",
    }
    return render_page(request, "dispatch/slip.html", context, status=status)


# --- 审批路径与单位设置 ----------------------------------------------------------------------------


@person_required
def policies(request):
    """Everyone of the unit may read the paths; the security officer edits them."""
    person = request.person
    is_secadmin = person.system_role == SystemRole.SECADMIN
    refusal, status = None, 200
    if request.method == "POST":
        try:
            op = request.POST.get("op")
            if op == "defaults":
                approval_actions.install_default_policies(person, person.unit)
            elif op == "settings":
                if not is_secadmin:
                    return forbidden(request, "只有安全保密管理员可以修改单位保密设置（SEC-3）。")
                org.update_unit_settings(
                    person,
                    person.unit,
                    issuer_consent_for_secret=bool(request.POST.get("issuer_consent_for_secret")),
                    forbid_state_secret_take_out=bool(
                        request.POST.get("forbid_state_secret_take_out")
                    ),
                )
            else:
                roles = [r for r in request.POST.getlist("roles") if r]
                person_id = request.POST.get("person", "")
                steps = []
                for role in roles:
                    named = (
                        _named_person(person, person_id)
                        if role == PolicyRole.PERSON and person_id
                        else None
                    )
                    steps.append((role, named))
                approval_actions.set_policy(
                    person,
                    person.unit,
                    request.POST.get("kind", ""),
                    request.POST.get("level", ""),
                    steps,
                )
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, "已保存。")
            return redirect("dispatch:policies")
    context = {
        "policies": ApprovalPolicy.objects.filter(unit_id=person.unit_id).prefetch_related(
            "steps__person"
        ),
        "unit": person.unit,
        "is_secadmin": is_secadmin,
        "kinds": RequestKind.choices,
        "levels": Level.choices,
        "roles": PolicyRole.choices,
        "people": _unit_people(person),
        "refusal": refusal,
    }
    return render_page(request, "dispatch/policies.html", context, status=status)
