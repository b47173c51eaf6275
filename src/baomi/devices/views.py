"""Device pages: the ledgers (one tab per 台帐, with xlsx/PDF exports in the official columns),
and one device with its custody, checks (DEV-6 upload), uses, repairs and incidents."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import redirect

from baomi.carriers.policies import is_clerk_of
from baomi.devices import actions, checks
from baomi.devices.api import ledger_rows
from baomi.devices.choices import Ledger
from baomi.devices.exports import LEDGER_EXPORTS
from baomi.devices.forms import CheckUploadForm, DeviceForm, NetworkForm
from baomi.devices.selectors import device_for, devices_visible_to
from baomi.lib import exports
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.web.forms import apply_error
from baomi.web.views import business_person_required, not_found


def _ledger(slug: str) -> Ledger | None:
    return Ledger(slug) if slug in Ledger.values else None


def _rows(request, ledger: Ledger):
    return ledger_rows(devices_visible_to(request.person), ledger).order_by("kind", "id")


@business_person_required
def export(request, ledger: str, fmt: str):
    found = _ledger(ledger)
    if found is None:
        return not_found(request)
    return exports.respond(request, LEDGER_EXPORTS[found], _rows(request, found), fmt)


@business_person_required
def list_page(request, ledger: str = Ledger.CLASSIFIED_COMPUTERS.value):
    person = request.person
    current = _ledger(ledger)
    if current is None:
        return not_found(request)
    clerk = is_clerk_of(person, person.unit_id)
    form = DeviceForm(request.POST or None, person=person) if clerk else None
    refusal, status = None, 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                device = actions.register_device(
                    person,
                    actions.DeviceForm(
                        kind=data["kind"],
                        level=data["level"] or "",
                        department=data["department"],
                        brand=data["brand"],
                        model=data["model"],
                        serial=data["serial"],
                        disk_serial=data["disk_serial"],
                        mac=data["mac"],
                        responsible=data["responsible"],
                        location=data["location"],
                        network=data["network"] or "",
                        status=data["status"],
                        commissioned_on=data["commissioned_on"],
                        asset_number=data["asset_number"],
                        place=data["place"],
                    ),
                )
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                messages.success(request, f"已登记 {device}。")
                return redirect("devices:detail", device.pk)
        else:
            status = 422
    return render_page(
        request,
        "devices/list.html",
        {
            "devices": _rows(request, current),
            "ledgers": list(Ledger),
            "current": current,
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


@business_person_required
def detail(request, pk: int):
    person = request.person
    device = device_for(person, pk)
    if device is None:
        return not_found(request)
    clerk = is_clerk_of(person, device.unit_id)
    upload = CheckUploadForm() if clerk else None
    network = NetworkForm(initial={"network": device.network}) if clerk else None
    refusal, status = None, 200
    if request.method == "POST" and clerk:
        step = request.POST.get("step")
        try:
            if step == "check":
                upload = CheckUploadForm(request.POST, request.FILES)
                if not upload.is_valid():
                    raise Invalid("请选择检查报告文件。", {"report": ["请选择文件"]})
                report = _read_report(upload.cleaned_data["report"])
                check = checks.upload_check(
                    person, device, report, carried_on=upload.cleaned_data["carried_on"]
                )
                messages.success(request, f"已登记保密检查：{check.get_result_display()}。")
            elif step == "network":
                network = NetworkForm(request.POST)
                if not network.is_valid():
                    raise Invalid("请选择联网情况。", {"network": ["请选择"]})
                actions.change_network(person, device, network.cleaned_data["network"])
                messages.success(request, "已变更联网情况。")
            else:
                raise Invalid("未知操作。")
        except BaomiError as error:
            refusal = apply_error(upload if step == "check" else network, error)
            status = refusal.status
        else:
            return redirect("devices:detail", device.pk)
    return render_page(
        request,
        "devices/detail.html",
        {
            "device": device,
            "carrier": device.carrier,
            "checks": device.checks.select_related("uploaded_by", "incident"),
            "uses": device.uses.select_related("user"),
            "repairs": device.repairs.select_related("supervisor"),
            "incidents": device.incidents.all(),
            "upload": upload,
            "network": network,
            "refusal": refusal,
        },
        status=status,
    )


def _read_report(upload) -> dict:
    if upload.size > checks.MAX_REPORT_BYTES:
        raise Invalid("检查报告过大。", {"report": ["检查报告过大"]})
    try:
        return json.loads(upload.read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise Invalid("检查报告不是有效的 JSON 文件。", {"report": ["不是有效的 JSON"]}) from error
