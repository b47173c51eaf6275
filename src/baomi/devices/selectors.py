"""Who sees which device: the unit's 保密员 (classified ones up to their level); a 责任人 their own."""

from __future__ import annotations

from datetime import date

from django.db.models import Max, Q, QuerySet

from baomi.carriers.selectors import levels_up_to
from baomi.devices.choices import COMPUTER_KINDS, DeviceStatus, Network
from baomi.devices.models import Device


def devices_visible_to(person) -> QuerySet[Device]:
    if person is None or person.has_system_role or not person.active:
        return Device.objects.none()
    mine = Q(responsible=person)
    if person.is_registry_clerk:
        mine |= Q(unit_id=person.unit_id) & (
            Q(level="") | Q(level__in=levels_up_to(person.max_level))
        )
    return Device.objects.filter(mine).select_related(
        "unit", "department", "responsible", "carrier"
    )


def device_for(person, device_id: int) -> Device | None:
    return devices_visible_to(person).filter(pk=device_id).first()


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter_start(day: date) -> date:
    start = quarter_start(day)
    return date(start.year - 1, 10, 1) if start.month == 1 else date(start.year, start.month - 3, 1)


def internet_computers(queryset: QuerySet[Device]) -> QuerySet[Device]:
    """DEV-6: the computers that need a quarterly check (in use on the internet)."""
    return queryset.filter(kind__in=COMPUTER_KINDS, network=Network.INTERNET, level="").exclude(
        status__in=[DeviceStatus.SCRAPPED, DeviceStatus.RETIRED]
    )


def with_last_check(queryset: QuerySet[Device]) -> QuerySet[Device]:
    return queryset.annotate(last_checked=Max("checks__checked_at"))
