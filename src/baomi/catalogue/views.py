"""The 保密事项目录 page (CL-7): current entries, each one's versions, and the forms to publish,
revise and retire (定密责任人 and 保密办). Thin: parse → action → render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect

from baomi.catalogue import actions
from baomi.catalogue.selectors import entries_visible_to
from baomi.classification.choices import Level, PeriodKind
from baomi.classification.periods import Period
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.web.forms import refusal_of
from baomi.web.views import business_person_required

LEVELS = [(lv.value, lv.label) for lv in (Level.TOP_SECRET, Level.SECRET, Level.CONFIDENTIAL)]


def _period(post) -> Period | None:
    kind = post.get("period_kind", "")
    try:
        if kind == PeriodKind.YEARS:
            return Period.of_years(int(post.get("period_years") or 0))
        if kind == PeriodKind.MONTHS:
            return Period.of_months(int(post.get("period_months") or 0))
        if kind == PeriodKind.DATE:
            return Period.until_date(date.fromisoformat(post.get("period_until") or ""))
        if kind == PeriodKind.INDEFINITE:
            return Period.indefinite()
        if kind == PeriodKind.CONDITION:
            return Period.on_condition(post.get("period_condition", ""))
    except ValueError as error:
        raise Invalid(f"保密期限有误：{error}", {"period": [str(error)]}) from None
    return None


def _form(post, code: str) -> actions.EntryForm:
    return actions.EntryForm(
        code=code,
        matter=post.get("matter", ""),
        level=post.get("level", ""),
        period=_period(post),
        scope=post.get("scope", ""),
        source_document=post.get("source_document", ""),
        note=post.get("note", ""),
    )


@business_person_required
def list_page(request):
    person = request.person
    keeper = actions.may_keep(person)
    refusal = None
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            entry = entries_visible_to(person).filter(pk=request.POST.get("entry") or 0).first()
            if op == "publish":
                made = actions.publish_entry(
                    person, _form(request.POST, request.POST.get("code", ""))
                )
                done = f"已发布条目 {made.code}。"
            elif op in ("revise", "retire") and entry is None:
                raise Invalid("目录条目不存在。", {"entry": ["目录条目不存在"]})
            elif op == "revise":
                made = actions.revise_entry(person, entry, _form(request.POST, entry.code))
                done = f"条目 {made.code} 已修订为第{made.version}版。"
            elif op == "retire":
                actions.retire_entry(person, entry, note=request.POST.get("note", ""))
                done = f"条目 {entry.code} 已废止。"
            else:
                raise Invalid("未知操作。", {"op": ["未知操作"]})
        except BaomiError as error:
            refusal = refusal_of(error)
        else:
            messages.success(request, done)
            return redirect("catalogue:list")
    rows = list(entries_visible_to(person).select_related("created_by"))
    current = [e for e in rows if e.current]
    for e in current:
        # Earlier versions of the same code, newest first (the page shows what changed).
        e.older = [o for o in rows if o.code == e.code and not o.current]
    context = {
        "entries": current,
        "retired": [e for e in rows if e.retired],
        "is_keeper": keeper,
        "levels": LEVELS,
        "period_kinds": PeriodKind.choices,
        "refusal": refusal,
    }
    return render_page(
        request, "catalogue/list.html", context, status=refusal.status if refusal else 200
    )
