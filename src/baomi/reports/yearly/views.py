"""The yearly report's page (INS-4): choose the year and the unit, read the figures (each with
the query that yields it), write the narrative, finalise, download PDF or xlsx.

One view shape (style.md rule 9): parse year and unit → `report.report_unit` (ORG-4; anything out
of reach is 404) → the action on POST → `report.yearly_report` → render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

from baomi.lib import clock
from baomi.lib.errors import BaomiError, Invalid, NotFound
from baomi.lib.htmx import render_page
from baomi.reports.models import NARRATIVE
from baomi.reports.yearly import actions
from baomi.reports.yearly.exports import report_pdf, report_xlsx
from baomi.reports.yearly.layout import layout, sources
from baomi.reports.yearly.report import (
    checked_year,
    default_year,
    report_unit,
    units_for,
    yearly_report,
)
from baomi.web.forms import BootstrapMixin, apply_error
from baomi.web.views import not_found, person_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_MARKING = {"text": "内部", "level": "internal", "note": "（统计数字，不含载体内容）"}


class NarrativeForm(BootstrapMixin, forms.Form):
    overview = forms.CharField(
        label="一、概述",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=actions.MAX_SECTION,
    )
    main_work = forms.CharField(
        label="二、主要工作",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=actions.MAX_SECTION,
    )
    problems = forms.CharField(
        label="三、存在问题",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=actions.MAX_SECTION,
    )
    next_plan = forms.CharField(
        label="四、下一步工作计划",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=actions.MAX_SECTION,
    )


def _target(request):
    """(unit, year) from the query string; NotFound/Invalid for anything else."""
    raw_unit = request.GET.get("unit", "")
    try:
        unit_id = int(raw_unit) if raw_unit else None
    except ValueError:
        raise NotFound("年度报告不存在。") from None
    unit = report_unit(request.person, unit_id)
    year = checked_year(request.GET.get("year") or default_year())
    return unit, year


@person_required
def page(request):
    try:
        unit, year = _target(request)
    except (NotFound, Invalid):
        return not_found(request)
    query = urlencode({"year": year, "unit": unit.pk})
    report = yearly_report(request.person, unit, year)
    form = NarrativeForm(
        request.POST or None, initial={p["field"]: p["text"] for p in report["narrative"]}
    )
    refusal, status = None, 200
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "finalise":
                actions.finalise(request.person, unit, year)
                messages.success(request, f"{year} 年度报告已定稿。")
                return redirect(f"{request.path}?{query}")
            if form.is_valid():
                sections = {name: form.cleaned_data[name] for name, _ in NARRATIVE}
                actions.save_narrative(request.person, unit, year, sections)
                messages.success(request, "报告文字已保存。")
                return redirect(f"{request.path}?{query}")
            status = 422
        except BaomiError as error:
            refusal = apply_error(form, error)
            status = refusal.status
        report = yearly_report(request.person, unit, year)
    context = {
        "report": report,
        "layout": layout(report),
        "sources": sources(report),
        "form": form,
        "refusal": refusal,
        "units": units_for(request.person, unit),
        "years": list(range(clock.today().year, clock.today().year - 7, -1)),
        "query": query,
        "page_marking": PAGE_MARKING,
        "watermark_text": True,
    }
    return render_page(request, "reports/yearly.html", context, status=status)


def _download(request, render, content_type: str, suffix: str):
    try:
        unit, year = _target(request)
    except (NotFound, Invalid):
        return not_found(request)
    report = yearly_report(request.person, unit, year)
    response = HttpResponse(render(report, unit, request.person), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="yearly-report-{unit.code}-{year}.{suffix}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@person_required
def pdf(request):
    return _download(request, report_pdf, "application/pdf", "pdf")


@person_required
def xlsx(request):
    return _download(request, report_xlsx, XLSX, "xlsx")
