"""Import pages: upload → the detected column mapping (correctable) → a dry-run report →
import. The uploaded file waits between steps in the encrypted file store (SEC-5: a ledger
holds titles), named in the session only, and is deleted once imported.

Views stay thin: every check is the import action's (`imports.actions`, `imports.people`).
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import Request
from baomi.carriers.policies import is_clerk_of
from baomi.imports.actions import import_carriers, read_layout, regularise_with_loan
from baomi.imports.choices import ImportKind
from baomi.imports.forms import MappingForm, UploadForm
from baomi.imports.people import import_people
from baomi.imports.report import RowsRejected
from baomi.imports.selectors import batches_visible_to, held_without_approval
from baomi.lib import filestore
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.personnel.actions.historical import (
    confirm_historical_clearances,
    pending_historical,
)
from baomi.reclassification.selectors import awaiting_import_review, period_end
from baomi.web.forms import refusal_of
from baomi.web.views import business_person_required, forbidden, not_found, person_required

SESSION_KEY = "baomi_import_upload"
MAX_FILE_BYTES = 50 << 20


def _runner(kind: str):
    return import_people if kind == ImportKind.PEOPLE else import_carriers


@person_required
def index(request):
    """The batches the person may see, and the upload form."""
    form = UploadForm(request.POST or None, request.FILES or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        if upload.size > MAX_FILE_BYTES:
            form.add_error("file", "文件不能超过 50 MB")
        else:
            data = upload.read()
            try:
                # Read it now: a file that is no ledger is refused at once, before any mapping.
                read_layout(kind, upload.name, data)
            except Invalid as error:
                form.add_error("file", error.message)
            else:
                _forget(request)
                request.session[SESSION_KEY] = {
                    "blob": filestore.save(data),
                    "name": upload.name,
                    "kind": kind,
                }
                return redirect("imports:review")
    context = {
        "form": form,
        "refusal": refusal,
        "batches": batches_visible_to(request.person)[:50],
    }
    return render_page(request, "imports/index.html", context)


@person_required
def review(request):
    """The detected mapping (correctable), the dry-run report, and the import button."""
    upload = request.session.get(SESSION_KEY)
    if not upload:
        return redirect("imports:index")
    try:
        data = filestore.read(upload["blob"])
    except filestore.FileStoreError:
        _forget(request)
        return redirect("imports:index")
    kind, name = upload["kind"], upload["name"]
    _, layout = read_layout(kind, name, data)
    form = MappingForm(
        request.POST or None, kind=kind, headers=layout.headers, mapping=layout.mapping
    )
    corrections = form.corrections() if request.method == "POST" and form.is_valid() else None
    importing = request.method == "POST" and "import" in request.POST
    report = refusal = None
    try:
        report = _runner(kind)(
            request.person,
            request.person.unit,
            file_name=name,
            data=data,
            dry_run=not importing,
            corrections=corrections,
        )
    except RowsRejected as error:
        report = error.report
    except BaomiError as error:
        refusal = refusal_of(error)
    if importing and report is not None and report.batch is not None:
        _forget(request)
        messages.success(request, f"已导入 {report.count} 条，批次 #{report.batch.pk}。")
        context = {"report": report, "batch": report.batch, "kind": kind}
        return render_page(request, "imports/done.html", context)
    context = {
        "form": form,
        "report": report,
        "refusal": refusal,
        "file_name": name,
        "kind": kind,
        "kind_display": ImportKind(kind).label,
        "header_row": layout.header_row,
    }
    status = 403 if refusal and refusal.status == 403 else 200
    return render_page(request, "imports/review.html", context, status=status)


def _forget(request) -> None:
    upload = request.session.pop(SESSION_KEY, None)
    if upload:
        with contextlib.suppress(OSError, filestore.FileStoreError):
            filestore.raw_path(upload["blob"]).unlink(missing_ok=True)


@person_required
def detail(request, batch_id: int):
    batch = batches_visible_to(request.person).filter(pk=batch_id).first()
    if batch is None:
        return not_found(request)
    return render_page(request, "imports/detail.html", {"batch": batch})


@business_person_required
def regularise(request):
    """What imports left for the 保密员: carriers held without approval — returned on the
    carrier page, or turned into a loan here on an approved loan request — and periods that had
    ended before the import, to be reviewed (CL-9)."""
    person = request.person
    unit_id = person.unit_id
    if not is_clerk_of(person, unit_id):
        return not_found(request)
    refusal = None
    if request.method == "POST":
        carrier = held_without_approval(unit_id).filter(pk=request.POST.get("carrier")).first()
        loan = Request.objects.filter(pk=request.POST.get("request") or 0, unit_id=unit_id).first()
        if carrier is None or loan is None:
            return not_found(request)
        try:
            regularise_with_loan(person, carrier, loan)
        except BaomiError as error:
            refusal = refusal_of(error)
        else:
            messages.success(request, f"载体 {carrier.label} 已按审批单 #{loan.pk} 规范为借出。")
            return redirect("imports:regularise")
    held = list(held_without_approval(unit_id)[:500])
    loans: dict[int, list] = {}
    approved = Request.objects.filter(
        kind=RequestKind.LOAN,
        status=RequestStatus.APPROVED,
        items__carrier__in=[c.pk for c in held],
        items__consumed_at__isnull=True,
    ).values_list("items__carrier", "pk", "beneficiary__name", "due_date")
    for carrier_id, request_id, beneficiary, due in approved:
        loans.setdefault(carrier_id, []).append((request_id, beneficiary, due))
    today = timezone.localdate()
    context = {
        "held": [(c, loans.get(c.pk, [])) for c in held],
        "ended": [(c, period_end(c)) for c in awaiting_import_review(unit_id, today)[:500]],
        "refusal": refusal,
    }
    status = refusal.status if refusal else 200
    return render_page(request, "imports/regularise.html", context, status=status)


@person_required
def historical(request):
    """历史认定 for the 安全保密管理员: the list, and one button that confirms them all."""
    person = request.person
    refusal = None
    if request.method == "POST":
        try:
            done = confirm_historical_clearances(person, person.unit)
        except BaomiError as error:
            refusal = refusal_of(error)
        else:
            messages.success(request, f"已确认 {len(done)} 人的历史认定涉密等级。")
            return redirect("imports:historical")
    if refusal is None and person.system_role != "secadmin" and not person.is_automation:
        return forbidden(request, "只有安全保密管理员可以确认历史认定（SEC-3）。")
    context = {"pending": pending_historical(person.unit), "refusal": refusal}
    return render_page(
        request, "imports/historical.html", context, status=refusal.status if refusal else 200
    )
