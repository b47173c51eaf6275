"""Ledger pages: 台账 (list + export), the carrier page and its actions, 登记, 我持有的.

Every view: parse → selector/action → render (style.md rule 9). What the viewer may not see is
404 (deny by default); refusals are shown with their rule id and change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from baomi.audit.trail import record_list_read, record_read
from baomi.carriers import actions, exports
from baomi.carriers.exports import AUDITED_READ_LEVELS, highest_marking
from baomi.carriers.filters import CarrierFilter
from baomi.carriers.forms import ACTION_BY_SLUG, ACTION_FORMS, RegisterForm
from baomi.carriers.ledger_paging import paginate_ledger
from baomi.carriers.policies import available_actions, is_clerk_of
from baomi.carriers.selectors import (
    carrier_for,
    carriers_visible_to,
    history_of,
    holdings_of,
    scope_warning,
)
from baomi.carriers.tables import (
    CarrierTable,
    is_overdue,
    ledger_rows,
    with_level_rank,
)
from baomi.lib.errors import BaomiError
from baomi.lib.exports import PDF, download, too_many, xlsx_download
from baomi.lib.htmx import is_htmx, render_page
from baomi.lib.replicas import replica_reads
from baomi.web.forms import Refusal, apply_error, refusal_of
from baomi.web.views import business_person_required, forbidden, not_found


def ledger_queryset(request):
    person = request.person
    base = carriers_visible_to(person).select_related("holder", "place")
    if "marking" in request.GET.get("sort", ""):
        # Only the 密级 sort needs the rank; elsewhere the CASE rode along into every count.
        base = with_level_rank(base)
    return CarrierFilter(request.GET or None, queryset=base, request=request)


# --- 台账 ----------------------------------------------------------------------------------------


@business_person_required
def ledger(request):
    """台账: filter, search, sort, paginate; the filter form swaps only the table (HTMX)."""
    filterset = ledger_queryset(request)
    clerk = is_clerk_of(request.person, request.person.unit_id)
    table = CarrierTable(filterset.qs, exclude=() if clerk else ("select",))
    RequestConfig(request, paginate=False).configure(table)  # the sort
    with replica_reads():  # the page of rows and its count, from a replica where there is one
        paginate_ledger(request, table, searched=filterset.substring_search)
        shown = list(table.page.object_list)
    # SEC-4 / 条例20: a page showing 机密/绝密 carriers is one audited read naming their numbers.
    record_list_read(
        request.person,
        "carrier",
        [carrier.label for carrier in shown if carrier.level in AUDITED_READ_LEVELS],
        form="page",
    )
    context = {
        "filter": filterset,
        "table": table,
        "rows": ledger_rows(
            shown, with_select=clerk, first_index=(table.page.number - 1) * table.paginator.per_page
        ),
        "page_marking": highest_marking(shown, "（本页最高密级）"),
        "watermark_text": True,
        "export_query": request.GET.urlencode(),
        "is_clerk": clerk,
    }
    return render_page(
        request,
        "carriers/ledger.html",
        context,
        partial="carriers/partials/_ledger_table.html",
        target="ledger-table",
    )


def _filtered_rows(request, limit: int, *, unit_id: int | None = None):
    """The ledger as filtered on screen, in number order; None when it is longer than `limit`."""
    qs = ledger_queryset(request).qs
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    rows = list(qs.order_by("number", "copy_no")[: limit + 1])
    return None if len(rows) > limit else rows


# The ledger's two files: the name of each one's row limit in `exports`, looked up per request so
# that it is configured in one place.
LEDGER_LIMITS = {"xlsx": "XLSX_LIMIT", "pdf": "PDF_LIMIT"}


@business_person_required
def export(request, fmt: str = "xlsx"):
    """The filtered ledger as xlsx (streamed) or an A4 landscape PDF, marked with its highest
    level (SEC-5)."""
    limit = getattr(exports, LEDGER_LIMITS[fmt])
    rows = _filtered_rows(request, limit)
    if rows is None:
        return too_many(request, limit)
    name = f"ledger-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"
    if fmt == "xlsx":
        return xlsx_download(exports.LEDGER, rows, request.person, name)
    return download(exports.ledger_pdf(rows, request.person), PDF, name)


@business_person_required
def labels(request):
    """Labels with QR codes for the filtered ledger (or one carrier: ?carrier=<id>).

    Only a unit's registry clerks label its carriers; a sheet is printed from the filter the ledger
    shows, e.g. the batch just registered (?q=<统一编号>)."""
    person = request.person
    carrier_id = request.GET.get("carrier", "")
    if carrier_id:
        wanted = carrier_id.isdigit() and len(carrier_id) < 12
        carrier = carrier_for(person, int(carrier_id)) if wanted else None
        if carrier is None:
            return not_found(request)
        rows = [carrier]
        unit_id = carrier.unit_id
    else:
        unit_id = person.unit_id
        rows = _filtered_rows(request, exports.LABEL_LIMIT, unit_id=unit_id)
    if not is_clerk_of(person, unit_id):
        return forbidden(request, "只有载体所属单位的保密员可以打印载体标签。")
    if rows is None:
        return too_many(request, exports.LABEL_LIMIT)
    unit = person.unit if unit_id == person.unit_id else rows[0].unit
    content = exports.labels_pdf(rows, person, unit)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(content, PDF, f"labels-{stamp}.pdf")


# --- the carrier page ----------------------------------------------------------------------------


@business_person_required
def detail(request, pk: int):
    carrier = carrier_for(request.person, pk)
    if carrier is None:
        return not_found(request)
    if carrier.level in AUDITED_READ_LEVELS:
        record_read(request.person, carrier)
    return render_detail(request, carrier)


def render_detail(
    request,
    carrier,
    *,
    bound: dict | None = None,
    refusal: Refusal | None = None,
    done: str = "",
    status: int = 200,
):
    person = request.person
    bound = bound or {}
    visible = carriers_visible_to(person)
    offered = []
    for name in available_actions(person, carrier):
        slug, label, icon, _ = ACTION_FORMS[name]
        # A form is built only when it is shown (a refusal re-renders it bound); the others load
        # when their button opens them (`action_form`): their pickers list the unit's people and
        # places, which made up most of the page at a real unit's size.
        form = bound.get(name)
        offered.append(
            {
                "name": name,
                "slug": slug,
                "label": label,
                "icon": icon,
                "form": form,
                "open": name in bound,
            }
        )
    history, earlier = recent_history(carrier, all_=request.GET.get("history") == "all")
    context = {
        "carrier": carrier,
        "history": history,
        "history_earlier": earlier,
        "scope_people": carrier.scope_people.select_related("department"),
        "scope_departments": carrier.scope_departments.all(),
        "original": visible.filter(pk=carrier.original_id).first() if carrier.original_id else None,
        "copies": visible.filter(original=carrier).order_by("number", "copy_no"),
        "siblings": visible.filter(unit_id=carrier.unit_id, number=carrier.number)
        .exclude(pk=carrier.pk)
        .order_by("copy_no"),
        "overdue": is_overdue(carrier),
        "offered": offered,
        "refusal": refusal,
        "done": done,
        "may_request": not is_clerk_of(person, carrier.unit_id),
        "page_marking": {"text": carrier.marking, "level": carrier.level},
        "watermark_text": carrier.label,
    }
    return render_page(
        request,
        "carriers/detail.html",
        context,
        partial="carriers/partials/_detail.html",
        status=status,
    )


# The carrier page shows the latest events; "全部" shows the whole history.
HISTORY_SHOWN = 50


def recent_history(carrier, *, all_: bool = False) -> tuple[list, bool]:
    """(events in time order, whether earlier ones were left out)."""
    if all_:
        return list(history_of(carrier)), False
    latest = list(history_of(carrier).order_by("-at", "-id")[: HISTORY_SHOWN + 1])
    earlier = len(latest) > HISTORY_SHOWN
    return latest[:HISTORY_SHOWN][::-1], earlier


@business_person_required
def action_form(request, pk: int, slug: str):
    """One action's form, loaded when its button opens it (HTMX GET)."""
    person = request.person
    carrier = carrier_for(person, pk)
    name = ACTION_BY_SLUG.get(slug)
    if carrier is None or name is None or name not in available_actions(person, carrier):
        return not_found(request)
    _, label, icon, form_class = ACTION_FORMS[name]
    form = form_class(carrier=carrier, person=person, auto_id=f"id_{name}_%s")
    action = {"name": name, "slug": slug, "label": label, "icon": icon, "form": form}
    return render(request, "carriers/partials/_action_form.html", {"carrier": carrier, "a": action})


@require_POST
@business_person_required
def act(request, pk: int, slug: str):
    """One action from the carrier page (an HTMX post, or a plain form post)."""
    person = request.person
    carrier = carrier_for(person, pk)
    name = ACTION_BY_SLUG.get(slug)
    if carrier is None or name is None:
        return not_found(request)
    form_class = ACTION_FORMS[name][3]
    form = form_class(request.POST, carrier=carrier, person=person, auto_id=f"id_{name}_%s")
    refusal, status = None, 422
    if form.is_valid():
        try:
            done = form.perform()
        except BaomiError as error:
            refusal = apply_error(form, error)
            status = refusal.status
        except ValidationError as error:  # a model invariant the action did not foresee
            form.add_error(None, "；".join(error.messages))
        else:
            return _after_action(request, pk, done)
    else:
        refusal = Refusal("invalid", "提交的内容有误，请检查下面标红的项目。", 422, False)
    carrier = carrier_for(person, pk)  # as it is now: a refusal changed nothing
    return render_detail(request, carrier, bound={name: form}, refusal=refusal, status=status)


def _after_action(request, pk, done: str):
    carrier = carrier_for(request.person, pk)
    if carrier is None:  # e.g. reported lost by a holder outside the scope: no longer theirs
        messages.success(request, done)
        if is_htmx(request):  # a whole-page move, not a swap into #carrier-main
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("carriers:holdings")
            return response
        return redirect("carriers:holdings")
    if is_htmx(request):
        return render_detail(request, carrier, done=done)
    messages.success(request, done)
    return redirect("carriers:detail", pk=pk)


# --- 登记 ----------------------------------------------------------------------------------------


@business_person_required
def register(request):
    """收文/制发登记 (CR-1): registry clerks only."""
    person = request.person
    if not is_clerk_of(person, person.unit_id):
        return forbidden(request, "只有本单位保密员可以登记涉密载体（CR-1：他人不得代收代登）。")
    form = RegisterForm(request.POST or None, person=person)
    refusal, status = None, 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                made = actions.register(person, form.registration())
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                labels = "、".join(c.label for c in made)
                messages.success(request, f"已登记 {len(made)} 份：{labels}")
                warning = scope_warning(made[0])
                if warning:
                    messages.warning(request, warning)
                query = urlencode({"q": made[0].number})
                return redirect(f"{reverse('carriers:list')}?{query}")
        else:
            refusal = Refusal("invalid", "登记信息有误，请检查下面标红的项目。", 422, False)
    context = {"form": form, "refusal": refusal}
    return render_page(request, "carriers/register.html", context, status=status)


# --- 我持有的 ------------------------------------------------------------------------------------


@business_person_required
def holdings(request):
    """What I hold right now, soonest due first; 签收 in place (CR-3, CR-17)."""
    rows = list(holdings_of(request.person).select_related("place", "holder"))
    for row in rows:
        row.overdue_flag = is_overdue(row)
    context = {
        "rows": rows,
        "page_marking": highest_marking(rows, "（本页最高密级）"),
        "watermark_text": True,
    }
    return render_page(request, "carriers/holdings.html", context)


@require_POST
@business_person_required
def acknowledge_holding(request, pk: int):
    """The 签收 button of 我持有的: swaps its own row."""
    person = request.person
    carrier = carrier_for(person, pk)
    if carrier is None:
        return not_found(request)
    refusal = None
    try:
        actions.acknowledge(person, carrier)
    except BaomiError as error:
        refusal = refusal_of(error)
    if not is_htmx(request):
        if refusal:
            messages.error(request, f"[{refusal.code}] {refusal.message}")
        else:
            messages.success(request, f"已签收 {carrier.label}。")
        return redirect("carriers:holdings")
    carrier = carrier_for(person, pk)
    carrier.overdue_flag = is_overdue(carrier)
    # 200 even for a refusal: htmx swaps only 2xx, and the row must show the refusal.
    return render_page(
        request, "carriers/partials/_holding_row.html", {"c": carrier, "refusal": refusal}
    )
