"""密级变更 pages: the change form (变更/降密/延期/解密 on an approved request, CL-8/CL-9), the
知悉范围 form (CL-13), the yearly review list (法23), periods ending (CL-9), unclear items
(CL-14), and 我的通知."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import Request
from baomi.carriers.models import Carrier
from baomi.carriers.rules import today
from baomi.classification.choices import Level
from baomi.classification.periods import Period, parse_period
from baomi.lib.errors import BaomiError
from baomi.lib.htmx import render_page
from baomi.org.models import Department, Person
from baomi.reclassification import actions
from baomi.reclassification.models import Reclassification, UnclearItem
from baomi.reclassification.selectors import (
    ending_soon,
    may_manage,
    notices_of,
    period_end,
    review_due,
)
from baomi.stocktake.selectors import parse_label
from baomi.web.forms import (
    BootstrapMixin,
    IdField,
    PostedForm,
    apply_error,
    model_field,
    refusal_of,
)
from baomi.web.views import business_person_required, forbidden, not_found

SHOW = 200


def _manager_only(view):
    @business_person_required
    def wrapper(request, *args, **kwargs):
        if not may_manage(request.person, request.person.unit_id):
            return forbidden(request, "密级变更由保密员、定密责任人和单位负责人办理。")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def _carrier_by_label(person, text: str) -> Carrier | None:
    label = parse_label(text)
    if label is None:
        return None
    return Carrier.objects.filter(unit_id=person.unit_id, number=label[0], copy_no=label[1]).first()


class CarrierField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label="载体编号", max_length=40, help_text="如 2026-0001234-03", **kwargs)


class ChangeForm(BootstrapMixin, forms.Form):
    carrier = CarrierField()
    request = forms.ModelChoiceField(
        label="审批单", queryset=Request.objects.none(), required=False
    )
    action = forms.ChoiceField(
        label="变更类型", choices=[("change", "变更/降密/延期"), ("declassify", "解密")]
    )
    level = forms.ChoiceField(
        label="新密级", choices=[("", "（不变）"), *Level.choices], required=False
    )
    period = forms.CharField(
        label="新保密期限", max_length=50, required=False, help_text="如 10年、6个月、长期"
    )
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unit_id: int, kind=RequestKind.RECLASSIFICATION, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = Request.objects.filter(
            unit_id=unit_id,
            kind__in=(RequestKind.RECLASSIFICATION, RequestKind.SCOPE_WIDENING),
            status=RequestStatus.APPROVED,
        ).order_by("-created_at")

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class ScopeForm(BootstrapMixin, forms.Form):
    carrier = CarrierField()
    request = forms.ModelChoiceField(
        label="审批单", queryset=Request.objects.none(), required=False
    )
    add_people = forms.ModelMultipleChoiceField(
        label="增加人员", queryset=Person.objects.none(), required=False
    )
    add_departments = forms.ModelMultipleChoiceField(
        label="增加部门", queryset=Department.objects.none(), required=False
    )
    remove_people = forms.ModelMultipleChoiceField(
        label="移出人员", queryset=Person.objects.none(), required=False
    )
    remove_departments = forms.ModelMultipleChoiceField(
        label="移出部门", queryset=Department.objects.none(), required=False
    )
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unit_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = ChangeForm(unit_id=unit_id).fields["request"].queryset
        people = Person.objects.filter(unit_id=unit_id, is_automation=False, system_role="")
        departments = Department.objects.filter(unit_id=unit_id)
        for name in ("add_people", "remove_people"):
            self.fields[name].queryset = people
        for name in ("add_departments", "remove_departments"):
            self.fields[name].queryset = departments


@_manager_only
def index(request):
    """Overview: periods ending, review due, unclear items, recent changes."""
    unit_id, day = request.person.unit_id, today()
    ending = sorted(ending_soon(unit_id, day)[:SHOW], key=lambda c: period_end(c))
    context = {
        "ending": [(c, period_end(c)) for c in ending],
        "due": review_due(unit_id, day).order_by("registered_at")[:SHOW],
        "unclear": UnclearItem.objects.filter(unit_id=unit_id).select_related("carrier")[:SHOW],
        "changes": Reclassification.objects.filter(unit_id=unit_id).select_related(
            "carrier", "actor"
        )[:50],
        "levels": Level.choices,
    }
    return render_page(request, "reclassification/index.html", context)


@_manager_only
def change(request):
    return _form_page(request, ChangeForm, "reclassification/change.html", _apply_change)


@_manager_only
def scope(request):
    return _form_page(request, ScopeForm, "reclassification/scope.html", _apply_scope)


def _apply_change(person, carrier, data):
    return actions.reclassify(
        person,
        carrier,
        data["request"],
        reason=data["reason"],
        level=data["level"] or None,
        period=data["period"],
        declassify=data["action"] == "declassify",
    )


def _apply_scope(person, carrier, data):
    return actions.change_scope(
        person,
        carrier,
        data["request"],
        reason=data["reason"],
        add_people=list(data["add_people"]),
        add_departments=list(data["add_departments"]),
        remove_people=list(data["remove_people"]),
        remove_departments=list(data["remove_departments"]),
    )


def _prefill(request) -> dict:
    """?request=<id>: prefill from the approved request's 拟变更内容 (APR-3: it must match)."""
    if request.method != "GET" or not request.GET.get("request", "").isdigit():
        return {}
    approved = ChangeForm(unit_id=request.person.unit_id).fields["request"].queryset
    found = approved.filter(pk=int(request.GET["request"])).first()
    if found is None:
        return {}
    initial: dict = {"request": found.pk}
    change = found.proposed_change or {}
    item = found.items.select_related("carrier").first()
    if item is not None:
        initial["carrier"] = item.carrier.label
    if change.get("declassify"):
        initial["action"] = "declassify"
    if change.get("level"):
        initial["level"] = change["level"]
    if change.get("period"):
        initial["period"] = str(Period.from_dict(change["period"]))
    for name in ("add_people", "add_departments", "remove_people", "remove_departments"):
        if change.get(name):
            initial[name] = change[name]
    return initial


def _form_page(request, form_class, template, apply):
    person = request.person
    form = form_class(request.POST or None, unit_id=person.unit_id, initial=_prefill(request))
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            carrier = _carrier_by_label(person, form.cleaned_data["carrier"])
            if carrier is None:
                form.add_error("carrier", "本单位台账中没有此编号。")
                status = 422
            else:
                try:
                    done = apply(person, carrier, form.cleaned_data)
                    messages.success(
                        request,
                        f"载体 {carrier.label}：{done.get_kind_display()}已办理，相关人员已收到通知。",
                    )
                    return redirect("reclassification:index")
                except BaomiError as error:
                    refusal = apply_error(form, error)
                    status = refusal.status
        else:
            status = 422
    return render_page(request, template, {"form": form, "refusal": refusal}, status=status)


@_manager_only
@require_POST
def review(request, carrier_id: int):
    carrier = Carrier.objects.filter(pk=carrier_id, unit_id=request.person.unit_id).first()
    if carrier is None:
        return not_found(request)
    try:
        actions.review(request.person, carrier, note=request.POST.get("note", ""))
        messages.success(request, f"载体 {carrier.label} 已完成年度审核（维持原定密）。")
    except BaomiError as error:
        messages.error(request, f"{refusal_of(error).label}：{error.message}")
    return redirect("reclassification:index")


class DecideUnclearForm(PostedForm):
    item = IdField()
    decision = model_field(UnclearItem, "decision")


class ReportUnclearForm(PostedForm):
    carrier = forms.CharField(max_length=40)
    proposed_level = model_field(UnclearItem, "proposed_level")
    question = model_field(UnclearItem, "question")


@_manager_only
def unclear(request):
    """Report an unclear item (decision due in 10 working days, CL-14), or decide one."""
    if request.method == "POST":
        try:
            if "item" in request.POST:
                data = DecideUnclearForm.parse(request.POST)
                item = UnclearItem.objects.filter(
                    pk=data["item"], unit_id=request.person.unit_id
                ).first()
                if item is None:
                    return not_found(request)
                actions.decide_unclear(request.person, item, decision=data["decision"])
                messages.success(request, "已确定。")
            else:
                data = ReportUnclearForm.parse(request.POST)
                carrier = _carrier_by_label(request.person, data["carrier"])
                if carrier is None:
                    messages.error(request, "本单位台账中没有此编号。")
                else:
                    item = actions.report_unclear(
                        request.person,
                        carrier,
                        proposed_level=data["proposed_level"],
                        question=data["question"],
                    )
                    messages.success(request, f"已报告，须于 {item.deadline} 前确定（CL-14）。")
        except BaomiError as error:
            messages.error(request, f"{refusal_of(error).label}：{error.message}")
    return redirect("reclassification:index")


@business_person_required
def notices(request):
    """我的通知: reclassifications of what I hold or held, scope changes I am in."""
    if request.method == "POST":
        actions.mark_read(request.person, list(notices_of(request.person)))
        return redirect("reclassification:notices")
    rows = notices_of(request.person)[:SHOW]
    return render_page(request, "reclassification/notices.html", {"notices": rows})
