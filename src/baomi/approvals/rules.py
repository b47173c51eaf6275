"""Approval checks shared by request actions and the carrier actions that consume approvals."""

from __future__ import annotations

from django.db.models import Q

from baomi.approvals import kinds
from baomi.approvals.choices import RequestKind, RequestStatus
from baomi.approvals.models import Request, RequestItem
from baomi.carriers.models import Carrier
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.lib import clock
from baomi.lib.errors import RuleViolation
from baomi.org.models import Person

# What each kind of approval is called when a carrier action finds it missing.
MISSING_APPROVAL_RULE = {
    RequestKind.LOAN: ("CR-6", "借阅须经分管保密工作的领导批准"),
    RequestKind.TAKE_OUT: ("CR-8", "携带外出须经批准并登记"),
    RequestKind.COPY: ("CR-7", "复制须经批准"),
    RequestKind.DESTRUCTION: ("CR-12", "销毁须经领导批准"),
    RequestKind.ARCHIVE_RETRIEVAL: ("ARC-1", "档案调阅须经批准"),
    RequestKind.DISPATCH: ("CR-9", "本单位规定发文须经批准"),
    RequestKind.RECLASSIFICATION: ("CL-8", "密级变更、降密、解密和延期须经审批"),
    RequestKind.SCOPE_WIDENING: ("CL-13", "扩大知悉范围须经单位负责人或其指定人员批准"),
}


def needs_issuer_consent(carrier: Carrier) -> bool:
    """CR-7: 绝密 and 不准复印 carriers — and 机密 where the unit says so — need the issuer."""
    if carrier.level == Level.TOP_SECRET or carrier.no_copy:
        return True
    return carrier.level == Level.SECRET and carrier.unit.issuer_consent_for_secret


def require_not_own(approver: Person, request: Request) -> None:
    """APR-1: nobody approves their own request (nor one for their own benefit)."""
    if approver.pk in (request.requester_id, request.beneficiary_id):
        raise RuleViolation(
            "APR-1", "不能审批本人提出或为本人申请的事项（APR-1：任何人不得审批自己的申请）。"
        )


def require_authority(
    approver: Person, kind: str, carriers: list[Carrier], *, level: str | None = None
) -> None:
    """APR-2: authority for this kind up to every carrier's level, and cleared for each; for a
    kind without carriers (a registered kind), up to the `level` the kind names."""
    authority = approver.authorities.filter(kind=kind).first()
    if approver.has_system_role or not approver.active or authority is None:
        raise RuleViolation(
            "APR-2", f"{approver.name}没有审批“{kinds.label(kind) or kind}”申请的权限（APR-2）。"
        )
    if level is not None:
        too_high = LEVEL_RANK[Level(level)] > LEVEL_RANK[Level(authority.max_level)]
        if too_high or not approver.covers(level):
            raise RuleViolation(
                "APR-2",
                f"{approver.name}无权审批{Level(level).label}的“{kinds.label(kind)}”申请"
                "（APR-2：审批人须有该类事项权限并具备相应涉密等级）。",
            )
    for carrier in carriers:
        too_high = LEVEL_RANK[Level(carrier.level)] > LEVEL_RANK[Level(authority.max_level)]
        if too_high or not approver.covers(carrier.level):
            raise RuleViolation(
                "APR-2",
                f"{approver.name}无权审批{carrier.get_level_display()}载体 {carrier.label}"
                "（APR-2：审批人须有该类事项权限并具备相应涉密等级）。",
            )


def consume(
    request: Request | None, kind: str, carrier: Carrier, beneficiary_check=True
) -> Request:
    """APR-3: the approval must be granted, unexpired, name this carrier and not be used yet.

    Marks the carrier's item used; the request is consumed once every item is. Call inside the
    carrier action's transaction (the request row is locked so it cannot be used twice).
    """
    rule_id, need = MISSING_APPROVAL_RULE[RequestKind(kind)]
    if request is None:
        raise RuleViolation(rule_id, f"{need}：没有提供审批单（{rule_id}）。")
    # The beneficiary comes with the row (the carrier action checks them next); only the
    # request's own row is locked.
    request = (
        Request.objects.select_for_update(of=("self",))
        .select_related("beneficiary")
        .get(pk=request.pk)
    )
    if request.kind != kind:
        raise RuleViolation(
            "APR-3",
            f"审批单 #{request.pk} 是“{request.get_kind_display()}”申请，不能用于此操作（APR-3）。",
        )
    if request.status == RequestStatus.CONSUMED:
        raise RuleViolation("APR-3", f"审批单 #{request.pk} 已使用，不能重复使用（APR-3）。")
    if request.status != RequestStatus.APPROVED:
        raise RuleViolation(
            rule_id,
            f"{need}：审批单 #{request.pk} 状态为“{request.get_status_display()}”（{rule_id}）。",
        )
    if request.expires_at and request.expires_at < clock.now():
        raise RuleViolation(
            "APR-3", f"审批单 #{request.pk} 已于 {request.expires_at:%Y-%m-%d} 失效（APR-3）。"
        )
    # Every item at once (a request names a handful of carriers): this one, and whether any
    # other is still unused, from one read.
    items = list(RequestItem.objects.filter(request=request).order_by("pk"))
    item = next((i for i in items if i.carrier_id == carrier.pk), None)
    if item is None:
        raise RuleViolation(
            "APR-3",
            f"审批单 #{request.pk} 不包含载体 {carrier.label}（APR-3：批准只覆盖所列载体）。",
        )
    if item.consumed_at is not None:
        raise RuleViolation(
            "APR-3", f"审批单 #{request.pk} 对载体 {carrier.label} 已使用过（APR-3）。"
        )
    item.consumed_at = clock.now()
    item.save(update_fields=["consumed_at"])
    if all(i.consumed_at is not None for i in items):
        request.status = RequestStatus.CONSUMED
        request.save(update_fields=["status"])
    return request


def consume_registered(request: Request | None, kind: str) -> Request:
    """APR-3 for a registered kind (no carriers): the approval must be of this kind, granted,
    unexpired and unused; it is consumed by the one action it authorises. Call inside that
    action's transaction (the request row is locked so it cannot be used twice)."""
    spec = kinds.spec_of(kind)
    rule_id, need = (spec.rule_id, spec.need) if spec else ("APR-3", "须经批准")
    if request is None:
        raise RuleViolation(rule_id, f"{need}：没有提供审批单（{rule_id}）。")
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.kind != kind:
        raise RuleViolation(
            "APR-3",
            f"审批单 #{request.pk} 是“{request.get_kind_display()}”申请，不能用于此操作（APR-3）。",
        )
    if request.status == RequestStatus.CONSUMED:
        raise RuleViolation("APR-3", f"审批单 #{request.pk} 已使用，不能重复使用（APR-3）。")
    if request.status != RequestStatus.APPROVED:
        raise RuleViolation(
            rule_id,
            f"{need}：审批单 #{request.pk} 状态为“{request.get_status_display()}”（{rule_id}）。",
        )
    if request.expires_at and request.expires_at < clock.now():
        raise RuleViolation(
            "APR-3", f"审批单 #{request.pk} 已于 {request.expires_at:%Y-%m-%d} 失效（APR-3）。"
        )
    request.status = RequestStatus.CONSUMED
    request.save(update_fields=["status"])
    return request


def requests_visible_to(person: Person):
    """Requester, beneficiary, the addressed approvers, and the unit's clerks."""
    if person is None or person.has_system_role:
        return Request.objects.none()
    mine = Q(requester=person) | Q(beneficiary=person) | Q(steps__approver=person)
    if person.is_registry_clerk:
        mine |= Q(unit_id=person.unit_id)
    return Request.objects.filter(pk__in=Request.objects.filter(mine).values("pk"))
