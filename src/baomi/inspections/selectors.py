"""Reads of inspections, findings and rectifications (deny by default).

- the inspected unit's 保密办, head and 保密委员会 see its inspections;
- a superior unit's 保密办 sees those of its subordinate units (ORG-4) — their findings, with
  carriers named by number and level only, never by title;
- the inspecting unit's 保密办 and the inspection's leader see the inspections they hold;
- a rectification's owner sees their rectification and its finding.
The three system roles see nothing (SEC-3)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from baomi.inspections.models import Finding, Inspection, Rectification
from baomi.inspections.rules import _business, answers_for
from baomi.org.models import Person
from baomi.personnel.rules import is_office
from baomi.personnel.selectors import units_supervised_by


def inspections_visible_to(person: Person | None) -> QuerySet[Inspection]:
    if not _business(person):
        return Inspection.objects.none()
    seen = Q(leader=person)
    if answers_for(person, person.unit_id):
        seen |= Q(unit_id=person.unit_id)
    if is_office(person, person.unit_id):
        seen |= Q(inspecting_unit_id=person.unit_id)
        supervised = [u.pk for u in units_supervised_by(person)]
        if supervised:
            seen |= Q(unit_id__in=supervised)
    return Inspection.objects.filter(seen)


def inspection_for(person: Person | None, inspection_id: int) -> Inspection | None:
    return (
        inspections_visible_to(person)
        .select_related("unit", "inspecting_unit", "leader", "template", "created_by")
        .filter(pk=inspection_id)
        .first()
    )


FINDING_RELATED = ("inspection", "inspection__unit", "person", "place", "site", "carrier")


def findings_visible_to(person: Person | None) -> QuerySet[Finding]:
    if not _business(person):
        return Finding.objects.none()
    ids = inspections_visible_to(person).values("pk")
    return Finding.objects.filter(
        Q(inspection__in=ids) | Q(rectification__owner=person)
    ).select_related(*FINDING_RELATED)


def finding_for(person: Person | None, finding_id: int) -> Finding | None:
    return findings_visible_to(person).filter(pk=finding_id).first()


def rectifications_visible_to(person: Person | None) -> QuerySet[Rectification]:
    if not _business(person):
        return Rectification.objects.none()
    ids = inspections_visible_to(person).values("pk")
    return Rectification.objects.filter(
        Q(finding__inspection__in=ids) | Q(owner=person)
    ).select_related(
        "owner",
        "verified_by",
        "finding",
        "finding__inspection",
        "finding__inspection__unit",
        "finding__carrier",
    )


def rectification_for(person: Person | None, rectification_id: int) -> Rectification | None:
    return rectifications_visible_to(person).filter(pk=rectification_id).first()
