"""Who may see or move which carrier — used by actions to refuse and by pages to hide buttons."""

from __future__ import annotations

from baomi.carriers.choices import AT_PLACE, WITH_HOLDER, EventKind, Status
from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.org.models import Person


def is_clerk_of(person: Person, unit_id: int) -> bool:
    """A registry clerk (保密员) of that unit, and not one of the three system roles (SEC-3)."""
    return (
        person.is_registry_clerk
        and not person.has_system_role
        and person.active
        and person.unit_id == unit_id
    )


def in_scope(person: Person, carrier: Carrier) -> bool:
    """知悉范围 (CL-13): named, or their department is named. Public items have no scope."""
    if carrier.level == Level.PUBLIC:
        return True
    # `custody.lock(scope_of=person)` asked this with the lock, in the same statement.
    answers = getattr(carrier, "_scope_answers", None)
    if answers is not None and person.pk in answers:
        return answers[person.pk]
    if carrier.scope_people.filter(pk=person.pk).exists():
        return True
    return (
        bool(person.department_id)
        and carrier.scope_departments.filter(pk=person.department_id).exists()
    )


def may_hold(person: Person, carrier: Carrier) -> bool:
    """PER-1: level covered **and** in the scope; system roles never hold carriers (SEC-3)."""
    return (
        not person.has_system_role
        and person.active
        and person.covers(carrier.level)
        and in_scope(person, carrier)
        and person.covers(carrier.protection_level)  # CL-12: a disputed level, as claimed
    )


def may_view(person: Person, carrier: Carrier) -> bool:
    """Deny by default; the same answer as `selectors.carriers_visible_to`."""
    from baomi.carriers.selectors import carriers_visible_to

    return carriers_visible_to(person).filter(pk=carrier.pk).exists()


def available_actions(person: Person, carrier: Carrier) -> list[str]:
    """The action names to offer on the carrier page; the actions still check every rule."""
    names: list[str] = []
    if carrier.holder_id == person.pk and carrier.acknowledged_at is None:
        names.append("acknowledge")
    holder_or_clerk = carrier.holder_id == person.pk or is_clerk_of(person, carrier.unit_id)
    if holder_or_clerk and carrier.status in (*AT_PLACE, *WITH_HOLDER):
        names.append("report_lost")
    if not is_clerk_of(person, carrier.unit_id):
        return names
    by_status = {
        Status.IN_REGISTRY: ["circulate", "lend", "take_out", "copy", "relocate", "amend"],
        Status.CIRCULATING: ["return", "amend"],
        Status.ON_LOAN: ["return", "amend"],
        Status.TAKEN_OUT: ["return", "amend"],
        Status.ASSIGNED: ["return", "amend"],
        Status.DECLARED: ["amend"],  # CR-2: registered from the 外出会议 list, then used
        Status.ARCHIVED: ["relocate", "amend"],
        Status.PENDING_DESTRUCTION: ["amend"],
        Status.LOST: ["found", "amend"],
    }
    names.extend(by_status.get(Status(carrier.status), []))
    # The same test as `actions.void`: never moved (a copy's first event is 复制, not 登记).
    if carrier.status == Status.IN_REGISTRY and not (
        carrier.events.exclude(kind=EventKind.REGISTER).exists() or carrier.copies.exists()
    ):
        names.append("void")
    return names
