"""The only writers of inspections (INS-1, INS-2): templates, plans, answers (some pre-answered
from the ledgers), findings with evidence, and rectifications verified by someone other than
their owner. Each takes the acting person first and runs in one transaction with its audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from baomi.audit.trail import record
from baomi.carriers.models import Carrier, Place
from baomi.inspections.checklist import DEFAULT_ITEMS, DEFAULT_NAME, run_check
from baomi.inspections.choices import (
    Answer,
    AutoCheck,
    Holiday,
    InspectionKind,
    InspectionStatus,
    RectificationStatus,
    Severity,
)
from baomi.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Evidence,
    Finding,
    Inspection,
    InspectionAnswer,
    Rectification,
)
from baomi.inspections.rules import (
    _business,
    require_inspector,
    require_plan_for,
    require_verifier,
)
from baomi.lib import filestore
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState
from baomi.org.models import Person, Unit
from baomi.personnel.rules import require_office

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def _text(value: str, name: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(f"请填写{label}。", {name: [f"请填写{label}"]})
    if len(value) > limit:
        raise Invalid(f"{label}过长。", {name: [f"最多 {limit} 个字"]})
    return value


def _today() -> date:
    return timezone.localdate()


# --- checklist templates (INS-2) --------------------------------------------------------------


@dataclass
class ItemForm:
    text: str
    rule_id: str
    auto_check: str = ""


@action("checklist.create")
def create_template(actor: Person, *, name: str, items: list[ItemForm]) -> ChecklistTemplate:
    """A unit's own 自查自评 checklist; each item cites the rule it checks (INS-2)."""
    require_office(actor, actor.unit_id, "制定检查表")
    name = _text(name, "name", "名称", 100)
    if not items:
        raise Invalid("检查表至少要有一项。", {"items": ["至少一项"]})
    template = ChecklistTemplate.objects.create(
        unit=actor.unit, name=name, created_at=timezone.now()
    )
    for position, item in enumerate(items, start=1):
        if item.auto_check and item.auto_check not in AutoCheck.values:
            raise Invalid("系统核查项无效。", {"items": [f"第{position}项：系统核查项无效"]})
        ChecklistItem.objects.create(
            template=template,
            position=position,
            text=_text(item.text, "items", f"第{position}项检查内容", 300),
            rule_id=_text(item.rule_id, "items", f"第{position}项规则编号", 16),
            auto_check=item.auto_check or "",
        )
    record("checklist.create", actor, template, after={"name": name, "items": len(items)})
    return template


def default_template() -> ChecklistTemplate:
    """The shipped 自查自评 checklist (migration 0002 creates it; rebuilt from
    checklist.DEFAULT_ITEMS if a database was emptied). Called inside an action."""
    template = ChecklistTemplate.objects.filter(unit__isnull=True, name=DEFAULT_NAME).first()
    if template is not None:
        return template
    template = ChecklistTemplate.objects.create(
        unit=None, name=DEFAULT_NAME, created_at=timezone.now()
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(template=template, position=i, text=text, rule_id=rule, auto_check=auto)
        for i, (text, rule, auto) in enumerate(DEFAULT_ITEMS, start=1)
    )
    return template


def templates_for(unit_id: int):
    """The default checklist and the unit's own, in use."""
    from django.db.models import Q

    return ChecklistTemplate.objects.filter(
        Q(unit__isnull=True) | Q(unit_id=unit_id), active=True
    ).order_by("unit_id", "name")


# --- plans (INS-1) ----------------------------------------------------------------------------


@dataclass
class PlanForm:
    unit: Unit
    kind: str
    title: str
    planned_on: date
    leader: Person
    template: ChecklistTemplate | None = None  # None: the default 自查自评 checklist
    holiday: str = ""


@action("inspection.plan")
def plan_inspection(actor: Person, form: PlanForm) -> Inspection:
    """INS-1: plan a self-inspection, a holiday inspection, or (from a superior unit, ORG-4)
    an inspection of a subordinate unit."""
    require_plan_for(actor, form.unit)
    errors: dict[str, list[str]] = {}
    if form.kind not in InspectionKind.values:
        errors["kind"] = ["类别无效"]
    elif (form.kind == InspectionKind.SUPERIOR) != (form.unit.pk != actor.unit_id):
        errors["kind"] = ["检查下级单位时类别为“上级检查”，本单位检查不能选“上级检查”"]
    if form.kind == InspectionKind.HOLIDAY and form.holiday not in Holiday.values:
        errors["holiday"] = ["节前检查须选择节日"]
    if form.holiday and form.holiday not in Holiday.values:
        errors["holiday"] = ["节日无效"]
    template = form.template or default_template()
    if template.unit_id not in (None, actor.unit_id) or not template.active:
        errors["template_id"] = ["检查表不可用"]
    leader = form.leader
    if not _business(leader) or leader.unit_id != actor.unit_id:
        errors["leader_id"] = ["检查组长须为本单位在岗业务人员"]
    if errors:
        raise Invalid("检查计划有误。", errors)
    inspection = Inspection.objects.create(
        unit=form.unit,
        inspecting_unit=actor.unit,
        kind=form.kind,
        holiday=form.holiday or "",
        title=_text(form.title, "title", "名称", 100),
        planned_on=form.planned_on,
        template=template,
        leader=leader,
        created_by=actor,
        created_at=timezone.now(),
    )
    record(
        "inspection.plan",
        actor,
        inspection,
        after={
            "unit": form.unit.pk,
            "kind": form.kind,
            "holiday": inspection.holiday,
            "planned_on": form.planned_on.isoformat(),
            "leader": leader.pk,
        },
    )
    return inspection


def _lock(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def _require_status(inspection: Inspection, status: str, doing: str) -> None:
    if inspection.status != status:
        raise InvalidState(
            f"检查当前为“{inspection.get_status_display()}”，不能{doing}。",
            {"status": inspection.status},
        )


@action("inspection.start")
def start_inspection(actor: Person, inspection: Inspection) -> Inspection:
    """Open the checklist: every item becomes an answer; the items the ledgers can answer are
    answered now, and what they show wrong becomes a finding (INS-2) naming what it concerns."""
    require_inspector(actor, inspection, "开始检查")
    inspection = _lock(inspection)
    _require_status(inspection, InspectionStatus.PLANNED, "开始")
    today = _today()
    inspection.status = InspectionStatus.IN_PROGRESS
    inspection.started_at = timezone.now()
    inspection.save(update_fields=["status", "started_at"])
    found = 0
    for item in inspection.template.items.order_by("position"):
        answer = InspectionAnswer.objects.create(
            inspection=inspection,
            item=item,
            position=item.position,
            text=item.text,
            rule_id=item.rule_id,
            auto_check=item.auto_check,
        )
        if not item.auto_check:
            continue
        result = run_check(item.auto_check, inspection.unit, today)
        answer.answer = Answer.YES if result.ok else Answer.NO
        answer.answered_by_system = True
        answer.evidence = result.evidence
        answer.save(update_fields=["answer", "answered_by_system", "evidence"])
        if not result.ok:
            Finding.objects.create(
                inspection=inspection,
                answer=answer,
                description=f"{item.text}：{result.evidence}",
                severity=Severity.SERIOUS,
                rule_id=item.rule_id,
                found_by_system=True,
                carrier=result.carriers[0] if result.carriers else None,
                person=result.people[0] if result.people else None,
                site=result.sites[0] if result.sites else None,
                created_by=actor,
                created_at=timezone.now(),
            )
            found += 1
    record(
        "inspection.start",
        actor,
        inspection,
        before={"status": InspectionStatus.PLANNED},
        after={"status": inspection.status, "system_findings": found},
    )
    return inspection


@action("inspection.answer")
def answer_item(
    actor: Person, answer: InspectionAnswer, *, result: str, note: str = ""
) -> InspectionAnswer:
    """Record (or overrule the system's) answer to one checklist item."""
    inspection = answer.inspection
    require_inspector(actor, inspection, "填写检查结果")
    inspection = _lock(inspection)
    _require_status(inspection, InspectionStatus.IN_PROGRESS, "填写检查结果")
    if result not in (Answer.YES, Answer.NO, Answer.NOT_APPLICABLE):
        raise Invalid("检查结果无效。", {"answer": ["可选值：yes、no、na"]})
    before = {"answer": answer.answer, "by_system": answer.answered_by_system}
    answer.answer = result
    answer.answered_by_system = False
    answer.answered_by = actor
    answer.note = _text(note, "note", "说明", 500, required=False)
    answer.save(update_fields=["answer", "answered_by_system", "answered_by", "note"])
    record(
        "inspection.answer",
        actor,
        inspection,
        before=before,
        after={"item": answer.position, "answer": result},
    )
    return answer


@dataclass
class FindingForm:
    description: str
    severity: str
    rule_id: str = ""
    answer: InspectionAnswer | None = None
    person: Person | None = None
    place: Place | None = None
    site: object | None = None
    carrier: Carrier | None = None


@action("finding.record")
def record_finding(actor: Person, inspection: Inspection, form: FindingForm) -> Finding:
    """INS-2: a finding with its severity and the person, place, key site or carrier it
    concerns — all of the inspected unit."""
    require_inspector(actor, inspection, "登记检查发现的问题")
    inspection = _lock(inspection)
    _require_status(inspection, InspectionStatus.IN_PROGRESS, "登记问题")
    errors: dict[str, list[str]] = {}
    if form.severity not in Severity.values:
        errors["severity"] = ["严重程度无效"]
    if form.answer is not None and form.answer.inspection_id != inspection.pk:
        errors["answer_id"] = ["检查项不属于本次检查"]
    for name, obj in (
        ("person_id", form.person),
        ("place_id", form.place),
        ("site_id", form.site),
        ("carrier_id", form.carrier),
    ):
        if obj is not None and obj.unit_id != inspection.unit_id:
            errors[name] = ["不属于被检查单位"]
    if errors:
        raise Invalid("问题信息有误。", errors)
    finding = Finding.objects.create(
        inspection=inspection,
        answer=form.answer,
        description=_text(form.description, "description", "问题描述", 2000),
        severity=form.severity,
        rule_id=_text(
            form.rule_id or (form.answer.rule_id if form.answer else ""),
            "rule_id",
            "规则编号",
            16,
            required=False,
        ),
        person=form.person,
        place=form.place,
        site=form.site,
        carrier=form.carrier,
        created_by=actor,
        created_at=timezone.now(),
    )
    record(
        "finding.record",
        actor,
        finding,
        after={
            "inspection": inspection.pk,
            "severity": finding.severity,
            "rule_id": finding.rule_id,
            "carrier": form.carrier.label if form.carrier else None,
            "person": form.person.pk if form.person else None,
        },
    )
    return finding


@action("finding.evidence")
def attach_evidence(
    actor: Person, finding: Finding, *, file_name: str, content_type: str, data: bytes
) -> Evidence:
    """An evidence file, encrypted at rest (SEC-5)."""
    require_inspector(actor, finding.inspection, "上传证据材料")
    file_name = _text(file_name, "file", "文件名", 200)
    if not data:
        raise Invalid("文件是空的。", {"file": ["文件是空的"]})
    if len(data) > MAX_EVIDENCE_BYTES:
        raise Invalid("文件过大。", {"file": ["文件不能超过 20 MB"]})
    evidence = Evidence.objects.create(
        finding=finding,
        blob=filestore.save(data),
        file_name=file_name,
        content_type=(content_type or "application/octet-stream")[:100],
        size=len(data),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    record(
        "finding.evidence",
        actor,
        finding,
        after={"evidence": evidence.pk, "size": evidence.size},
    )
    return evidence


@action("inspection.complete")
def complete_inspection(actor: Person, inspection: Inspection, *, summary: str) -> Inspection:
    """Close the checklist: every item answered, and a conclusion written."""
    require_inspector(actor, inspection, "完成检查")
    inspection = _lock(inspection)
    _require_status(inspection, InspectionStatus.IN_PROGRESS, "完成")
    open_items = list(
        inspection.answers.filter(answer=Answer.UNANSWERED).values_list("position", flat=True)
    )
    if open_items:
        raise Invalid(
            f"还有 {len(open_items)} 项未检查。",
            {"answers": [f"第{p}项未检查" for p in open_items]},
        )
    inspection.summary = _text(summary, "summary", "检查结论", 5000)
    inspection.status = InspectionStatus.COMPLETED
    inspection.completed_at = timezone.now()
    inspection.save(update_fields=["summary", "status", "completed_at"])
    record(
        "inspection.complete",
        actor,
        inspection,
        before={"status": InspectionStatus.IN_PROGRESS},
        after={"status": inspection.status, "findings": inspection.findings.count()},
    )
    return inspection


# --- rectification (INS-2, 条例59) -------------------------------------------------------------


@action("rectification.assign")
def assign_rectification(
    actor: Person, finding: Finding, *, content: str, owner: Person | None, deadline: date | None
) -> Rectification:
    """Each finding gets one rectification: what to do, who answers for it, by when."""
    require_inspector(actor, finding.inspection, "下达整改")
    if Rectification.objects.filter(finding=finding).exists():
        raise InvalidState(f"问题 #{finding.pk} 已下达整改。", {"finding": finding.pk})
    errors: dict[str, list[str]] = {}
    if not _business(owner) or owner.unit_id != finding.inspection.unit_id:
        errors["owner_id"] = ["整改责任人须为被检查单位在岗业务人员"]
    if deadline is None:
        errors["deadline"] = ["请填写整改期限"]
    elif deadline < _today():
        errors["deadline"] = ["整改期限不能早于今天"]
    if errors:
        raise Invalid("整改信息有误。", errors)
    rectification = Rectification.objects.create(
        finding=finding,
        content=_text(content, "content", "整改要求", 2000),
        owner=owner,
        deadline=deadline,
        assigned_by=actor,
        assigned_at=timezone.now(),
    )
    record(
        "rectification.assign",
        actor,
        rectification,
        after={"finding": finding.pk, "owner": owner.pk, "deadline": deadline.isoformat()},
    )
    return rectification


def _lock_rect(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("finding__inspection")
        .get(pk=rectification.pk)
    )


@action("rectification.submit")
def submit_rectification(
    actor: Person, rectification: Rectification, *, report: str
) -> Rectification:
    """The owner reports what was done; the rectification waits for verification."""
    if actor.pk != rectification.owner_id:
        raise Forbidden("只有整改责任人可以提交整改情况。")
    rectification = _lock_rect(rectification)
    if rectification.status != RectificationStatus.OPEN:
        raise InvalidState(
            f"整改当前为“{rectification.get_status_display()}”，不能提交。",
            {"status": rectification.status},
        )
    rectification.report = _text(report, "report", "整改情况", 5000)
    rectification.status = RectificationStatus.SUBMITTED
    rectification.submitted_at = timezone.now()
    rectification.save(update_fields=["report", "status", "submitted_at"])
    record(
        "rectification.submit",
        actor,
        rectification,
        before={"status": RectificationStatus.OPEN},
        after={"status": rectification.status},
    )
    return rectification


@action("rectification.verify")
def verify_rectification(
    actor: Person, rectification: Rectification, *, accepted: bool, note: str = ""
) -> Rectification:
    """INS-2: someone other than the owner verifies; accepted closes it, otherwise it goes back
    to the owner with the verifier's note."""
    require_verifier(actor, rectification)
    rectification = _lock_rect(rectification)
    if rectification.status != RectificationStatus.SUBMITTED:
        raise InvalidState(
            f"整改当前为“{rectification.get_status_display()}”，须责任人提交整改情况后才能验证。",
            {"status": rectification.status},
        )
    note = _text(note, "note", "验证意见", 500, required=not accepted)
    before = {"status": rectification.status}
    rectification.verification_note = note
    if accepted:
        rectification.status = RectificationStatus.CLOSED
        rectification.verified_by = actor
        rectification.verified_at = timezone.now()
    else:
        rectification.status = RectificationStatus.OPEN
    rectification.save(update_fields=["status", "verified_by", "verified_at", "verification_note"])
    record(
        "rectification.verify",
        actor,
        rectification,
        before=before,
        after={"status": rectification.status, "accepted": bool(accepted)},
    )
    return rectification
