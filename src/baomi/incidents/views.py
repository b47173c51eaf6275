"""Incident pages (INC-1): the list with each report's 24-hour clock, and one report."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from baomi.carriers.policies import is_clerk_of
from baomi.incidents import actions
from baomi.incidents.selectors import incident_for, incidents_visible_to
from baomi.lib.errors import BaomiError
from baomi.lib.htmx import render_page
from baomi.web.forms import BootstrapMixin, apply_error
from baomi.web.views import business_person_required, not_found


class AuthorityReportForm(BootstrapMixin, forms.Form):
    reference = forms.CharField(label="上报文号或方式", max_length=200)


@business_person_required
def list_page(request):
    rows = incidents_visible_to(request.person).select_related("discovered_by")
    return render_page(
        request,
        "incidents/list.html",
        {"incidents": rows.order_by("-discovered_at", "-id"), "now": timezone.now()},
    )


@business_person_required
def detail(request, pk: int):
    person = request.person
    incident = incident_for(person, pk)
    if incident is None:
        return not_found(request)
    clerk = is_clerk_of(person, incident.unit_id)
    form = AuthorityReportForm(request.POST or None) if clerk else None
    refusal, status = None, 200
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            actions.report_to_authority(person, incident, reference=form.cleaned_data["reference"])
        except BaomiError as error:
            refusal = apply_error(form, error)
            status = refusal.status
        else:
            messages.success(request, "已记录上报保密行政管理部门。")
            return redirect("incidents:detail", incident.pk)
    return render_page(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "overdue": incident.report_overdue(timezone.now()),
            "form": form if incident.authority_reported_at is None else None,
            "refusal": refusal,
        },
        status=status,
    )
