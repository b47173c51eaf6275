"""PER-2: a person's 涉密等级 goes through its path — the department proposes, the department
head checks, the unit head approves (or either turns it down)."""

from __future__ import annotations

from django.utils import timezone

from baomi.audit.trail import record
from baomi.classification.choices import Clearance, Level
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Person
from baomi.personnel.actions._common import _business, _lock, _text, _today
from baomi.personnel.choices import DecisionStatus
from baomi.personnel.models import ClearanceDecision
from baomi.personnel.rules import (
    held_above,
    is_office,
    labels,
    require_eligible,
    require_matches_post,
)


@action("clearance.propose")
def propose_clearance(
    actor: Person, person: Person, *, clearance: str, highest_level: str, reason: str
) -> ClearanceDecision:
    """PER-2 step 1: the department proposes a level with the highest level the post touches."""
    _business(actor, person)
    person = _lock(person)
    errors = {}
    if clearance not in Clearance.values:
        errors["clearance"] = ["涉密等级无效"]
    if highest_level not in Level.values:
        errors["highest_level"] = ["密级无效"]
    if errors:
        raise Invalid("涉密等级信息有误。", errors)
    reason = _text(reason, "reason", "理由")
    same_department = person.department_id and actor.department_id == person.department_id
    # The 保密办 files the proposal on the department's behalf where the department has no one
    # who may open the person's record; the person never proposes their own level.
    on_behalf = is_office(actor, person.unit_id)
    if not (actor.is_automation or same_department or on_behalf) or actor.pk == person.pk:
        raise RuleViolation(
            "PER-2",
            f"涉密等级须由{person.name}所在部门（或保密办代为）提出，本人不能为自己提出（PER-2）。",
        )
    if not person.active:
        raise InvalidState(f"{person.name}已离岗，不能确定涉密等级。", {"active": False})
    require_matches_post(clearance, highest_level)
    if clearance == person.clearance:
        raise Invalid("拟定等级与现等级相同。", {"clearance": ["与现等级相同"]})
    if clearance != Clearance.NONE:
        require_eligible(person)
    if person.clearance_decisions.filter(
        status__in=(DecisionStatus.PROPOSED, DecisionStatus.CHECKED)
    ).exists():
        raise InvalidState(f"{person.name}已有待审批的涉密等级申请。", {"status": "pending"})
    decision = ClearanceDecision.objects.create(
        unit=person.unit,
        person=person,
        previous=person.clearance,
        clearance=clearance,
        highest_level=highest_level,
        reason=reason,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    record("clearance.propose", actor, decision, after=_decision_snapshot(decision))
    return decision


@action("clearance.check")
def check_clearance(
    actor: Person, decision: ClearanceDecision, *, comment: str = ""
) -> ClearanceDecision:
    """PER-2 step 2: the department head checks the proposal."""
    decision = _lock_decision(decision)
    person = decision.person
    _business(actor, person)
    if decision.status != DecisionStatus.PROPOSED:
        raise InvalidState(
            f"该申请当前为“{decision.get_status_display()}”，不能审核。",
            {"status": decision.status},
        )
    department = person.department
    if department is None or department.head_id != actor.pk:
        raise RuleViolation(
            "PER-2", f"涉密等级须由{person.name}所在部门的负责人审核，{actor.name}不是（PER-2）。"
        )
    if actor.pk in (person.pk, decision.proposed_by_id):
        raise RuleViolation("PER-2", "提出人或本人不能审核该涉密等级申请（PER-2）。")
    before = _decision_snapshot(decision)
    decision.status, decision.checked_by, decision.checked_at = (
        DecisionStatus.CHECKED,
        actor,
        timezone.now(),
    )
    decision.comment = (comment or "").strip()[:500]
    decision.save()
    record("clearance.check", actor, decision, before=before, after=_decision_snapshot(decision))
    return decision


@action("clearance.approve")
def approve_clearance(
    actor: Person, decision: ClearanceDecision, *, comment: str = ""
) -> ClearanceDecision:
    """PER-2 step 3: the unit head approves; the person's level (what PER-1 checks) changes."""
    decision = _lock_decision(decision)
    person = _lock(decision.person)
    _business(actor, person)
    if decision.status != DecisionStatus.CHECKED:
        if decision.status == DecisionStatus.PROPOSED:
            raise RuleViolation(
                "PER-2", "涉密等级申请须先经部门负责人审核，才能由单位负责人批准（PER-2）。"
            )
        raise InvalidState(
            f"该申请当前为“{decision.get_status_display()}”，不能批准。",
            {"status": decision.status},
        )
    if not (actor.is_unit_head and actor.active) or actor.pk == person.pk:
        raise RuleViolation("PER-2", f"涉密等级须由单位负责人批准，{actor.name}无此权限（PER-2）。")
    if actor.pk in (decision.proposed_by_id, decision.checked_by_id):
        raise RuleViolation(
            "APR-1", "提出或审核该涉密等级申请的人不能再批准它（APR-1：三步须由不同的人办理）。"
        )
    if decision.clearance != Clearance.NONE:
        require_eligible(person)
    above = held_above(person, decision.clearance)
    if above:
        raise RuleViolation(
            "PER-1",
            f"{person.name}仍持有新等级不能接触的载体：{'、'.join(labels(above))}，"
            "须先交回（PER-1）。",
            {"carriers": labels(above)},
        )
    before = _decision_snapshot(decision)
    decision.status, decision.decided_by, decision.decided_at = (
        DecisionStatus.APPROVED,
        actor,
        timezone.now(),
    )
    decision.effective_on = _today()
    decision.comment = (comment or decision.comment).strip()[:500]
    decision.save()
    person.clearance = decision.clearance
    person.save(update_fields=["clearance"])
    record("clearance.approve", actor, decision, before=before, after=_decision_snapshot(decision))
    return decision


@action("clearance.reject")
def reject_clearance(
    actor: Person, decision: ClearanceDecision, *, reason: str
) -> ClearanceDecision:
    """The head (at check) or the unit head (at approval) turns the proposal down."""
    reason = _text(reason, "reason", "不同意的理由")
    decision = _lock_decision(decision)
    person = decision.person
    _business(actor, person)
    head_may = (
        decision.status == DecisionStatus.PROPOSED
        and person.department_id
        and person.department.head_id == actor.pk
    )
    leader_may = decision.status == DecisionStatus.CHECKED and actor.is_unit_head
    if decision.status not in (DecisionStatus.PROPOSED, DecisionStatus.CHECKED):
        raise InvalidState("该申请已办结。", {"status": decision.status})
    if not (head_may or leader_may) or actor.pk == person.pk:
        raise RuleViolation("PER-2", "该涉密等级申请当前不在您的审批环节（PER-2）。")
    before = _decision_snapshot(decision)
    decision.status, decision.decided_by, decision.decided_at = (
        DecisionStatus.REJECTED,
        actor,
        timezone.now(),
    )
    decision.comment = reason
    decision.save()
    record("clearance.reject", actor, decision, before=before, after=_decision_snapshot(decision))
    return decision


def _lock_decision(decision: ClearanceDecision) -> ClearanceDecision:
    return (
        ClearanceDecision.objects.select_for_update(of=("self",))
        .select_related("person__department", "person__unit")
        .get(pk=decision.pk)
    )


def _decision_snapshot(d: ClearanceDecision) -> dict:
    return {
        "person": d.person_id,
        "previous": d.previous,
        "clearance": d.clearance,
        "highest_level": d.highest_level,
        "status": d.status,
        "effective_on": d.effective_on.isoformat() if d.effective_on else None,
    }
