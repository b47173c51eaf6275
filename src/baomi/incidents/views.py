"""Incident pages (INC-1): the list with each report's 24-hour clock, reporting one, and one
report with its record, carriers, the authority report, the draft confirmation (CR-14) and the
committee's closure; 应急预案与演练 (INC-2)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from baomi.incidents import actions, preparedness
from baomi.incidents.choices import IncidentState
from baomi.incidents.exports import INCIDENTS
from baomi.incidents.forms import (
    AuthorityReportForm,
    CloseForm,
    ConfirmForm,
    DrillForm,
    EntryForm,
    IncidentForm,
    LinkCarriersForm,
    PlanForm,
    carriers_by_label,
)
from baomi.incidents.policies import may_close, may_handle, may_investigate
from baomi.incidents.preparedness_api import plan_file_response
from baomi.incidents.selectors import (
    drills_visible_to,
    incident_for,
    incidents_visible_to,
    plans_visible_to,
    still_lost_in,
)
from baomi.lib import clock, exports
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.web.forms import apply_error, refusal_of
from baomi.web.views import business_person_required, not_found


def _listed(request):
    rows = incidents_visible_to(request.person).select_related("discovered_by")
    state = request.GET.get("state", "")
    if state in IncidentState.values:
        rows = rows.filter(state=state)
    return rows.order_by("-discovered_at", "-id"), state


@business_person_required
def list_page(request):
    rows, state = _listed(request)
    return render_page(
        request,
        "incidents/list.html",
        {
            "incidents": rows[:500],
            "query": request.GET.urlencode(),
            "now": clock.now(),
            "states": IncidentState.choices,
            "state": state,
            "keeps_plans": may_investigate(request.person, request.person.unit_id),
        },
    )


@business_person_required
def export(request, fmt: str):
    rows, _state = _listed(request)
    return exports.respond(request, INCIDENTS, rows.prefetch_related("carriers"), fmt)


@business_person_required
def new(request):
    """INC-1: anyone reports at once."""
    person = request.person
    form = IncidentForm(request.POST or None, person=person)
    refusal, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            incident = actions.open_incident(
                person,
                kind=d["kind"],
                summary=d["summary"],
                level=d["level"],
                discovered_at=d["discovered_at"],
                discovered_where=d["discovered_where"],
                discovered_by=d["discovered_by"],
                carriers=carriers_by_label(person, d["carrier_labels"]),
                information=d["information"],
                how=d["how"],
                harm=d["harm"],
                remedies=d["remedies"],
            )
        except BaomiError as error:
            refusal = apply_error(form, error)
            status = refusal.status
        else:
            messages.success(
                request, f"已报告{incident}，请保密办在 24 小时内上报保密行政管理部门。"
            )
            return redirect("incidents:detail", incident.pk)
    elif request.method == "POST":
        status = 422
    return render_page(
        request, "incidents/new.html", {"form": form, "refusal": refusal}, status=status
    )


def _post(request, incident, forms: dict) -> str:
    """One operation of the detail page; raises the action's refusal."""
    person, op = request.person, request.POST.get("op", "")
    form = forms.get(op)
    if form is None:
        raise Invalid("未知操作，或当前状态不允许此操作。", {"op": ["未知操作"]})
    if not form.is_valid():
        raise Invalid("输入有误，请按提示修改。", {})
    d = form.cleaned_data
    if op == "authority":
        actions.report_to_authority(person, incident, reference=d["reference"])
        return "已记录上报保密行政管理部门。"
    if op == "link":
        actions.link_carriers(person, incident, carriers_by_label(person, d["carrier_labels"]))
        return "已关联载体。"
    if op == "entry":
        actions.add_entry(person, incident, kind=d["kind"], text=d["text"])
        return "已追加记录。"
    if op == "confirm":
        actions.confirm_draft(
            person, incident, still_missing=list(d["still_missing"]), note=d["note"]
        )
        return "已确认，仍未找到的载体已报失。"
    actions.close_incident(
        person,
        incident,
        cause=d["cause"],
        responsibility=d["responsibility"],
        responsible_person=d["responsible_person"],
    )
    return "事件已结案。"


@business_person_required
def detail(request, pk: int):
    person = request.person
    incident = incident_for(person, pk)
    if incident is None:
        return not_found(request)
    handler = may_handle(person, incident.unit_id)
    open_ = not incident.is_closed
    data = request.POST if request.method == "POST" else None
    op = request.POST.get("op", "") if data else ""

    def bound(name, cls, **kwargs):
        return cls(data if op == name else None, **kwargs)

    forms = {}
    if handler and open_ and incident.authority_reported_at is None:
        forms["authority"] = bound("authority", AuthorityReportForm)
    if handler and open_:
        forms["link"] = bound("link", LinkCarriersForm)
    if handler and incident.state == IncidentState.DRAFT:
        forms["confirm"] = bound("confirm", ConfirmForm, incident=incident)
    if open_ and may_investigate(person, incident.unit_id):
        forms["entry"] = bound("entry", EntryForm)
    if open_ and incident.state != IncidentState.DRAFT and may_close(person, incident.unit_id):
        forms["close"] = bound("close", CloseForm, unit_id=incident.unit_id)
    refusal, status = None, 200
    if data is not None:
        try:
            done = _post(request, incident, forms)
        except BaomiError as error:
            refusal = apply_error(forms[op], error) if op in forms else refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("incidents:detail", incident.pk)
    carriers = list(incident.carriers.order_by("number", "copy_no"))
    lost = still_lost_in(incident)
    for carrier in carriers:
        carrier.lost_here = carrier.pk in lost
    return render_page(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "overdue": incident.report_overdue(clock.now()),
            "carriers": carriers,
            "entries": incident.entries.select_related("author", "carrier"),
            "forms": forms,
            "refusal": refusal,
        },
        status=status,
    )


@business_person_required
def preparedness_page(request):
    """INC-2: the unit's emergency plans (every version) and drills."""
    person = request.person
    keeper = may_investigate(person, person.unit_id)
    if not keeper:
        return not_found(request)
    op = request.POST.get("op", "") if request.method == "POST" else ""
    plan_form = PlanForm(request.POST if op == "plan" else None, request.FILES or None)
    drill_form = DrillForm(request.POST if op == "drill" else None, person=person)
    refusal, status = None, 200
    form = {"plan": plan_form, "drill": drill_form}.get(op)
    if form is not None and form.is_valid():
        d = form.cleaned_data
        try:
            if op == "plan":
                upload = d.get("file")
                preparedness.record_plan(
                    person,
                    title=d["title"],
                    version=d["version"],
                    approved_on=d["approved_on"],
                    content=d["content"],
                    file_name=upload.name if upload else "",
                    content_type=(upload.content_type or "") if upload else "",
                    data=upload.read() if upload else b"",
                )
            else:
                preparedness.record_drill(
                    person,
                    held_on=d["held_on"],
                    scenario=d["scenario"],
                    participants=d["participants"],
                    findings=d["findings"],
                    plan=d["plan"],
                )
        except BaomiError as error:
            refusal = apply_error(form, error)
            status = refusal.status
        else:
            messages.success(request, "已登记。")
            return redirect("incidents:preparedness")
    elif form is not None:
        status = 422
    return render_page(
        request,
        "incidents/preparedness.html",
        {
            "plans": plans_visible_to(person).select_related("recorded_by"),
            "drills": drills_visible_to(person)
            .select_related("plan")
            .prefetch_related("participants"),
            "plan_form": plan_form,
            "drill_form": drill_form,
            "refusal": refusal,
        },
        status=status,
    )


@business_person_required
def plan_file(request, pk: int):
    plan = plans_visible_to(request.person).filter(pk=pk).first()
    if plan is None:
        return not_found(request)
    return plan_file_response(plan)
