"""变更、降密、解密、延期 and 知悉范围 changes (CL-8, CL-9, CL-12, CL-13, CL-14).

Each change needs an approved request of the right kind (consumed, APR-3), records its reason, moves
the marking with it (the marking is computed from level, category and period — CL-12), writes one
custody note event and one audit event, and sends a notice to everybody who holds or has held the
carrier (CL-8) or is in the scope that changed (CL-13).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from baomi.approvals import changes
from baomi.approvals.choices import RequestKind, StepOutcome
from baomi.approvals.rules import consume
from baomi.audit.trail import record
from baomi.carriers import custody
from baomi.carriers.choices import LIVE, TERMINAL, WITH_HOLDER, EventKind, PlaceKind
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.carriers.rules import require_clerk
from baomi.classification.choices import LEVEL_RANK, Level, is_state_secret
from baomi.classification.periods import Period
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, RuleViolation
from baomi.org.models import Department, Person
from baomi.reclassification.models import (
    ChangeKind,
    Notice,
    Reclassification,
    UnclearItem,
    UnclearState,
)
from baomi.reclassification.selectors import add_working_days, expired, may_manage, period_end

UNCLEAR_DECISION_WORKING_DAYS = 10


def _today() -> date:
    return clock.today()


def classification_of(carrier: Carrier) -> dict:
    """What the audit and the change record keep: level, category, period, marking — no title."""
    period = carrier.period
    return {
        "level": carrier.level,
        "category": carrier.category,
        "period": period.to_dict() if period else None,
        "marking": carrier.marking,
    }


def _require_approval(request, kind: str, rule_id: str, carrier: Carrier, need: str):
    """The approval must exist and be of the right kind; `consume` checks the rest (APR-3)."""
    if request is None:
        raise RuleViolation(rule_id, f"{need}：没有提供审批单（{rule_id}）。")
    if request.kind != kind:
        raise RuleViolation(
            rule_id,
            f"{need}：审批单 #{request.pk} 是“{request.get_kind_display()}”申请，"
            f"不是“{RequestKind(kind).label}”申请（{rule_id}）。",
        )
    return consume(request, kind, carrier)


@action("carrier.reclassify")
def reclassify(
    actor: Person,
    carrier: Carrier,
    request,
    *,
    reason: str,
    level: str | None = None,
    category: str | None = None,
    period: Period | None = None,
    declassify: bool = False,
) -> Reclassification:
    """Change level/category/period, downgrade, extend or declassify on an approved
    RECLASSIFICATION request (CL-8); an extension only before the period ends (CL-9)."""
    require_clerk(actor, carrier.unit_id, "办理密级变更")
    carrier = custody.lock(carrier)
    custody.require_status(carrier, LIVE, "变更密级")
    if not (reason or "").strip():
        raise Invalid("密级变更须说明理由。", {"reason": ["请填写变更理由"]})
    before = classification_of(carrier)
    if carrier.level == Level.PUBLIC:
        raise Invalid("该载体已解密。", {"level": ["该载体已解密"]})
    asked = changes.target(
        carrier, level=level, category=category, period=period, declassify=declassify
    )
    new_level, new_category, new_period = asked
    period_changed = (new_period.to_dict() if new_period else None) != before["period"]
    if period_changed and is_state_secret(new_level) and not declassify:
        _require_before_end(carrier)
    if (new_level, new_category, new_period.to_dict() if new_period else None) == (
        before["level"],
        before["category"],
        before["period"],
    ):
        raise Invalid("没有需要变更的内容。", {"level": ["新密级、类别和期限与原来相同"]})
    changes.check_target(carrier, asked, carrier.unit)  # CL-11, CL-3 (checked at request too)
    _require_consistent_level(carrier, new_level)
    request = _require_approval(
        request, RequestKind.RECLASSIFICATION, "CL-8", carrier, "密级变更、降密、解密须经审批"
    )
    _require_approved_classification(request, carrier, asked)
    kind = _kind_of(before, new_level, new_period, declassify)
    carrier.level, carrier.category = new_level, new_category
    carrier.set_period(new_period)
    carrier.save()
    return _recorded(actor, carrier, kind, before, reason.strip(), request)


def _require_consistent_level(carrier: Carrier, new_level: str) -> None:
    """A change must not leave a copy below its original (CL-5) or a holder who is no longer
    cleared for what they hold (PER-1). Raising: copies first; lowering: the original first."""
    new_rank = LEVEL_RANK[Level(new_level)]
    if new_rank > LEVEL_RANK[Level(carrier.level)]:
        holder = carrier.holder
        if holder is not None and not holder.covers(new_level):
            raise RuleViolation(
                "PER-1",
                f"载体 {carrier.label} 在{holder.name}手中，其涉密等级不能接触"
                f"{Level(new_level).label}：请先收回再变更（PER-1）。",
            )
        lower = [
            c.label
            for c in carrier.copies.exclude(status__in=TERMINAL)
            if LEVEL_RANK[Level(c.level)] < new_rank
        ]
        if lower:
            raise RuleViolation(
                "CL-5",
                f"提高密级后复制件 {'、'.join(lower)} 将低于原件：请先变更复制件（CL-5）。",
                {"copies": lower},
            )
    original = carrier.original
    live_original = original is not None and original.status not in TERMINAL
    if live_original and new_rank < LEVEL_RANK[Level(original.level)]:
        raise RuleViolation(
            "CL-5",
            f"复制件 {carrier.label} 不得低于原件 {original.label} 的密级：请先变更原件（CL-5）。",
        )


def _require_approved_classification(request, carrier: Carrier, asked) -> None:
    """APR-3: the change made is the change approved — not another level, period or a
    declassification instead of a downgrade."""
    approved = request.proposed_change
    if not approved or changes.is_scope(approved):
        what = changes.describe(approved) or "未写明拟变更内容"
        raise RuleViolation(
            "APR-3",
            f"审批单 #{request.pk} 批准的是“{what}”，不能用于变更载体 {carrier.label} 的密级"
            "（APR-3：批准只覆盖所列内容）。",
        )
    allowed = changes.target_of_change(carrier, approved)
    if changes.key(allowed) != changes.key(asked):
        raise RuleViolation(
            "APR-3",
            f"审批单 #{request.pk} 批准载体 {carrier.label} 变更为“{changes.describe_target(allowed)}”，"
            f"本次办理的是“{changes.describe_target(asked)}”，与批准内容不符"
            "（APR-3：批准只覆盖所列内容，不得扩大或改作他用）。",
            {"approved": changes.describe(approved)},
        )


def _require_approved_scope(request, carrier: Carrier, asked: dict) -> None:
    """APR-3: exactly the people and departments approved are added or removed."""
    approved = request.proposed_change
    if not changes.is_scope(approved) or {k: approved.get(k, []) for k in asked} != asked:
        what = changes.describe(approved) or "未写明拟变更内容"
        raise RuleViolation(
            "APR-3",
            f"审批单 #{request.pk} 批准的是“{what}”，本次办理的是“{changes.describe_scope(asked)}”，"
            f"与批准内容不符，不能变更载体 {carrier.label} 的知悉范围"
            "（APR-3：批准只覆盖所列人员和部门）。",
        )


def _require_before_end(carrier: Carrier) -> None:
    end = period_end(carrier)
    if end is not None and end < _today():
        raise RuleViolation(
            "CL-9",
            f"载体 {carrier.label} 的保密期限已于 {end} 届满，延期须在期限届满前决定；"
            "期满未延期的自行解密（CL-9）。",
            {"period_end": end.isoformat()},
        )


def _kind_of(before: dict, level: str, period: Period | None, declassify: bool) -> str:
    if declassify or level == Level.PUBLIC:
        return ChangeKind.DECLASSIFY
    if LEVEL_RANK[Level(level)] < LEVEL_RANK[Level(before["level"])]:
        return ChangeKind.DOWNGRADE
    if level == before["level"] and period is not None:
        return ChangeKind.EXTEND
    return ChangeKind.CHANGE


def _recorded(
    actor: Person,
    carrier: Carrier,
    kind: str,
    before: dict,
    reason: str,
    request,
    *,
    automatic: bool = False,
    scope_people: set[int] | None = None,
) -> Reclassification:
    after = classification_of(carrier)
    event_kind = (
        EventKind.DECLASSIFY
        if kind in (ChangeKind.DECLASSIFY, ChangeKind.AUTO_DECLASSIFY)
        else EventKind.RECLASSIFY
    )
    label = ChangeKind(kind).label
    custody.note_event(
        actor,
        carrier,
        event_kind,
        note=f"{label}：{reason}",
        request=request,
        before=before,
        after={**after, "change": kind, "reason": reason},
    )
    change = Reclassification.objects.create(
        unit_id=carrier.unit_id,
        carrier=carrier,
        kind=kind,
        request=request,
        before=before,
        after=after,
        reason=reason[:500],
        actor=actor,
        at=clock.now(),
        automatic=automatic,
    )
    if kind != ChangeKind.REVIEW:
        people = holders_of(carrier) | (scope_people or set())
        marking = after["marking"] or "公开（已解密）"
        _notify(
            people,
            carrier,
            change,
            f"载体 {carrier.label}：{label}，现标志为“{marking}”（原为“{before['marking'] or '公开'}”）。"
            f"理由：{reason}",
        )
    return change


def holders_of(carrier: Carrier) -> set[int]:
    """Everybody who holds or has held the carrier (CL-8: every holder is told)."""
    ids: set[int] = set()
    for before, after in CustodyEvent.objects.filter(carrier=carrier).values_list(
        "holder_before", "holder_after"
    ):
        ids.update(x for x in (before, after) if x is not None)
    if carrier.holder_id:
        ids.add(carrier.holder_id)
    return ids


def _notify(people: set[int], carrier: Carrier, change, message: str) -> None:
    now = clock.now()
    Notice.objects.bulk_create(
        Notice(person_id=pk, carrier=carrier, change=change, message=message[:500], created_at=now)
        for pk in sorted(people)
    )


def people_in_scope(person_ids, department_ids) -> set[int]:
    """The named people and the active people of the named departments."""
    return set(person_ids) | set(
        Person.objects.filter(department_id__in=list(department_ids), active=True).values_list(
            "pk", flat=True
        )
    )


@action("carrier.change_scope")
def change_scope(
    actor: Person,
    carrier: Carrier,
    request,
    *,
    reason: str,
    add_people: list[Person] = (),
    add_departments: list[Department] = (),
    remove_people: list[Person] = (),
    remove_departments: list[Department] = (),
) -> Reclassification:
    """Change the 知悉范围. Widening needs a SCOPE_WIDENING approval by the unit head or a
    designee (CL-13); narrowing is a change under CL-8. Everybody in the old and new scope is
    told (法23)."""
    require_clerk(actor, carrier.unit_id, "变更知悉范围")
    carrier = custody.lock(carrier)
    custody.require_status(carrier, LIVE, "变更知悉范围")
    if not (reason or "").strip():
        raise Invalid("变更知悉范围须说明理由。", {"reason": ["请填写理由"]})
    old_people = set(carrier.scope_people.values_list("pk", flat=True))
    old_departments = set(carrier.scope_departments.values_list("pk", flat=True))
    new_people = (old_people | {p.pk for p in add_people}) - {p.pk for p in remove_people}
    new_departments = (old_departments | {d.pk for d in add_departments}) - {
        d.pk for d in remove_departments
    }
    if (new_people, new_departments) == (old_people, old_departments):
        raise Invalid("知悉范围没有变化。", {"scope": ["知悉范围没有变化"]})
    if not (new_people or new_departments):
        raise RuleViolation("CL-13", "知悉范围不能为空：须指定人员或部门（CL-13）。")
    widening = bool(new_people - old_people or new_departments - old_departments)
    for person in add_people:
        if not person.covers(carrier.level) or person.has_system_role:
            raise RuleViolation(
                "PER-1",
                f"{person.name}的涉密等级不能覆盖{carrier.get_level_display()}，不能列入知悉范围（PER-1）。",
            )
    if carrier.status in WITH_HOLDER and carrier.holder_id:
        holder = carrier.holder
        still_in = holder.pk in new_people or holder.department_id in new_departments
        if not still_in:
            raise Invalid(
                f"{holder.name}正持有该载体，须先退回机要室再将其移出知悉范围。",
                {"scope": ["持有人不能移出知悉范围"]},
            )
    if widening:
        request = _require_approval(
            request,
            RequestKind.SCOPE_WIDENING,
            "CL-13",
            carrier,
            "扩大知悉范围须经单位负责人或其指定人员批准",
        )
        _require_unit_head_or_designee(request)
    else:
        request = _require_approval(
            request, RequestKind.RECLASSIFICATION, "CL-8", carrier, "变更知悉范围须经审批"
        )
    asked = changes.scope_of(add_people, add_departments, remove_people, remove_departments)
    _require_approved_scope(request, carrier, asked)
    before = {**classification_of(carrier), "scope_people": sorted(old_people)}
    before["scope_departments"] = sorted(old_departments)
    carrier.scope_people.set(new_people)
    carrier.scope_departments.set(new_departments)
    told = people_in_scope(old_people | new_people, old_departments | new_departments)
    return _recorded(
        actor,
        carrier,
        ChangeKind.SCOPE_WIDEN if widening else ChangeKind.SCOPE_NARROW,
        before,
        reason.strip(),
        request,
        scope_people=told,
    )


def _require_unit_head_or_designee(request) -> None:
    """CL-13: an approving step decided by the unit head, or a person holding the
    SCOPE_WIDENING authority (the designee)."""
    approvers = [
        step.approver
        for step in request.steps.select_related("approver").filter(outcome=StepOutcome.APPROVED)
    ]
    if not any(
        a.is_unit_head or a.authorities.filter(kind=RequestKind.SCOPE_WIDENING).exists()
        for a in approvers
    ):
        raise RuleViolation(
            "CL-13",
            f"审批单 #{request.pk} 未经单位负责人或其指定人员批准，不能扩大知悉范围（CL-13）。",
        )


@action("carrier.review_classification")
def review(actor: Person, carrier: Carrier, *, note: str = "") -> Reclassification:
    """年度审核 (法23): the classification is confirmed as it is; recorded, no approval."""
    if not may_manage(actor, carrier.unit_id):
        raise Forbidden("只有保密员、定密责任人或单位负责人可以审核密级。")
    carrier = custody.lock(carrier)
    custody.require_status(carrier, LIVE, "审核密级")
    if not is_state_secret(carrier.level):
        raise Invalid("只审核国家秘密载体。", {"carrier": ["该载体不是国家秘密"]})
    state = classification_of(carrier)
    return _recorded(
        actor, carrier, ChangeKind.REVIEW, state, (note or "").strip() or "经审核，维持原定密", None
    )


@action("carrier.declassify_expired")
def declassify_expired(actor: Person, carrier: Carrier, *, today: date) -> Reclassification:
    """保密期限已满的，自行解密 (CL-9): declassified by the daily job, holders told."""
    carrier = custody.lock(carrier)
    custody.require_status(carrier, LIVE, "自行解密")
    end = period_end(carrier)
    if carrier.level == Level.PUBLIC or end is None or end >= today:
        raise Invalid("该载体的保密期限未满。", {"period": ["保密期限未满"]})
    before = classification_of(carrier)
    carrier.level = Level.PUBLIC
    carrier.set_period(None)
    carrier.save()
    return _recorded(
        actor,
        carrier,
        ChangeKind.AUTO_DECLASSIFY,
        before,
        f"保密期限已于 {end} 届满，未延期，自行解密（CL-9）",
        None,
        automatic=True,
    )


def run_daily(actor: Person, today: date) -> list[Reclassification]:
    """`baomi daily` for one unit: declassify what expired. Idempotent — a declassified carrier
    is no longer a candidate."""
    if not actor.is_automation:
        raise Forbidden("每日任务只能由系统自动任务执行。")
    return [declassify_expired(actor, c, today=today) for c in expired(actor.unit_id, today)]


@action("carrier.report_unclear")
def report_unclear(
    actor: Person, carrier: Carrier, *, proposed_level: str, question: str
) -> UnclearItem:
    """密级不明确: protected as proposed, reported for a decision within 10 working days
    (CL-14, 条例25)."""
    if not may_manage(actor, carrier.unit_id):
        raise Forbidden("只有保密员、定密责任人或单位负责人可以报告密级不明确事项。")
    if not (question or "").strip():
        raise Invalid("请说明不明确之处。", {"question": ["请说明不明确之处"]})
    if proposed_level not in Level.values:
        raise Invalid("拟定密级无效。", {"proposed_level": ["拟定密级无效"]})
    if UnclearItem.objects.filter(carrier=carrier, state=UnclearState.PENDING).exists():
        raise Invalid("该载体已有待确定的报告。", {"carrier": ["已有待确定的报告"]})
    _require_protectable_as_claimed(carrier, proposed_level)
    today = _today()
    item = UnclearItem.objects.create(
        unit_id=carrier.unit_id,
        carrier=carrier,
        proposed_level=proposed_level,
        question=question.strip()[:500],
        reported_by=actor,
        reported_on=today,
        deadline=add_working_days(today, UNCLEAR_DECISION_WORKING_DAYS, carrier.unit_id),
    )
    record(
        "carrier.report_unclear",
        actor,
        item,
        after={
            "carrier": carrier.label,
            "proposed_level": proposed_level,
            "deadline": item.deadline.isoformat(),
        },
    )
    return item


def _require_protectable_as_claimed(carrier: Carrier, claimed: str) -> None:
    """CL-12 (条例26): from the report on, the carrier is protected at the highest level claimed,
    so whoever holds it must be cleared for that level and a 绝密 claim needs a safe."""
    carrier = custody.lock(carrier)
    if LEVEL_RANK[Level(claimed)] <= LEVEL_RANK[Level(carrier.level)]:
        return
    holder = carrier.holder
    if holder is not None and not holder.covers(claimed):
        raise RuleViolation(
            "CL-12",
            f"载体 {carrier.label} 在{holder.name}手中，其涉密等级不能接触所主张的"
            f"{Level(claimed).label}：请先收回再报告（CL-12：争议期间按最高密级保护）。",
        )
    place = carrier.place
    if claimed == Level.TOP_SECRET and place is not None and place.kind != PlaceKind.SAFE:
        raise RuleViolation(
            "CR-15",
            f"载体 {carrier.label} 被主张为绝密，须先移入保险柜（“{place.name}”"
            "不是保险柜）再报告（CL-12、CR-15：争议期间按绝密保护）。",
        )


@action("carrier.decide_unclear")
def decide_unclear(actor: Person, item: UnclearItem, *, decision: str) -> UnclearItem:
    """The decision on an unclear item (the level itself then changes through `reclassify`)."""
    item = UnclearItem.objects.select_for_update().get(pk=item.pk)
    if not may_manage(actor, item.unit_id):
        raise Forbidden("只有保密员、定密责任人或单位负责人可以确定。")
    if item.state != UnclearState.PENDING:
        raise Invalid("该事项已确定。", {"decision": ["该事项已确定"]})
    if not (decision or "").strip():
        raise Invalid("请填写确定结果。", {"decision": ["请填写确定结果"]})
    item.state, item.decision = UnclearState.DECIDED, decision.strip()[:500]
    item.decided_by, item.decided_at = actor, clock.now()
    item.save()
    record(
        "carrier.decide_unclear",
        actor,
        item,
        before={"state": UnclearState.PENDING},
        after={"state": item.state, "on_time": clock.today() <= item.deadline},
    )
    return item


def mark_read(actor: Person, notices) -> int:
    """The reader marks their own notices read (not business state: no audit row)."""
    ids = [n.pk for n in notices]
    return Notice.objects.filter(Q(pk__in=ids), person=actor, read_at__isnull=True).update(
        read_at=clock.now()
    )
