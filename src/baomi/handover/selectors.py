"""Handover reads (deny by default)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from baomi.handover.models import Handover
from baomi.org.models import Person


def handovers_visible_to(person: Person | None) -> QuerySet[Handover]:
    """The unit's clerks, and the two parties of a handover."""
    if person is None or person.has_system_role or not person.active:
        return Handover.objects.none()
    handovers = Handover.objects.filter(unit_id=person.unit_id).select_related(
        "person", "receiver", "created_by"
    )
    if person.is_registry_clerk:
        return handovers
    return handovers.filter(Q(person=person) | Q(receiver=person))
