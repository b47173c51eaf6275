"""Pages: 我的外出会议 (record an attendance, declare the papers brought back or none) and the
保密员's list of declared papers waiting to be registered (CR-2). Thin: parse → action → render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from baomi.carriers.policies import is_clerk_of
from baomi.lib import clock
from baomi.lib.errors import BaomiError
from baomi.lib.htmx import render_page
from baomi.outside_meetings import actions
from baomi.outside_meetings.forms import AttendanceForm, PaperForm, RegisterForm
from baomi.outside_meetings.selectors import (
    attendance_for,
    attendances_visible_to,
    declaration_due,
    papers_waiting,
)
from baomi.web.forms import apply_error, refusal_of
from baomi.web.views import business_person_required, forbidden, not_found
from baomi.workdays.calendar import calendar_for


@business_person_required
def mine(request):
    """我的外出会议: the person's own attendances, newest first, and the form to record one."""
    person = request.person
    form = AttendanceForm(request.POST or None)
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = actions.record_attendance(person, **form.cleaned_data)
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                messages.success(request, "已登记。请申报带回的文件，或申报未带回文件（CR-2）。")
                return redirect("outside_meetings:detail", pk=made.pk)
        else:
            status = 422
    calendar = calendar_for(person.unit_id)
    rows = [
        (a, declaration_due(a, calendar))
        for a in attendances_visible_to(person).filter(person=person).order_by("-held_on")[:200]
    ]
    context = {
        "rows": rows,
        "form": form,
        "refusal": refusal,
        "today": clock.today(),
        "is_clerk": is_clerk_of(person, person.unit_id),
    }
    return render_page(request, "outside_meetings/mine.html", context, status=status)


@business_person_required
def detail(request, pk: int):
    person = request.person
    attendance = attendance_for(person, pk)
    if attendance is None:
        return not_found(request)
    form = PaperForm(request.POST if request.POST.get("op") == "paper" else None)
    refusal, status = None, 200
    if request.method == "POST":
        try:
            if request.POST.get("op") == "none":
                actions.declare_none(person, attendance)
                messages.success(request, "已申报未带回文件。")
                return redirect("outside_meetings:detail", pk=pk)
            if form.is_valid():
                made = actions.declare_papers(
                    person, attendance, [actions.PaperSpec(**form.cleaned_data)]
                )
                messages.success(
                    request, f"已申报 {made[0].label}，请尽快交保密员登记；登记前不得使用（CR-2）。"
                )
                return redirect("outside_meetings:detail", pk=pk)
            status = 422
        except BaomiError as error:
            refusal = apply_error(form, error)
            status = refusal.status
    context = {
        "attendance": attendance,
        "papers": attendance.papers.select_related("carrier", "registered_by"),
        "due": declaration_due(attendance),
        "today": clock.today(),
        "form": form,
        "refusal": refusal,
        "own": attendance.person_id == person.pk,
    }
    return render_page(request, "outside_meetings/detail.html", context, status=status)


@business_person_required
def declared(request):
    """The 保密员's list of declared papers waiting to be registered, with the register action."""
    person = request.person
    if not is_clerk_of(person, person.unit_id):
        return forbidden(request, "只有本单位保密员可以登记外出会议带回的文件。")
    posted = request.POST if request.method == "POST" else None
    form = RegisterForm(posted, person=person)
    refusal, status = None, 200
    if posted is not None:
        paper = papers_waiting(person).filter(carrier_id=_int(posted.get("carrier"))).first()
        if paper is None:
            return not_found(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.register_paper(
                    person,
                    paper.carrier,
                    place=data["place"],
                    scope_people=list(data["scope_people"]),
                    scope_departments=list(data["scope_departments"]),
                )
            except BaomiError as error:
                refusal = refusal_of(error)
                status = refusal.status
            else:
                messages.success(request, f"已登记 {paper.carrier.label}，现在在库，可以使用。")
                return redirect("outside_meetings:declared")
        else:
            status = 422
    context = {
        "papers": list(papers_waiting(person)[:500]),
        "form": form,
        "refusal": refusal,
    }
    return render_page(request, "outside_meetings/declared.html", context, status=status)


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 18 else None
