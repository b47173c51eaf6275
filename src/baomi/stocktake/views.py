"""清查 pages (CR-14): the list with a start form; one count's page with the scanner input
(a USB scanner types the label and Enter — each scan is posted by HTMX and the tally updates),
typed numbers, an uploaded list (txt/csv/xlsx), the reconciliation, loss reports and closing."""

from __future__ import annotations

import csv
import io
import re

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from baomi.carriers.models import Carrier, Place
from baomi.carriers.policies import is_clerk_of
from baomi.lib import exports
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import is_htmx, render_page
from baomi.stocktake import actions
from baomi.stocktake.exports import STOCKTAKES
from baomi.stocktake.models import ScanSource, StocktakeState
from baomi.stocktake.selectors import classify_scan, reconcile, stocktakes_visible_to
from baomi.web.forms import BootstrapMixin, refusal_of
from baomi.web.views import business_person_required, forbidden, not_found

SHOW_ROWS = 500
SHOW_STOCKTAKES = 100
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class StartForm(BootstrapMixin, forms.Form):
    place = forms.ModelChoiceField(
        label="清查位置", queryset=Place.objects.none(), required=False, empty_label="全单位"
    )
    include_out = forms.BooleanField(label="同时列出在个人手中的载体", required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, unit_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(unit_id=unit_id).order_by("name")


def _clerk_only(request):
    if not is_clerk_of(request.person, request.person.unit_id):
        return forbidden(request, "清查由本单位保密员进行。")
    return None


def _state_filter(request) -> str:
    state = request.GET.get("state", "")
    return state if state in StocktakeState.values else ""


def _stocktakes(request, state: str):
    """The unit's counts, newest first, as the list filters them (?state=…); page and exports."""
    rows = stocktakes_visible_to(request.person)
    return rows.filter(state=state) if state else rows


@business_person_required
def export(request, fmt: str):
    """清查 as filtered on the page, every count (not only the latest 100), as xlsx or PDF."""
    denied = _clerk_only(request)
    if denied:
        return denied
    return exports.respond(request, STOCKTAKES, _stocktakes(request, _state_filter(request)), fmt)


@business_person_required
def stocktake_list(request):
    denied = _clerk_only(request)
    if denied:
        return denied
    form = StartForm(request.POST or None, unit_id=request.person.unit_id)
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stocktake = actions.start(
                    request.person,
                    place=form.cleaned_data["place"],
                    include_out=form.cleaned_data["include_out"],
                    note=form.cleaned_data["note"],
                )
                return redirect("stocktake:detail", pk=stocktake.pk)
            except BaomiError as error:
                refusal = refusal_of(error)
                status = refusal.status
        else:
            status = 422
    state = _state_filter(request)
    context = {
        "form": form,
        "refusal": refusal,
        "stocktakes": _stocktakes(request, state)[:SHOW_STOCKTAKES],
        "state": state,
        "states": StocktakeState.choices,
        "query": request.GET.urlencode(),
    }
    return render_page(request, "stocktake/list.html", context, status=status)


def _stocktake(request, pk: int):
    return stocktakes_visible_to(request.person).filter(pk=pk).first()


@business_person_required
def detail(request, pk: int):
    stocktake = _stocktake(request, pk)
    if stocktake is None:
        return not_found(request)
    return _render_detail(request, stocktake)


def _render_detail(request, stocktake, *, refusal=None, status=200):
    result = reconcile(stocktake)
    context = {
        "stocktake": stocktake,
        "result": result,
        "counts": result.counts(),
        "show": SHOW_ROWS,
        "refusal": refusal,
        "found_rows": result.found[:200],
        "missing_rows": result.missing[:SHOW_ROWS],
        "unexpected_rows": result.unexpected[:SHOW_ROWS],
        "wrong_rows": result.wrong_place[:SHOW_ROWS],
        "out_rows": result.out_with_holders[:SHOW_ROWS],
    }
    return render_page(request, "stocktake/detail.html", context, status=status)


@business_person_required
@require_POST
def scan(request, pk: int):
    """One scan (HTMX): the label typed by the scanner; answers the feedback and the tally."""
    stocktake = _stocktake(request, pk)
    if stocktake is None:
        return not_found(request)
    code = request.POST.get("code", "")
    context = {"stocktake": stocktake, "code": code.strip()[:40]}
    status = 200
    try:
        result = actions.record_scans(request.person, stocktake, [code], source=ScanSource.SCANNER)
        if result.codes:
            context["code"] = result.codes[0]
            context["outcome"], context["text"] = classify_scan(stocktake, result.codes[0])
            context["duplicate"] = bool(result.duplicates)
    except BaomiError as error:
        context["refusal"] = refusal_of(error)
        status = context["refusal"].status
    if not is_htmx(request):  # a scanner page without JavaScript: back to the page
        if "refusal" in context:
            return _render_detail(request, stocktake, refusal=context["refusal"], status=status)
        messages.info(request, f"{context['code']}：{context.get('text', '')}")
        return redirect("stocktake:detail", pk=stocktake.pk)
    # The tally and the missing list swap in beside the feedback (hx-swap-oob): the list
    # shrinks while the clerk scans.
    result = reconcile(stocktake)
    context["counts"] = result.counts()
    context["missing_rows"] = result.missing[:SHOW_ROWS]
    return render_page(
        request,
        "stocktake/partials/_scan_result.html",
        context,
        partial="stocktake/partials/_scan_result.html",
        status=status,
    )


def _codes_from_text(text: str) -> list[str]:
    return [c for c in re.split(r"[\s,;，；]+", text) if c]


def _codes_from_upload(upload) -> list[str]:
    name = (upload.name or "").lower()
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError("文件过大（最大 5 MB）。")
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise ValueError("无法读取该 xlsx 文件。") from error
        codes = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                codes += [str(v).strip() for v in row if v is not None and str(v).strip()]
        return codes
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as error:
            raise ValueError("文件编码无法识别（请用 UTF-8 或 GBK）。") from error
    if name.endswith(".csv"):
        return [
            cell.strip() for row in csv.reader(io.StringIO(text)) for cell in row if cell.strip()
        ]
    return _codes_from_text(text)


@business_person_required
@require_POST
def add(request, pk: int):
    """Typed numbers (one per line) or an uploaded list."""
    stocktake = _stocktake(request, pk)
    if stocktake is None:
        return not_found(request)
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            codes, source = _codes_from_upload(upload), ScanSource.UPLOAD
        else:
            codes, source = _codes_from_text(request.POST.get("codes", "")), ScanSource.TYPED
    except ValueError as error:
        return _render_detail(
            request, stocktake, refusal=refusal_of(Invalid(str(error))), status=422
        )
    if not codes:
        return _render_detail(
            request, stocktake, refusal=refusal_of(Invalid("没有录入任何编号。")), status=422
        )
    try:
        result = actions.record_scans(request.person, stocktake, codes, source=source)
    except BaomiError as error:
        refusal = refusal_of(error)
        return _render_detail(request, stocktake, refusal=refusal, status=refusal.status)
    text = f"录入 {result.added} 个编号"
    if result.duplicates:
        text += f"，{result.duplicates} 个已录入过"
    if result.invalid:
        text += f"，{len(result.invalid)} 个无法识别：{'、'.join(result.invalid[:10])}"
    messages.success(request, text + "。")
    return redirect("stocktake:detail", pk=stocktake.pk)


@business_person_required
@require_POST
def close(request, pk: int):
    stocktake = _stocktake(request, pk)
    if stocktake is None:
        return not_found(request)
    try:
        actions.close(request.person, stocktake, note=request.POST.get("note", ""))
    except BaomiError as error:
        refusal = refusal_of(error)
        return _render_detail(request, stocktake, refusal=refusal, status=refusal.status)
    messages.success(request, "清查已结束，结果已记录。")
    return redirect("stocktake:detail", pk=stocktake.pk)


@business_person_required
@require_POST
def report_lost(request, pk: int, carrier_id: int):
    stocktake = _stocktake(request, pk)
    carrier = Carrier.objects.filter(pk=carrier_id, unit_id=request.person.unit_id).first()
    if stocktake is None or carrier is None:
        return not_found(request)
    try:
        actions.report_missing(
            request.person, stocktake, carrier, note=request.POST.get("note", "")
        )
    except BaomiError as error:
        refusal = refusal_of(error)
        return _render_detail(request, stocktake, refusal=refusal, status=refusal.status)
    messages.warning(request, f"载体 {carrier.label} 已报失，请按失泄密事件处置（INC-1）。")
    return redirect("stocktake:detail", pk=stocktake.pk)
