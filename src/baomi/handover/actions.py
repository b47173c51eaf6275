"""Handover writers (交接, CR-13): list a person's holdings, both sign, move in one transaction;
and `change_post`, which refuses while the person still holds anything.

The carriers go straight from the person to the receiver (EventKind.HANDOVER, keeping status and
due date): CR-4's "back through the registry" is satisfied by the registry opening and completing
the handover itself, with both signatures recorded — the one sanctioned holder-to-holder move.
"""

from __future__ import annotations

from baomi.audit.trail import record
from baomi.carriers import custody
from baomi.carriers.choices import EventKind, Status
from baomi.carriers.rules import require_clerk, require_may_hold
from baomi.carriers.selectors import holdings_of
from baomi.handover.models import Handover, HandoverItem, HandoverStatus
from baomi.handover.rules import require_nothing_held
from baomi.lib import clock
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation
from baomi.org.choices import SystemRole
from baomi.org.models import Department, Person


@action("handover.open")
def open_handover(actor: Person, person: Person, receiver: Person, *, reason: str = "") -> Handover:
    """交接清单: every carrier the person holds, for a receiver allowed to hold each (PER-1, CR-4)."""
    require_clerk(actor, person.unit_id, "办理交接")
    if receiver.pk == person.pk:
        raise RuleViolation("APR-1", "移交人和接收人须为两个不同的人（APR-1，CR-13）。")
    if receiver.unit_id != person.unit_id:
        raise Invalid("接收人须为本单位人员。", {"receiver_id": ["接收人须为本单位人员"]})
    if Handover.objects.filter(person=person, status=HandoverStatus.OPEN).exists():
        raise InvalidState(f"{person.name}已有未完成的交接单。", {"status": HandoverStatus.OPEN})
    held = list(holdings_of(person).select_related("unit"))
    if not held:
        raise Invalid(
            f"{person.name}没有持有涉密载体，无需交接。", {"person_id": ["没有需要交接的载体"]}
        )
    for carrier in held:
        require_may_hold(receiver, carrier)
    handover = Handover.objects.create(
        unit_id=person.unit_id,
        person=person,
        receiver=receiver,
        reason=(reason or "").strip()[:500],
        created_by=actor,
        created_at=clock.now(),
    )
    HandoverItem.objects.bulk_create(HandoverItem(handover=handover, carrier=c) for c in held)
    record(
        "handover.open",
        actor,
        handover,
        after={"person": person.pk, "receiver": receiver.pk, "carriers": [c.label for c in held]},
    )
    return handover


@action("handover.confirm")
def confirm(actor: Person, handover: Handover) -> Handover:
    """签字确认: the person (移交人) and the receiver (接收人) each confirm the list themselves."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    _require_open(handover)
    if actor.pk == handover.person_id:
        field = "person_confirmed_at"
    elif actor.pk == handover.receiver_id:
        field = "receiver_confirmed_at"
    else:
        raise Forbidden("只有移交人和接收人本人可以确认交接清单。")
    if getattr(handover, field) is not None:
        raise InvalidState("您已确认过该交接单。", {"status": handover.status})
    setattr(handover, field, clock.now())
    handover.save(update_fields=[field])
    record("handover.confirm", actor, handover, after={"confirmed": field})
    return handover


@action("handover.complete")
def complete(actor: Person, handover: Handover) -> Handover:
    """交接完成: only with both signatures (no 信任交接), only if the list is still exactly what
    the person holds; every carrier moves to the receiver in this one transaction (CR-13)."""
    require_clerk(actor, handover.unit_id, "办理交接")
    handover = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("person", "receiver")
        .get(pk=handover.pk)
    )
    _require_open(handover)
    missing = [
        who
        for who, at in (
            (f"移交人{handover.person.name}", handover.person_confirmed_at),
            (f"接收人{handover.receiver.name}", handover.receiver_confirmed_at),
        )
        if at is None
    ]
    if missing:
        raise RuleViolation(
            "CR-13",
            f"{'、'.join(missing)}尚未签字确认，不能完成交接（CR-13：须双方签字，不得信任交接）。",
            {"unconfirmed": missing},
        )
    listed = {i.carrier_id for i in handover.items.all()}
    held = set(holdings_of(handover.person).values_list("pk", flat=True))
    if listed != held:
        raise RuleViolation(
            "CR-13",
            f"{handover.person.name}实际持有的载体与交接清单不符，请取消后重新建立交接清单（CR-13）。",
        )
    now = clock.now()
    for item in handover.items.select_related("carrier").order_by("id"):
        carrier = custody.lock(item.carrier)
        if carrier.holder_id != handover.person_id:
            raise InvalidState(
                f"载体 {carrier.label} 已不在移交人手中。", {"status": carrier.status}
            )
        require_may_hold(handover.receiver, carrier)
        custody.move(
            actor,
            carrier,
            EventKind.HANDOVER,
            status=Status(carrier.status),
            holder=handover.receiver,
            due_date=carrier.due_date,
            note=f"交接单 #{handover.pk}：{handover.person.name} → {handover.receiver.name}",
            audit_extra={"handover": handover.pk},
        )
        # The receiver signed the list: that is their 签收.
        carrier.acknowledged_at = now
        carrier.save(update_fields=["acknowledged_at"])
    handover.status, handover.completed_at = HandoverStatus.DONE, now
    handover.save(update_fields=["status", "completed_at"])
    record("handover.complete", actor, handover, after={"carriers": len(listed)})
    return handover


@action("handover.cancel")
def cancel(actor: Person, handover: Handover) -> Handover:
    require_clerk(actor, handover.unit_id, "取消交接")
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    _require_open(handover)
    handover.status = HandoverStatus.CANCELLED
    handover.save(update_fields=["status"])
    record("handover.cancel", actor, handover, after={"status": handover.status})
    return handover


def _require_open(handover: Handover) -> None:
    if handover.status != HandoverStatus.OPEN:
        raise InvalidState(
            f"交接单当前为“{handover.get_status_display()}”。", {"status": handover.status}
        )


@action("person.change_post")
def change_post(
    actor: Person, person: Person, *, department: Department | None, post: str
) -> Person:
    """调岗 (CR-13): refused while the person holds any carrier, listing them."""
    may = (
        actor.is_automation
        or actor.system_role == SystemRole.SECADMIN
        or (actor.is_unit_head and actor.unit_id == person.unit_id and not actor.has_system_role)
    )
    if not may:
        raise Forbidden("只有安全保密管理员或单位负责人可以调整人员岗位。")
    if department is not None and department.unit_id != person.unit_id:
        raise Invalid("部门不属于本单位。", {"department_id": ["部门不属于本单位"]})
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_nothing_held(person)
    before = {"department": person.department_id, "post": person.post}
    person.department, person.post = department, (post or "").strip()[:100]
    person.save(update_fields=["department", "post"])
    record(
        "person.change_post",
        actor,
        person,
        before=before,
        after={"department": person.department_id, "post": person.post},
    )
    return person
