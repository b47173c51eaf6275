"""Who sees incidents: the unit's 保密员 (up to their level), and the person who found it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from baomi.carriers.selectors import levels_up_to
from baomi.incidents.models import Incident


def incidents_visible_to(person) -> QuerySet[Incident]:
    if person is None or person.has_system_role or not person.active:
        return Incident.objects.none()
    mine = Q(discovered_by=person) | Q(reported_by=person)
    if person.is_registry_clerk or person.is_unit_head:
        mine |= Q(unit_id=person.unit_id, level__in=levels_up_to(person.max_level))
    return Incident.objects.filter(mine)


def incident_for(person, incident_id: int) -> Incident | None:
    return incidents_visible_to(person).filter(pk=incident_id).first()
