"""Pages for 涉密人员: the 涉密人员登记表 (filters, xlsx/PDF), a person's page with every record
and what they hold, the secrecy organisation, ORG-4 statistics and the PER-8 allowance list.

parse → action/selector → render; refusals show their rule id and change nothing."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from baomi.carriers.selectors import holdings_of
from baomi.classification.choices import Clearance
from baomi.lib.errors import BaomiError, Forbidden, Invalid
from baomi.lib.htmx import render_page
from baomi.org.models import Department, Person, ResponsibilityLetter, SecrecyCommittee, Unit
from baomi.personnel import actions, exports
from baomi.personnel.forms import PERSON_FORMS
from baomi.personnel.models import ClearanceDecision, Departure, Move, TravelAbroad
from baomi.personnel.rules import eligibility_problem, is_office, may_view_person
from baomi.personnel.selectors import (
    allowance_list,
    filtered_ledger,
    ledger_rows,
    require_ledger_viewer,
    unit_statistics,
    units_supervised_by,
)
from baomi.web.forms import Refusal, apply_error, refusal_of
from baomi.web.views import forbidden, not_found, person_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKING = {"text": exports.LEDGER_MARKING, "level": "internal", "note": "（涉密人员信息）"}


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _ledger_filters(request) -> dict:
    g = request.GET
    department = g.get("department", "")
    return {
        "department": int(department) if department.isdigit() else None,
        "clearance": g.get("clearance", "") if g.get("clearance") in Clearance.values else "",
        "status": g.get("status", "") if g.get("status") in ("active", "cooling_off") else "",
        "q": g.get("q", "")[:50],
    }


def _ledger(request):
    person = request.person
    try:
        require_ledger_viewer(person)
    except Forbidden as error:
        return None, forbidden(request, error.message)
    filters = _ledger_filters(request)
    return ledger_rows(filtered_ledger(person.unit_id, **filters)), filters


@person_required
def ledger(request):
    """涉密人员登记表 (PER-1…PER-5): people in post and in their 脱密期."""
    rows, filters = _ledger(request)
    if rows is None:
        return filters
    context = {
        "rows": rows,
        "filters": filters,
        "departments": Department.objects.filter(unit_id=request.person.unit_id),
        "clearances": Clearance.choices,
        "query": request.GET.urlencode(),
        "page_marking": MARKING,
        "watermark_text": True,
    }
    return render_page(request, "personnel/ledger.html", context)


@person_required
def export_xlsx(request):
    rows, filters = _ledger(request)
    if rows is None:
        return filters
    now = timezone.localtime()
    return _download(exports.ledger_xlsx(rows, request.person), XLSX, f"people-{now:%Y%m%d}.xlsx")


@person_required
def export_pdf(request):
    rows, filters = _ledger(request)
    if rows is None:
        return filters
    now = timezone.localtime()
    return _download(
        exports.ledger_pdf(rows, request.person), "application/pdf", f"people-{now:%Y%m%d}.pdf"
    )


def _visible_person(viewer: Person, pk: int) -> Person | None:
    person = (
        Person.objects.filter(pk=pk, is_automation=False)
        .select_related("department", "unit", "user")
        .first()
    )
    if person is None or not may_view_person(viewer, person):
        return None
    return person


def render_detail(request, person, *, forms=None, refusal=None, status=200):
    viewer = request.person
    office = is_office(viewer, person.unit_id)
    forms = forms or {}
    offered = []
    for slug, form_class in PERSON_FORMS.items():
        if slug in ("vetting", "commitment", "training", "departure", "move") and not office:
            continue
        form = forms.get(slug) or form_class(person=person, actor=viewer, auto_id=f"id_{slug}_%s")
        offered.append({"slug": slug, "form": form, "open": slug in forms})
    context = {
        "person": person,
        "row": ledger_rows(Person.objects.filter(pk=person.pk))[0],
        "decisions": person.clearance_decisions.select_related(
            "proposed_by", "checked_by", "decided_by"
        ),
        "vettings": person.vettings.select_related("reviewer"),
        "commitments": person.commitments.all(),
        "trainings": person.trainings.all(),
        "departures": person.departures.select_related("commitment"),
        "moves": person.moves.select_related("request"),
        "travels": person.travels.select_related("request"),
        "notes": person.personnel_notes.all(),
        "holdings": holdings_of(person).select_related("place"),
        "eligibility": eligibility_problem(person),
        "office": office,
        "offered": offered,
        "refusal": refusal,
        "watermark_text": True,
        "page_marking": MARKING,
    }
    return render_page(request, "personnel/detail.html", context, status=status)


@person_required
def detail(request, pk: int):
    person = _visible_person(request.person, pk)
    if person is None:
        return not_found(request)
    return render_detail(request, person)


@require_POST
@person_required
def act(request, pk: int, slug: str):
    person = _visible_person(request.person, pk)
    form_class = PERSON_FORMS.get(slug)
    if person is None or form_class is None:
        return not_found(request)
    form = form_class(request.POST, person=person, actor=request.person, auto_id=f"id_{slug}_%s")
    if not form.is_valid():
        refusal = Refusal("invalid", "提交的内容有误，请检查标红的项目。", 422, False)
        return render_detail(request, person, forms={slug: form}, refusal=refusal, status=422)
    try:
        done = form.perform()
    except BaomiError as error:
        refusal = apply_error(form, error)
        person.refresh_from_db()
        return render_detail(
            request, person, forms={slug: form}, refusal=refusal, status=refusal.status
        )
    messages.success(request, done)
    return redirect("personnel:detail", pk=pk)


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise Invalid("日期格式应为 YYYY-MM-DD。", {field: ["日期格式应为 YYYY-MM-DD"]}) from None


STEP_OBJECTS = {
    "decision": ClearanceDecision,
    "departure": Departure,
    "travel": TravelAbroad,
    "move": Move,
}


def _run_step(actor, what: str, obj, step: str, post) -> str:
    if what == "decision":
        if step == "check":
            actions.check_clearance(actor, obj, comment=post.get("comment", ""))
            return "已审核。"
        if step == "approve":
            actions.approve_clearance(actor, obj, comment=post.get("comment", ""))
            return "已批准，涉密等级已生效。"
        if step == "reject":
            actions.reject_clearance(actor, obj, reason=post.get("reason", ""))
            return "已退回。"
    if what == "departure":
        if step == "talk":
            actions.record_reminder_talk(actor, obj, on=_day(post.get("on"), "on"))
            return "已记录提醒谈话。"
        if step == "devices":
            actions.record_devices_returned(
                actor, obj, on=_day(post.get("on"), "on"), note=post.get("note", "")
            )
            return "已确认设备交回。"
        if step == "complete":
            actions.complete_departure(actor, obj)
            return "离岗手续已办结，系统权限已撤销，脱密期开始。"
        if step == "extend":
            actions.extend_cooling_off(
                actor, obj, until=_day(post.get("until"), "until"), reason=post.get("reason", "")
            )
            return "脱密期已延长。"
    if what == "travel":
        if step == "briefing":
            actions.record_briefing(actor, obj, on=_day(post.get("on"), "on"))
            return "已记录行前保密教育。"
        if step == "exit":
            actions.record_exit(actor, obj, on=_day(post.get("on"), "on"))
            return "已登记出境。"
        if step == "report":
            actions.report_return(
                actor, obj, on=_day(post.get("on"), "on"), report=post.get("report", "")
            )
            return "已提交回国报告。"
    if what == "move" and step == "complete":
        actions.complete_move(
            actor,
            obj,
            signed_on=_day(post.get("signed_on"), "signed_on"),
            commitment_text=post.get("commitment_text", ""),
            note=post.get("note", ""),
        )
        return "已办结：新承诺书已签订，人事档案已记载。"
    raise KeyError(step)


@require_POST
@person_required
def step(request, what: str, pk: int, step: str):
    model = STEP_OBJECTS.get(what)
    obj = model.objects.filter(pk=pk).select_related("person").first() if model else None
    person = _visible_person(request.person, obj.person_id) if obj else None
    if person is None:
        return not_found(request)
    try:
        done = _run_step(request.person, what, obj, step, request.POST)
    except KeyError:
        return not_found(request)
    except BaomiError as error:
        refusal = refusal_of(error)
        return render_detail(request, person, refusal=refusal, status=refusal.status)
    messages.success(request, done)
    return redirect("personnel:detail", pk=person.pk)


@person_required
def organisation_page(request):
    """ORG-1…ORG-3: committee, 保密办 and its 保密员, department heads, responsibility letters."""
    unit = request.person.unit
    if request.person.has_system_role and request.person.system_role != "secadmin":
        return forbidden(request)
    committee = SecrecyCommittee.objects.filter(unit=unit).first()
    context = {
        "unit": unit,
        "committee": committee,
        "members": committee.members.select_related("person") if committee else [],
        "officers": unit.secrecy_officers.select_related("person"),
        "departments": unit.departments.select_related("head"),
        "head": unit.people.filter(is_unit_head=True, active=True).first(),
        "letters": unit.responsibility_letters.select_related("person", "department"),
    }
    return render_page(request, "personnel/organisation.html", context)


@person_required
def letter_pdf(request, pk: int):
    letter = ResponsibilityLetter.objects.filter(pk=pk, unit_id=request.person.unit_id).first()
    if letter is None:
        return not_found(request)
    return _download(bytes(letter.pdf), "application/pdf", f"letter-{pk}.pdf")


@person_required
def statistics(request):
    """ORG-4: own unit and every subordinate unit — counts only."""
    viewer = request.person
    units = [viewer.unit, *units_supervised_by(viewer)]
    requested = request.GET.get("unit", "")
    refusal, status = None, 200
    if requested.isdigit() and int(requested) not in {u.pk for u in units}:
        target = Unit.objects.filter(pk=int(requested)).first()
        if target is None:
            return not_found(request)
        units = [target]
    stats = []
    for unit in units:
        try:
            stats.append(unit_statistics(viewer, unit))
        except BaomiError as error:
            refusal, status = refusal_of(error), refusal_of(error).status
            break
    context = {"stats": stats, "refusal": refusal}
    return render_page(request, "personnel/statistics.html", context, status=status)


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        date(year, month, 1)
        return year, month
    except ValueError:
        return today.year, today.month


@person_required
def allowance(request):
    """PER-8: the month's 保密津贴 list, prorated by the days at each level."""
    try:
        require_ledger_viewer(request.person)
    except Forbidden as error:
        return forbidden(request, error.message)
    year, month = _month(request)
    rows = allowance_list(request.person.unit, year, month)
    context = {
        "rows": rows,
        "year": year,
        "month": month,
        "total": sum(r.total for r in rows),
        "table": {
            Clearance(k).label: request.person.unit.allowance_for(k)
            for k in ("core", "important", "general")
        },
        "page_marking": MARKING,
    }
    return render_page(request, "personnel/allowance.html", context)


@person_required
def allowance_export(request):
    try:
        require_ledger_viewer(request.person)
    except Forbidden as error:
        return forbidden(request, error.message)
    year, month = _month(request)
    rows = allowance_list(request.person.unit, year, month)
    content = exports.allowance_xlsx(rows, request.person, year, month)
    return _download(content, XLSX, f"allowance-{year}-{month:02d}.xlsx")
