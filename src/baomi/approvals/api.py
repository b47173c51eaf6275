"""JSON API: requests (借阅, 携带外出, 复制) and their approval (APR-1, APR-2, APR-3, CR-5–CR-8).

Visibility: `approvals.rules.requests_visible_to` — requester, beneficiary, the addressed
approvers and the unit's clerks. A request id in the path that is unknown or invisible → 404; ids
in the body (carrier_ids, approver_id, beneficiary_id) that are unknown or not visible → 422 on
that field. A request names carriers by number and level only (never their titles), since an
approver's clearance, not the request, decides what they may read.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from ninja import Query, Router, Schema
from pydantic import Field

from baomi.api import lookups
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    EmptyIn,
    Id,
    InputSchema,
    PageQuery,
    PeriodIn,
    Ref,
    display,
    paginate,
    ref,
    text,
)
from baomi.approvals import actions
from baomi.approvals.choices import PolicyRole, RequestKind, RequestStatus, StepOutcome
from baomi.approvals.models import Request
from baomi.approvals.rules import requests_visible_to
from baomi.classification.choices import Category, Level

router = Router()


class RequestCarrierOut(Schema):
    id: int
    label: str
    level: str
    level_display: str
    consumed_at: datetime | None


class StepOut(Schema):
    order: int
    role: str = Field(description="审批路径中的环节；空为单一审批人")
    role_display: str
    approver: Ref
    outcome: str
    outcome_display: str
    comment: str
    decided_at: datetime | None


class RequestOut(Schema):
    id: int
    kind: str
    kind_display: str
    status: str
    status_display: str
    requester: Ref
    beneficiary: Ref
    reason: str
    due_date: date | None
    copies: int | None
    destination: str
    to_residence: bool
    issuer_consent_doc: str
    issuer_consent_date: date | None
    proposed_change: dict | None = Field(
        None, description="密级变更、扩大知悉范围申请的拟变更内容；批准只覆盖此内容（APR-3）"
    )
    created_at: datetime
    decided_at: datetime | None
    expires_at: datetime | None
    carriers: list[RequestCarrierOut]
    steps: list[StepOut]


class RequestPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RequestOut]


def request_out(r: Request) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "kind_display": r.get_kind_display(),
        "status": r.status,
        "status_display": display(RequestStatus, r.status),
        "requester": ref(r.requester),
        "beneficiary": ref(r.beneficiary),
        "reason": r.reason,
        "due_date": r.due_date,
        "copies": r.copies,
        "destination": r.destination,
        "to_residence": r.to_residence,
        "issuer_consent_doc": r.issuer_consent_doc,
        "issuer_consent_date": r.issuer_consent_date,
        "proposed_change": r.proposed_change,
        "created_at": r.created_at,
        "decided_at": r.decided_at,
        "expires_at": r.expires_at,
        "carriers": [
            {
                "id": item.carrier_id,
                "label": item.carrier.label,
                "level": item.carrier.level,
                "level_display": display(Level, item.carrier.level),
                "consumed_at": item.consumed_at,
            }
            for item in sorted(r.items.all(), key=lambda i: i.pk)
        ],
        "steps": [
            {
                "order": s.order,
                "role": s.role,
                "role_display": display(PolicyRole, s.role),
                "approver": ref(s.approver),
                "outcome": s.outcome,
                "outcome_display": display(StepOutcome, s.outcome),
                "comment": s.comment,
                "decided_at": s.decided_at,
            }
            for s in sorted(r.steps.all(), key=lambda s: s.order)
        ],
    }


class RequestQuery(PageQuery):
    status: RequestStatus | None = None
    kind: RequestKind | None = None
    mine: bool | None = Field(None, description="true：本人提出或为本人申请的")
    to_approve: bool | None = Field(None, description="true：等待本人审批的")


@router.get("", response={200: RequestPage, **READ_ERRORS}, summary="申请列表")
def list_requests(request, query: Query[RequestQuery]):
    actor = request.auth
    requests = requests_visible_to(actor).select_related("requester", "beneficiary")
    requests = requests.prefetch_related("items__carrier", "steps__approver")
    if query.status:
        requests = requests.filter(status=query.status)
    if query.kind:
        requests = requests.filter(kind=query.kind)
    if query.mine:
        requests = requests.filter(Q(requester=actor) | Q(beneficiary=actor))
    if query.to_approve:
        requests = requests.filter(
            status=RequestStatus.PENDING,
            steps__approver=actor,
            steps__outcome=StepOutcome.PENDING,
        )
    return paginate(requests.order_by("-created_at", "-id"), query, request_out)


class ProposedChangeIn(InputSchema):
    """拟变更内容 (APR-3): either the new classification — level, category, period, or
    `declassify` — or the 知悉范围 change (people/departments added or removed). Omitted fields
    stay unchanged."""

    level: Level | None = Field(None, description="拟变更密级")
    category: Category | None = Field(None, description="拟变更类别")
    period: PeriodIn | None = Field(None, description="拟变更保密期限")
    declassify: bool | None = Field(None, description="true：拟解密")
    add_people: list[Id] | None = Field(None, max_length=1000, description="拟增加知悉范围的人员")
    add_departments: list[Id] | None = Field(None, max_length=200)
    remove_people: list[Id] | None = Field(None, max_length=1000)
    remove_departments: list[Id] | None = Field(None, max_length=200)

    def to_change(self) -> dict:
        data = self.model_dump(exclude_none=True, mode="json")
        if self.period is not None:
            data["period"] = self.period.to_period().to_dict()
        return data


class RequestIn(InputSchema):
    kind: RequestKind
    carrier_ids: list[Id] = Field(min_length=1, max_length=100)
    reason: text(500, min_length=1)
    approver_id: Id
    due_date: Day | None = Field(None, description="借阅、携带外出必填")
    copies: int | None = Field(None, ge=1, le=100, description="复制必填")
    beneficiary_id: Id | None = Field(None, description="使用人，默认为申请人")
    destination: text(200) = ""
    to_residence: bool = Field(False, description="送领导住所：须当日带回（CR-8）")
    issuer_consent_doc: text(100) = ""
    issuer_consent_date: Day | None = None
    proposed_change: ProposedChangeIn | None = Field(
        None, description="密级变更、扩大知悉范围申请必填：批准只覆盖此内容（APR-3）"
    )


@router.post("", response={201: RequestOut, **WRITE_ERRORS}, summary="提出申请")
def create_request(request, payload: RequestIn):
    actor = request.auth
    form = actions.RequestForm(
        kind=payload.kind.value,
        carriers=lookups.carriers(actor, payload.carrier_ids, "carrier_ids"),
        reason=payload.reason,
        approver=lookups.person(actor, payload.approver_id, "approver_id"),
        due_date=payload.due_date,
        copies=payload.copies,
        beneficiary=lookups.person(actor, payload.beneficiary_id, "beneficiary_id"),
        destination=payload.destination,
        to_residence=payload.to_residence,
        issuer_consent_doc=payload.issuer_consent_doc,
        issuer_consent_date=payload.issuer_consent_date,
        proposed_change=payload.proposed_change.to_change() if payload.proposed_change else None,
    )
    made = actions.create_request(actor, form)
    return 201, request_out(made)


@router.get("/{request_id}", response={200: RequestOut, **READ_ERRORS}, summary="申请详情")
def get_request(request, request_id: Id):
    return request_out(lookups.visible_request(request.auth, request_id))


class ApproveIn(InputSchema):
    comment: text(500) = ""
    issuer_consent_doc: text(100) = Field(
        "", description="复制绝密/不准复印载体时制文机关同意的文号（CR-7）"
    )
    issuer_consent_date: Day | None = None


class RejectIn(InputSchema):
    reason: text(500, min_length=1)


@router.post("/{request_id}/approve", response={200: RequestOut, **WRITE_ERRORS}, summary="批准")
def approve(request, request_id: Id, payload: ApproveIn = None):
    """Approve the step addressed to the caller (APR-1 not one's own, APR-2 authority)."""
    payload = payload or ApproveIn()
    actor = request.auth
    found = lookups.visible_request(actor, request_id)
    done = actions.approve(
        actor,
        found,
        comment=payload.comment,
        issuer_consent_doc=payload.issuer_consent_doc,
        issuer_consent_date=payload.issuer_consent_date,
    )
    return request_out(done)


@router.post("/{request_id}/reject", response={200: RequestOut, **WRITE_ERRORS}, summary="驳回")
def reject(request, request_id: Id, payload: RejectIn):
    actor = request.auth
    found = lookups.visible_request(actor, request_id)
    return request_out(actions.reject(actor, found, reason=payload.reason))


@router.post("/{request_id}/withdraw", response={200: RequestOut, **WRITE_ERRORS}, summary="撤回")
def withdraw(request, request_id: Id, payload: EmptyIn = None):
    actor = request.auth
    found = lookups.visible_request(actor, request_id)
    return request_out(actions.withdraw(actor, found))
