"""Building a 销毁清单 from many carriers (CR-12): search and filter the eligible carriers, tick
them in a table, or scan their labels (number + Enter adds one); the page carries the level
banner of what it shows (SEC-5). One form, so it works without JavaScript: every submit keeps
the ticked carriers and applies the scan and the filter; 登记 creates the list."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect

from baomi.carriers.choices import CarrierKind, Status
from baomi.carriers.exports import highest_marking
from baomi.carriers.policies import is_clerk_of
from baomi.carriers.selectors import carrier_by_label, carriers_visible_to
from baomi.classification.choices import Level
from baomi.destruction import actions
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.web.forms import refusal_of
from baomi.web.views import business_person_required, forbidden

ELIGIBLE = (Status.IN_REGISTRY, Status.ARCHIVED)
SHOW_CANDIDATES = 200
MAX_ITEMS = 1000


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        if not str(value).isdigit():
            raise Invalid("所选载体无效。", {"carriers": ["所选载体无效"]})
        ids.append(int(value))
    return list(dict.fromkeys(ids))


def _filtered(queryset, data):
    q = data.get("q", "").strip()[:100]
    if q:
        queryset = queryset.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(doc_number__icontains=q)
            | Q(issuer__icontains=q)
        )
    if data.get("level") in Level.values:
        queryset = queryset.filter(level=data["level"])
    if data.get("kind") in CarrierKind.values:
        queryset = queryset.filter(kind=data["kind"])
    if data.get("status") in ELIGIBLE:
        queryset = queryset.filter(status=data["status"])
    return queryset


@business_person_required
def new_list(request):
    person = request.person
    if not is_clerk_of(person, person.unit_id):
        return forbidden(request, "只有本单位保密员可以登记销毁清单（CR-12）。")
    data = request.POST if request.method == "POST" else request.GET
    eligible = carriers_visible_to(person).filter(unit_id=person.unit_id, status__in=ELIGIBLE)
    refusal, status, notes = None, 200, []
    try:
        ids = _ids(data.getlist("carriers"))[:MAX_ITEMS]
    except Invalid as error:
        ids, refusal, status = [], refusal_of(error), 422
    scan = data.get("scan", "").strip()[:60]
    if scan:
        scanned = carrier_by_label(person, scan)
        if scanned is None:
            notes.append(f"未找到编号 {scan} 的载体。")
        elif scanned.status not in ELIGIBLE:
            notes.append(
                f"{scanned.label} 当前为“{scanned.get_status_display()}”，只有在库或已归档的"
                "载体可以列入销毁清单。"
            )
        elif scanned.pk in ids:
            notes.append(f"{scanned.label} 已在所选之中。")
        else:
            ids.append(scanned.pk)
    chosen = list(eligible.filter(pk__in=ids).order_by("number", "copy_no"))
    if len(chosen) < len(ids):
        notes.append(f"{len(ids) - len(chosen)} 件不是在库或已归档的载体，未加入。")
    if request.method == "POST" and data.get("op") == "create" and refusal is None:
        try:
            made = actions.create_list(person, chosen, reason=data.get("reason", ""))
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, f"已登记{made}，共 {len(chosen)} 件。")
            return redirect("destruction:detail", pk=made.pk)
    candidates = _filtered(eligible.exclude(pk__in=[c.pk for c in chosen]), data).order_by(
        "number", "copy_no"
    )
    shown = list(candidates[: SHOW_CANDIDATES + 1])
    context = {
        "chosen": chosen,
        "candidates": shown[:SHOW_CANDIDATES],
        "more": len(shown) > SHOW_CANDIDATES,
        "show": SHOW_CANDIDATES,
        "notes": notes,
        "refusal": refusal,
        "q": data.get("q", "")[:100],
        "level": data.get("level", ""),
        "kind": data.get("kind", ""),
        "status_wanted": data.get("status", ""),
        "reason": data.get("reason", "")[:500],
        "levels": [(v, label) for v, label in Level.choices if v != Level.PUBLIC],
        "kinds": CarrierKind.choices,
        "statuses": [(s.value, s.label) for s in ELIGIBLE],
        "page_marking": highest_marking([*chosen, *shown], "（本页最高密级）"),
        "watermark_text": True,
    }
    return render_page(request, "destruction/new.html", context, status=status)
