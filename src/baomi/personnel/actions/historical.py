"""历史认定: levels decided before Baomi existed, imported with the people ledger, confirmed by
the 安全保密管理员 in one step. PER-2 (the decision) and PER-3 (vetting, commitment) are met by
the recorded decision: its 认定文号, 审查日期 and 承诺书签订日期 become the person's vetting and
commitment records — otherwise nobody, the unit leader included, could be cleared on day one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from baomi.audit.trail import record
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, RuleViolation
from baomi.org.choices import SystemRole
from baomi.org.models import Person, Unit
from baomi.personnel.actions.clearance import _decision_snapshot
from baomi.personnel.choices import CommitmentKind, DecisionStatus, VettingResult
from baomi.personnel.models import ClearanceDecision, Commitment, Vetting


def pending_historical(unit: Unit) -> QuerySet[ClearanceDecision]:
    """The unit's imported levels waiting for the 安全保密管理员."""
    return (
        ClearanceDecision.objects.filter(unit=unit, historical=True, status=DecisionStatus.PROPOSED)
        .select_related("person__department")
        .order_by("person__department_id", "person_id")
    )


def require_secadmin(actor: Person) -> None:
    if not (actor.is_automation or actor.system_role == SystemRole.SECADMIN):
        raise RuleViolation(
            "SEC-3",
            "只有安全保密管理员可以确认历史认定的涉密等级（SEC-3 三员分立：涉密等级由安全保密管理员授予）。",
        )


@action("clearance.confirm_historical")
def confirm_historical_clearances(
    actor: Person, unit: Unit, *, decision_ids: list[int] | None = None
) -> list[ClearanceDecision]:
    """Confirm the unit's pending 历史认定 (all, or those named): each person's level takes
    effect, with a passed vetting on 审查日期 and an on-post commitment on 承诺书签订日期."""
    require_secadmin(actor)
    if not actor.is_automation and actor.unit_id != unit.pk:
        raise Forbidden("只能确认本单位人员的历史认定。")
    pending = pending_historical(unit).select_for_update(of=("self",))
    if decision_ids is not None:
        pending = pending.filter(pk__in=decision_ids)
    now = timezone.now()
    confirmed = []
    for decision in pending:
        person = decision.person
        if not person.active or person.has_system_role:
            continue
        before = _decision_snapshot(decision)
        vetting = Vetting.objects.create(
            person=person,
            on=decision.vetted_on,
            reviewer=actor,
            findings=f"历史认定导入：{decision.decision_number or '原认定'}，审查结论以原记录为准",
            result=VettingResult.PASSED,
        )
        commitment = Commitment.objects.create(
            person=person,
            kind=CommitmentKind.ON_POST,
            signed_on=decision.committed_on,
            text="历史认定导入：保密承诺书原件存档",
            recorded_by=actor,
        )
        decision.status, decision.decided_by, decision.decided_at = (
            DecisionStatus.APPROVED,
            actor,
            now,
        )
        decision.effective_on = max(decision.vetted_on, decision.committed_on)
        decision.comment = "历史认定，经安全保密管理员确认"
        decision.save()
        person.clearance = decision.clearance
        person.save(update_fields=["clearance"])
        record(
            "clearance.confirm_historical",
            actor,
            decision,
            before=before,
            after={
                **_decision_snapshot(decision),
                "decision_number": decision.decision_number,
                "vetting": vetting.pk,
                "commitment": commitment.pk,
            },
        )
        confirmed.append(decision)
    return confirmed
