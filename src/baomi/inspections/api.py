"""JSON API: `inspections` (+ `/findings`, `/schedule`, `/templates`) and `rectifications`
(INS-1, INS-2). Writes call `inspections.actions`; what the caller may not see is 404. A superior
unit reads its subordinates' inspections and findings (ORG-4): carriers appear by number and
level only, never by title."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from urllib.parse import quote

from django.http import HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.carriers.models import Carrier, Place
from baomi.inspections import actions
from baomi.inspections.api_out import (
    EvidenceOut,
    FindingOut,
    FindingPage,
    InspectionOut,
    InspectionPage,
    finding_out,
    inspection_out,
)
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
    ChecklistTemplate,
    Evidence,
    Finding,
    Inspection,
)
from baomi.inspections.schedule import plan_of
from baomi.inspections.selectors import (
    finding_for,
    findings_visible_to,
    inspection_for,
    inspections_visible_to,
)
from baomi.lib import filestore
from baomi.lib.errors import Invalid, NotFound
from baomi.org.models import Person, Unit
from baomi.personnel.selectors import units_supervised_by

router = Router()


def _missing(field: str, what: str, value) -> NotFound:
    return NotFound(f"{what}不存在，或您无权使用。", {field: [f"{what} #{value} 不存在"]})


# --- lookups ---------------------------------------------------------------------------------


def _inspection(actor, inspection_id: int) -> Inspection:
    found = inspection_for(actor, inspection_id)
    if found is None:
        raise NotFound("检查不存在，或您无权查看。")
    return found


def _finding(actor, finding_id: int) -> Finding:
    found = finding_for(actor, finding_id)
    if found is None:
        raise NotFound("检查发现的问题不存在，或您无权查看。")
    return found


# --- inspections ------------------------------------------------------------------------------


class InspectionQuery(PageQuery):
    year: int | None = Field(None, ge=1900, le=2999)
    status: InspectionStatus | None = None
    unit_id: Id | None = None


@router.get("", response={200: InspectionPage, **READ_ERRORS}, summary="保密检查")
def list_inspections(request, query: Query[InspectionQuery]):
    rows = inspections_visible_to(request.auth).select_related(
        "unit", "inspecting_unit", "leader", "template"
    )
    if query.year:
        rows = rows.filter(planned_on__year=query.year)
    if query.status:
        rows = rows.filter(status=query.status.value)
    if query.unit_id:
        rows = rows.filter(unit_id=query.unit_id)
    return paginate(rows, query, lambda i: inspection_out(i, with_answers=False))


class PlanIn(InputSchema):
    title: text(100, min_length=1)
    kind: InspectionKind
    planned_on: Day
    leader_id: Id
    unit_id: Id | None = Field(None, description="被检查单位；不填为本单位（上级检查填下级单位）")
    holiday: Holiday | None = None
    template_id: Id | None = Field(None, description="检查表；不填为默认自查自评表")


@router.post("", response={201: InspectionOut, **WRITE_ERRORS}, summary="安排保密检查（INS-1）")
def plan(request, payload: PlanIn):
    actor = request.auth
    unit = actor.unit
    if payload.unit_id and payload.unit_id != actor.unit_id:
        unit = next((u for u in units_supervised_by(actor) if u.pk == payload.unit_id), None)
        if unit is None:
            unit = Unit.objects.filter(pk=payload.unit_id).first()
            if unit is None:
                raise _missing("unit_id", "单位", payload.unit_id)
    template = None
    if payload.template_id:
        template = actions.templates_for(actor.unit_id).filter(pk=payload.template_id).first()
        if template is None:
            raise _missing("template_id", "检查表", payload.template_id)
    leader = Person.objects.filter(pk=payload.leader_id, unit_id=actor.unit_id).first()
    if leader is None:
        raise _missing("leader_id", "人员", payload.leader_id)
    inspection = actions.plan_inspection(
        actor,
        actions.PlanForm(
            unit=unit,
            kind=payload.kind.value,
            title=payload.title,
            planned_on=payload.planned_on,
            template=template,
            leader=leader,
            holiday=payload.holiday.value if payload.holiday else "",
        ),
    )
    return 201, inspection_out(_inspection(actor, inspection.pk))


class RequirementOut(Schema):
    code: str
    label: str
    start: date
    due: date
    holiday: str
    covered: bool
    inspection_id: int | None


class ScheduleOut(Schema):
    unit: Ref
    year: int
    requirements: list[RequirementOut]


class ScheduleQuery(Schema):
    year: int = Field(..., ge=1901, le=2099)
    unit_id: Id | None = None


@router.get(
    "/schedule", response={200: ScheduleOut, **READ_ERRORS}, summary="年度检查安排（INS-1）"
)
def schedule(request, query: Query[ScheduleQuery]):
    """The year's required inspections (twice a year; before 春节, 五一, 国庆) and what covers each."""
    actor = request.auth
    from baomi.inspections.rules import answers_for

    units = {}
    if answers_for(actor, actor.unit_id):
        units[actor.unit_id] = actor.unit
    for u in units_supervised_by(actor):
        units[u.pk] = u
    unit = units.get(query.unit_id or actor.unit_id)
    if unit is None:
        raise NotFound("单位不存在，或您无权查看其检查安排。")
    return {
        "unit": ref(unit),
        "year": query.year,
        "requirements": [
            {
                "code": r.code,
                "label": r.label,
                "start": r.start,
                "due": r.due,
                "holiday": r.holiday,
                "covered": r.covered,
                "inspection_id": r.covered_by.pk if r.covered_by else None,
            }
            for r in plan_of(unit.pk, query.year)
        ],
    }


class ChecklistItemOut(Schema):
    position: int
    text: str
    rule_id: str
    auto_check: str
    auto_check_display: str


class TemplateOut(Schema):
    id: int
    name: str
    is_default: bool
    items: list[ChecklistItemOut]


def template_out(t: ChecklistTemplate) -> dict:
    return {
        "id": t.pk,
        "name": t.name,
        "is_default": t.unit_id is None,
        "items": [
            {
                "position": i.position,
                "text": i.text,
                "rule_id": i.rule_id,
                "auto_check": i.auto_check,
                "auto_check_display": display(AutoCheck, i.auto_check),
            }
            for i in t.items.all()
        ],
    }


@router.get("/templates", response={200: list[TemplateOut], **READ_ERRORS}, summary="检查表")
def templates(request):
    actor = request.auth
    if actor.has_system_role:
        raise NotFound("检查表不存在，或您无权查看。")
    return [template_out(t) for t in actions.templates_for(actor.unit_id).prefetch_related("items")]


class ItemIn(InputSchema):
    text: text(300, min_length=1)
    rule_id: text(16, min_length=1)
    auto_check: AutoCheck | None = None


class TemplateIn(InputSchema):
    name: text(100, min_length=1)
    items: list[ItemIn] = Field(..., min_length=1, max_length=300)


@router.post("/templates", response={201: TemplateOut, **WRITE_ERRORS}, summary="制定检查表")
def create_template(request, payload: TemplateIn):
    template = actions.create_template(
        request.auth,
        name=payload.name,
        items=[
            actions.ItemForm(i.text, i.rule_id, i.auto_check.value if i.auto_check else "")
            for i in payload.items
        ],
    )
    return 201, template_out(template)


class FindingQuery(PageQuery):
    unit_id: Id | None = None
    severity: Severity | None = None
    open: bool | None = Field(None, description="true：整改未关闭（或未下达整改）的问题")


def _filter_findings(rows, query: FindingQuery):
    if query.unit_id:
        rows = rows.filter(inspection__unit_id=query.unit_id)
    if query.severity:
        rows = rows.filter(severity=query.severity.value)
    if query.open is True:
        rows = rows.exclude(rectification__status=RectificationStatus.CLOSED)
    elif query.open is False:
        rows = rows.filter(rectification__status=RectificationStatus.CLOSED)
    return rows.prefetch_related("evidence").select_related("rectification__owner")


@router.get(
    "/findings",
    response={200: FindingPage, **READ_ERRORS},
    summary="检查发现的问题（含下级单位，ORG-4）",
)
def list_findings(request, query: Query[FindingQuery]):
    return paginate(_filter_findings(findings_visible_to(request.auth), query), query, finding_out)


@router.get("/findings/{finding_id}", response={200: FindingOut, **READ_ERRORS}, summary="问题详情")
def get_finding(request, finding_id: Id):
    return finding_out(_finding(request.auth, finding_id))


class EvidenceIn(InputSchema):
    file_name: text(200, min_length=1)
    content_type: text(100) = "application/octet-stream"
    content_base64: str = Field(..., max_length=28_000_000)


@router.post(
    "/findings/{finding_id}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    summary="上传证据材料（加密存储）",
)
def upload_evidence(request, finding_id: Id, payload: EvidenceIn):
    actor = request.auth
    finding = _finding(actor, finding_id)
    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(
            "文件内容不是有效的 base64。", {"content_base64": ["不是有效的 base64"]}
        ) from None
    e = actions.attach_evidence(
        actor, finding, file_name=payload.file_name, content_type=payload.content_type, data=data
    )
    return 201, {
        "id": e.pk,
        "file_name": e.file_name,
        "content_type": e.content_type,
        "size": e.size,
        "uploaded_at": e.uploaded_at,
    }


@router.get(
    "/findings/{finding_id}/evidence/{evidence_id}",
    response={200: None, **READ_ERRORS},
    summary="下载证据材料",
)
def download_evidence(request, finding_id: Id, evidence_id: Id):
    finding = _finding(request.auth, finding_id)
    evidence = Evidence.objects.filter(finding=finding, pk=evidence_id).first()
    if evidence is None:
        raise NotFound("证据材料不存在，或您无权查看。")
    return evidence_response(evidence)


def evidence_response(evidence: Evidence) -> HttpResponse:
    response = HttpResponse(filestore.read(evidence.blob), content_type=evidence.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(evidence.file_name)}"
    response["Cache-Control"] = "no-store"
    return response


@router.get("/{inspection_id}", response={200: InspectionOut, **READ_ERRORS}, summary="检查详情")
def get_inspection(request, inspection_id: Id):
    return inspection_out(_inspection(request.auth, inspection_id))


@router.post(
    "/{inspection_id}/start",
    response={200: InspectionOut, **WRITE_ERRORS},
    summary="开始检查（系统核查项自动预判）",
)
def start(request, inspection_id: Id):
    actor = request.auth
    actions.start_inspection(actor, _inspection(actor, inspection_id))
    return inspection_out(_inspection(actor, inspection_id))


class AnswerIn(InputSchema):
    answer: Answer = Field(..., description="yes 符合、no 不符合、na 不适用")
    note: text(500) = ""


@router.post(
    "/{inspection_id}/answers/{answer_id}",
    response={200: InspectionOut, **WRITE_ERRORS},
    summary="填写检查项结果",
)
def answer(request, inspection_id: Id, answer_id: Id, payload: AnswerIn):
    actor = request.auth
    inspection = _inspection(actor, inspection_id)
    row = inspection.answers.filter(pk=answer_id).first()
    if row is None:
        raise NotFound("检查项不存在。")
    actions.answer_item(actor, row, result=payload.answer.value, note=payload.note)
    return inspection_out(_inspection(actor, inspection_id))


class CompleteIn(InputSchema):
    summary: text(5000, min_length=1)


@router.post(
    "/{inspection_id}/complete", response={200: InspectionOut, **WRITE_ERRORS}, summary="完成检查"
)
def complete(request, inspection_id: Id, payload: CompleteIn):
    actor = request.auth
    actions.complete_inspection(actor, _inspection(actor, inspection_id), summary=payload.summary)
    return inspection_out(_inspection(actor, inspection_id))


@router.get(
    "/{inspection_id}/findings",
    response={200: FindingPage, **READ_ERRORS},
    summary="本次检查的问题",
)
def inspection_findings(request, inspection_id: Id, query: Query[PageQuery]):
    inspection = _inspection(request.auth, inspection_id)
    rows = (
        Finding.objects.filter(inspection=inspection)
        .select_related("inspection__unit", "person", "place", "site", "carrier")
        .prefetch_related("evidence")
    )
    return paginate(rows, query, finding_out)


class FindingIn(InputSchema):
    description: text(2000, min_length=1)
    severity: Severity
    rule_id: text(16) = ""
    answer_id: Id | None = None
    person_id: Id | None = None
    place_id: Id | None = None
    site_id: Id | None = None
    carrier_id: Id | None = None


def _in_unit(model, unit_id: int, pk: int | None, field: str, what: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, unit_id=unit_id).first()
    if found is None:
        raise _missing(field, what, pk)
    return found


@router.post(
    "/{inspection_id}/findings",
    response={201: FindingOut, **WRITE_ERRORS},
    summary="登记检查发现的问题",
)
def create_finding(request, inspection_id: Id, payload: FindingIn):
    from baomi.sites.models import KeySite

    actor = request.auth
    inspection = _inspection(actor, inspection_id)
    unit_id = inspection.unit_id
    answer_row = None
    if payload.answer_id:
        answer_row = inspection.answers.filter(pk=payload.answer_id).first()
        if answer_row is None:
            raise _missing("answer_id", "检查项", payload.answer_id)
    finding = actions.record_finding(
        actor,
        inspection,
        actions.FindingForm(
            description=payload.description,
            severity=payload.severity.value,
            rule_id=payload.rule_id,
            answer=answer_row,
            person=_in_unit(Person, unit_id, payload.person_id, "person_id", "人员"),
            place=_in_unit(Place, unit_id, payload.place_id, "place_id", "存放位置"),
            site=_in_unit(KeySite, unit_id, payload.site_id, "site_id", "要害部位"),
            carrier=_in_unit(Carrier, unit_id, payload.carrier_id, "carrier_id", "载体"),
        ),
    )
    return 201, finding_out(_finding(actor, finding.pk))
