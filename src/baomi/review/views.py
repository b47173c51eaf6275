"""Pages of the review before publication or provision (REV-1…3) and of the term list.

Every view: parse → selector/action → render. A submission above the viewer's level, or not
theirs to see, is 404; refusals are shown with their rule id and change nothing.
"""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from baomi.lib.errors import BaomiError
from baomi.lib.htmx import render_page
from baomi.review import actions, policies, selectors
from baomi.review.choices import Destination, ReviewStatus, Stage
from baomi.review.forms import (
    DecisionForm,
    PublishForm,
    ReviewPageForm,
    SelfCheckForm,
    TermImportForm,
    TermsForm,
)
from baomi.review.register import COLUMNS, highest_level, register_rows
from baomi.web.forms import apply_error, posted_id, refusal_of
from baomi.web.views import business_person_required, forbidden, not_found

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _marking(level: str) -> dict | None:
    from baomi.classification.choices import Level

    if level == Level.PUBLIC:
        return None
    return {"text": Level(level).label, "level": level}


@business_person_required
def review_list(request):
    person = request.person
    reviews = selectors.reviews_visible_to(person).select_related("author", "department")
    status = request.GET.get("status", "")
    if status in ReviewStatus.values:
        reviews = reviews.filter(status=status)
    rows = list(reviews.order_by("-created_at", "-id")[:PER_PAGE])
    for r in rows:
        r.my_stage = policies.offered_stage(person, r)
    top = max((r.level for r in rows), default=None, key=_rank)
    context = {
        "reviews": rows,
        "statuses": ReviewStatus.choices,
        "status": status,
        "page_marking": _marking(top) if top else None,
        "watermark_text": True,
        "may_manage_terms": policies.may_manage_terms(person),
    }
    return render_page(request, "review/list.html", context)


def _rank(level: str) -> int:
    from baomi.classification.choices import rank

    return rank(level)


def _form_values(form) -> actions.ReviewForm:
    data = form.cleaned_data
    return actions.ReviewForm(
        title=data["title"],
        source=data["source"],
        destination=data["destination"],
        destination_detail=data["destination_detail"],
        department=data["department"],
        first_reviewer=data["first_reviewer"],
        level=data["level"],
        important=data["important"],
        text=data["text"],
    )


@business_person_required
def new(request):
    """New submission: saved, files stored encrypted, then submitted (the scan runs first)."""
    return _edit(request, None)


@business_person_required
def edit(request, pk: int):
    review = selectors.review_for(request.person, pk)
    if review is None:
        return not_found(request)
    if not policies.may_edit(request.person, review):
        return forbidden(request, "只有拟稿人可以修改草稿或被退回的稿件。")
    return _edit(request, review)


def _edit(request, review):
    person = request.person
    initial = {}
    if review is not None:
        initial = {
            "title": review.title,
            "source": review.source,
            "destination": review.destination,
            "destination_detail": review.destination_detail,
            "department": review.department,
            "first_reviewer": review.first_reviewer,
            "level": review.level,
            "important": review.important,
            "text": review.text,
        }
    else:
        initial = {"department": person.department_id, "destination": Destination.WEBSITE}
    form = ReviewPageForm(
        request.POST or None, request.FILES or None, person=person, initial=initial
    )
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                values = _form_values(form)
                if review is None:
                    review = actions.create_review(person, values)
                else:
                    review = actions.update_review(person, review, values)
                for upload in form.cleaned_data["files"]:
                    actions.attach_file(
                        person,
                        review,
                        name=upload.name,
                        data=upload.read(),
                        content_type=upload.content_type or "",
                    )
                if "submit" in request.POST:
                    actions.submit(person, review)
                return redirect("review:detail", pk=review.pk)
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
        else:
            status = 422
    context = {
        "form": form,
        "review": review,
        "files": review.files.filter(removed=False) if review else [],
        "refusal": refusal,
    }
    return render(request, "review/edit.html", context, status=status)


@business_person_required
def detail(request, pk: int):
    review = selectors.review_for(request.person, pk)
    if review is None:
        return not_found(request)
    return _render_detail(request, review)


def _render_detail(request, review, *, refusal=None, forms=None, status=200):
    person = request.person
    forms = forms or {}
    stage = policies.offered_stage(person, review)
    scan = review.last_scan
    decision_form = forms.get("decision") or DecisionForm(initial={"stage": stage})
    if stage == Stage.HIT_DECISION:
        decision_form.fields["comment"].label = "判定理由（必填）"
    context = {
        "review": review,
        "scan": scan,
        "scans": review.scans.select_related("term_version").order_by("-round"),
        "steps": review.steps.order_by("id"),
        "files": review.files.filter(removed=False),
        "stage": stage,
        "stage_label": Stage(stage).label if stage else "",
        "self_check_form": forms.get("self_check") or _self_check_form(scan),
        "decision_form": decision_form,
        "publish_form": forms.get("publish") or PublishForm(initial={"on": timezone.localdate()}),
        "may_publish": review.status == ReviewStatus.APPROVED
        and policies.may_publish(person, review),
        "may_edit": policies.may_edit(person, review),
        "refusal": refusal,
        "page_marking": _marking(review.level),
        "watermark_text": f"审查 #{review.pk}",
    }
    return render_page(request, "review/detail.html", context, status=status)


def _self_check_form(scan) -> SelfCheckForm:
    # After hits the author writes their own statement: a pre-filled "不涉及国家秘密" next to a
    # found marking would have them sign what the scan contradicts (REV-3).
    if scan is not None and scan.hit_count:
        return SelfCheckForm(initial={"statement": ""})
    return SelfCheckForm()


@require_POST
@business_person_required
def act(request, pk: int, verb: str):
    """One step from the detail page: self-check, approve, send back, publish, submit."""
    person = request.person
    review = selectors.review_for(person, pk)
    if review is None:
        return not_found(request)
    forms = {}
    try:
        if verb == "self-check":
            form = forms["self_check"] = SelfCheckForm(request.POST)
            if not form.is_valid():
                return _render_detail(request, review, forms=forms, status=422)
            actions.self_check(person, review, form.cleaned_data["statement"])
        elif verb in ("approve", "send-back"):
            form = forms["decision"] = DecisionForm(request.POST)
            if not form.is_valid():
                return _render_detail(request, review, forms=forms, status=422)
            do = actions.approve if verb == "approve" else actions.send_back
            do(person, review, form.cleaned_data["stage"], form.cleaned_data["comment"])
        elif verb == "publish":
            form = forms["publish"] = PublishForm(request.POST)
            if not form.is_valid():
                return _render_detail(request, review, forms=forms, status=422)
            actions.publish(
                person, review, where=form.cleaned_data["where"], on=form.cleaned_data["on"]
            )
        elif verb == "submit":
            actions.submit(person, review)
        elif verb == "remove-file":
            attached = review.files.filter(pk=posted_id(request.POST.get("file_id"))).first()
            if attached is None:
                return not_found(request)
            actions.remove_file(person, review, attached)
        else:
            return not_found(request)
    except BaomiError as error:
        review.refresh_from_db()
        form = next(iter(forms.values()), None)
        refusal = apply_error(form, error) if form is not None else refusal_of(error)
        return _render_detail(request, review, refusal=refusal, forms=forms, status=refusal.status)
    return redirect("review:detail", pk=review.pk)


@business_person_required
def download(request, pk: int, file_id: int):
    """A file, decrypted for a viewer who may see the submission (never the stored bytes)."""
    review = selectors.review_for(request.person, pk)
    attached = review.files.filter(pk=file_id).first() if review else None
    if attached is None:
        return not_found(request)
    response = HttpResponse(actions.read_file(attached), content_type="application/octet-stream")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attached.name)}"
    response["Cache-Control"] = "no-store"
    return response


# --- the register ---------------------------------------------------------------------------


@business_person_required
def register(request):
    rows = register_rows(selectors.reviews_visible_to(request.person))
    top = highest_level(rows)
    context = {
        "rows": rows,
        "columns": COLUMNS,
        "page_marking": {"text": top, "level": ""} if top else None,
        "watermark_text": True,
    }
    return render(request, "review/register.html", context)


@business_person_required
def register_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    person, now = request.person, timezone.localtime()
    rows = register_rows(selectors.reviews_visible_to(person))
    top = highest_level(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "信息发布审查登记"
    ws.append([top or "（不含涉密内容）"])
    ws["A1"].font = Font(size=16, bold=True, color="C1121F")
    ws.append([f"信息发布保密审查登记表 · 导出人：{person.name} · 导出时间：{now:%Y-%m-%d %H:%M}"])
    ws.append(COLUMNS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, r in enumerate(rows, 1):
        ws.append(
            [
                i,
                r["title"],
                r["source"],
                r["department"],
                r["destination"],
                r["first"],
                r["professional"],
                r["head"],
                r["published_on"],
            ]
        )
    for column, width in zip("ABCDEFGHI", (6, 36, 16, 14, 24, 30, 30, 30, 12), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A4"
    buffer = BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="review-register-{now:%Y%m%d}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@business_person_required
def register_pdf(request):
    from baomi.lib.pdf import render_pdf

    person, now = request.person, timezone.localtime()
    rows = register_rows(selectors.reviews_visible_to(person))
    pdf = render_pdf(
        "review/register_pdf.html",
        {
            "rows": rows,
            "columns": COLUMNS,
            "marking": highest_level(rows) or "",
            "unit_name": person.unit.name,
            "watermark": f"{person.name} {now:%Y-%m-%d %H:%M}",
            "now": now,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="review-register-{now:%Y%m%d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- term list ------------------------------------------------------------------------------


@business_person_required
def terms(request):
    """The unit's sensitive-term list: edit (a new version), import, versions."""
    person = request.person
    if not policies.may_manage_terms(person):
        return forbidden(request, "只有本单位保密员或单位负责人可以维护敏感词表。")
    current = selectors.current_version(person.unit_id)
    edit_form = TermsForm(initial={"terms": "\n".join(current.terms) if current else ""})
    import_form = TermImportForm()
    refusal, status, done = None, 200, ""
    if request.method == "POST":
        try:
            if "import" in request.POST:
                import_form = TermImportForm(request.POST, request.FILES)
                if not import_form.is_valid():
                    status = 422
                else:
                    data = import_form.cleaned_data
                    version = actions.import_terms(
                        person,
                        person.unit,
                        filename=data["file"].name,
                        data=data["file"].read(),
                        replace=data["replace"],
                        note=data["note"],
                    )
                    done = f"已导入，生成第{version.number}版（{version.term_count}词）。"
            else:
                edit_form = TermsForm(request.POST)
                if not edit_form.is_valid():
                    status = 422
                else:
                    lines = edit_form.cleaned_data["terms"].splitlines()
                    version = actions.save_terms(
                        person, person.unit, lines, note=edit_form.cleaned_data["note"]
                    )
                    done = f"已保存为第{version.number}版（{version.term_count}词）。"
        except BaomiError as error:
            refusal = apply_error(import_form if "import" in request.POST else edit_form, error)
            status = refusal.status
        if done:
            current = selectors.current_version(person.unit_id)
            edit_form = TermsForm(initial={"terms": "\n".join(current.terms)})
    context = {
        "current": current,
        "versions": selectors.versions_of(person.unit_id),
        "edit_form": edit_form,
        "import_form": import_form,
        "refusal": refusal,
        "done": done,
        "api_url": request.build_absolute_uri(reverse("api:current_terms")),
    }
    return render(request, "review/terms.html", context, status=status)


@business_person_required
def term_version(request, number: int):
    person = request.person
    if not policies.may_manage_terms(person):
        return forbidden(request, "只有本单位保密员或单位负责人可以维护敏感词表。")
    version = selectors.versions_of(person.unit_id).filter(number=number).first()
    if version is None:
        return not_found(request)
    return render(request, "review/term_version.html", {"version": version})
