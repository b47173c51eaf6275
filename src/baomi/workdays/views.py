"""The working-day calendar page: the year's published holidays and make-up days beside the
unit's corrections, which the 系统管理员 or 安全保密管理员 adds or removes here."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.shortcuts import redirect

from baomi.lib import clock
from baomi.lib.errors import BaomiError
from baomi.lib.htmx import render_page
from baomi.web.forms import BootstrapMixin, DateInput, apply_error
from baomi.web.views import forbidden, not_found, person_required
from baomi.workdays import actions
from baomi.workdays.calendar import library_covers, published_note, published_working_day
from baomi.workdays.models import WorkdayOverride


class OverrideForm(BootstrapMixin, forms.Form):
    day = forms.DateField(label="日期", widget=DateInput())
    is_working_day = forms.TypedChoiceField(
        label="本单位按",
        choices=[("1", "工作日"), ("0", "休息日")],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else clock.today().year


def _published_exceptions(year: int) -> list[tuple[date, bool, str]]:
    """The days the published calendar treats unlike an ordinary week: holidays on weekdays and
    make-up working days on weekends."""
    day, rows = date(year, 1, 1), []
    while day.year == year:
        working = published_working_day(day)
        if working != (day.weekday() < 5):
            rows.append((day, working, published_note(day)))
        day += timedelta(days=1)
    return rows


@person_required
def calendar_page(request):
    person = request.person
    editor = actions.may_edit(person)
    year = _year(request)
    form = OverrideForm(request.POST if request.POST.get("op") == "set" else None)
    refusal, status = None, 200
    if request.method == "POST":
        if not editor:
            return forbidden(request, "只有系统管理员或安全保密管理员可以调整工作日历。")
        try:
            if request.POST.get("op") == "remove":
                pk = request.POST.get("override", "")
                row = WorkdayOverride.objects.filter(
                    pk=int(pk) if pk.isdigit() and len(pk) < 18 else 0, unit_id=person.unit_id
                ).first()
                if row is None:
                    return not_found(request)
                actions.remove_override(person, row)
                messages.success(request, f"已撤销 {row.day} 的调整。")
                return redirect(f"{request.path}?year={year}")
            if form.is_valid():
                row = actions.set_override(person, **form.cleaned_data)
                messages.success(
                    request,
                    f"已将 {row.day} 调整为{'工作日' if row.is_working_day else '休息日'}。",
                )
                return redirect(f"{request.path}?year={row.day.year}")
            status = 422
        except BaomiError as error:
            refusal = apply_error(form, error)
            status = refusal.status
    context = {
        "year": year,
        "covers": library_covers(year),
        "published": _published_exceptions(year),
        "overrides": WorkdayOverride.objects.filter(
            unit_id=person.unit_id, day__year=year
        ).select_related("updated_by"),
        "form": form,
        "editor": editor,
        "refusal": refusal,
    }
    return render_page(request, "workdays/calendar.html", context, status=status)
