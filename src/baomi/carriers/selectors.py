"""Reads that respect the viewer's level and scope (deny by default, design.md 'Who sees what')."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from baomi.carriers.choices import WITH_HOLDER
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.org.models import Person


def levels_up_to(level: str) -> list[str]:
    return [lv for lv, r in LEVEL_RANK.items() if r <= LEVEL_RANK[Level(level)]]


def carriers_visible_to(person: Person | None) -> QuerySet[Carrier]:
    """Clerks: their unit up to their level. Others: in scope and covered, or what they hold,
    or what a request addressed to them names. The three system roles: nothing (SEC-3)."""
    if person is None or person.has_system_role or not person.active:
        return Carrier.objects.none()
    if person.is_automation:
        return Carrier.objects.filter(unit_id=person.unit_id)
    from baomi.reclassification.models import UnclearItem, UnclearState

    within = levels_up_to(person.max_level)
    if len(within) == len(Level):
        # A viewer cleared for every level: no level test at all — `level IN (all five)` and a
        # disputed-level subquery that can never match only cost the planner its index.
        covered = Q()
    else:
        # CL-12 (条例26): while a classification is disputed, the highest level claimed applies.
        claimed_above = UnclearItem.objects.filter(
            carrier=OuterRef("pk"), state=UnclearState.PENDING
        ).exclude(proposed_level__in=within)
        covered = Q(level__in=within) & ~Q(Exists(claimed_above))
    if person.is_registry_clerk:
        return Carrier.objects.filter(covered, unit_id=person.unit_id)
    from baomi.approvals.models import ApprovalStep

    in_scope = Q(scope_people=person) | Q(level=Level.PUBLIC)
    if person.department_id:
        in_scope |= Q(scope_departments=person.department_id)
    addressed = ApprovalStep.objects.filter(approver=person, request__items__carrier=OuterRef("pk"))
    scoped_ids = Carrier.objects.filter(covered & in_scope).values("pk")
    return Carrier.objects.filter(
        Q(pk__in=scoped_ids) | Q(holder=person) | (covered & Q(Exists(addressed)))
    )


def carrier_for(person: Person | None, carrier_id: int) -> Carrier | None:
    """One carrier if the person may see it; None means 'does not exist' to them."""
    return (
        carriers_visible_to(person)
        .select_related("holder", "place", "home_place", "unit", "classifier")
        .filter(pk=carrier_id)
        .first()
    )


def holdings_of(person: Person) -> QuerySet[Carrier]:
    """CR-3/CR-17: what a person holds right now, soonest due first."""
    return (
        Carrier.objects.filter(holder=person, status__in=WITH_HOLDER)
        .select_related("out_request")
        .order_by("due_date", "number", "copy_no")
    )


def overdue(queryset: QuerySet[Carrier], today: date) -> QuerySet[Carrier]:
    return queryset.filter(status__in=WITH_HOLDER, due_date__lt=today)


def history_of(carrier: Carrier) -> QuerySet[CustodyEvent]:
    return carrier.events.select_related(
        "actor", "holder_before", "holder_after", "place_before", "place_after", "request"
    ).order_by("at", "id")


def scope_below_level(carrier: Carrier) -> list[Person]:
    """People the 知悉范围 names — by name or through a named department — whose clearance does
    not cover the carrier's level: PER-1 leaves them out of every picker, so the clerk is told
    at registration, by name (CL-13)."""
    from baomi.classification.choices import clearance_covers

    named = Q(pk__in=carrier.scope_people.values("pk")) | Q(
        department_id__in=carrier.scope_departments.values("pk")
    )
    people = Person.objects.filter(named, active=True, system_role="", is_automation=False)
    return [
        p
        for p in people.order_by("department_id", "id")
        if not clearance_covers(p.clearance, carrier.level)
    ]


def scope_warning(carrier: Carrier, limit: int = 20) -> str:
    """The Chinese sentence naming them, or "" when everyone in scope is cleared."""
    below = scope_below_level(carrier)
    if not below:
        return ""
    names = "、".join(p.name for p in below[:limit])
    more = f"等 {len(below)} 人" if len(below) > limit else ""
    return (
        f"知悉范围中 {names}{more} 的涉密等级不能覆盖{carrier.get_level_display()}，"
        "不会出现在传阅、借阅等人员选择中（PER-1）。"
    )


def carrier_by_label(person: Person, text: str) -> Carrier | None:
    """The visible carrier whose label a scanner typed (统一编号-份号, with or without the unit's
    code from the QR label); None when it is not a label or not visible to the person."""
    from baomi.stocktake.selectors import read_label

    label = read_label(text)
    if label is None or not label.belongs_to(person.unit.code):
        return None
    return (
        carriers_visible_to(person)
        .filter(unit_id=person.unit_id, number=label.number, copy_no=label.copy_no)
        .first()
    )
