"""Destruction reads (deny by default)."""

from __future__ import annotations

from django.db.models import QuerySet

from baomi.destruction.models import DestructionList
from baomi.org.models import Person


def lists_visible_to(person: Person | None) -> QuerySet[DestructionList]:
    """The unit's clerks and the approvers and witnesses of a list; the system roles: none."""
    if person is None or person.has_system_role or not person.active:
        return DestructionList.objects.none()
    lists = DestructionList.objects.filter(unit_id=person.unit_id)
    if person.is_registry_clerk:
        return lists
    from django.db.models import Q

    return lists.filter(Q(request__steps__approver=person) | Q(witnesses=person)).distinct()
