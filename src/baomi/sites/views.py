"""Key-place pages: the 要害部位 ledger, one site (people, facilities, keys, checks), the visitor
register and the closing check at the door terminal (SITE-1…4). Thin: parse → action → render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from baomi.carriers.selectors import carriers_visible_to
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.lib import exports
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.sites import actions
from baomi.sites.choices import CHECK_ITEMS, CheckKind
from baomi.sites.exports import CHECKS, KEYS, SITES, VISITS
from baomi.sites.forms import ClosingCheckForm, HandOverForm, KeyForm, SiteForm, VisitForm
from baomi.sites.models import ClosingCheck
from baomi.sites.rules import may_manage_ledger, may_work_at
from baomi.sites.selectors import (
    checks_visible_to,
    keys_visible_to,
    site_for,
    sites_visible_to,
    visits_visible_to,
)
from baomi.web.forms import apply_error, refusal_of
from baomi.web.views import business_person_required, not_found


def _banner(sites, note: str) -> dict | None:
    levels = [s.level for s in sites]
    if not levels:
        return None
    top = max(levels, key=lambda lv: LEVEL_RANK[Level(lv)])
    return {"text": Level(top).label, "level": top, "note": note}


def _rows(request, what: str):
    person = request.person
    if what == "sites":
        return (
            sites_visible_to(person)
            .select_related("responsible", "department")
            .prefetch_related("staff", "places")
        )
    if what == "visits":
        return visits_visible_to(person)
    if what == "keys":
        return keys_visible_to(person)
    return checks_visible_to(person)


KEPT_SHOWN = 50
EXPORTS = {"sites": SITES, "visits": VISITS, "keys": KEYS, "checks": CHECKS}


@business_person_required
def export(request, what: str, fmt: str):
    return exports.respond(request, EXPORTS[what], _rows(request, what), fmt)


def _site_form_data(data) -> actions.SiteForm:
    return actions.SiteForm(
        name=data["name"],
        kind=data["kind"],
        level=data["level"],
        responsible=data["responsible"],
        department=data["department"],
        location=data["location"],
        staff=list(data["staff"]),
        places=list(data["places"]),
        facilities={name: data[name] for name in actions.FACILITIES},
        facilities_note=data["facilities_note"],
    )


@business_person_required
def list_page(request):
    person = request.person
    keeper = may_manage_ledger(person, person.unit_id)
    form = SiteForm(request.POST or None, person=person)
    refusal, status = None, 200
    if request.method == "POST" and keeper:
        if form.is_valid():
            try:
                made = actions.create_site(person, _site_form_data(form.cleaned_data))
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                messages.success(request, f"已登记要害部位“{made.name}”。")
                return redirect("sites:detail", pk=made.pk)
        else:
            status = 422
    sites = list(_rows(request, "sites"))
    context = {
        "sites": sites,
        "form": form,
        "is_keeper": keeper,
        "refusal": refusal,
        "query": "",
        "page_marking": _banner(sites, "（本页最高涉密程度）"),
    }
    return render_page(request, "sites/list.html", context, status=status)


def _detail_post(request, site) -> str:
    person, op = request.person, request.POST.get("op", "")
    if op == "register_key":
        form = KeyForm(request.POST, person=person, site=site)
        if not form.is_valid():
            raise Invalid("钥匙信息有误。", {k: list(v) for k, v in form.errors.items()})
        d = form.cleaned_data
        actions.register_key(
            person,
            site,
            name=d["name"],
            kind=d["kind"],
            holder=d["holder"],
            place=d["place"],
            copies=d["copies"],
        )
        return "钥匙已登记。"
    if op == "hand_over_key":
        form = HandOverForm(request.POST, person=person, site=site)
        if not form.is_valid():
            raise Invalid("请选择钥匙和接收人。", {k: list(v) for k, v in form.errors.items()})
        d = form.cleaned_data
        actions.hand_over_key(person, d["key"], d["receiver"], note=d["note"])
        return f"“{d['key'].name}”已移交{d['receiver'].name}。"
    if op == "key_lost":
        key = site.keys.filter(pk=_int(request.POST.get("key"))).first()
        if key is None:
            raise Invalid("请选择钥匙。", {"key": ["请选择钥匙"]})
        actions.report_key_lost(person, key, note=request.POST.get("note", ""))
        return f"已登记“{key.name}”丢失，请尽快更换锁具。"
    raise Invalid("未知操作。", {"op": ["未知操作"]})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@business_person_required
def detail(request, pk: int):
    person = request.person
    site = site_for(person, pk)
    if site is None:
        return not_found(request)
    refusal, status = None, 200
    if request.method == "POST":
        try:
            done = _detail_post(request, site)
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("sites:detail", pk=pk)
    context = {
        "s": site,
        "staff": list(site.staff.all()),
        "places": list(site.places.all()),
        "kept": carriers_visible_to(person)
        .filter(place__in=site.places.all())
        .select_related("place")
        .order_by("place__name", "number", "copy_no")[:KEPT_SHOWN],
        "keys": list(site.keys.select_related("holder", "place")),
        "checks": list(site.closing_checks.select_related("checked_by")[:14]),
        "inside": list(site.visits.filter(left_at__isnull=True).select_related("escort", "host")),
        "is_keeper": may_manage_ledger(person, site.unit_id),
        "works_here": may_work_at(person, site),
        "key_form": KeyForm(person=person, site=site),
        "handover_form": HandOverForm(person=person, site=site),
        "refusal": refusal,
        "page_marking": _banner([site], "（本部位涉密程度）"),
    }
    return render_page(request, "sites/detail.html", context, status=status)


@business_person_required
def visits(request):
    person = request.person
    workable = [s.pk for s in sites_visible_to(person) if may_work_at(person, s)]
    sites = sites_visible_to(person).filter(pk__in=workable, active=True)
    form = VisitForm(request.POST or None, person=person, sites=sites)
    refusal, status = None, 200
    if request.method == "POST" and request.POST.get("op") == "sign_out":
        visit = visits_visible_to(person).filter(pk=_int(request.POST.get("visit"))).first()
        try:
            if visit is None:
                raise Invalid("来访记录不存在。", {"visit": ["来访记录不存在"]})
            actions.sign_out_visitor(person, visit)
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, "已登记离开。")
            return redirect("sites:visits")
    elif request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.admit_visitor(
                    person,
                    d["site"],
                    actions.VisitForm(
                        visitor_name=d["visitor_name"],
                        organisation=d["organisation"],
                        id_kind=d["id_kind"],
                        id_number=d["id_number"],
                        id_checked=d["id_checked"],
                        purpose=d["purpose"],
                        host=d["host"],
                        escort=d["escort"],
                    ),
                )
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                messages.success(request, "来访人员已登记进入。")
                return redirect("sites:visits")
        else:
            status = 422
    rows = list(visits_visible_to(person)[:200])
    context = {
        "visits": rows,
        "form": form,
        "can_admit": bool(workable),
        "refusal": refusal,
        "query": "",
        "page_marking": _banner([v.site for v in rows], "（本页最高涉密程度）"),
    }
    return render_page(request, "sites/visits.html", context, status=status)


@business_person_required
def checks(request):
    rows = list(checks_visible_to(request.person)[:200])
    context = {
        "checks": rows,
        "query": "",
        "page_marking": _banner([c.site for c in rows], "（本页最高涉密程度）"),
    }
    return render_page(request, "sites/checks.html", context)


@business_person_required
def closing_check_start(request):
    """The door terminal's start: straight to the site when the person works at one."""
    person = request.person
    mine = [s for s in sites_visible_to(person).filter(active=True) if may_work_at(person, s)]
    if len(mine) == 1:
        return redirect("sites:closing_check", pk=mine[0].pk)
    return render_page(request, "sites/closing_choose.html", {"sites": mine})


@business_person_required
def closing_check(request, pk: int):
    """SITE-3 at the door: one screen, five big toggles, one button — under 30 seconds."""
    person = request.person
    site = site_for(person, pk)
    if site is None:
        return not_found(request)
    today = timezone.localdate()
    form = ClosingCheckForm(request.POST or None)
    refusal, status = None, 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise Invalid("输入有误。", {k: list(v) for k, v in form.errors.items()})
            d = form.cleaned_data
            check = actions.record_closing_check(
                person,
                site,
                items={name: d[name] for name, _ in CHECK_ITEMS},
                kind=d["kind"] or CheckKind.DAILY,
                holiday=d["holiday"],
                note=d["note"],
            )
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            done = "全部正常" if check.all_ok else f"已记录问题：{'、'.join(check.problems)}"
            messages.success(request, f"{site.name} {check.day} 下班检查已登记（{done}）。")
            return redirect("sites:closing_check", pk=pk)
    context = {
        "s": site,
        "form": form,
        "items": CHECK_ITEMS,
        "today": today,
        "done_today": ClosingCheck.objects.filter(site=site, day=today).select_related(
            "checked_by"
        ),
        "refusal": refusal,
    }
    return render_page(request, "sites/closing_check.html", context, status=status)
