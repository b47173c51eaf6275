"""Archive reads that respect the viewer (deny by default)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from baomi.archive.models import Dossier, DossierItem
from baomi.carriers.choices import EventKind, Status
from baomi.carriers.models import Carrier, CustodyEvent
from baomi.carriers.selectors import carriers_visible_to, levels_up_to
from baomi.org.models import Person


def dossiers_visible_to(person: Person | None) -> QuerySet[Dossier]:
    """Clerks: their unit's dossiers up to their level. Others: dossiers holding a carrier they
    may see. The three system roles: none (SEC-3)."""
    if person is None or person.has_system_role or not person.active:
        return Dossier.objects.none()
    covered = Dossier.objects.filter(
        unit_id=person.unit_id, level__in=levels_up_to(person.max_level)
    )
    if person.is_registry_clerk or person.is_automation:
        return covered
    seen = carriers_visible_to(person).values("pk")
    return covered.filter(items__carrier__in=seen, items__removed_at__isnull=True).distinct()


def contents_of(dossier: Dossier, person: Person) -> QuerySet[Carrier]:
    """The carriers filed in the dossier that the person may see."""
    ids = DossierItem.objects.filter(dossier=dossier, removed_at__isnull=True).values("carrier_id")
    return (
        carriers_visible_to(person)
        .filter(pk__in=ids)
        .select_related("place", "holder")
        .order_by("number", "copy_no")
    )


def archive_movements(person: Person) -> QuerySet[CustodyEvent]:
    """ARC-2: every movement into or out of the archive store, newest first."""
    moves = (
        Q(kind__in=[EventKind.ARCHIVE, EventKind.RETRIEVE])
        | (Q(status_before=Status.ARCHIVED) & ~Q(status_after=Status.ARCHIVED))
        | Q(kind=EventKind.RELOCATE, status_after=Status.ARCHIVED)
    )
    return (
        CustodyEvent.objects.filter(moves, carrier__in=carriers_visible_to(person).values("pk"))
        .select_related("carrier", "actor", "place_before", "place_after", "request")
        .order_by("-at", "-id")
    )


def dossier_of(carrier: Carrier) -> Dossier | None:
    item = (
        DossierItem.objects.filter(carrier=carrier, removed_at__isnull=True)
        .select_related("dossier")
        .first()
    )
    return item.dossier if item else None
