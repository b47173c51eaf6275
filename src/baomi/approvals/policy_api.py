"""JSON API: the unit's approval paths (`approval-policies`) and its secrecy settings
(`unit-settings`, CR-7/CR-8/CR-17/APR-3) — set by the security officer (安全保密管理员)."""

from __future__ import annotations

from ninja import Router, Schema
from pydantic import Field

from baomi.api import lookups
from baomi.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, InputSchema, Ref, display, ref
from baomi.approvals import actions
from baomi.approvals.choices import PolicyRole, RequestKind
from baomi.approvals.models import ApprovalPolicy
from baomi.classification.choices import Level
from baomi.lib.errors import Forbidden
from baomi.org import actions as org
from baomi.org.choices import SystemRole

router = Router()
settings_router = Router()


class PolicyStepOut(Schema):
    order: int
    role: str
    role_display: str
    person: Ref | None


class PolicyOut(Schema):
    id: int
    kind: str
    kind_display: str
    level: str
    level_display: str
    steps: list[PolicyStepOut]


def policy_out(p: ApprovalPolicy) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "kind_display": display(RequestKind, p.kind),
        "level": p.level,
        "level_display": display(Level, p.level),
        "steps": [
            {
                "order": s.order,
                "role": s.role,
                "role_display": display(PolicyRole, s.role),
                "person": ref(s.person),
            }
            for s in p.steps.select_related("person").order_by("order")
        ],
    }


@router.get("", response={200: list[PolicyOut], **READ_ERRORS}, summary="审批路径")
def list_policies(request):
    """Everyone of the unit may read the paths (they decide whom a request goes to)."""
    rows = ApprovalPolicy.objects.filter(unit_id=request.auth.unit_id)
    return [policy_out(p) for p in rows]


class PolicyStepIn(InputSchema):
    role: PolicyRole
    person_id: Id | None = Field(None, description="仅“指定人员”环节")


class PolicyIn(InputSchema):
    kind: RequestKind
    level: Level
    steps: list[PolicyStepIn] = Field(max_length=6, description="空列表：删除该路径（单一审批人）")


@router.put("", response={200: PolicyOut | None, **WRITE_ERRORS}, summary="设置审批路径")
def set_policy(request, payload: PolicyIn):
    actor = request.auth
    steps = [
        (s.role.value, lookups.person(actor, s.person_id, f"steps.{n}.person_id"))
        for n, s in enumerate(payload.steps)
    ]
    made = actions.set_policy(actor, actor.unit, payload.kind.value, payload.level.value, steps)
    return policy_out(made) if made else None


@router.post("/defaults", response={200: list[PolicyOut], **WRITE_ERRORS}, summary="载入默认路径")
def install_defaults(request):
    actor = request.auth
    actions.install_default_policies(actor, actor.unit)
    return [policy_out(p) for p in ApprovalPolicy.objects.filter(unit_id=actor.unit_id)]


class UnitSettingsOut(Schema):
    issuer_consent_for_secret: bool = Field(description="机密载体复制也须经制文机关同意（CR-7）")
    forbid_state_secret_take_out: bool = Field(description="国家秘密载体不准外带（CR-8）")
    loan_limits: dict[str, int]
    approval_valid_days: int


class UnitSettingsIn(InputSchema):
    issuer_consent_for_secret: bool | None = None
    forbid_state_secret_take_out: bool | None = None
    approval_valid_days: int | None = Field(None, ge=1, le=90)


def settings_out(unit) -> dict:
    return {
        "issuer_consent_for_secret": unit.issuer_consent_for_secret,
        "forbid_state_secret_take_out": unit.forbid_state_secret_take_out,
        "loan_limits": {k: int(v) for k, v in (unit.loan_limits or {}).items()},
        "approval_valid_days": unit.approval_valid_days,
    }


@settings_router.get("", response={200: UnitSettingsOut, **READ_ERRORS}, summary="单位保密设置")
def get_settings(request):
    return settings_out(request.auth.unit)


@settings_router.patch(
    "", response={200: UnitSettingsOut, **WRITE_ERRORS}, summary="修改单位保密设置"
)
def update_settings(request, payload: UnitSettingsIn):
    actor = request.auth
    if actor.system_role != SystemRole.SECADMIN:
        raise Forbidden("只有安全保密管理员可以修改单位保密设置（SEC-3）。")
    changes = payload.model_dump(exclude_none=True)
    unit = org.update_unit_settings(actor, actor.unit, **changes) if changes else actor.unit
    return settings_out(unit)
