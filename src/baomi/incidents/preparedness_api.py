"""JSON API of INC-2: `incidents/emergency-plans` (应急预案; the document is stored encrypted
and downloaded with `/file`) and `incidents/drills` (应急演练)."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from urllib.parse import quote

from django.http import HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api import lookups
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    paginate,
    ref,
    text,
)
from baomi.incidents import preparedness
from baomi.incidents.models import Drill, EmergencyPlan
from baomi.incidents.selectors import drills_visible_to, plans_visible_to
from baomi.lib import filestore
from baomi.lib.errors import Invalid, NotFound

router = Router()


class EmergencyPlanOut(Schema):
    id: int
    title: str
    version: str
    approved_on: date
    file_name: str
    content_type: str
    size: int
    recorded_by: Ref
    recorded_at: datetime


class EmergencyPlanPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EmergencyPlanOut]


def plan_out(p: EmergencyPlan) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "version": p.version,
        "approved_on": p.approved_on,
        "file_name": p.file_name,
        "content_type": p.content_type,
        "size": p.size,
        "recorded_by": ref(p.recorded_by),
        "recorded_at": p.recorded_at,
    }


def _plan(actor, plan_id: int, field: str | None = None) -> EmergencyPlan:
    found = plans_visible_to(actor).filter(pk=plan_id).first()
    if found is None:
        detail = {field: [f"应急预案 #{plan_id} 不存在"]} if field else None
        raise NotFound("应急预案不存在，或您无权查看。", detail)
    return found


@router.get(
    "/emergency-plans", response={200: EmergencyPlanPage, **READ_ERRORS}, summary="应急预案"
)
def list_plans(request, query: Query[PageQuery]):
    rows = plans_visible_to(request.auth).select_related("recorded_by")
    return paginate(rows.order_by("title", "-approved_on", "-id"), query, plan_out)


class EmergencyPlanIn(InputSchema):
    title: text(200, min_length=1)
    version: text(20, min_length=1)
    approved_on: Day
    content: text(200_000) = Field("", description="预案正文；与 content_base64 二选一")
    file_name: text(200) = ""
    content_type: text(100) = "application/octet-stream"
    content_base64: str = Field(
        "",
        max_length=28_000_000,
        pattern=r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
        description="预案文件（base64）",
    )


@router.post(
    "/emergency-plans",
    response={201: EmergencyPlanOut, **WRITE_ERRORS},
    summary="登记应急预案（加密存储）",
)
def create_plan(request, payload: EmergencyPlanIn):
    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(
            "文件内容不是有效的 base64。", {"content_base64": ["不是有效的 base64"]}
        ) from None
    plan = preparedness.record_plan(
        request.auth,
        title=payload.title,
        version=payload.version,
        approved_on=payload.approved_on,
        content=payload.content,
        file_name=payload.file_name.strip()
        or f"{payload.title.strip()}（{payload.version.strip()}）",
        content_type=payload.content_type,
        data=data,
    )
    return 201, plan_out(plan)


@router.get(
    "/emergency-plans/{plan_id}",
    response={200: EmergencyPlanOut, **READ_ERRORS},
    summary="预案详情",
)
def get_plan(request, plan_id: Id):
    return plan_out(_plan(request.auth, plan_id))


@router.get(
    "/emergency-plans/{plan_id}/file",
    response={200: None, **READ_ERRORS},
    summary="下载预案文件",
)
def download_plan(request, plan_id: Id):
    return plan_file_response(_plan(request.auth, plan_id))


def plan_file_response(plan: EmergencyPlan) -> HttpResponse:
    response = HttpResponse(filestore.read(plan.blob), content_type=plan.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(plan.file_name)}"
    response["Cache-Control"] = "no-store"
    return response


class EmergencyDrillOut(Schema):
    id: int
    plan_id: int | None
    held_on: date
    scenario: str
    participants: list[Ref]
    findings: str
    recorded_by: Ref
    recorded_at: datetime


class EmergencyDrillPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EmergencyDrillOut]


def drill_out(d: Drill) -> dict:
    return {
        "id": d.pk,
        "plan_id": d.plan_id,
        "held_on": d.held_on,
        "scenario": d.scenario,
        "participants": [ref(p) for p in d.participants.order_by("name")],
        "findings": d.findings,
        "recorded_by": ref(d.recorded_by),
        "recorded_at": d.recorded_at,
    }


@router.get("/drills", response={200: EmergencyDrillPage, **READ_ERRORS}, summary="应急演练")
def list_drills(request, query: Query[PageQuery]):
    rows = drills_visible_to(request.auth).select_related("recorded_by")
    return paginate(rows.order_by("-held_on", "-id"), query, drill_out)


class EmergencyDrillIn(InputSchema):
    held_on: Day
    scenario: text(5000, min_length=1)
    participant_ids: list[Id] = Field(..., min_length=1, max_length=500)
    findings: text(5000, min_length=1)
    plan_id: Id | None = None


@router.post("/drills", response={201: EmergencyDrillOut, **WRITE_ERRORS}, summary="登记应急演练")
def create_drill(request, payload: EmergencyDrillIn):
    actor = request.auth
    drill = preparedness.record_drill(
        actor,
        held_on=payload.held_on,
        scenario=payload.scenario,
        participants=lookups.people(actor, payload.participant_ids, "participant_ids"),
        findings=payload.findings,
        plan=_plan(actor, payload.plan_id, "plan_id") if payload.plan_id else None,
    )
    return 201, drill_out(drill)


@router.get(
    "/drills/{drill_id}", response={200: EmergencyDrillOut, **READ_ERRORS}, summary="演练详情"
)
def get_drill(request, drill_id: Id):
    found = drills_visible_to(request.auth).filter(pk=drill_id).first()
    if found is None:
        raise NotFound("应急演练不存在，或您无权查看。")
    return drill_out(found)
