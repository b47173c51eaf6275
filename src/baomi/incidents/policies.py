"""Who may do what with an incident (INC-1) — used by actions to refuse and pages to hide
buttons. The unit's 保密办 handles a report; its 保密委员会 investigates and closes it."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from baomi.org.models import CommitteeMember, Person
from baomi.personnel.rules import is_office


def _business(person: Person | None) -> bool:
    return person is not None and person.active and not person.has_system_role


def is_committee_member(person: Person | None, unit_id: int) -> bool:
    """A serving member of the unit's 保密委员会 (ORG-1)."""
    if not _business(person) or person.is_automation or person.unit_id != unit_id:
        return False
    serving = Q(end_on__isnull=True) | Q(end_on__gte=timezone.localdate())
    return CommitteeMember.objects.filter(
        serving, person=person, committee__unit_id=unit_id
    ).exists()


def may_handle(person: Person | None, unit_id: int) -> bool:
    """The 保密办 (保密员, secrecy officers) reports on, links carriers, confirms drafts."""
    return _business(person) and is_office(person, unit_id)


def may_investigate(person: Person | None, unit_id: int) -> bool:
    """Investigation notes and remedies: the 保密办 and the committee."""
    return may_handle(person, unit_id) or is_committee_member(person, unit_id)


def may_close(person: Person | None, unit_id: int) -> bool:
    """INC-1: the 保密委员会 decides cause and responsibility and closes the report."""
    return is_committee_member(person, unit_id)


def sees_whole_unit(person: Person | None, unit_id: int) -> bool:
    """Who sees every report of the unit (up to their level): the 保密办, the unit head and the
    committee — the people a report must never be hidden from."""
    if not _business(person) or person.unit_id != unit_id:
        return False
    return person.is_unit_head or may_investigate(person, unit_id)
