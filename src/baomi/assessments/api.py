"""JSON API: `assessments` (INS-3) — scoring sheets (`/sheets`), the yearly assessment with its
scores, adjustments (each with a reason), finalising, the xlsx of the results, and the 奖惩记录
(`/decisions`). Writes call `assessments.actions`; what the caller may not see is 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    EmptyIn,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.assessments import actions
from baomi.assessments.choices import AssessmentStatus, Decision, Source, Target
from baomi.assessments.exports import results_xlsx
from baomi.assessments.models import Assessment, RewardPenalty, ScoringSheet
from baomi.assessments.selectors import (
    assessment_for,
    assessments_visible_to,
    decisions_visible_to,
    result_table,
    sheet_for,
    sheets_visible_to,
)
from baomi.lib.errors import NotFound
from baomi.lib.exports import XLSX, download
from baomi.org.models import Department, Person, Unit
from baomi.personnel.selectors import units_supervised_by

router = Router()


# --- sheets -----------------------------------------------------------------------------------


class SheetItemOut(Schema):
    position: int
    text: str
    max_points: float
    source: str
    source_display: str
    points_each: float
    rule_id: str


class SheetOut(Schema):
    id: int
    name: str
    target: str
    target_display: str
    version: int
    previous_id: int | None
    frozen: bool = Field(description="已被考核使用：不能再改，修订会生成新版本")
    total_points: float
    items: list[SheetItemOut]


def sheet_out(s: ScoringSheet) -> dict:
    items = sorted(s.items.all(), key=lambda i: i.position)
    return {
        "id": s.pk,
        "name": s.name,
        "target": s.target,
        "target_display": display(Target, s.target),
        "version": s.version,
        "previous_id": s.previous_id,
        "frozen": s.frozen,
        "total_points": float(sum(i.max_points for i in items)),
        "items": [
            {
                "position": i.position,
                "text": i.text,
                "max_points": float(i.max_points),
                "source": i.source,
                "source_display": display(Source, i.source),
                "points_each": float(i.points_each),
                "rule_id": i.rule_id,
            }
            for i in items
        ],
    }


class SheetItemIn(InputSchema):
    text: text(300, min_length=1)
    max_points: float = Field(gt=0, le=1000, description="分值（保留一位小数）")
    source: Source = Source.MANUAL
    points_each: float = Field(0, ge=0, le=1000, description="按次扣分的来源每次扣分")
    rule_id: text(16) = ""


class SheetIn(InputSchema):
    name: text(100, min_length=1)
    target: Target
    items: list[SheetItemIn] = Field(min_length=1, max_length=actions.MAX_ITEMS)


class SheetItemsIn(InputSchema):
    items: list[SheetItemIn] = Field(min_length=1, max_length=actions.MAX_ITEMS)


def _item_forms(items: list[SheetItemIn]) -> list[actions.ItemForm]:
    return [
        actions.ItemForm(
            text=i.text,
            max_points=i.max_points,
            source=i.source.value,
            points_each=i.points_each,
            rule_id=i.rule_id,
        )
        for i in items
    ]


def _sheet(actor, sheet_id: int) -> ScoringSheet:
    found = sheet_for(actor, sheet_id)
    if found is None:
        raise NotFound("评分表不存在，或您无权查看。")
    return found


@router.get("/sheets", response={200: list[SheetOut], **READ_ERRORS}, summary="考核评分表")
def list_sheets(request):
    return [sheet_out(s) for s in sheets_visible_to(request.auth)]


@router.post("/sheets", response={201: SheetOut, **WRITE_ERRORS}, summary="建立考核评分表")
def create_sheet(request, payload: SheetIn):
    actor = request.auth
    sheet = actions.create_sheet(
        actor, name=payload.name, target=payload.target.value, items=_item_forms(payload.items)
    )
    return 201, sheet_out(_sheet(actor, sheet.pk))


@router.get("/sheets/{sheet_id}", response={200: SheetOut, **READ_ERRORS}, summary="评分表详情")
def get_sheet(request, sheet_id: Id):
    return sheet_out(_sheet(request.auth, sheet_id))


@router.post(
    "/sheets/{sheet_id}/revise",
    response={200: SheetOut, **WRITE_ERRORS},
    summary="修订评分表（已使用的评分表生成新版本）",
)
def revise_sheet(request, sheet_id: Id, payload: SheetItemsIn):
    actor = request.auth
    revised = actions.revise_sheet(actor, _sheet(actor, sheet_id), items=_item_forms(payload.items))
    return sheet_out(_sheet(actor, revised.pk))


class AssessmentYearQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2999)


# --- 奖惩记录 (before /{assessment_id}: a literal path must win over the id) ------------------------------------------------------------------------------------


class RewardPenaltyOut(Schema):
    id: int
    year: int
    decision: str
    decision_display: str
    assessment_id: int | None
    department: Ref | None
    subject_unit: Ref | None
    person: Ref | None
    description: str
    decided_on: date
    recorded_by: Ref
    recorded_at: datetime


def decision_out(d: RewardPenalty) -> dict:
    return {
        "id": d.pk,
        "year": d.year,
        "decision": d.decision,
        "decision_display": display(Decision, d.decision),
        "assessment_id": d.assessment_id,
        "department": ref(d.department),
        "subject_unit": ref(d.subject_unit),
        "person": ref(d.person),
        "description": d.description,
        "decided_on": d.decided_on,
        "recorded_by": ref(d.recorded_by),
        "recorded_at": d.recorded_at,
    }


class RewardPenaltyPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RewardPenaltyOut]


@router.get("/decisions", response={200: RewardPenaltyPage, **READ_ERRORS}, summary="奖惩记录")
def list_decisions(request, query: Query[AssessmentYearQuery]):
    rows = decisions_visible_to(request.auth)
    if query.year:
        rows = rows.filter(year=query.year)
    return paginate(rows, query, decision_out)


class RewardPenaltyIn(InputSchema):
    decision: Decision
    description: text(500, min_length=1)
    decided_on: Day
    year: int = Field(ge=2000, le=2999)
    subject_kind: Literal["department", "unit", "person"] = Field(
        description="department：本单位部门；unit：下级单位；person：本单位或下级单位人员"
    )
    subject_id: Id
    assessment_id: Id | None = None


SUBJECT_LABEL = {"department": "部门", "unit": "下级单位", "person": "人员"}


def _subject(actor, kind: str, pk: int):
    """The department, subordinate unit or person a decision is about — 404 when not one the
    caller may name."""
    units = [actor.unit_id, *(u.pk for u in units_supervised_by(actor))]
    allowed = {
        "department": Department.objects.filter(unit_id=actor.unit_id),
        "unit": Unit.objects.filter(pk__in=units[1:]),
        "person": Person.objects.filter(unit_id__in=units, system_role="", is_automation=False),
    }[kind]
    found = allowed.filter(pk=pk).first()
    if found is None:
        what = SUBJECT_LABEL[kind]
        raise NotFound(f"{what}不存在，或您无权使用。", {"subject_id": [f"{what} #{pk} 不存在"]})
    return found


@router.post("/decisions", response={201: RewardPenaltyOut, **WRITE_ERRORS}, summary="登记奖惩")
def record_decision(request, payload: RewardPenaltyIn):
    """INS-3: a reward or penalty for a department, a subordinate unit or a person."""
    actor = request.auth
    subject = _subject(actor, payload.subject_kind, payload.subject_id)
    assessment = None
    if payload.assessment_id is not None:
        assessment = assessments_visible_to(actor).filter(pk=payload.assessment_id).first()
        if assessment is None:
            raise NotFound(
                "考核不存在，或您无权使用。",
                {"assessment_id": [f"考核 #{payload.assessment_id} 不存在"]},
            )
    made = actions.record_decision(
        actor,
        actions.DecisionForm(
            decision=payload.decision.value,
            description=payload.description,
            decided_on=payload.decided_on,
            year=payload.year,
            department=subject if payload.subject_kind == "department" else None,
            subject_unit=subject if payload.subject_kind == "unit" else None,
            person=subject if payload.subject_kind == "person" else None,
            assessment=assessment,
        ),
    )
    return 201, decision_out(decisions_visible_to(actor).get(pk=made.pk))


# --- assessments ------------------------------------------------------------------------------


class AssessmentScoreOut(Schema):
    id: int
    item_position: int
    item_text: str
    source: str
    max_points: float
    fact: float | None = Field(description="台帐数据：次数，或比率（0–1）")
    basis: str
    computed_points: float | None
    points: float | None
    reason: str
    adjusted_by: Ref | None
    adjusted_at: datetime | None


class AssessmentSubjectOut(Schema):
    rank: int
    name: str
    department_id: int | None
    unit_id: int | None
    total: float
    scores: list[AssessmentScoreOut]


class AssessmentOut(Schema):
    id: int
    year: int
    sheet: Ref
    sheet_version: int
    status: str
    status_display: str
    computed_on: date
    created_by: Ref
    finalised_by: Ref | None
    finalised_at: datetime | None
    results: list[AssessmentSubjectOut]


def _num(value) -> float | None:
    return float(value) if value is not None else None


def assessment_out(a: Assessment, *, with_results: bool = True) -> dict:
    results = []
    for rank, row in enumerate(result_table(a) if with_results else [], start=1):
        results.append(
            {
                "rank": rank,
                "name": row.name,
                "department_id": row.department_id,
                "unit_id": row.unit_id,
                "total": float(row.total),
                "scores": [
                    {
                        "id": s.pk,
                        "item_position": s.item.position,
                        "item_text": s.item.text,
                        "source": s.item.source,
                        "max_points": float(s.item.max_points),
                        "fact": _num(s.fact),
                        "basis": s.basis,
                        "computed_points": _num(s.computed_points),
                        "points": _num(s.points),
                        "reason": s.reason,
                        "adjusted_by": ref(s.adjusted_by),
                        "adjusted_at": s.adjusted_at,
                    }
                    for s in row.scores
                ],
            }
        )
    return {
        "id": a.pk,
        "year": a.year,
        "sheet": {"id": a.sheet_id, "name": a.sheet.name},
        "sheet_version": a.sheet.version,
        "status": a.status,
        "status_display": display(AssessmentStatus, a.status),
        "computed_on": a.computed_on,
        "created_by": ref(a.created_by),
        "finalised_by": ref(a.finalised_by),
        "finalised_at": a.finalised_at,
        "results": results,
    }


class AssessmentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AssessmentOut]


def _assessment(actor, assessment_id: int) -> Assessment:
    found = assessment_for(actor, assessment_id)
    if found is None:
        raise NotFound("考核不存在，或您无权查看。")
    return found


@router.get("", response={200: AssessmentPage, **READ_ERRORS}, summary="年度考核")
def list_assessments(request, query: Query[AssessmentYearQuery]):
    rows = assessments_visible_to(request.auth)
    if query.year:
        rows = rows.filter(year=query.year)
    return paginate(rows, query, lambda a: assessment_out(a, with_results=False))


class AssessmentRunIn(InputSchema):
    sheet_id: Id
    year: int = Field(ge=2000, le=2999)


@router.post("", response={201: AssessmentOut, **WRITE_ERRORS}, summary="开展年度考核")
def run_assessment(request, payload: AssessmentRunIn):
    """INS-3: the computed items are filled in from the ledgers; the sheet is frozen."""
    actor = request.auth
    sheet = sheet_for(actor, payload.sheet_id)
    if sheet is None:
        raise NotFound("评分表不存在，或您无权使用。", {"sheet_id": ["评分表不存在"]})
    made = actions.run_assessment(actor, sheet, year=payload.year)
    return 201, assessment_out(_assessment(actor, made.pk))


@router.get("/{assessment_id}", response={200: AssessmentOut, **READ_ERRORS}, summary="考核详情")
def get_assessment(request, assessment_id: Id):
    return assessment_out(_assessment(request.auth, assessment_id))


class ScoreAdjustIn(InputSchema):
    points: float = Field(ge=0, le=1000, description="得分（保留一位小数），不超过该项分值")
    reason: text(500) = ""


@router.post(
    "/{assessment_id}/scores/{score_id}",
    response={200: AssessmentOut, **WRITE_ERRORS},
    summary="评分或调整得分（须说明理由）",
)
def adjust_score(request, assessment_id: Id, score_id: Id, payload: ScoreAdjustIn):
    actor = request.auth
    assessment = _assessment(actor, assessment_id)
    score = assessment.scores.filter(pk=score_id).first()
    if score is None:
        raise NotFound("得分不存在。")
    actions.adjust_score(actor, score, points=payload.points, reason=payload.reason)
    return assessment_out(_assessment(actor, assessment_id))


@router.post(
    "/{assessment_id}/recompute",
    response={200: AssessmentOut, **WRITE_ERRORS},
    summary="按当前台帐重新计算",
)
def recompute(request, assessment_id: Id, payload: EmptyIn | None = None):
    actor = request.auth
    actions.recompute(actor, _assessment(actor, assessment_id))
    return assessment_out(_assessment(actor, assessment_id))


@router.post(
    "/{assessment_id}/finalise", response={200: AssessmentOut, **WRITE_ERRORS}, summary="定稿"
)
def finalise(request, assessment_id: Id, payload: EmptyIn | None = None):
    actor = request.auth
    actions.finalise(actor, _assessment(actor, assessment_id))
    return assessment_out(_assessment(actor, assessment_id))


@router.get(
    "/{assessment_id}/export.xlsx",
    response={200: None, **READ_ERRORS},
    summary="考核结果 xlsx",
)
def export(request, assessment_id: Id):
    assessment = _assessment(request.auth, assessment_id)
    return download(
        results_xlsx(assessment, request.auth), XLSX, f"assessment-{assessment.year}.xlsx"
    )
