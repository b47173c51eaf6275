"""Archive pages: dossiers, archiving, retrieval requests, retrieval, the ARC-2 movement register.

parse → action/selector → render; a refusal is shown with its rule id and changes nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import Request
from baomi.approvals.rules import requests_visible_to
from baomi.archive import actions
from baomi.archive.exports import DOSSIERS
from baomi.archive.models import Dossier
from baomi.archive.selectors import archive_movements, contents_of, dossiers_visible_to
from baomi.carriers.choices import PlaceKind, Status
from baomi.carriers.models import Place
from baomi.carriers.policies import is_clerk_of
from baomi.carriers.selectors import carriers_visible_to
from baomi.classification.choices import Level
from baomi.lib import exports
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.org.models import Person
from baomi.web.forms import (
    IdField,
    PostedForm,
    Refusal,
    model_field,
    posted_id,
    posted_ids,
    refusal_of,
)
from baomi.web.views import business_person_required, not_found


class DossierForm(PostedForm):
    """立卷 as the page posts it: each value bounded as the Dossier model bounds it."""

    number = model_field(Dossier, "number")
    title = model_field(Dossier, "title")
    year = forms.IntegerField(min_value=1900, max_value=2999)
    place = IdField()
    leadership_meeting = forms.BooleanField(required=False)


def _marking(level: str, text: str):
    return {"text": text, "level": level} if text else None


def _dossier_filters(request) -> dict:
    g = request.GET
    year = g.get("year", "")
    return {
        "year": int(year) if year.isdigit() and len(year) == 4 else None,
        "level": g.get("level", "") if g.get("level") in Level.values else "",
    }


def _dossiers(request, filters: dict):
    """The dossiers the viewer may see, as the list filters them; the page and its exports."""
    rows = dossiers_visible_to(request.person).select_related("place")
    if filters["year"]:
        rows = rows.filter(year=filters["year"])
    if filters["level"]:
        rows = rows.filter(level=filters["level"])
    return rows


@business_person_required
def export(request, fmt: str):
    """卷宗 as filtered on the page, as xlsx or PDF."""
    rows = _dossiers(request, _dossier_filters(request))
    return exports.respond(request, DOSSIERS, rows, fmt)


@business_person_required
def dossier_list(request):
    person = request.person
    refusal, status = None, 200
    clerk = is_clerk_of(person, person.unit_id)
    if request.method == "POST" and clerk:
        try:
            data = DossierForm.parse(request.POST)
            place = Place.objects.filter(pk=data["place"], unit_id=person.unit_id).first()
            if place is None:
                raise Invalid("请选择存放位置。", {"place": ["请选择存放位置"]})
            made = actions.create_dossier(
                person,
                number=data["number"],
                title=data["title"],
                year=data["year"],
                place=place,
                leadership_meeting=data["leadership_meeting"],
            )
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, f"已立卷 {made.number}。")
            return redirect("archive:detail", pk=made.pk)
    filters = _dossier_filters(request)
    dossiers = list(_dossiers(request, filters))
    context = {
        "dossiers": dossiers,
        "filters": filters,
        "levels": Level.choices,
        "query": request.GET.urlencode(),
        "is_clerk": clerk,
        "places": Place.objects.filter(
            unit_id=person.unit_id, kind__in=[PlaceKind.ARCHIVE, PlaceKind.SAFE]
        ),
        "refusal": refusal,
        "post": request.POST if request.method == "POST" else {},
        "page_marking": _page_marking([d.level for d in dossiers]),
        "watermark_text": True,
    }
    return render_page(request, "archive/dossier_list.html", context, status=status)


def _page_marking(levels):
    from baomi.carriers.views import highest_marking

    class _L:
        def __init__(self, level):
            self.level = level

    return highest_marking([_L(lv) for lv in levels], "（本页最高密级）")


@business_person_required
def detail(request, pk: int):
    person = request.person
    dossier = dossiers_visible_to(person).select_related("place").filter(pk=pk).first()
    if dossier is None:
        return not_found(request)
    refusal, status = None, 200
    clerk = is_clerk_of(person, dossier.unit_id)
    if request.method == "POST" and clerk:
        visible = carriers_visible_to(person)
        carrier = visible.filter(pk=posted_id(request.POST.get("carrier"))).first()
        try:
            if carrier is None:
                raise Invalid("请选择载体。", {"carrier": ["请选择载体"]})
            if request.POST.get("op") == "retrieve":
                approval = (
                    requests_visible_to(person)
                    .filter(pk=posted_id(request.POST.get("request")))
                    .first()
                )
                actions.retrieve(person, carrier, approval)
                done = f"{carrier.label} 已调阅出库，回到机要室。"
            else:
                actions.archive(person, carrier, dossier, note=request.POST.get("note", ""))
                done = f"{carrier.label} 已归入卷宗 {dossier.number}。"
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("archive:detail", pk=pk)
        dossier.refresh_from_db()
    contents = list(contents_of(dossier, person))
    approvals = Request.objects.none()
    if clerk:
        approvals = (
            requests_visible_to(person)
            .filter(kind=RequestKind.ARCHIVE_RETRIEVAL, status=RequestStatus.APPROVED)
            .select_related("beneficiary")
        )
    context = {
        "dossier": dossier,
        "contents": contents,
        "is_clerk": clerk,
        "archivable": carriers_visible_to(person)
        .filter(unit_id=dossier.unit_id, status=Status.IN_REGISTRY)
        .order_by("number", "copy_no")[:500]
        if clerk
        else [],
        "approvals": approvals,
        "refusal": refusal,
        "page_marking": _marking(dossier.level, dossier.marking),
        "watermark_text": dossier.number,
    }
    return render_page(request, "archive/detail.html", context, status=status)


@business_person_required
def movements(request):
    """ARC-2: the archive store's in/out register."""
    rows = list(archive_movements(request.person)[:500])
    context = {
        "rows": rows,
        "page_marking": _page_marking([e.carrier.level for e in rows]),
        "watermark_text": True,
    }
    return render_page(request, "archive/movements.html", context)


@business_person_required
def new_retrieval(request):
    """档案调阅申请 (ARC-1)."""
    person = request.person
    archived = (
        carriers_visible_to(person).filter(status=Status.ARCHIVED).order_by("number", "copy_no")
    )
    approvers = Person.objects.filter(
        unit_id=person.unit_id, authorities__kind=RequestKind.ARCHIVE_RETRIEVAL
    ).exclude(pk=person.pk)
    refusal: Refusal | None = None
    status = 200
    if request.method == "POST":
        chosen = list(archived.filter(pk__in=posted_ids(request.POST.getlist("carriers"))))
        approver = approvers.filter(pk=posted_id(request.POST.get("approver"))).first()
        try:
            if not chosen or approver is None:
                raise Invalid("请选择载体和审批人。", {"carriers": ["请选择载体和审批人"]})
            made = actions.request_retrieval(
                person, chosen, reason=request.POST.get("reason", ""), approver=approver
            )
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, f"档案调阅申请 #{made.pk} 已提交。")
            return redirect("approvals:detail", pk=made.pk)
    context = {
        "archived": archived,
        "approvers": approvers,
        "refusal": refusal,
        "page_marking": _page_marking([c.level for c in archived]),
        "watermark_text": True,
    }
    return render_page(request, "archive/retrieval_new.html", context, status=status)
