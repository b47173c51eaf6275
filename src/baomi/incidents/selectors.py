"""Who sees incidents (INC-1: never hidden from those who answer for them): the unit's 保密办,
its head and its 保密委员会 (up to their level), and the people who found or reported it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from baomi.carriers.selectors import levels_up_to
from baomi.incidents.choices import EntryKind
from baomi.incidents.models import Drill, EmergencyPlan, Incident, IncidentEntry
from baomi.incidents.policies import may_investigate, sees_whole_unit


def incidents_visible_to(person) -> QuerySet[Incident]:
    if person is None or person.has_system_role or not person.active:
        return Incident.objects.none()
    mine = Q(discovered_by=person) | Q(reported_by=person)
    if sees_whole_unit(person, person.unit_id):
        mine |= Q(unit_id=person.unit_id, level__in=levels_up_to(person.max_level))
    return Incident.objects.filter(mine)


def incident_for(person, incident_id: int) -> Incident | None:
    return incidents_visible_to(person).filter(pk=incident_id).first()


def lost_in(carrier_id: int) -> list[int]:
    """The incidents in which this carrier was marked lost and has not been found since
    (INC-1: finding it must name one of them)."""
    last: dict[int, str] = {}
    rows = IncidentEntry.objects.filter(
        carrier_id=carrier_id, kind__in=(EntryKind.CARRIER_LOST, EntryKind.CARRIER_FOUND)
    ).order_by("created_at", "id")
    for incident_id, kind in rows.values_list("incident_id", "kind"):
        last[incident_id] = kind
    return sorted(i for i, kind in last.items() if kind == EntryKind.CARRIER_LOST)


def still_lost_in(incident: Incident) -> set[int]:
    """The carriers marked lost in this incident and not found since (one query)."""
    last: dict[int, str] = {}
    for entry in incident.entries.all():  # ordered by time; prefetched by lists
        if entry.kind in (EntryKind.CARRIER_LOST, EntryKind.CARRIER_FOUND):
            last[entry.carrier_id] = entry.kind
    return {pk for pk, kind in last.items() if kind == EntryKind.CARRIER_LOST}


def plans_visible_to(person) -> QuerySet[EmergencyPlan]:
    """INC-2: the unit's 保密办 and committee keep the plans and see them."""
    if person is None or not may_investigate(person, person.unit_id):
        return EmergencyPlan.objects.none()
    return EmergencyPlan.objects.filter(unit_id=person.unit_id)


def drills_visible_to(person) -> QuerySet[Drill]:
    if person is None or not may_investigate(person, person.unit_id):
        return Drill.objects.none()
    return Drill.objects.filter(unit_id=person.unit_id)
