"""Ledger pages: 台账 (list + export), the carrier page and its actions, 登记, 我持有的.

Every view: parse → selector/action → render (style.md rule 9). What the viewer may not see is
404 (deny by default); refusals are shown with their rule id and change nothing.
"""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from baomi.audit.models import Outcome
from baomi.audit.trail import record, record_read
from baomi.carriers import actions
from baomi.carriers.filters import CarrierFilter
from baomi.carriers.forms import ACTION_BY_SLUG, ACTION_FORMS, RegisterForm
from baomi.carriers.policies import available_actions, is_clerk_of
from baomi.carriers.selectors import carrier_for, carriers_visible_to, history_of, holdings_of
from baomi.carriers.tables import CarrierTable, is_overdue, with_level_rank
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.lib.errors import BaomiError
from baomi.lib.htmx import is_htmx, render_page
from baomi.web.forms import Refusal, apply_error, refusal_of
from baomi.web.views import business_person_required, forbidden, not_found

PER_PAGE = 25
# SEC-4 / 条例20: reads of these levels are audited (who came to know 机密 and above).
AUDITED_READ_LEVELS = (Level.SECRET, Level.TOP_SECRET)
EXPORT_LIMIT = 20000


def highest_marking(carriers, note: str = "") -> dict | None:
    """The banner of a list: the highest level among the carriers shown (SEC-5)."""
    levels = {c.level for c in carriers}
    if not levels:
        return None
    top = max(levels, key=lambda lv: LEVEL_RANK[Level(lv)])
    if top == Level.PUBLIC:
        return None
    return {"text": Level(top).label, "level": top, "note": note}


def ledger_queryset(request):
    person = request.person
    base = carriers_visible_to(person).select_related("holder", "place")
    return CarrierFilter(request.GET or None, queryset=with_level_rank(base), request=request)


# --- 台账 ----------------------------------------------------------------------------------------


@business_person_required
def ledger(request):
    """台账: filter, search, sort, paginate; the filter form swaps only the table (HTMX)."""
    filterset = ledger_queryset(request)
    table = CarrierTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    shown = list(table.page.object_list) if table.page else []
    context = {
        "filter": filterset,
        "table": table,
        "page_marking": highest_marking([row.record for row in shown], "（本页最高密级）"),
        "watermark_text": True,
        "export_query": request.GET.urlencode(),
        "is_clerk": is_clerk_of(request.person, request.person.unit_id),
    }
    return render_page(
        request,
        "carriers/ledger.html",
        context,
        partial="carriers/partials/_ledger_table.html",
        target="ledger-table",
    )


@business_person_required
def export(request):
    """The filtered ledger as xlsx, marked at the top with its highest level (SEC-5)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    filterset = ledger_queryset(request)
    rows = list(filterset.qs.order_by("number", "copy_no")[:EXPORT_LIMIT])
    person, now = request.person, timezone.localtime()
    top = highest_marking(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "涉密载体台账"
    ws.append([top["text"] if top else "（无涉密载体）"])
    ws["A1"].font = Font(size=16, bold=True, color="C1121F")
    ws.append(
        [
            f"涉密载体台账 · 导出人：{person.name} · 导出时间：{now:%Y-%m-%d %H:%M} · "
            f"共 {len(rows)} 件（本表密级按其中最高密级标注）"
        ]
    )
    headers = [
        "统一编号-份号",
        "密级标志",
        "标题",
        "制文机关",
        "文号",
        "成文日期",
        "页数",
        "状态",
        "持有人",
        "存放位置",
        "应还日期",
        "逾期",
    ]
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for c in rows:
        ws.append(
            [
                c.label,
                c.marking,
                c.title,
                c.issuer,
                c.doc_number,
                c.doc_date,
                c.pages,
                c.get_status_display(),
                c.holder.name if c.holder_id else "",
                c.place.name if c.place_id else "",
                c.due_date,
                "是" if is_overdue(c) else "",
            ]
        )
    for column, width in zip(
        "ABCDEFGHIJKL", (18, 14, 40, 20, 20, 12, 6, 10, 10, 16, 12, 6), strict=True
    ):
        ws.column_dimensions[column].width = width
    ws["A1"].alignment = Alignment(horizontal="left")
    ws.freeze_panes = "A4"
    _audit_export(person, rows, top)
    buffer = BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"ledger-{now:%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _audit_export(person, rows, top) -> None:
    """An export of 机密/绝密 lines is a read of them (SEC-4): numbers and levels only."""
    read = [c.label for c in rows if c.level in AUDITED_READ_LEVELS]
    with transaction.atomic():
        record(
            "carrier.export",
            person,
            None,
            outcome=Outcome.READ,
            after={
                "count": len(rows),
                "max_level": top["level"] if top else None,
                "audited_reads": read[:1000],
            },
        )


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
        slug, label, icon, form_class = ACTION_FORMS[name]
        form = bound.get(name) or form_class(
            carrier=carrier, person=person, auto_id=f"id_{name}_%s"
        )
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
    context = {
        "carrier": carrier,
        "history": history_of(carrier),
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
