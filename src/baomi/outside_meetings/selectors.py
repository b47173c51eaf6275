"""Reads of outside-meeting attendances (CR-2): a person sees their own; the unit's 保密员 sees
the unit's, up to their own level. Deny by default: anything else does not exist (404)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from baomi.carriers.choices import Status
from baomi.carriers.policies import is_clerk_of
from baomi.carriers.selectors import levels_up_to
from baomi.org.models import Person
from baomi.outside_meetings.models import BroughtBackPaper, MeetingAttendance
from baomi.workdays.calendar import calendar_for

# CR-2: papers brought back are declared within 2 working days of the meeting's last day.
DECLARE_WITHIN_WORKING_DAYS = 2


def attendances_visible_to(person: Person | None) -> QuerySet[MeetingAttendance]:
    if person is None or person.has_system_role:
        return MeetingAttendance.objects.none()
    if is_clerk_of(person, person.unit_id):
        return MeetingAttendance.objects.filter(
            Q(person=person) | Q(unit_id=person.unit_id, level__in=levels_up_to(person.max_level))
        )
    return MeetingAttendance.objects.filter(person=person)


def attendance_for(person: Person | None, pk: int) -> MeetingAttendance | None:
    return attendances_visible_to(person).select_related("person").filter(pk=pk).first()


def papers_waiting(person: Person) -> QuerySet[BroughtBackPaper]:
    """The 保密员's list: declared papers of the unit not yet registered, up to their level."""
    if not is_clerk_of(person, person.unit_id):
        return BroughtBackPaper.objects.none()
    return (
        BroughtBackPaper.objects.filter(
            carrier__unit_id=person.unit_id,
            carrier__status=Status.DECLARED,
            carrier__level__in=levels_up_to(person.max_level),
        )
        .select_related("carrier", "carrier__holder", "attendance")
        .order_by("carrier__registered_at", "id")
    )


def declaration_due(attendance: MeetingAttendance, calendar=None) -> date:
    """The last day to declare: 2 working days after the meeting (State Council calendar with
    the unit's corrections)."""
    calendar = calendar or calendar_for(attendance.unit_id)
    return calendar.add_working_days(attendance.held_on, DECLARE_WITHIN_WORKING_DAYS)


def undeclared_overdue(
    attendances: QuerySet[MeetingAttendance], today: date, limit: int = 1000
) -> list[tuple[MeetingAttendance, date]]:
    """(attendance, due) for each attendance without a declaration past its due day, oldest
    first; one calendar per unit. A meeting of the last two days cannot be overdue yet (no
    two working days fit in one), so those are not even read."""
    calendars: dict[int, object] = {}
    overdue = []
    pending = attendances.filter(declared_at__isnull=True, held_on__lt=today - timedelta(days=1))
    for attendance in pending.order_by("held_on", "id")[:limit]:
        if attendance.unit_id not in calendars:
            calendars[attendance.unit_id] = calendar_for(attendance.unit_id)
        due = declaration_due(attendance, calendars[attendance.unit_id])
        if today > due:
            overdue.append((attendance, due))
    return overdue
