"""Requests: create, approve, reject, withdraw (APR-1, APR-2, APR-3, CR-5–CR-8, CR-17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from baomi.approvals import changes, kinds
from baomi.approvals.choices import PolicyRole, RequestKind, RequestStatus, StepOutcome
from baomi.approvals.models import ApprovalPolicy, ApprovalStep, PolicyStep, Request, RequestItem
from baomi.approvals.paths import DEFAULT_POLICIES, plan_steps
from baomi.approvals.rules import needs_issuer_consent, require_authority, require_not_own
from baomi.audit.trail import record
from baomi.carriers.choices import LIVE
from baomi.carriers.models import Carrier
from baomi.carriers.policies import is_clerk_of, may_view
from baomi.carriers.rules import check_due, require_may_hold, require_registered, today
from baomi.classification.choices import Level, is_state_secret
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation
from baomi.org.choices import SystemRole
from baomi.org.models import Person, Unit


@dataclass
class RequestForm:
    kind: str
    carriers: list[Carrier]
    reason: str
    approver: Person
    due_date: date | None = None
    copies: int | None = None
    beneficiary: Person | None = None
    destination: str = ""
    issuer_consent_doc: str = ""
    issuer_consent_date: date | None = None
    to_residence: bool = False
    # APR-3: what a RECLASSIFICATION / SCOPE_WIDENING request allows (see approvals.changes).
    proposed_change: dict | None = None


@action("request.create")
def create_request(actor: Person, form: RequestForm) -> Request:
    """File a request; refused early when it could never be used.

    The steps come from the unit's approval path for this kind and the highest level named
    (`approvals.paths`); `form.approver` fills the 分管保密工作的领导 step (and is preferred for the
    unit-head/department-head steps when they qualify). Without a policy row the request has the
    one step addressed to `form.approver`. Every step is checked up front (APR-1, APR-2)."""
    if actor.has_system_role:
        raise RuleViolation("SEC-3", "三员不得接触涉密载体，不能提出载体申请（SEC-3）。")
    _check_request_form(form)
    spec = kinds.spec_of(form.kind)
    if spec is not None:
        # A kind registered by a domain app says itself what its approval covers (APR-3).
        proposed_change = spec.normalize(form.proposed_change, actor.unit_id)
    else:
        proposed_change = changes.normalize(form.kind, form.proposed_change, actor.unit_id)
    level = spec.level_of(proposed_change) if spec is not None else None
    beneficiary = form.beneficiary or actor
    carriers = list(dict.fromkeys(form.carriers))  # the same carrier named twice is one item
    for carrier in carriers:
        if not may_view(actor, carrier) or carrier.unit_id != actor.unit_id:
            raise RuleViolation("PER-1", f"无权申请载体 {carrier.label}（PER-1）。")
        if carrier.status not in LIVE:
            raise InvalidState(
                f"载体 {carrier.label} 当前状态为“{carrier.get_status_display()}”，不能申请。",
                {"status": carrier.status},
            )
        require_registered(carrier, "提出申请")
        _check_kind_rules(form, carrier, beneficiary)
        if proposed_change and not changes.is_scope(proposed_change):
            # CL-11 / CL-3: refused now rather than after the approval (defence in the action too).
            changes.check_target(
                carrier, changes.target_of_change(carrier, proposed_change), actor.unit
            )
    draft = Request(requester=actor, beneficiary=beneficiary)
    planned = plan_steps(actor.unit, form.kind, carriers, form.approver, actor, beneficiary)
    for step in planned:
        if step.role == PolicyRole.ISSUER_CONSENT:
            continue  # a clerk records the issuer's consent: no approval authority involved
        require_not_own(step.approver, draft)
        require_authority(step.approver, form.kind, carriers, level=level)
    request = Request.objects.create(
        unit=actor.unit,
        kind=form.kind,
        requester=actor,
        beneficiary=beneficiary,
        reason=form.reason.strip(),
        due_date=form.due_date,
        copies=form.copies,
        destination=form.destination.strip(),
        to_residence=bool(form.to_residence),
        issuer_consent_doc=form.issuer_consent_doc.strip(),
        issuer_consent_date=form.issuer_consent_date,
        proposed_change=proposed_change,
        created_at=clock.now(),
    )
    RequestItem.objects.bulk_create(RequestItem(request=request, carrier=c) for c in carriers)
    ApprovalStep.objects.bulk_create(
        ApprovalStep(request=request, order=n, approver=step.approver, role=step.role)
        for n, step in enumerate(planned, start=1)
    )
    record("request.create", actor, request, after=_snapshot(request), request_id=request.pk)
    return request


def _check_request_form(form: RequestForm) -> None:
    errors: dict[str, list[str]] = {}
    if not kinds.is_known(form.kind):
        errors["kind"] = ["申请类型无效"]
    # Requests about a person (PER-2, PER-6, PER-7) and registered kinds name no carriers.
    person_kinds = (RequestKind.CLEARANCE, RequestKind.TRAVEL_ABROAD, RequestKind.DEPARTURE)
    no_carriers = form.kind in person_kinds or kinds.spec_of(form.kind) is not None
    if not form.carriers and not no_carriers:
        errors["carrier_ids"] = ["请至少选择一件载体"]
    if not (form.reason or "").strip():
        errors["reason"] = ["请填写事由"]
    if form.kind in (RequestKind.LOAN, RequestKind.TAKE_OUT) and form.due_date is None:
        errors["due_date"] = ["请填写归还期限"]
    if form.kind == RequestKind.COPY and not (form.copies and 1 <= form.copies <= 100):
        errors["copies"] = ["复制份数须在 1 到 100 之间"]
    if errors:
        raise Invalid("申请信息有误。", errors)


def _check_kind_rules(form: RequestForm, carrier: Carrier, beneficiary: Person) -> None:
    if form.kind == RequestKind.COPY:
        if not may_view(beneficiary, carrier):
            raise RuleViolation(
                "PER-1", f"{beneficiary.name}无权知悉载体 {carrier.label}（PER-1）。"
            )
        return
    if form.kind == RequestKind.DESTRUCTION:
        # The registry asks to destroy; it holds nothing in its hands (CR-12).
        return
    if form.kind in (RequestKind.RECLASSIFICATION, RequestKind.SCOPE_WIDENING):
        # A decision about the classification: nobody takes the carrier (CL-8, CL-13).
        return
    require_may_hold(beneficiary, carrier)
    if form.kind == RequestKind.LOAN and carrier.level == Level.TOP_SECRET:
        raise RuleViolation(
            "CR-5", f"绝密载体 {carrier.label} 不得借出机要室，只能在机要室阅读（CR-5）。"
        )
    if (
        form.kind == RequestKind.TAKE_OUT
        and carrier.unit.forbid_state_secret_take_out
        and is_state_secret(carrier.level)
    ):
        raise RuleViolation("CR-8", f"本单位规定国家秘密载体不准外带（{carrier.label}）（CR-8）。")
    overnight = form.due_date is not None and form.due_date > today()
    if form.kind == RequestKind.TAKE_OUT and form.to_residence and overnight:
        raise RuleViolation(
            "CR-8",
            f"送领导住所的载体 {carrier.label} 须当日带回，归还期限不能晚于今天"
            "（CR-8：不得在办公场所之外过夜）。",
        )
    check_due(carrier, form.due_date)


@action("request.approve")
def approve(
    actor: Person,
    request: Request,
    *,
    comment: str = "",
    issuer_consent_doc: str = "",
    issuer_consent_date: date | None = None,
) -> Request:
    """Approve the step waiting for the actor; the request is approved when every step is.

    A 记录制文机关书面同意 step needs the consent's 文号 and date (CR-7); copying 绝密/不准复印 is
    checked again at the last step."""
    request, step = _decidable(actor, request)
    if issuer_consent_doc:
        request.issuer_consent_doc = issuer_consent_doc.strip()
    if issuer_consent_date:
        request.issuer_consent_date = issuer_consent_date
    later = request.steps.filter(order__gt=step.order, outcome=StepOutcome.PENDING).exists()
    if step.role == PolicyRole.ISSUER_CONSENT or not later:
        _require_issuer_consent(request, always=step.role == PolicyRole.ISSUER_CONSENT)
    before = _snapshot(request)
    now = clock.now()
    step.outcome, step.comment, step.decided_at = StepOutcome.APPROVED, comment.strip(), now
    step.save()
    if not later:
        request.status, request.decided_at = RequestStatus.APPROVED, now
        request.expires_at = now + timedelta(days=request.unit.approval_valid_days)
    request.save()
    record(
        "request.approve",
        actor,
        request,
        before=before,
        after={**_snapshot(request), "step": step.order},
        request_id=request.pk,
    )
    return request


def _require_issuer_consent(request: Request, *, always: bool = False) -> None:
    if request.kind != RequestKind.COPY:
        return
    needing = [c for c in request.carriers.select_related("unit") if needs_issuer_consent(c)]
    if not needing and not always:
        return
    if not needing:
        needing = list(request.carriers.all())
    if not request.issuer_consent_doc or request.issuer_consent_date is None:
        raise RuleViolation(
            "CR-7",
            f"复制 {needing[0].label}（{needing[0].get_level_display()}或标注不准复印）须先记录制文机关的"
            "书面同意（文号和日期）（CR-7）。",
        )
    if request.issuer_consent_date > clock.today():
        raise Invalid(
            "制文机关同意日期不能晚于今天。", {"issuer_consent_date": ["日期不能晚于今天"]}
        )


@action("request.reject")
def reject(actor: Person, request: Request, *, reason: str) -> Request:
    """Refuse with a reason, which the requester sees."""
    if not (reason or "").strip():
        raise Invalid("驳回须说明理由。", {"reason": ["请填写驳回理由"]})
    request, step = _decidable(actor, request)
    before = _snapshot(request)
    now = clock.now()
    step.outcome, step.comment, step.decided_at = StepOutcome.REJECTED, reason.strip(), now
    step.save()
    request.status, request.decided_at = RequestStatus.REJECTED, now
    request.save()
    record(
        "request.reject",
        actor,
        request,
        before=before,
        after={**_snapshot(request), "reason": "〔见审批意见〕"},
        request_id=request.pk,
    )
    return request


@action("request.withdraw")
def withdraw(actor: Person, request: Request) -> Request:
    """The requester takes back a request still pending."""
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.requester_id != actor.pk:
        raise Forbidden("只有申请人可以撤回申请。")
    if request.status != RequestStatus.PENDING:
        raise InvalidState(
            f"申请当前为“{request.get_status_display()}”，不能撤回。", {"status": request.status}
        )
    before = _snapshot(request)
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status"])
    record(
        "request.withdraw",
        actor,
        request,
        before=before,
        after=_snapshot(request),
        request_id=request.pk,
    )
    return request


def _decidable(actor: Person, request: Request) -> tuple[Request, ApprovalStep]:
    """Lock the request and find the step waiting for this approver (APR-1, APR-2)."""
    request = (
        Request.objects.select_for_update(of=("self",)).select_related("unit").get(pk=request.pk)
    )
    require_not_own(actor, request)
    if request.status != RequestStatus.PENDING:
        raise InvalidState(
            f"申请当前为“{request.get_status_display()}”，不能再审批。", {"status": request.status}
        )
    step = request.steps.filter(outcome=StepOutcome.PENDING).order_by("order").first()
    if step is None or step.approver_id != actor.pk:
        _refuse_out_of_order(actor, request, step)
        raise Forbidden("该申请当前不在您的审批环节。")
    spec = kinds.spec_of(request.kind)
    if step.role == PolicyRole.ISSUER_CONSENT:
        if not is_clerk_of(actor, request.unit_id):
            raise Forbidden("制文机关的书面同意由本单位保密员登记。")
    elif spec is not None:
        # A registered kind: the engine asks the kind (level, and whether it may be approved).
        require_authority(
            actor, request.kind, [], level=spec.level_of(request.proposed_change or {})
        )
        spec.check_approvable(actor, request)
    else:
        require_authority(actor, request.kind, list(request.carriers.all()))
    return request, step


def _refuse_out_of_order(actor: Person, request: Request, waiting: ApprovalStep | None) -> None:
    """The actor has a later step of this request: say which step comes first. Before the
    issuer's written consent is recorded, a 绝密 copy cannot be approved at all (CR-7)."""
    if waiting is None:
        return
    mine = request.steps.filter(
        outcome=StepOutcome.PENDING, approver=actor, order__gt=waiting.order
    )
    mine = mine.order_by("order").first()
    if mine is None:
        return
    if waiting.role == PolicyRole.ISSUER_CONSENT:
        raise RuleViolation(
            "CR-7",
            f"申请 #{request.pk} 尚未登记制文机关的书面同意（文号和日期）：绝密及标明不准复印的"
            "载体须经制文机关同意方可复制，请待保密员登记后再审批（CR-7）。",
            {"waiting_step": waiting.order, "your_step": mine.order},
        )
    raise Forbidden(
        f"申请 #{request.pk} 须先经第{waiting.order}步（{waiting.approver.name}）审批，"
        f"您的第{mine.order}步在其后，请等待前一步。"
    )


def _snapshot(request: Request) -> dict:
    return {
        "kind": request.kind,
        "status": request.status,
        "requester": request.requester_id,
        "beneficiary": request.beneficiary_id,
        "carriers": sorted(request.items.values_list("carrier_id", flat=True))
        if request.pk
        else [],
        "due_date": request.due_date.isoformat() if request.due_date else None,
        "copies": request.copies,
        "issuer_consent_doc": request.issuer_consent_doc,
        "to_residence": request.to_residence,
        "proposed_change": request.proposed_change,
    }


# --- the unit's approval paths (set by the security officer) ----------------------------------


def _require_secadmin(actor: Person, unit: Unit) -> None:
    if not (actor.is_automation or actor.system_role == SystemRole.SECADMIN):
        raise Forbidden("只有安全保密管理员可以设置审批路径（SEC-3）。")
    if actor.unit_id != unit.pk:
        raise Forbidden("只能设置本单位的审批路径。")


@action("policy.set")
def set_policy(
    actor: Person, unit: Unit, kind: str, level: str, steps: list[tuple[str, Person | None]]
) -> ApprovalPolicy | None:
    """Replace the path for (kind, level); an empty list removes it (single named approver)."""
    _require_secadmin(actor, unit)
    errors: dict[str, list[str]] = {}
    if kind not in RequestKind.values:
        errors["kind"] = ["申请类型无效"]
    if level not in Level.values:
        errors["level"] = ["密级无效"]
    for n, (role, person) in enumerate(steps, start=1):
        if role not in PolicyRole.values:
            errors.setdefault("steps", []).append(f"第{n}步：环节无效")
        elif (role == PolicyRole.PERSON) != (person is not None):
            errors.setdefault("steps", []).append(f"第{n}步：指定人员须且只能在“指定人员”环节填写")
        elif person is not None and (person.unit_id != unit.pk or person.has_system_role):
            errors.setdefault("steps", []).append(f"第{n}步：指定人员须为本单位业务人员")
    if len(steps) > 6:
        errors.setdefault("steps", []).append("最多 6 步")
    if errors:
        raise Invalid("审批路径有误。", errors)
    existing = ApprovalPolicy.objects.filter(unit=unit, kind=kind, level=level).first()
    before = _policy_snapshot(existing)
    if existing is not None:
        existing.delete()
    policy = None
    if steps:
        policy = ApprovalPolicy.objects.create(unit=unit, kind=kind, level=level)
        PolicyStep.objects.bulk_create(
            PolicyStep(policy=policy, order=n, role=role, person=person)
            for n, (role, person) in enumerate(steps, start=1)
        )
    record(
        "policy.set",
        actor,
        policy or unit,
        before=before,
        after={"kind": kind, "level": level, **_policy_snapshot(policy)},
    )
    return policy


def _policy_snapshot(policy: ApprovalPolicy | None) -> dict:
    if policy is None:
        return {"steps": []}
    return {"steps": [[s.role, s.person_id] for s in policy.steps.order_by("order")]}


@action("policy.install_defaults")
def install_default_policies(actor: Person, unit: Unit) -> int:
    """Write the default paths that follow the seeds for every (kind, level) not yet set."""
    _require_secadmin(actor, unit)
    made = 0
    for (kind, level), roles in DEFAULT_POLICIES.items():
        if ApprovalPolicy.objects.filter(unit=unit, kind=kind, level=level).exists():
            continue
        policy = ApprovalPolicy.objects.create(unit=unit, kind=kind, level=level)
        PolicyStep.objects.bulk_create(
            PolicyStep(policy=policy, order=n, role=role) for n, role in enumerate(roles, 1)
        )
        made += 1
    record("policy.install_defaults", actor, unit, after={"created": made})
    return made
