"""Reads of meetings that respect the viewer (deny by default): the unit's clerks up to their
level; the organiser and the attendees their own meetings; approvers the meetings sent to them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from baomi.carriers.choices import AT_PLACE
from baomi.carriers.selectors import levels_up_to
from baomi.meetings.choices import PaperRole
from baomi.meetings.models import Meeting, MeetingPaper
from baomi.org.models import Person


def meetings_visible_to(person: Person | None) -> QuerySet[Meeting]:
    if person is None or person.has_system_role or not person.active:
        return Meeting.objects.none()
    covered = Q(level__in=levels_up_to(person.max_level), unit_id=person.unit_id)
    if person.is_registry_clerk:
        return Meeting.objects.filter(covered)
    mine = Q(organiser=person) | Q(attendees__person=person) | Q(request__steps__approver=person)
    ids = Meeting.objects.filter(covered & mine).values("pk")
    return Meeting.objects.filter(pk__in=ids)


def meeting_for(person: Person | None, meeting_id: int) -> Meeting | None:
    """One meeting if the person may see it; None means 'does not exist' to them."""
    return (
        meetings_visible_to(person)
        .select_related("organiser", "request", "unit", "checked_by")
        .filter(pk=meeting_id)
        .first()
    )


def papers_of(meeting: Meeting) -> QuerySet[MeetingPaper]:
    return meeting.papers.select_related("carrier", "carrier__holder", "handed_to").order_by(
        "role", "carrier__number", "carrier__copy_no"
    )


def papers_held_by(meeting: Meeting, person: Person) -> list[MeetingPaper]:
    return list(
        meeting.papers.filter(carrier__holder=person).select_related("carrier").order_by("id")
    )


def not_returned(meeting: Meeting) -> list[MeetingPaper]:
    """MTG-3's recall list: papers handed out that are not back in the registry, with who holds
    them now — read from the carriers' own custody state, the one source of truth."""
    return list(
        meeting.papers.filter(role=PaperRole.PAPER, handed_out_at__isnull=False)
        .exclude(carrier__status__in=AT_PLACE)
        .select_related("carrier", "carrier__holder", "handed_to")
        .order_by("carrier__number", "carrier__copy_no")
    )
