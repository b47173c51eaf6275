"""INS-1: what a unit's inspection plan for a year must hold — a self-inspection in each half
year, and an inspection before 五一, 国庆 and 春节 — and which planned or held inspection covers
each. 春节 moves with the lunar calendar: 正月初一 comes from `lunar-python`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from lunar_python import Lunar

from baomi.inspections.choices import Holiday, InspectionKind
from baomi.inspections.models import Inspection

# An inspection "before" a holiday is held within this many days before it.
BEFORE_HOLIDAY_DAYS = 30
COVERING_KINDS = (InspectionKind.SELF, InspectionKind.HOLIDAY, InspectionKind.SPECIAL)


@cache  # a lunar computation of ~50 ms; every alerts call asks for it
def spring_festival(year: int) -> date:
    """正月初一 of the lunar year that begins in `year` (e.g. 2027 → 2027-02-06)."""
    solar = Lunar.fromYmd(year, 1, 1).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def holiday_date(holiday: str, year: int) -> date:
    if holiday == Holiday.MAY_DAY:
        return date(year, 5, 1)
    if holiday == Holiday.NATIONAL_DAY:
        return date(year, 10, 1)
    return spring_festival(year)


@dataclass
class Requirement:
    """One inspection INS-1 requires in the year: held between `start` and `due`."""

    code: str
    label: str
    start: date
    due: date
    holiday: str = ""
    covered_by: Inspection | None = None

    @property
    def covered(self) -> bool:
        return self.covered_by is not None


def requirements(year: int) -> list[Requirement]:
    found = [
        Requirement("h1", f"{year}年上半年自查", date(year, 1, 1), date(year, 6, 30)),
        Requirement("h2", f"{year}年下半年自查", date(year, 7, 1), date(year, 12, 31)),
    ]
    for holiday in (Holiday.SPRING_FESTIVAL, Holiday.MAY_DAY, Holiday.NATIONAL_DAY):
        day = holiday_date(holiday, year)
        found.append(
            Requirement(
                holiday.value,
                f"{Holiday(holiday).label}（{day}）节前检查",
                day - timedelta(days=BEFORE_HOLIDAY_DAYS),
                day - timedelta(days=1),
                holiday=holiday.value,
            )
        )
    return sorted(found, key=lambda r: r.due)


def plan_of(unit_id: int, year: int) -> list[Requirement]:
    """The year's requirements, each with the inspection of the unit that covers it (if any).

    A half year is covered by any self, holiday or special inspection planned in it; a holiday
    by one planned in the 30 days before it. One inspection covers at most one holiday."""
    reqs = requirements(year)
    first, last = min(r.start for r in reqs), max(r.due for r in reqs)
    inspections = list(
        Inspection.objects.filter(
            unit_id=unit_id,
            kind__in=COVERING_KINDS,
            planned_on__gte=first,
            planned_on__lte=last,
        ).order_by("planned_on", "id")
    )
    used: set[int] = set()
    for req in (r for r in reqs if r.holiday):
        for inspection in inspections:
            if inspection.pk not in used and req.start <= inspection.planned_on <= req.due:
                req.covered_by = inspection
                used.add(inspection.pk)
                break
    for req in (r for r in reqs if not r.holiday):
        req.covered_by = next(
            (i for i in inspections if req.start <= i.planned_on <= req.due), None
        )
    return reqs
