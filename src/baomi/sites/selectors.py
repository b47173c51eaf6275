"""Reads of the key-place ledgers (deny by default): the unit's 保密员 sees every site of the
unit; a site's responsible person and staff see their own sites, visits, keys and checks."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.org.models import Person
from baomi.sites.choices import CheckKind
from baomi.sites.models import ClosingCheck, KeySite, SiteKey, Visit
from baomi.workdays.calendar import calendar_for


def sites_visible_to(person: Person | None) -> QuerySet[KeySite]:
    if person is None or person.has_system_role or not person.active or person.is_automation:
        return KeySite.objects.none()
    in_unit = KeySite.objects.filter(unit_id=person.unit_id)
    if person.is_registry_clerk:
        return in_unit
    ids = in_unit.filter(Q(responsible=person) | Q(staff=person)).values("pk")
    return KeySite.objects.filter(pk__in=ids)


def site_for(person: Person | None, site_id: int) -> KeySite | None:
    return (
        sites_visible_to(person)
        .select_related("responsible", "department", "unit")
        .filter(pk=site_id)
        .first()
    )


def visits_visible_to(person: Person | None) -> QuerySet[Visit]:
    return Visit.objects.filter(site__in=sites_visible_to(person)).select_related(
        "site", "host", "escort", "registered_by"
    )


def keys_visible_to(person: Person | None) -> QuerySet[SiteKey]:
    return SiteKey.objects.filter(site__in=sites_visible_to(person)).select_related(
        "site", "holder", "place"
    )


def keys_held_by(person: Person) -> QuerySet[SiteKey]:
    """SITE-4 / CR-13: the keys a person holds — to be handed over with the post."""
    return SiteKey.objects.filter(holder=person, lost=False, retired=False).select_related("site")


def checks_visible_to(person: Person | None) -> QuerySet[ClosingCheck]:
    return ClosingCheck.objects.filter(site__in=sites_visible_to(person)).select_related(
        "site", "checked_by"
    )


def is_working_day(day: date, unit_id: int | None = None) -> bool:
    """A working day of the unit's calendar (State Council holidays and make-up days, with the
    unit's corrections): a holiday needs no daily closing check, a make-up Saturday does."""
    return calendar_for(unit_id).is_working_day(day)


def missing_checks(
    sites: QuerySet[KeySite], today: date, days: int = 7
) -> list[tuple[KeySite, date]]:
    """SITE-3: (site, day) for each working day of the last `days` before today, since the site
    was registered, without a daily closing check. One query for the checks."""
    sites = list(sites.filter(active=True))
    if not sites:
        return []
    start = today - timedelta(days=days)
    done = set(
        ClosingCheck.objects.filter(
            site__in=sites, kind=CheckKind.DAILY, day__gte=start, day__lt=today
        ).values_list("site_id", "day")
    )
    missing = []
    calendars = {}
    for site in sites:
        if site.unit_id not in calendars:
            calendars[site.unit_id] = calendar_for(site.unit_id)
        calendar = calendars[site.unit_id]
        first = max(start, timezone.localtime(site.created_at).date())
        day = today - timedelta(days=1)
        while day >= first:
            if calendar.is_working_day(day) and (site.pk, day) not in done:
                missing.append((site, day))
            day -= timedelta(days=1)
    return missing
