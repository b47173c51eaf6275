"""Inspection pages: the year's plan (INS-1) and the list, one inspection with its checklist and
findings, the findings of the unit and its subordinates (ORG-4), and the rectifications (INS-2).
Thin: parse → action → render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from baomi.carriers.models import Carrier
from baomi.inspections import actions
from baomi.inspections.api import evidence_response
from baomi.inspections.choices import Answer, InspectionStatus, RectificationStatus
from baomi.inspections.exports import FINDINGS
from baomi.inspections.forms import AssignForm, FindingForm, PlanForm
from baomi.inspections.models import Evidence
from baomi.inspections.rules import is_inspector, may_plan_for, may_verify
from baomi.inspections.schedule import plan_of
from baomi.inspections.selectors import (
    finding_for,
    findings_visible_to,
    inspection_for,
    inspections_visible_to,
    rectification_for,
    rectifications_visible_to,
)
from baomi.lib import exports
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.web.forms import apply_error, refusal_of
from baomi.web.views import business_person_required, not_found


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@business_person_required
def list_page(request):
    person = request.person
    planner = may_plan_for(person, person.unit)
    form = PlanForm(request.POST or None, person=person)
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                made = actions.plan_inspection(
                    person,
                    actions.PlanForm(
                        unit=d["unit"],
                        kind=d["kind"],
                        title=d["title"],
                        planned_on=d["planned_on"],
                        template=d["template"],
                        leader=d["leader"],
                        holiday=d["holiday"],
                    ),
                )
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                messages.success(request, f"已安排检查“{made.title}”。")
                return redirect("inspections:detail", pk=made.pk)
        else:
            status = 422
    year = _int(request.GET.get("year")) or timezone.localdate().year
    year = min(max(year, 1901), 2099)
    context = {
        "inspections": inspections_visible_to(person).select_related(
            "unit", "inspecting_unit", "leader"
        ),
        "plan": plan_of(person.unit_id, year) if planner else [],
        "year": year,
        "form": form,
        "is_planner": planner,
        "refusal": refusal,
    }
    return render_page(request, "inspections/list.html", context, status=status)


def _carrier_of(unit_id: int, text: str) -> Carrier | None:
    text = (text or "").strip()
    if not text:
        return None
    number, _, copy_no = text.rpartition("-")
    carrier = Carrier.objects.filter(unit_id=unit_id, number=number, copy_no=_int(copy_no) or 0)
    found = carrier.first()
    if found is None:
        raise Invalid("载体不存在。", {"carrier_number": [f"被检查单位没有载体 {text}"]})
    return found


def _detail_post(request, inspection) -> str:
    person, op = request.person, request.POST.get("op", "")
    if op == "start":
        actions.start_inspection(person, inspection)
        return "检查已开始，系统核查项已按台帐预判。"
    if op == "answer":
        row = inspection.answers.filter(pk=_int(request.POST.get("answer_id"))).first()
        if row is None:
            raise Invalid("检查项不存在。", {"answer_id": ["检查项不存在"]})
        actions.answer_item(
            person, row, result=request.POST.get("answer", ""), note=request.POST.get("note", "")
        )
        return f"第{row.position}项已记录。"
    if op == "finding":
        form = FindingForm(request.POST, request.FILES, unit_id=inspection.unit_id)
        if not form.is_valid():
            raise Invalid("问题信息有误。", {k: list(v) for k, v in form.errors.items()})
        d = form.cleaned_data
        finding = actions.record_finding(
            person,
            inspection,
            actions.FindingForm(
                description=d["description"],
                severity=d["severity"],
                rule_id=d["rule_id"],
                person=d["person"],
                carrier=_carrier_of(inspection.unit_id, d["carrier_number"]),
            ),
        )
        upload = d.get("evidence")
        if upload:
            actions.attach_evidence(
                person,
                finding,
                file_name=upload.name,
                content_type=upload.content_type or "",
                data=upload.read(),
            )
        return f"问题 #{finding.pk} 已登记。"
    if op == "evidence":
        finding = inspection.findings.filter(pk=_int(request.POST.get("finding_id"))).first()
        upload = request.FILES.get("file")
        if finding is None or upload is None:
            raise Invalid("请选择问题和文件。", {"file": ["请选择文件"]})
        actions.attach_evidence(
            person,
            finding,
            file_name=upload.name,
            content_type=upload.content_type or "",
            data=upload.read(),
        )
        return "证据材料已加密保存。"
    if op == "assign":
        finding = inspection.findings.filter(pk=_int(request.POST.get("finding_id"))).first()
        form = AssignForm(request.POST, unit_id=inspection.unit_id)
        if finding is None or not form.is_valid():
            raise Invalid("整改信息有误。", {k: list(v) for k, v in form.errors.items()})
        d = form.cleaned_data
        actions.assign_rectification(
            person, finding, content=d["content"], owner=d["owner"], deadline=d["deadline"]
        )
        return f"问题 #{finding.pk} 已下达整改。"
    if op == "complete":
        actions.complete_inspection(person, inspection, summary=request.POST.get("summary", ""))
        return "检查已完成。"
    raise Invalid("未知操作。", {"op": ["未知操作"]})


@business_person_required
def detail(request, pk: int):
    person = request.person
    inspection = inspection_for(person, pk)
    if inspection is None:
        return not_found(request)
    refusal, status = None, 200
    if request.method == "POST":
        try:
            done = _detail_post(request, inspection)
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("inspections:detail", pk=pk)
    findings = (
        inspection.findings.select_related("person", "place", "site", "carrier")
        .select_related("rectification__owner")
        .prefetch_related("evidence")
    )
    context = {
        "i": inspection,
        "answers": list(inspection.answers.all()),
        "findings": list(findings),
        "answer_choices": [c for c in Answer.choices if c[0]],
        "is_inspector": is_inspector(person, inspection),
        "in_progress": inspection.status == InspectionStatus.IN_PROGRESS,
        "planned": inspection.status == InspectionStatus.PLANNED,
        "finding_form": FindingForm(unit_id=inspection.unit_id),
        "assign_form": AssignForm(unit_id=inspection.unit_id),
        "refusal": refusal,
    }
    return render_page(request, "inspections/detail.html", context, status=status)


def _findings(request):
    rows = findings_visible_to(request.person).select_related("rectification__owner")
    unit = _int(request.GET.get("unit"))
    if unit:
        rows = rows.filter(inspection__unit_id=unit)
    return rows.prefetch_related("evidence")


@business_person_required
def findings_page(request):
    return render_page(request, "inspections/findings.html", {"findings": list(_findings(request))})


@business_person_required
def export(request, fmt: str):
    return exports.respond(request, FINDINGS, _findings(request), fmt)


@business_person_required
def evidence_download(request, pk: int, evidence_id: int):
    finding = finding_for(request.person, pk)
    evidence = Evidence.objects.filter(finding=finding, pk=evidence_id).first() if finding else None
    if evidence is None:
        return not_found(request)
    return evidence_response(evidence)


@business_person_required
def rectifications_page(request):
    rows = rectifications_visible_to(request.person)
    status = request.GET.get("status", "")
    if status in RectificationStatus.values:
        rows = rows.filter(status=status)
    context = {
        "rectifications": list(rows),
        "statuses": RectificationStatus.choices,
        "status": status,
        "today": timezone.localdate(),
    }
    return render_page(request, "inspections/rectifications.html", context)


@business_person_required
def rectification_page(request, pk: int):
    person = request.person
    rect = rectification_for(person, pk)
    if rect is None:
        return not_found(request)
    refusal, status = None, 200
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "submit":
                actions.submit_rectification(person, rect, report=request.POST.get("report", ""))
                done = "整改情况已提交，等待验证。"
            elif op == "verify":
                accepted = request.POST.get("accepted") == "yes"
                actions.verify_rectification(
                    person, rect, accepted=accepted, note=request.POST.get("note", "")
                )
                done = "整改已验证关闭。" if accepted else "整改已退回责任人。"
            else:
                raise Invalid("未知操作。", {"op": ["未知操作"]})
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("inspections:rectification", pk=pk)
    context = {
        "r": rect,
        "is_owner": rect.owner_id == person.pk,
        "may_verify": may_verify(person, rect),
        "refusal": refusal,
        "today": timezone.localdate(),
    }
    return render_page(request, "inspections/rectification.html", context, status=status)
