"""归还 by the stack: the scanner page (each number + Enter returns that carrier at once) and the
batch return of the carriers ticked on the ledger or on this page (all or nothing, CR-4, CR-17).

Two shapes on purpose: a scan is one carrier in the clerk's hand, returned and confirmed before
the next is picked up; a batch is a selection the clerk reviewed, which either comes back whole
or — when one of them cannot — not at all, naming the one that stopped it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from baomi.carriers import actions
from baomi.carriers.choices import WITH_HOLDER
from baomi.carriers.exports import highest_marking
from baomi.carriers.policies import is_clerk_of
from baomi.carriers.selectors import carrier_by_label, carriers_visible_to
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import is_htmx, render_page
from baomi.web.forms import posted_ids, refusal_of
from baomi.web.views import business_person_required, forbidden

SHOW_OUT = 500


def _ids(values) -> list[int]:
    """The ticked carrier ids; anything that is not an id (a word, a number beyond any id) is a
    422, not a 500."""
    ids = posted_ids(values)
    if len(ids) != len(values):
        raise Invalid("所选载体无效。", {"carriers": ["所选载体无效"]})
    return ids


def _out_with_holders(person):
    return (
        carriers_visible_to(person)
        .filter(unit_id=person.unit_id, status__in=WITH_HOLDER)
        .select_related("holder", "home_place")
        .order_by("due_date", "number", "copy_no")
    )


@business_person_required
def returns(request):
    """The return desk: a scanner field and the carriers out with holders, ticked for a batch."""
    person = request.person
    if not is_clerk_of(person, person.unit_id):
        return forbidden(request, "只有本单位保密员可以办理归还。")
    out = list(_out_with_holders(person)[:SHOW_OUT])
    context = {
        "out": out,
        "page_marking": highest_marking(out, "（本页最高密级）"),
        "watermark_text": True,
    }
    return render_page(request, "carriers/returns.html", context)


@require_POST
@business_person_required
def return_scanned(request):
    """One scanned label: that carrier is returned now; the answer is the feedback line (HTMX),
    or the page again with a message (no JavaScript)."""
    person = request.person
    if not is_clerk_of(person, person.unit_id):
        return forbidden(request, "只有本单位保密员可以办理归还。")
    code = request.POST.get("code", "").strip()[:60]
    context = {"code": code}
    try:
        carrier = carrier_by_label(person, code)
        if carrier is None:
            raise Invalid(f"未找到编号 {code} 的载体。", {"code": ["未找到该编号的载体"]})
        actions.return_to_registry(person, carrier)
        carrier.refresh_from_db()
        context["carrier"] = carrier
    except BaomiError as error:
        context["refusal"] = refusal_of(error)
    if not is_htmx(request):
        if "refusal" in context:
            refusal = context["refusal"]
            messages.error(request, f"{code}：[{refusal.code}] {refusal.message}")
        else:
            messages.success(request, f"{code}：已归还至{context['carrier'].place.name}。")
        return redirect("carriers:returns")
    return render_page(
        request,
        "carriers/partials/_return_scan.html",
        context,
        partial="carriers/partials/_return_scan.html",
    )


@require_POST
@business_person_required
def return_batch(request):
    """The ticked carriers, all or nothing; back to where the clerk ticked them."""
    person = request.person
    back = request.POST.get("next", "")
    # Only a path of this site: anything else (a view name, garbage) would make redirect() fail.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        back = ""
    back = back or reverse("carriers:returns")
    try:
        ids = _ids(request.POST.getlist("carriers"))
        chosen = list(carriers_visible_to(person).filter(pk__in=ids))
        done = actions.return_many(person, chosen, note=request.POST.get("note", "")[:500])
    except BaomiError as error:
        refusal = refusal_of(error)
        messages.error(request, f"未归还任何载体：[{refusal.code}] {refusal.message}")
    else:
        labels = "、".join(c.label for c in done[:20]) + ("等" if len(done) > 20 else "")
        messages.success(request, f"已归还 {len(done)} 件：{labels}。")
    return HttpResponseRedirect(back)
