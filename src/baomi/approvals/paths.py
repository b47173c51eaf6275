"""Approval paths: which ordered steps a request goes through (APR-1, APR-2, CR-7).

A unit's policy table (`ApprovalPolicy` → ordered `PolicyStep`) says, per request kind and level
(the highest level of the carriers named), who decides each step. A unit without a policy row for
that kind and level keeps the single step addressed to the approver the requester names.

Resolving roles to people:
- 分管保密工作的领导 (secrecy_leader): the approver named on the request (RequestForm.approver) —
  the requester picks which of the unit's leaders; APR-2 checks that this person holds the authority.
- 单位负责人 (unit_head): the named approver if they are a unit head, else the unit's first active
  unit head who is neither requester nor beneficiary.
- 部门负责人 (department_head): the named approver if they sit in the requester's department, else
  the first person of that department holding the authority for the kind.
- 记录制文机关书面同意 (issuer_consent): a recording step done by a registry clerk of the unit (not
  the requester), who enters the issuer's written consent (文号, 日期) — CR-7.
- 指定人员 (person): that person.
Every step but the recording one needs APR-1 (not one's own) and APR-2 (authority + clearance).
"""

from __future__ import annotations

from dataclasses import dataclass

from baomi.approvals.choices import PolicyRole, RequestKind
from baomi.approvals.models import ApprovalPolicy
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.lib.errors import RuleViolation
from baomi.org.models import Person, Unit

# Defaults that follow the seeds (seed 002 第一篇 6/第五篇, seed 003 篇三 四.7–10, 条例, 法21).
S, U, C = PolicyRole.SECRECY_LEADER, PolicyRole.UNIT_HEAD, PolicyRole.ISSUER_CONSENT
STATE_LEVELS = (Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET)
DEFAULT_POLICIES: dict[tuple[str, str], list[str]] = {
    **{(RequestKind.LOAN, lv): [S] for lv in STATE_LEVELS},
    **{(RequestKind.TAKE_OUT, lv): [S] for lv in STATE_LEVELS},
    (RequestKind.COPY, Level.CONFIDENTIAL): [S],
    (RequestKind.COPY, Level.SECRET): [S],
    (RequestKind.COPY, Level.TOP_SECRET): [C, U],
    **{(RequestKind.DESTRUCTION, lv): [S] for lv in STATE_LEVELS},
    (RequestKind.ARCHIVE_RETRIEVAL, Level.TOP_SECRET): [S],
    **{(RequestKind.RECLASSIFICATION, lv): [U] for lv in STATE_LEVELS},
    **{(RequestKind.SCOPE_WIDENING, lv): [U] for lv in STATE_LEVELS},
}


@dataclass
class PlannedStep:
    role: str
    approver: Person


def highest_level(carriers) -> str:
    return max((c.level for c in carriers), key=lambda lv: LEVEL_RANK[Level(lv)])


def policy_for(unit: Unit, kind: str, level: str) -> ApprovalPolicy | None:
    return (
        ApprovalPolicy.objects.filter(unit=unit, kind=kind, level=level)
        .prefetch_related("steps__person")
        .first()
    )


def plan_steps(unit: Unit, kind: str, carriers, named: Person, requester, beneficiary):
    """The ordered steps for a new request: [(role, approver)]; the single named approver when
    the unit has no policy for this kind and level."""
    from baomi.approvals.rules import needs_issuer_consent

    policy = policy_for(unit, kind, highest_level(carriers)) if carriers else None
    if policy is None:
        return [PlannedStep("", named)]
    roles = [(s.role, s.person) for s in policy.steps.all()]
    # CR-7: the unit setting (issuer consent for 机密 too) or a 不准复印 mark adds the recording
    # step in front of whatever the table says.
    wants_consent = kind == RequestKind.COPY and any(needs_issuer_consent(c) for c in carriers)
    if wants_consent and all(role != C for role, _ in roles):
        roles.insert(0, (C, None))
    excluded = {requester.pk, beneficiary.pk}
    return [
        PlannedStep(role, _resolve(unit, kind, role, person, named, requester, excluded))
        for role, person in roles
    ]


def _resolve(unit, kind, role, person, named, requester, excluded) -> Person:
    people = Person.objects.filter(unit=unit, active=True, is_automation=False).exclude(
        pk__in=excluded
    )
    if role == PolicyRole.PERSON:
        return person
    if role == PolicyRole.SECRECY_LEADER:
        return named
    if role == PolicyRole.UNIT_HEAD:
        if named.is_unit_head and named.unit_id == unit.pk:
            return named
        found = people.filter(is_unit_head=True).order_by("id").first()
        if found is None:
            raise RuleViolation("APR-2", "本单位没有可以审批此申请的单位负责人（APR-2）。")
        return found
    if role == PolicyRole.DEPARTMENT_HEAD:
        if requester.department_id and named.department_id == requester.department_id:
            return named
        found = (
            people.filter(department_id=requester.department_id, authorities__kind=kind)
            .order_by("id")
            .first()
            if requester.department_id
            else None
        )
        if found is None:
            raise RuleViolation("APR-2", "申请人所在部门没有有权审批此申请的负责人（APR-2）。")
        return found
    # ISSUER_CONSENT: a registry clerk records the written consent.
    found = people.filter(is_registry_clerk=True, system_role="").order_by("id").first()
    if found is None:
        raise RuleViolation(
            "APR-1", "本单位没有申请人以外的保密员可以登记制文机关的书面同意（APR-1）。"
        )
    return found
